"""
The live section of a story page: the summary and key events at the top, then the entries.
The story page plugs it in with `{% live_coverage article %}` (templatetags/live_coverage.py)
and its JSON-LD with the description live plugs into articles (structured_data.py); both read
the coverage once per page.
"""

from datetime import UTC, datetime, timedelta

from django.conf import settings

from newsroom import pagecache
from photos.templatetags.pictures import images_in

from . import freshness
from .addresses import feed_url, updates_url
from .models import LiveCoverage, LiveEntry


def coverage_of(article) -> LiveCoverage | None:
    """
    A story's live coverage, or None: read with a story fetched for its page, else one query,
    kept on the story for the rest of the page.
    """
    try:
        return article.live_coverage
    except LiveCoverage.DoesNotExist:
        return None


def entries_of(article) -> list[LiveEntry]:
    """The entries readers see, in their order: two queries, kept on the story like its coverage."""
    coverage = coverage_of(article)
    if coverage is None:
        return []
    if not hasattr(article, "_live_entries"):
        article._live_entries = list(LiveEntry.objects.for_reader(coverage))
    return article._live_entries


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def stamp(moment) -> str:
    """A moment as the poll endpoint's `since` takes it: microseconds since the epoch, exactly."""
    return str((moment - EPOCH) // MICROSECOND) if moment else "0"


def moment_of(stamp: int):
    """The moment a stamp names."""
    return EPOCH + stamp * MICROSECOND


def live_section_context(request, article) -> dict:
    """
    What the live section of a story shows. A fixed number of queries: the coverage, its
    entries with their authors, and the photos in their bodies (two more, when any).
    """
    pagecache.depends_on(request, freshness.live(article.pk))
    coverage = coverage_of(article)
    if coverage is None:
        return {"live": False}
    entries = entries_of(article)
    return {
        "live": True,
        "article": article,
        "coverage": coverage,
        "entries": entries,
        "key_events": sorted(
            (entry for entry in entries if entry.is_key_event),
            key=lambda entry: entry.created_at,
            reverse=coverage.newest_first,
        ),
        "images": images_in(*(entry.body for entry in entries)),
        "since": since_of(coverage),
        "updates_url": updates_url(article),
        "feed_url": feed_url(article),
        "poll_seconds": settings.NEWSROOM_LIVE_POLL_SECONDS,
    }


def since_of(coverage) -> str:
    """
    The newest change to a coverage's entries, as the poll endpoint's `since`: deleted
    entries count too (one query, on the entries' changes index).
    """
    newest = coverage.entries.order_by("-updated_at").values_list("updated_at", flat=True).first()
    return stamp(newest or coverage.started_at)
