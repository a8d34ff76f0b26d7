"""
How fast the reader site serves, with the page cache off and on, against the floors of the
Wagtail harness (../shared/anchors/wagtail-bench), so that the ratios mean the same in both.

    .venv/bin/python bench/serving.py                       # SQLite, 10,000 stories
    .venv/bin/python bench/serving.py --database-url postgres://postgres@127.0.0.1/bench \\
        --redis-url redis://127.0.0.1:6379/7 --articles 100000 --comments 1000000

It seeds the database with `seed_scale` when it has no stories and imports the seed story
(--seed, a plain-text wire story; imported once, published, with no comments). It empties the
cache it is given (the Redis database named in --redis-url is flushed), starts the production
server (gunicorn, 2 sync workers, DEBUG off, WhiteNoise) on 127.0.0.1 once with the page cache
off and once with it on, warms each address up, loads it with wrk (Debian's `wrk`) and prints
requests/s and p50/p99 latency for each reader page. The floors are a site of their own
(bench/floor_site.py: no database, no middleware, no context processors) on the next port: the
seed story rendered from memory through a plain template, and a constant response. Then it lets
the story page expire every second under load and counts how many requests rendered it, with
and without the stale copy (the stampede protection). The table, with each page's ratio to
the floors, and the machine's details are saved under bench/results/.

A page that does not answer, or that wrk cannot load, is reported as such and the run goes on.
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
    ("seed story", "{seed}"),
    ("story, 10+ comments", "{story}"),
    ("home", "/"),
    ("section front", "/{section}/"),
    ("section page 50", "/{section}/?page=50"),
    ("tag", "/tag/{tag}/"),
    ("author", "/author/{author}/"),
    ("search", "/search/?q=harbour"),
    ("feed", "/feeds/latest/"),
    # What each open page of a live story asks every NEWSROOM_LIVE_POLL_SECONDS (20 s).
    ("live poll", "{live_poll}"),
]
FLOORS = [("template floor", "/article/"), ("constant floor", "/constant/")]
SEED = ROOT.parent / "shared" / "seed" / "000_fac6ae09e91d68e0.txt"

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
    parser.add_argument(
        "--seed", type=Path, default=SEED, help="The seed story, as plain text (import_story)."
    )
    parser.add_argument("--duration", type=int, default=15, help="Seconds of load per page.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--port", type=int, default=8199, help="The floors use the next one.")
    parser.add_argument("--label", default="", help="Added to the results' file name.")
    parser.add_argument("--skip-stampede", action="store_true")
    parser.add_argument(
        "--nothing-kept",
        action="store_true",
        help="Servers keep no piece of a page rendered (NEWSROOM_FRAGMENTS_KEPT_MB=0): "
        "every page cache miss renders the whole page.",
    )
    parser.add_argument(
        "--pages",
        type=lambda names: {name.strip() for name in names.split(",")},
        default=set(),
        help='Only these pages (and the floors), by name: e.g. "story,search".',
    )
    options = parser.parse_args()
    options.floor = argparse.Namespace(**{**vars(options), "port": options.port + 1})
    options.floor_story = Path(tempfile.mkdtemp(prefix="newsroom-bench-floor-")) / "story.json"
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install -y wrk")
    if not options.seed.is_file():
        sys.exit(f"No seed story at {options.seed}: name one with --seed.")

    env = server_environment(options)
    prepare(env, options)
    every_page = resolve_pages(env, options)
    if unknown := options.pages - {name for name, _url in every_page}:
        sys.exit(f"No such page: {', '.join(sorted(unknown))}")
    pages = [(name, url) for name, url in every_page if name in (options.pages or {name})]
    results = measure_floors(env, options)
    for cache_on in (False, True):
        mode = "on" if cache_on else "off"
        with server(env | {"NEWSROOM_PAGE_CACHE": mode}, options):
            for name, url in pages:
                results[(mode, name)] = load(options, url)
                print(f"  cache {mode:3} {name:20} {fmt(results[(mode, name)])}", flush=True)
    stampede = {} if options.skip_stampede else measure_stampede(env, options, dict(every_page))
    report = render_report(options, pages, results, stampede)
    print(report)
    save(report, options)


def measure_floors(env, options):
    """The floors, served by bench/floor_site.py on the next port, measured once."""
    results = {}
    floor_env = env | {"NEWSROOM_FLOOR_STORY": str(options.floor_story)}
    with server(floor_env, options.floor, app="bench.floor_site", ready="/constant/"):
        for name, url in FLOORS:
            results[name] = load(options.floor, url)
            print(f"  {name:30} {fmt(results[name])}", flush=True)
    return results


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
    if getattr(options, "nothing_kept", False):
        env["NEWSROOM_FRAGMENTS_KEPT_MB"] = "0"
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
        "GUNICORN_WORKER_CLASS": "sync",
        "GUNICORN_ACCESS_LOG": "",
        "DJANGO_SETTINGS_MODULE": "newsroom.settings",
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
    manage(env, "shell", "--no-imports", "-c", MAKE_LIVE)
    find_seed = FIND_SEED.format(headline=seed_headline(options))
    if not manage(env, "shell", "--no-imports", "-c", find_seed, capture=True).strip():
        manage(env, "import_story", str(options.seed), "--section=world", "--publish")


def seed_headline(options):
    return next(line.strip() for line in options.seed.read_text().splitlines() if line.strip())


EMPTY_CACHE = "from django.core.cache import cache; cache.clear()"
COUNT_STORIES = "from articles.models import Article; print(Article.objects.count())"
FIND_SEED = """
from articles.models import Article
seed = Article.objects.live().filter(headline={headline!r}).order_by("pk").first()
print(seed.get_absolute_url() if seed else "")
"""
# A live story with a dozen entries, as breaking news has (once per database).
MAKE_LIVE = """
from articles.models import Article
from live.models import LiveCoverage, LiveEntry
if not LiveCoverage.objects.exists():
    story = Article.objects.live().newest_first().first()
    coverage = LiveCoverage.objects.create(article=story, summary="Counting goes on overnight.")
    for n in range(1, 13):
        LiveEntry.objects.create(
            coverage=coverage, headline=f"Ward {n} declares", body=f"<p>Ward {n} has declared.</p>"
        )
