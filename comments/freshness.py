"""
Which cached pages a write to comments makes stale, in one place every writer passes through.

Readers see approved comments only, under the story and as its count on the story's cards
(home, section, tag and author pages). A comment saved or deleted, and the bulk writes of the
moderation services and importers (`rows_written`), make those pages stale once the
transaction commits when an approved comment is among what changed; a held comment that
readers never saw changes no page. The count itself is kept by the database (counts.py).
"""

from django.db.models.signals import post_delete, post_save, pre_save

from articles.freshness import site_changed, stories_changed
from newsroom.writes import rows_written

from .models import Comment, ModerationSettings

APPROVED = Comment.Status.APPROVED
# The fields of a comment that readers see, or that decide whether and where they see it.
SHOWN_FIELDS = frozenset(
    {"status", "parent", "parent_id", "article", "article_id", "name", "website", "body"}
)


def comments_shown_on(stories):
    stories_changed(stories, lists_of_every_story=False)


def comment_before_save(sender, instance, raw=False, using=None, **kwargs):
    if raw or instance.pk is None:
        return
    old = (
        Comment.objects.using(using)
        .filter(pk=instance.pk)
        .values_list("status", "article_id")
        .first()
    )
    if old is not None and APPROVED in (old[0], instance.status):
        comments_shown_on({old[1], instance.article_id})


def comment_saved(sender, instance, created=False, raw=False, **kwargs):
    if created and not raw and instance.status == APPROVED:
        comments_shown_on([instance.article_id])


def comment_deleted(sender, instance, **kwargs):
    if instance.status == APPROVED:
        comments_shown_on([instance.article_id])


def comments_written(sender, pks, fields, using=None, **kwargs):
    """Comments inserted or updated in bulk: the stories of the approved ones, before and after."""
    if fields is not None and fields.isdisjoint(SHOWN_FIELDS):
        return
    approved = Comment.objects.using(using).filter(pk__in=pks, status=APPROVED)
    comments_shown_on(set(approved.values_list("article_id", flat=True)))


# The one rule that reader pages show: whether a story still takes comments.
SHOWN_RULES = frozenset({"close_after_days"})


def rules_written(sender, fields, when, using=None, **kwargs):
    """
    The moderation rules written in bulk: every page again when a rule they show changed
    (not when the moderators' digest is claimed, every few minutes).
    """
    if when == "after" and (fields is None or not fields.isdisjoint(SHOWN_RULES)):
        site_changed(using=using)


def connect():
    """Listen to every write of comments and of the moderation rules (called by apps.py)."""
    pre_save.connect(comment_before_save, sender=Comment, dispatch_uid="fresh-comment-before")
    post_save.connect(comment_saved, sender=Comment, dispatch_uid="fresh-comment")
    post_delete.connect(comment_deleted, sender=Comment, dispatch_uid="fresh-comment")
    rows_written.connect(comments_written, sender=Comment, dispatch_uid="fresh-comments")
    # The rules decide whether story pages still show the comment form.
    post_save.connect(site_changed, sender=ModerationSettings, dispatch_uid="fresh-moderation")
    rows_written.connect(rules_written, sender=ModerationSettings, dispatch_uid="fresh-rules")
