"""
Which cached pages a write to stories makes stale, worked out in one place that every writer
passes through.

Nobody calls this module: it listens. A story, byline, correction or tag saved or deleted
(the admin, the workflow services, the shell), and the bulk writes of importers and commands
(`rows_written`, see newsroom/writes.py), all arrive here, and the pages showing what changed
are made stale once the transaction commits (newsroom/pagecache.py). Sections, authors, tags
and photos show on every page (navigation, bylines, captions): a change to one makes every
page stale.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from newsroom import pagecache
from newsroom.pagecache import SITE
from newsroom.writes import rows_written
from photos.models import Image

from .models import Article, Author, Byline, Correction, Section, Tag

# The page cache's keys of the reader pages of stories (newsroom/pagecache.py): `site` for
# what every page shows, `stories` for pages listing every story (feeds, sitemaps, search),
# `home`, and each story's, section's, tag's and author's own.
STORIES = "stories"
HOME = "home"


def story(pk):
    return f"story:{pk}"


def section(pk):
    return f"section:{pk}"


def tag(pk):
    return f"tag:{pk}"


def author(pk):
    return f"author:{pk}"


SHOWN_STATES = (Article.Status.PUBLISHED, Article.Status.WITHDRAWN)


def keys_of_row(pk, section_id, parent_id, is_breaking):
    """The pages a shown story's own row puts it on: its page, its sections' fronts, home."""
    keys = {story(pk), section(section_id), HOME}
    if parent_id is not None:
        keys.add(section(parent_id))
    if is_breaking:
        keys.add(SITE)
    return keys


def keys_for_stories(article_ids, *, lists_of_every_story=True):
    """
    The keys of every page showing any of the stories that readers can see, could see or
    will see (published, scheduled or withdrawn; drafts show nowhere): their own pages,
    their sections' fronts and the parents', the home page, their tags' and authors' pages,
    `stories` (unless not `lists_of_every_story`), and `site` for breaking news. Three
    queries, as the stories are now.
    """
    rows = (
        Article.objects.filter(pk__in=article_ids, status__in=SHOWN_STATES)
        .order_by()
        .values_list("pk", "section_id", "section__parent_id", "is_breaking")
    )
    keys, shown = set(), []
    for row in rows:
        shown.append(row[0])
        keys |= keys_of_row(*row)
    if not shown:
        return keys
    if lists_of_every_story:
        keys.add(STORIES)
    tagged = Article.tags.through.objects.filter(article_id__in=shown).values_list("tag_id")
    keys |= {tag(tag_id) for (tag_id,) in tagged.distinct()}
    bylined = Byline.objects.filter(article_id__in=shown).order_by().values_list("author_id")
    keys |= {author(author_id) for (author_id,) in bylined.distinct()}
    return keys


def keys_for_listed_stories(article_ids):
    return keys_for_stories(article_ids)


def keys_for_stories_on_their_pages(article_ids):
    return keys_for_stories(article_ids, lists_of_every_story=False)


def stories_changed(article_ids, *, before=(), lists_of_every_story=True, using=None):
    """
    Once the current transaction commits, make stale every page showing the stories as they
    are then, and the pages named in `before` (what showed them before the change: a story
    moved out of a section or untagged leaves those pages too). Without
    `lists_of_every_story`, feeds and sitemaps are left alone (a comment changes the story's
    page and its cards, not the feeds).
    """
    resolve = keys_for_listed_stories if lists_of_every_story else keys_for_stories_on_their_pages
    pagecache.bump_on_commit(before, resolve=resolve, items=article_ids, using=using)


def site_changed(*, using=None, **kwargs):
    """Something every page shows changed: every page is rendered again once it commits."""
    pagecache.bump_on_commit([SITE], using=using)


# Stories.


def story_before_save(sender, instance, raw=False, using=None, **kwargs):
    """A story about to be saved: the pages its row put it on until now, while it was shown."""
    if raw or instance.pk is None:
        return
    before = (
        Article.objects.using(using)
        .filter(pk=instance.pk, status__in=SHOWN_STATES)
        .values_list("pk", "section_id", "section__parent_id", "is_breaking")
        .first()
    )
    if before is not None:
        pagecache.bump_on_commit(keys_of_row(*before), using=using)


def story_saved(sender, instance, raw=False, using=None, **kwargs):
    if not raw:
        stories_changed([instance.pk], using=using)


def story_deleted(sender, instance, using=None, **kwargs):
    if instance.status in SHOWN_STATES:
        parent_id = Section.objects.filter(pk=instance.section_id).values_list(
            "parent_id", flat=True
        )
        pagecache.bump_on_commit(
            {
                STORIES,
                *keys_of_row(
                    instance.pk, instance.section_id, parent_id.first(), instance.is_breaking
                ),
            },
            using=using,
        )


def stories_written(sender, pks, when, using=None, **kwargs):
    """Stories updated or created in bulk: what showed them before, and what shows them after."""
    if when == "before":
        pagecache.bump_on_commit(keys_for_stories(pks), using=using)
    else:
        stories_changed(pks, using=using)


# What hangs off a story: bylines, corrections, tags.


def byline_before_save(sender, instance, raw=False, using=None, **kwargs):
    if raw or instance.pk is None:
        return
    old = Byline.objects.using(using).filter(pk=instance.pk).values_list("author_id", flat=True)
    pagecache.bump_on_commit([author(pk) for pk in old], using=using)


def part_of_story_changed(sender, instance, raw=False, using=None, **kwargs):
    """A byline or correction saved or deleted: its story's pages (and the byline's author's)."""
    if raw:
        return
    keys = [author(instance.author_id)] if isinstance(instance, Byline) else []
    stories_changed([instance.article_id], before=keys, using=using)