"""
# The pages measured, and the seed story as the floor site renders it (bench/floor_site.py).
PICK_PAGES = """
import json
from django.db.models import Count
from articles.models import Article, Author, Section, Tag
from live.addresses import updates_url
from live.models import LiveCoverage
from live.sections import since_of
live = Article.objects.live()
section = max(
    Section.objects.filter(parent=None),
    key=lambda section: live.in_section(section).count(),
)
story = live.filter(comment_count__gte=10).newest_first().first() or live.newest_first().first()
seed = live.filter(headline={headline!r}).select_related("section").order_by("pk").first()
tag = Tag.objects.annotate(n=Count("articles")).order_by("-n").first()
author = Author.objects.annotate(n=Count("bylines")).order_by("-n").first()
floor = {{
    "headline": seed.headline,
    "dateline": seed.dateline,
    "standfirst": seed.standfirst,
    "body": seed.body,
    "published": seed.publish_at.isoformat(),
    "section": {{"name": seed.section.name, "url": seed.section.get_absolute_url()}},
    "sections": [
        {{"name": s.name, "url": s.get_absolute_url()}} for s in Section.objects.filter(parent=None)
    ],
}}
with open({floor_story!r}, "w", encoding="utf-8") as file:
    json.dump(floor, file)
coverage = LiveCoverage.objects.select_related("article").first()
live_poll = f"{{updates_url(coverage.article)}}?since={{since_of(coverage)}}"
print(section.slug, seed.get_absolute_url(), story.get_absolute_url(), tag.slug, author.slug)
print(live_poll)
"""


def resolve_pages(env, options):
    code = PICK_PAGES.format(headline=seed_headline(options), floor_story=str(options.floor_story))
    picked = manage(env, "shell", "--no-imports", "-c", code, capture=True)
    section, seed, story, tag, author, live_poll = picked.split()
    values = {
        "section": section,
        "seed": seed,
        "story": story,
        "tag": tag,
        "author": author,
        "live_poll": live_poll,
    }
    return [(name, url.format(**values)) for name, url in PAGES]


class server:
    """gunicorn (the project's gunicorn.conf.py) serving `app`, for a `with` block."""

    def __init__(self, env, options, *, app="newsroom.wsgi", ready="/"):
        self.env, self.options, self.app, self.ready = env, options, app, ready

    def __enter__(self):
        self.wait_for_port_to_free()
        # Each server starts with an empty cache: pages stored by an earlier one, with other
        # settings, must not be served.
        manage(self.env, "shell", "--no-imports", "-c", EMPTY_CACHE)
        # The server's log goes to a file: a pipe nobody reads fills up (each worker restart
        # at gunicorn's max_requests logs lines) and then stops the server mid-run.
        self.log = tempfile.TemporaryFile(mode="w+")
        self.process = subprocess.Popen(
            [str(Path(PYTHON).parent / "gunicorn"), self.app],
            cwd=ROOT,
            env=self.env | {"GUNICORN_BIND": f"127.0.0.1:{self.options.port}"},
            stdout=subprocess.DEVNULL,
            stderr=self.log,
            text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                sys.exit(f"The server stopped: {self.log.read()[-4000:]}")
            try:
                get(self.options, self.ready, timeout=2)
                return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.3)
        self.__exit__()
        sys.exit("The server did not answer within 30 seconds.")

    def wait_for_port_to_free(self):
        """A server of an earlier `with` block may still be finishing: never measure it."""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                get(self.options, "/", timeout=1)
            except urllib.error.HTTPError:
                pass
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
        self.log.close()


def url(options, path):
    return f"http://127.0.0.1:{options.port}{path}"


def get(options, path, *, timeout):
    # Only ever our own server, on this machine.
    return urllib.request.urlopen(url(options, path), timeout=timeout)  # noqa: S310


def unanswered(options, path):
    """Why `path` cannot be measured (not found, an error, no answer), or None."""
    try:
        get(options, path, timeout=30)
    except urllib.error.HTTPError as error:
        return f"answers {error.code}"
    except (urllib.error.URLError, ConnectionError, TimeoutError) as error:
        return f"no answer ({getattr(error, 'reason', error)})"
    return None


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
        [*command, url(options, path)],
        check=True,
        text=True,
        capture_output=True,
        timeout=seconds + 30,
    ).stdout


