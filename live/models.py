"""
Live coverage of a story: the coverage itself (summary, when it started and ended, the order
readers see it in), its timestamped entries, and the record of what was done to each entry.

A story is a live story when it has a LiveCoverage. Entries are rows of their own, so several
journalists post at once without touching each other's work. Entries are never deleted:
deleting one hides it from readers and keeps it, with a record of who deleted it and when.
"""

from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField

from articles.models import Article, Author
from articles.sanitise import BODY_EDITOR_EXTENSIONS, sanitise_body, text_of_body
from newsroom.writes import WriteSignallingQuerySet

from .addresses import entry_url

# Editors hold it: they pin, correct and delete entries, and start and end coverage.
MANAGE_PERMISSION = "live.manage_coverage"


class LiveCoverage(models.Model):
    class Order(models.TextChoices):
        AUTOMATIC = "auto", "Newest first while live, oldest first once ended"
        NEWEST_FIRST = "newest", "Newest first"
        OLDEST_FIRST = "oldest", "Oldest first"

    article = models.OneToOneField(
        Article, on_delete=models.CASCADE, related_name="live_coverage", verbose_name="story"
    )
    summary = models.TextField(
        blank=True, help_text="Plain text: what readers need to know first, shown at the top."
    )
    started_at = models.DateTimeField("coverage started", default=timezone.now)
    ended_at = models.DateTimeField("coverage ended", null=True, blank=True, editable=False)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    order = models.CharField(
        "order of entries", max_length=8, choices=Order.choices, default=Order.AUTOMATIC
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = WriteSignallingQuerySet.as_manager()

    class Meta:
        verbose_name = "live coverage"
        verbose_name_plural = "live coverage"
        permissions = [
            ("manage_coverage", "Can pin, correct and delete live entries and end coverage")
        ]

    def __str__(self):
        return f"Live: {self.article.headline}"

    @property
    def has_ended(self):
        return self.ended_at is not None

    @property
    def newest_first(self):
        """Whether readers see the newest entry first (after the pinned ones)."""
        if self.order == self.Order.AUTOMATIC:
            return not self.has_ended
        return self.order == self.Order.NEWEST_FIRST


def entry_authors():
    return Prefetch("authors", queryset=Author.objects.order_by("name"))


# Set while bulk_update() writes bodies it has sanitised itself.
_BODIES_SANITISED = ContextVar("live_bodies_sanitised", default=False)


def sanitised(body):
    """An entry's body as it is stored: through the stories' allowlist."""
    if not isinstance(body, str):
        raise TypeError(f"An entry's body is written as text; got {type(body).__name__}.")
    return sanitise_body(body)


class LiveEntryQuerySet(WriteSignallingQuerySet):
    # Writes that bypass save() store a sanitised body too.

    def update(self, **kwargs):
        """Update the matching entries; a new body is sanitised as save() does."""
        if "body" in kwargs and not _BODIES_SANITISED.get():
            kwargs["body"] = sanitised(kwargs["body"])
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        """Insert many entries at once, each body sanitised as save() does."""
        objs = list(objs)
        for entry in objs:
            entry.body = sanitised(entry.body or "")
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        """Update many entries at once; a changed body is sanitised."""
        objs = list(objs)
        if "body" in fields:
            for entry in objs:
                entry.body = sanitised(entry.body or "")
        # Django writes the bodies through update(), as one expression: sanitised already.
        marked = _BODIES_SANITISED.set(True)
        try:
            return super().bulk_update(objs, fields, *args, **kwargs)
        finally:
            _BODIES_SANITISED.reset(marked)

    def shown(self):
        """The entries readers see: every one not deleted."""
        return self.filter(deleted_at__isnull=True)

    def for_reader(self, coverage):
        """
        A coverage's entries as readers see them, with their authors: pinned first, then
        in the coverage's order. Two queries, whatever the number of entries.
        """
        order = ["-created_at", "-pk"] if coverage.newest_first else ["created_at", "pk"]
        return (
            self.filter(coverage=coverage)
            .shown()
            .order_by("-is_pinned", *order)
            .prefetch_related(entry_authors())
        )

    def changed_since(self, coverage, moment, *, until=None):
        """
        A coverage's entries posted, changed or deleted after `moment` (and at or before
        `until`, if given), oldest change first: what a reader's open page has not seen yet.
        """
        changed = self.filter(coverage=coverage, updated_at__gt=moment)
        if until is not None:
            changed = changed.filter(updated_at__lte=until)
        return changed.order_by("updated_at", "pk")

    def editable_by(self, user):
        """The entries `user` may change in the admin (see LiveEntry.can_be_edited_by)."""
        if user.has_perm(MANAGE_PERMISSION):
            return self
        return self.filter(posted_by=user, coverage__ended_at__isnull=True, deleted_at=None)


class LiveEntry(models.Model):
    coverage = models.ForeignKey(LiveCoverage, on_delete=models.CASCADE, related_name="entries")
    authors = models.ManyToManyField(
        Author, related_name="live_entries", help_text="Who wrote this entry."
    )
    headline = models.CharField(max_length=200, blank=True)
    body = ProseEditorField(
        extensions=BODY_EDITOR_EXTENSIONS,
        sanitize=sanitise_body,
        help_text="The same as a story's body: text, links, lists, quotes and photos from "
        "the library.",
    )
    is_pinned = models.BooleanField(
        "pinned", default=False, help_text="Pinned entries stay at the top of the page."
    )
    is_key_event = models.BooleanField(
        "key event", default=False, help_text="Listed among the key events at the top."
    )
    created_at = models.DateTimeField("posted at", default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    corrected_at = models.DateTimeField(null=True, blank=True, editable=False)
    correction_note = models.CharField(
        max_length=300,
        blank=True,
        editable=False,
        help_text="Shown to readers under the corrected entry.",
    )
    deleted_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = LiveEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "live entry"
        verbose_name_plural = "live entries"
        indexes = [
            models.Index(fields=["coverage", "updated_at"], name="live_entry_changes_idx"),
            models.Index(
                fields=["coverage", "-is_pinned", "created_at"],
                condition=Q(deleted_at__isnull=True),
                name="live_entry_shown_idx",
            ),
        ]

    def __str__(self):
        return self.headline or Truncator(self.body_text).words(12) or f"Entry {self.pk}"

    def save(self, *args, **kwargs):
        self.body = sanitised(self.body or "")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The entry's permalink: an address that lands on it on the story's page."""
        return entry_url(self, self.coverage.article)

    def clean(self):
        if not text_of_body(sanitise_body(self.body or "")) and "<img" not in (self.body or ""):
            raise ValidationError({"body": "An entry needs some text or a photo."})

    @property
    def body_text(self):
        return text_of_body(self.body)

    @property
    def anchor(self):
        return f"entry-{self.pk}"

    @property
    def is_deleted(self):
        return self.deleted_at is not None

    def is_posted_by(self, user):
        return user.pk is not None and self.posted_by_id == user.pk

    def can_be_edited_by(self, user):
        """
        Editors change any entry; anyone else who may post entries changes the ones they
        posted, while the coverage runs and the entry is shown. A colleague's entry on a
        published story follows the story's rule: only an editor changes it.
        """
        if not user.has_perm("live.change_liveentry"):
            return False
        if user.has_perm(MANAGE_PERMISSION):
            return True
        return self.is_posted_by(user) and not self.is_deleted and not self.coverage.has_ended


class EntryRecord(models.Model):
    """What was done to an entry, by whom and when, with the words it had before."""

    class Action(models.TextChoices):
        POSTED = "posted", "Posted"
        EDITED = "edited", "Edited"
        CORRECTED = "corrected", "Corrected"
        PINNED = "pinned", "Pinned"
        UNPINNED = "unpinned", "Unpinned"
        DELETED = "deleted", "Deleted"

    entry = models.ForeignKey(LiveEntry, on_delete=models.CASCADE, related_name="records")
    action = models.CharField(max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)
    headline_before = models.CharField(max_length=200, blank=True)
    body_before = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "record of an entry"

    def __str__(self):
        return f"{self.get_action_display()} by {self.by} at {self.at:%Y-%m-%d %H:%M}"
