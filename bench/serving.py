"""
How fast the reader site serves, with the page cache off and on, against two floors.

    .venv/bin/python bench/serving.py                       # SQLite, 10,000 stories
    .venv/bin/python bench/serving.py --database-url postgres://postgres@127.0.0.1/bench \\
        --redis-url redis://127.0.0.1:6379/7 --articles 100000 --comments 1000000

It seeds the database with `seed_scale` when it has no stories, empties the cache it is given
(the Redis database named in --redis-url is flushed), starts the production server
(gunicorn, 2 sync workers, DEBUG off, WhiteNoise) on 127.0.0.1 once with the page cache off
and once with it on, warms each address up, loads it with wrk (Debian's `wrk`) and prints
requests/s and p50/p99 latency for each reader page, and for the two floors that only the
benchmark settings serve (bench/floors.py): the story page's template rendered from an
in-memory story, and a constant response. Then it lets the story page expire every second
under load and counts how many requests rendered it, with and without the stale copy (the
stampede protection). The table, with each page's ratio to the floors, and the machine's
details are saved under bench/results/.

Other processes on the machine slow every figure: the report records the load average.
Pages are requested without gzip (wrk sends no Accept-Encoding). Add addresses to PAGES.
"""

import argparse
import os
import platform
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable

# (name, address or a function of the seeded data giving it). Pages that may not exist yet
# (search, feeds) are skipped when the server answers 404.
PAGES = [
    ("home", "/"),
    ("section front", "/{section}/"),
    ("section page 50", "/{section}/?page=50"),
    ("story", "{story}"),
    ("tag", "/tag/{tag}/"),
    ("author", "/author/{author}/"),
    ("search", "/search/?q=harbour"),
    ("feed", "/feeds/latest/"),
]
FLOORS = [("template floor", "/bench/story-template/"), ("constant floor", "/bench/constant/")]

COUNT_OUTCOMES = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) hit = 0; miss = 0; stale = 0; other = 0 end
function response(status, headers, body)
  local outcome = headers["X-Page-Cache"]
  if outcome == "hit" then hit = hit + 1
  elseif outcome == "miss" then miss = miss + 1
  elseif outcome == "stale" then stale = stale + 1
  else other = other + 1 end
end
function done(summary, latency, requests)
  local totals = {hit = 0, miss = 0, stale = 0, other = 0}
  for _, thread in ipairs(threads) do
    for name, _ in pairs(totals) do totals[name] = totals[name] + thread:get(name) end
  end
  io.write(string.format("outcomes hit=%d miss=%d stale=%d other=%d\\n",
    totals.hit, totals.miss, totals.stale, totals.other))
end
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default="sqlite:////tmp/newsroom-bench.sqlite3")
    parser.add_argument(
        "--redis-url",
        default="",
        help="The cache; without it, a folder shared by the workers, as `make serve` does.",
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--comments", type=int, default=100_000)
    parser.add_argument("--duration", type=int, default=15, help="Seconds of load per page.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8199)
    parser.add_argument("--label", default="", help="Added to the results' file name.")
    parser.add_argument("--skip-stampede", action="store_true")
    parser.add_argument(
        "--pages",
        type=lambda names: {name.strip() for name in names.split(",")},
        default=set(),
        help='Only these pages (and the floors), by name: e.g. "story,search".',
    )
    options = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")

    env = server_environment(options)
    prepare(env, options)
    every_page = resolve_pages(env)
    if unknown := options.pages - {name for name, _url in every_page}:
        sys.exit(f"No such page: {', '.join(sorted(unknown))}")
    pages = [(name, url) for name, url in every_page if name in (options.pages or {name})]
    results = {}
    for cache_on in (False, True):
        mode = "on" if cache_on else "off"
        with server(env | {"NEWSROOM_PAGE_CACHE": mode}, options):
            for name, url in [*pages, *FLOORS]:
                if not answers(options, url):
                    print(f"  {name}: {url} is not served here, skipped")
                    continue
                results[(mode, name)] = load(options, url)
                print(f"  cache {mode:3} {name:16} {fmt(results[(mode, name)])}", flush=True)
    stampede = {} if options.skip_stampede else measure_stampede(env, options, dict(every_page))
    report = render_report(options, pages, results, stampede)
    print(report)
    save(report, options)


# The server.


def server_environment(options):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "GUNICORN_"))
        and key not in ("DATABASE_URL", "REDIS_URL")
    }
    if not options.redis_url:
        env["DJANGO_CACHE_DIR"] = tempfile.mkdtemp(prefix="newsroom-bench-cache-")
    return env | {
        "DATABASE_URL": options.database_url,
        "REDIS_URL": options.redis_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_HTTPS": "false",
        "DJANGO_LOG_LEVEL": "WARNING",
        "GUNICORN_BIND": f"127.0.0.1:{options.port}",
        "GUNICORN_WORKERS": "2",
        "GUNICORN_THREADS": "1",
        "GUNICORN_ACCESS_LOG": "",
        "NEWSROOM_BENCH_FLOORS": "true",
    }