def load(options, path):
    """
    Warm up, then load `path`: requests/s, p50 and p99 in ms, and any errors; or, for a page
    that cannot be measured, why (the run goes on with the next page).
    """
    if problem := unanswered(options, path):
        return {"failed": problem}
    try:
        wrk(options, path, seconds=3)
        return parse(wrk(options, path, seconds=options.duration))
    except subprocess.TimeoutExpired:
        return {"failed": "wrk did not finish"}
    except subprocess.CalledProcessError as error:
        return {"failed": f"wrk failed: {error.stderr.strip()[:200]}"}
    except AttributeError:
        return {"failed": "wrk's output had no figures (no response in time?)"}


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
    if "failed" in result:
        return f"not measured: {result['failed']}"
    return (
        f"{result['rps']:8.0f} req/s  p50 {result['p50']:6.2f} ms  p99 {result['p99']:6.2f} ms"
        + (f"  {result['outcomes']}" if result["outcomes"] else "")
    )


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
                "GUNICORN_WORKER_CLASS": "newsroom.serving.ThreadWorker",
            }
            with server(env | {"NEWSROOM_PAGE_CACHE": "on"} | settings, options):
                results[label] = load_counting(options, pages["story"], script.name)
                print(f"  stampede {label}: {fmt(results[label])}", flush=True)
    finally:
        os.unlink(script.name)
    return results


def load_counting(options, path, script):
    """`path` loaded with the script that counts the page cache's answers (see load())."""
    try:
        wrk(options, path, seconds=2)
        return parse(wrk(options, path, seconds=options.duration, script=script))
    except (subprocess.SubprocessError, AttributeError) as error:
        return {"failed": f"wrk could not load it ({type(error).__name__})"}


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
        "- pieces of pages kept by each server process: "
        + ("none" if getattr(options, "nothing_kept", False) else "on"),
    ]


def load_cells(result):
    """A measured load's req/s, p50 and p99 as cells of a Markdown table row."""
    return f"{result['rps']:.0f} | {result['p50']:.2f} | {result['p99']:.2f}"


def render_report(options, pages, results, stampede):
    lines = ["# Serving benchmark", "", *machine(options), ""]
    template, constant = (results.get(name) for name, _url in FLOORS)
    lines += [
        "Floors (bench/floor_site.py, as in the Wagtail harness): "
        + "; ".join(f"{name} {fmt(results[name]).strip()}" for name, _url in FLOORS),
        "",
        "| page | cache | req/s | p50 ms | p99 ms | of template floor | of constant floor |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    for mode in ("off", "on"):
        for name, _url in pages:
            result = results.get((mode, name))
            if result is None:
                continue
            if "failed" in result:
                lines.append(f"| {name} | {mode} | not measured: {result['failed']} | | | | |")
                continue
            lines.append(
                f"| {name} | {mode} | {load_cells(result)} | {ratio(result, template)} | "
                f"{ratio(result, constant)} |"
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
            if "failed" in result:
                lines.append(f"| {label} | not measured: {result['failed']} | | | |")
                continue
            lines.append(f"| {label} | {load_cells(result)} | {result['outcomes']} |")
    return "\n".join(lines) + "\n"


def ratio(result, floor):
    if not floor or "failed" in floor:
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