def parts_of_stories_written(sender, pks, when, using=None, **kwargs):
    if when == "after":
        article_ids = sender.objects.filter(pk__in=pks).values_list("article_id", flat=True)
        stories_changed(set(article_ids), using=using)


def tags_changed(sender, instance, action, reverse, pk_set, using=None, **kwargs):
    """
    Stories tagged or untagged, from either side (`story.tags`, `tag.articles`): the pages of
    the stories as they are once it commits, and the pages of the tags involved. (Django
    changes tags inside a transaction, so the stories' pages are worked out after it.)
    """
    if not action.startswith("pre_"):
        return
    through = Article.tags.through.objects.using(using)
    if reverse:
        tag_ids = {instance.pk}
        article_ids = pk_set
        if article_ids is None:
            article_ids = set(
                through.filter(tag_id=instance.pk).values_list("article_id", flat=True)
            )
    else:
        article_ids = {instance.pk}
        tag_ids = pk_set
        if tag_ids is None:
            tag_ids = set(through.filter(article_id=instance.pk).values_list("tag_id", flat=True))
    stories_changed(article_ids, before=[tag(pk) for pk in tag_ids], using=using)


def tagging_deleted(sender, instance, using=None, **kwargs):
    """A story's tag removed by deleting the link itself (as the WordPress importer does)."""
    stories_changed([instance.article_id], before=[tag(instance.tag_id)], using=using)


def connect():
    """Listen to every write of stories and of what every page shows (called by apps.py)."""
    pre_save.connect(story_before_save, sender=Article, dispatch_uid="fresh-story-before")
    post_save.connect(story_saved, sender=Article, dispatch_uid="fresh-story")
    post_delete.connect(story_deleted, sender=Article, dispatch_uid="fresh-story")
    rows_written.connect(stories_written, sender=Article, dispatch_uid="fresh-stories")

    pre_save.connect(byline_before_save, sender=Byline, dispatch_uid="fresh-byline-before")
    for part in (Byline, Correction):
        post_save.connect(part_of_story_changed, sender=part, dispatch_uid=f"fresh-{part}")
        post_delete.connect(part_of_story_changed, sender=part, dispatch_uid=f"fresh-{part}")
        rows_written.connect(parts_of_stories_written, sender=part, dispatch_uid=f"fresh-{part}")

    m2m_changed.connect(tags_changed, sender=Article.tags.through, dispatch_uid="fresh-tags")
    post_delete.connect(tagging_deleted, sender=Article.tags.through, dispatch_uid="fresh-tag")

    for model in (Section, Author, Tag, Image):
        post_save.connect(site_changed, sender=model, dispatch_uid=f"fresh-{model}")
        post_delete.connect(site_changed, sender=model, dispatch_uid=f"fresh-{model}")
        rows_written.connect(site_changed, sender=model, dispatch_uid=f"fresh-{model}")