def manage(env, *args, capture=False):
    return subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    ).stdout


def prepare(env, options):
    manage(env, "migrate", "--noinput", "--verbosity", "0")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    stories = manage(env, "shell", "--no-imports", "-c", COUNT_STORIES, capture=True).strip()
    if int(stories or 0) == 0:
        print(f"Seeding {options.articles:,} stories and {options.comments:,} comments…")
        manage(
            env,
            "seed_scale",
            f"--articles={options.articles}",
            f"--comments={options.comments}",
        )


EMPTY_CACHE = "from django.core.cache import cache; cache.clear()"
COUNT_STORIES = "from articles.models import Article; print(Article.objects.count())"
PICK_PAGES = """
from django.db.models import Count
from articles.models import Article, Author, Section, Tag
from bench.floors import benchmark_story
live = Article.objects.live()
section = max(
    Section.objects.filter(parent=None),
    key=lambda section: live.in_section(section).count(),
)
story = benchmark_story()
tag = Tag.objects.annotate(n=Count("articles")).order_by("-n").first()
author = Author.objects.annotate(n=Count("bylines")).order_by("-n").first()
print(section.slug, story.get_absolute_url(), tag.slug, author.slug)
"""


def resolve_pages(env):
    picked = manage(env, "shell", "--no-imports", "-c", PICK_PAGES, capture=True)
    section, story, tag, author = picked.split()
    values = {"section": section, "story": story, "tag": tag, "author": author}
    return [(name, url.format(**values)) for name, url in PAGES]


