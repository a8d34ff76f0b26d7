"""
The site on a seeded archive (`manage.py seed_scale`): how long the admin's big lists take to
open, and how PostgreSQL runs every query of the reader pages and of those lists.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench .venv/bin/python bench/at_scale.py

For each page it renders (with the page cache emptied first) it records the number of
queries and the time, then runs EXPLAIN (ANALYZE) on each query and flags any sequential
scan of the stories' or comments' tables. The report goes to bench/results/.
"""

import os
import platform
import re
import secrets
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
# Production settings: DEBUG off (templates compiled once), no HTTPS redirect.
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
os.environ.setdefault("DJANGO_HTTPS", "false")
os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from articles.models import Article, Author, Section, Tag  # noqa: E402
from comments.models import Comment  # noqa: E402

BIG_TABLES = ("articles_article", "comments_comment")
RUNS = 5


def reader_pages():
    live = Article.objects.live()
    story = live.filter(comment_count__gte=10).newest_first().first()
    busiest = Article.objects.order_by("-comment_count").first()
    tag = Tag.objects.order_by("pk").first()
    author = Author.objects.order_by("pk").first()
    small = Section.objects.get(slug="elections")
    return [
        ("home", "/"),
        ("section front", "/world/"),
        ("section page 50", "/world/?page=50"),
        ("small section, page 50", f"/{small.slug}/?page=50"),
        ("story", story.get_absolute_url()),
        ("most commented story, last comments page", last_comments_page(busiest)),
        ("tag", tag.get_absolute_url()),
        ("author", author.get_absolute_url()),
    ]


def last_comments_page(story):
    threads = Comment.objects.visible().filter(article=story, parent__isnull=True).count()
    return f"{story.get_absolute_url()}?comments-page={max(1, (threads + 49) // 50)}"


def admin_pages():
    story = Article.objects.order_by("-comment_count").first()
    return [
        ("stories", "/admin/articles/article/"),
        ("stories, published", "/admin/articles/article/?status__exact=published"),
        ("stories, one section", f"/admin/articles/article/?section__id__exact={story.section_id}"),
        ("stories, search", "/admin/articles/article/?q=harbour"),
        ("stories, page 100", "/admin/articles/article/?p=100"),
        ("moderation queue", "/admin/comments/comment/"),
        ("queue, pending", "/admin/comments/comment/?status__exact=pending"),
        ("queue, spam", "/admin/comments/comment/?status__exact=spam"),
        ("queue, one story", f"/admin/comments/comment/?article__id__exact={story.pk}"),
        ("queue, search", "/admin/comments/comment/?q=dredging"),
        ("queue, page 100", "/admin/comments/comment/?p=100"),
    ]


def measure(client, url):
    timings, queries = [], None
    for _run in range(RUNS):
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = list(captured.captured_queries)
    return statistics.median(timings), queries


def explain(sql):
    if connection.vendor != "postgresql":
        return "", []
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY ON) {sql}")
        plan = "\n".join(row[0] for row in cursor.fetchall())
    scans = [table for table in BIG_TABLES if re.search(rf"Seq Scan on {table}\b", plan)]
    return plan, scans


def main():
    user, _created = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    staff = Client()
    staff.force_login(user)
    reader = Client()
    lines = [
        "# The site at scale",
        "",
        f"- when: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; database: {connection.vendor} "
        f"({connection.settings_dict['NAME']}); Python {platform.python_version()}; "
        f"{os.cpu_count()} cores; load average {' '.join(f'{n:.2f}' for n in os.getloadavg())}",
        f"- {Article.objects.count():,} stories, {Comment.objects.count():,} comments",
        f"- times: median of {RUNS} renders through the test client, page cache emptied",
        "",
        "| page | queries | ms | sequential scans of stories or comments |",
        "|---|---:|---:|---|",
    ]
    plans = []
    for group, client, pages in (
        ("reader", reader, reader_pages()),
        ("admin", staff, admin_pages()),
    ):
        for name, url in pages:
            took, queries = measure(client, url)
            scans = []
            for number, query in enumerate(queries, start=1):
                plan, seq = explain(query["sql"])
                scans += seq
                if plan:
                    heading = f"### {group}: {name}, query {number}"
                    sql = query["sql"][:1500]
                    plans.append(f"{heading}\n\n```sql\n{sql}\n```\n\n```\n{plan}\n```\n")
            lines.append(
                f"| {group}: {name} (`{url}`) | {len(queries)} | {took:.0f} | "
                f"{', '.join(sorted(set(scans))) or 'none'} |"
            )
            print(lines[-1], flush=True)
    report = "\n".join(lines) + "\n\n## Plans\n\n" + "\n".join(plans)
    folder = ROOT / "bench" / "results"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"at-scale-{connection.vendor}.md"
    path.write_text(report, encoding="utf-8")
    print(f"Saved {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
