"""
Which cached pages a change to a front makes stale: the page the front is (the home page or
its section's front), once the transaction commits, from the signals every writer passes
through (the arranging page, undo, the demo loader, the shell) and the bulk writes of fronts,
their blocks and placements (`rows_written`, see newsroom/writes.py). A story saved makes the
section fronts that hold it stale too (articles already refreshes the home page for it).
"""

from django.db.models.signals import post_delete, post_save

from articles import freshness as article_pages
from articles.models import Article
from newsroom import pagecache
from newsroom.writes import rows_written

from .models import Front, FrontBlock, Placement


def keys_of_fronts(front_ids):
    sections = Front.objects.filter(pk__in=front_ids).values_list("section_id", flat=True)
    return {
        article_pages.HOME if section_id is None else article_pages.section(section_id)
        for section_id in sections
    }


def keys_of_fronts_holding(article_ids):
    fronts = Placement.objects.filter(article_id__in=article_ids).values_list("front_id", flat=True)
    return keys_of_fronts(set(fronts))


def fronts_of_rows(model, pks):
    """The fronts that these rows are (fronts) or belong to (blocks, placements)."""
    if model is Front:
        return set(pks)
    return set(model.objects.filter(pk__in=pks).values_list("front_id", flat=True))


def front_changed(sender, instance, raw=False, using=None, **kwargs):
    if raw:
        return
    if isinstance(instance, Front):
        section_id = instance.section_id
        key = article_pages.HOME if section_id is None else article_pages.section(section_id)
        pagecache.bump_on_commit([key], using=using)
    else:
        pagecache.bump_on_commit(resolve=keys_of_fronts, items=[instance.front_id], using=using)


def rows_of_fronts_written(sender, pks, when, using=None, **kwargs):
    """
    Fronts, blocks or placements written in bulk: the pages of the fronts the rows were on
    before the write (a placement moved to another front leaves this one), and of those
    they are on after it.
    """
    if when == "before":
        pagecache.bump_on_commit(keys_of_fronts(fronts_of_rows(sender, pks)), using=using)
    else:
        pagecache.bump_on_commit(
            resolve=lambda rows: keys_of_fronts(fronts_of_rows(sender, rows)),
            items=pks,
            using=using,
        )


def story_saved(sender, instance, raw=False, using=None, **kwargs):
    if not raw:
        pagecache.bump_on_commit(resolve=keys_of_fronts_holding, items=[instance.pk], using=using)


def stories_written(sender, pks, when, using=None, **kwargs):
    if when == "after":
        pagecache.bump_on_commit(resolve=keys_of_fronts_holding, items=pks, using=using)


def connect():
    """Listen to every write of fronts and of the stories on them (called by apps.py)."""
    for model in (Front, FrontBlock, Placement):
        post_save.connect(front_changed, sender=model, dispatch_uid=f"fresh-front-{model}")
        post_delete.connect(front_changed, sender=model, dispatch_uid=f"fresh-front-{model}")
        rows_written.connect(
            rows_of_fronts_written, sender=model, dispatch_uid=f"fresh-fronts-{model}"
        )
    post_save.connect(story_saved, sender=Article, dispatch_uid="fresh-fronts-of-story")
    rows_written.connect(stories_written, sender=Article, dispatch_uid="fresh-fronts-of-stories")
