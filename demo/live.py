"""The demo newsroom's live story: the Ebro floods, a dozen entries by several reporters."""

import json
from datetime import timedelta
from pathlib import Path

from django.utils import timezone

from articles.models import Article, Author
from live.models import EntryRecord, LiveCoverage, LiveEntry

DEMO_FILE = Path(__file__).resolve().parent / "data" / "live.json"


def load_demo_live(*, users) -> int:
    """
    Make the demo's live story, once: a story that already has coverage is left alone.
    Entries are stamped as posted by the demo account of their reporter's desk. Returns how
    many entries were created.
    """
    demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
    story = Article.objects.filter(slug=demo["story"]).first()
    if story is None or LiveCoverage.objects.filter(article=story).exists():
        return 0
    now = timezone.now()
    coverage = LiveCoverage.objects.create(
        article=story,
        summary=demo["summary"],
        started_at=now - timedelta(minutes=demo["minutes_ago"]),
        created_by=users["editor"],
    )
    authors = Author.objects.in_bulk(field_name="slug")
    for row in demo["entries"]:
        posted_at = now - timedelta(minutes=row["minutes_ago"])
        entry = LiveEntry.objects.create(
            coverage=coverage,
            headline=row["headline"],
            body=row["body"],
            is_key_event=row.get("key", False),
            is_pinned=row.get("pinned", False),
            created_at=posted_at,
            posted_by=users[row["user"]],
        )
        entry.authors.set([authors[row["author"]]])
        EntryRecord.objects.create(
            entry=entry, action=EntryRecord.Action.POSTED, by=users[row["user"]], at=posted_at
        )
    return len(demo["entries"])
