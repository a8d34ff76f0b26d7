"""
The edge cache in front (deploy/varnish/newsroom.vcl): a hot story served by Varnish against
the same story served by gunicorn straight (page cache on), requests/s and p50/p99; then how
long a change takes to reach readers through Varnish (purge to fresh).

    .venv/bin/python bench/edge.py            # SQLite, 10,000 stories, as bench/serving.py

It uses bench/serving.py's database, seed story and server (gunicorn, 2 sync workers), and a
varnishd of its own on the next free port with the repository's VCL (Debian's `varnish` and
`varnish-modules`). Purge to fresh: the story's standfirst is changed `--changes` times by a
write from another process, as the admin's would be, which prints the moment of the write
(before its commit); meanwhile Varnish is asked for the page every millisecond until it shows
the change. The
report is saved under bench/results/.
"""

import argparse
import json
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import serving
from newsroom.tests.servers import Varnish

CHANGE = """
import time
from django.db import transaction
from articles.models import Article
with transaction.atomic():
    Article.objects.filter(pk={pk}).update(standfirst={standfirst!r})
    # The moment measured from: the write done, its commit (then the purge) still to come.
    print(time.time())
"""
STORY_PK = """
from articles.models import Article
print(Article.objects.live().filter(headline={headline!r}).order_by("pk").first().pk)
"""
RESTORE = """
from articles.models import Article
Article.objects.filter(pk={pk}).update(standfirst={standfirst!r})
"""
STANDFIRST = """
import json
from articles.models import Article
print(json.dumps(Article.objects.get(pk={pk}).standfirst))
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/newsroom-bench.sqlite3")
    parser.add_argument("--redis-url", default="")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--seed", type=Path, default=serving.SEED)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--changes", type=int, default=10)
    parser.add_argument("--label", default="edge")
    options = parser.parse_args()
    options.floor_story = Path("/dev/null")
    if not shutil.which("varnishd") or not shutil.which("wrk"):
        sys.exit("needs varnishd and wrk: apt-get install -y varnish varnish-modules wrk")

    varnish = Varnish(options.port, probe="200ms")
    try:
        env = serving.server_environment(options) | {
            "NEWSROOM_PAGE_CACHE": "on",
            "NEWSROOM_EDGE": "varnish",
            "NEWSROOM_VARNISH_URLS": varnish.url,
            "NEWSROOM_TRUSTED_PROXIES": "1",
        }
        serving.prepare(env, options)
        story = dict(serving.resolve_pages(env, options))["seed story"]
        headline = serving.seed_headline(options)
        pk = serving.manage(
            env, "shell", "--no-imports", "-c", STORY_PK.format(headline=headline), capture=True
        ).strip()
        through_varnish = argparse.Namespace(**{**vars(options), "port": varnish.port})
        with serving.server(env, options):
            wait_until_healthy(varnish)
            results = {
                "gunicorn, page cache on": serving.load(options, story),
                "Varnish in front": serving.load(through_varnish, story),
            }
            for name, result in results.items():
                print(f"  {name:25} {serving.fmt(result)}", flush=True)
            # The story is left as it was found, for the next run of either benchmark.
            original = json.loads(
                serving.manage(
                    env, "shell", "--no-imports", "-c", STANDFIRST.format(pk=pk), capture=True
                )
            )
            try:
                delays = purge_to_fresh(env, varnish, story, pk, options.changes)
            finally:
                restore = RESTORE.format(pk=pk, standfirst=original)
                serving.manage(env, "shell", "--no-imports", "-c", restore)
        report = render(options, story, results, delays)
        print(report)
        serving.save(report, options)
    finally:
        varnish.stop()


def wait_until_healthy(varnish, seconds=30):
    """Until Varnish's probe finds the backend answering (a 503 before that)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{varnish.url}/healthz/", timeout=2)  # noqa: S310
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("Varnish never found gunicorn healthy")


def fetch(varnish, path):
    return urllib.request.urlopen(f"{varnish.url}{path}", timeout=10).read()  # noqa: S310


def purge_to_fresh(env, varnish, story, pk, changes):
    """
    Seconds from each change (the write done, before its commit and the purge) to the first
    reader who sees it through Varnish: the page is asked for while the write runs in its own
    process, which prints the moment.
    """
    delays = []
    for _ in range(changes):
        fetch(varnish, story)
        fetch(varnish, story)  # now a hit at the edge
        marker = f"Standfirst {secrets.token_hex(6)}"
        change = CHANGE.format(pk=pk, standfirst=marker)
        writer = subprocess.Popen(
            [serving.PYTHON, "manage.py", "shell", "--no-imports", "-c", change],
            cwd=serving.ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 60
        while marker.encode() not in fetch(varnish, story):
            if time.monotonic() > deadline:
                writer.kill()
                raise RuntimeError("the change never reached readers through Varnish")
            time.sleep(0.001)
        seen = time.time()
        committed = float(writer.communicate(timeout=60)[0].split()[-1])
        delays.append(seen - committed)
    return delays


def render(options, story, results, delays):
    lines = [
        "# Edge cache benchmark",
        "",
        *serving.machine(options),
        f"- page: the seed story ({story}); wrk -t{options.threads} -c{options.connections} "
        f"-d{options.duration}s --latency",
        "",
        "| served by | req/s | p50 ms | p99 ms |",
        "|---|---:|---:|---:|",
    ]
    for name, result in results.items():
        if "failed" in result:
            lines.append(f"| {name} | {result['failed']} | | |")
        else:
            lines.append(f"| {name} | {serving.load_cells(result)} |")
    ms = sorted(delay * 1000 for delay in delays)
    lines += [
        "",
        f"Purge to fresh, {len(ms)} changes (from the write, before its commit and purge, to "
        f"the first reader request through Varnish that shows it, polling every millisecond): "
        f"median "
        f"{statistics.median(ms):.0f} ms, slowest {ms[-1]:.0f} ms, fastest {ms[0]:.0f} ms.",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
