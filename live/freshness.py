"""
Which cached pages a write to live coverage makes stale, in one place every writer passes
through (the admin, the services, the demo loader, the shell).

An entry posted, changed, pinned or deleted changes exactly the live story's own pages: the
story page, its poll endpoint and its feed, which all depend on the key `live:<story id>`.
Nothing else is bumped: fronts, section pages, sitemaps and the site's feeds show the story,
not its entries. Starting or ending coverage changes the same pages.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save

from newsroom import pagecache
from newsroom.writes import rows_written

from .models import LiveCoverage, LiveEntry


def live(article_id):
    """The page cache key of a story's live pages (its page, updates and feed)."""
    return f"live:{article_id}"


def keys_of_coverages(coverage_ids):
    article_ids = LiveCoverage.objects.filter(pk__in=coverage_ids).values_list(
        "article_id", flat=True
    )
    return {live(pk) for pk in article_ids}


def keys_of_entries(entry_ids):
    article_ids = (
        LiveEntry.objects.filter(pk__in=entry_ids)
        .order_by()
        .values_list("coverage__article_id", flat=True)
        .distinct()
    )
    return {live(pk) for pk in article_ids}


def coverage_changed(sender, instance, raw=False, using=None, **kwargs):
    if not raw:
        pagecache.bump_on_commit([live(instance.article_id)], using=using)


def entry_changed(sender, instance, raw=False, using=None, **kwargs):
    if not raw:
        pagecache.bump_on_commit(
            resolve=keys_of_coverages, items=[instance.coverage_id], using=using
        )


def entry_authors_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    if not action.startswith("post_"):
        return
    entries = pk_set if reverse else {instance.pk}
    if reverse and pk_set is None:
        entries = set(instance.live_entries.values_list("pk", flat=True))
    pagecache.bump_on_commit(resolve=keys_of_entries, items=entries or (), using=using)


def coverages_written(sender, pks, when, using=None, **kwargs):
    pagecache.bump_on_commit(resolve=keys_of_coverages, items=pks, using=using)


def entries_written(sender, pks, when, using=None, **kwargs):
    pagecache.bump_on_commit(resolve=keys_of_entries, items=pks, using=using)


def connect():
    """Listen to every write of live coverage and its entries (called by apps.py)."""
    post_save.connect(coverage_changed, sender=LiveCoverage, dispatch_uid="fresh-live-coverage")
    post_delete.connect(coverage_changed, sender=LiveCoverage, dispatch_uid="fresh-live-coverage")
    rows_written.connect(coverages_written, sender=LiveCoverage, dispatch_uid="fresh-coverages")
    post_save.connect(entry_changed, sender=LiveEntry, dispatch_uid="fresh-live-entry")
    post_delete.connect(entry_changed, sender=LiveEntry, dispatch_uid="fresh-live-entry")
    rows_written.connect(entries_written, sender=LiveEntry, dispatch_uid="fresh-live-entries")
    m2m_changed.connect(
        entry_authors_changed, sender=LiveEntry.authors.through, dispatch_uid="fresh-live-authors"
    )