class server:
    """gunicorn with the project's gunicorn.conf.py, for the duration of a `with` block."""

    def __init__(self, env, options):
        self.env, self.options = env, options

    def __enter__(self):
        self.wait_for_port_to_free()
        # Each server starts with an empty cache: pages stored by an earlier one, with other
        # settings, must not be served.
        manage(self.env, "shell", "--no-imports", "-c", EMPTY_CACHE)
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), "newsroom.wsgi"],
            cwd=ROOT,
            env=self.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"The server stopped: {self.process.stderr.read()}")
            try:
                get(self.options, "/bench/constant/", timeout=2)
                return self
            except (urllib.error.URLError, ConnectionError):
                time.sleep(0.3)
        self.__exit__()
        sys.exit("The server did not answer within 30 seconds.")

    def wait_for_port_to_free(self):
        """A server of an earlier `with` block may still be finishing: never measure it."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                get(self.options, "/bench/constant/", timeout=1)
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                return
            time.sleep(0.5)
        sys.exit(f"Something else answers on port {self.options.port}.")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()


def url(options, path):
    return f"http://127.0.0.1:{options.port}{path}"


def get(options, path, *, timeout):
    # Only ever our own server, on this machine.
    return urllib.request.urlopen(url(options, path), timeout=timeout)  # noqa: S310


def answers(options, path):
    try:
        get(options, path, timeout=30)
        return True
    except urllib.error.HTTPError as error:
        return error.code != 404


# Loading it.


def wrk(options, path, *, seconds, script=None):
    command = [
        "wrk",
        f"-t{options.threads}",
        f"-c{options.connections}",
        f"-d{seconds}s",
        "--latency",
        "--timeout",
        "10s",
    ]
    if script:
        command += ["-s", script]
    return subprocess.run(
        [*command, url(options, path)], check=True, text=True, capture_output=True
    ).stdout


def load(options, path):
    """Warm up, then load `path`: requests/s, p50 and p99 in ms, and any errors."""
    wrk(options, path, seconds=3)
    output = wrk(options, path, seconds=options.duration)
    return parse(output)


def parse(output):
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = to_ms(re.search(r"^\s+50%\s+([\d.]+\w+)", output, re.MULTILINE).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+([\d.]+\w+)", output, re.MULTILINE).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    outcomes = re.search(r"outcomes (.*)", output)
    return {
        "rps": rps,
        "p50": p50,
        "p99": p99,
        "errors": int(errors.group(1)) if errors else 0,
        "outcomes": outcomes.group(1) if outcomes else "",
    }


def to_ms(value):
    number, unit = re.match(r"([\d.]+)(\w+)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


def fmt(result):
    return f"{result['rps']:8.0f} req/s  p50 {result['p50']:6.2f} ms  p99 {result['p99']:6.2f} ms"


def measure_stampede(env, options, pages):
    """
    The story page expires every second under load: how many requests render it, with the
    stale copy served while one renders (the default), and without it. The server runs 8
    threads in each of its 2 processes here, so that 16 requests can arrive together at an
    expired page, as during a spike on a larger deployment.
    """
    results = {}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(COUNT_OUTCOMES)
    try:
        for label, stale in (("with stampede protection", "30"), ("without (no stale copy)", "0")):
            settings = {
                "NEWSROOM_PAGE_CACHE_SECONDS": "1",
                "NEWSROOM_PAGE_CACHE_STALE_SECONDS": stale,
                "GUNICORN_THREADS": "8",
            }
            with server(env | {"NEWSROOM_PAGE_CACHE": "on"} | settings, options):
                wrk(options, pages["story"], seconds=2)
                output = wrk(options, pages["story"], seconds=options.duration, script=script.name)
                results[label] = parse(output)
                print(f"  stampede {label}: {fmt(results[label])} {results[label]['outcomes']}")
    finally:
        os.unlink(script.name)
    return results


# The report.


def machine(options):
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    database = options.database_url.split("://")[0]
    return [
        f"- when: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- CPU: {cpu}, {os.cpu_count()} cores; load average before the run: "
        f"{' '.join(f'{n:.2f}' for n in os.getloadavg())}",
        f"- Python {platform.python_version()}, {platform.system()} {platform.release()}",
        f"- database: {database}; cache: {'Redis' if options.redis_url else 'a folder'}",
        f"- seed: {options.articles:,} stories, {options.comments:,} comments (when seeded here)",
        f"- server: gunicorn, 2 sync workers; wrk -t{options.threads} -c{options.connections} "
        f"-d{options.duration}s --latency, after a 3 s warm-up per page",
    ]


def render_report(options, pages, results, stampede):
    lines = ["# Serving benchmark", "", *machine(options), ""]
    floors = {
        mode: {name: results.get((mode, name)) for name, _ in FLOORS} for mode in ("off", "on")
    }
    lines += [
        "| page | cache | req/s | p50 ms | p99 ms | of template floor | of constant floor |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for mode in ("off", "on"):
        for name, _url in [*pages, *FLOORS]:
            result = results.get((mode, name))
            if result is None:
                continue
            template = floors[mode]["template floor"]
            constant = floors[mode]["constant floor"]
            lines.append(
                f"| {name} | {mode} | {result['rps']:.0f} | {result['p50']:.2f} | "
                f"{result['p99']:.2f} | {ratio(result, template)} | {ratio(result, constant)} |"
                + (f" {result['errors']} errors" if result["errors"] else "")
            )
    if stampede:
        lines += [
            "",
            "Stampede: the story page expiring every second, under the same load "
            f"({options.duration} s), 2 processes of 8 threads. `miss` counts the requests "
            "that rendered it.",
            "",
            "| | req/s | p50 ms | p99 ms | responses |",
            "|---|---:|---:|---:|---|",
        ]
        for label, result in stampede.items():
            lines.append(
                f"| {label} | {result['rps']:.0f} | {result['p50']:.2f} | {result['p99']:.2f} | "
                f"{result['outcomes']} |"
            )
    return "\n".join(lines) + "\n"


def ratio(result, floor):
    if not floor:
        return "–"
    return f"{result['rps'] / floor['rps']:.0%}"


def save(report, options):
    folder = ROOT / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    database = options.database_url.split("://")[0]
    label = f"-{options.label}" if options.label else ""
    path = folder / f"serving-{datetime.now(UTC):%Y%m%d-%H%M}-{database}{label}.md"
    path.write_text(report, encoding="utf-8")
    print(f"Saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
