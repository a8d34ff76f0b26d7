"""The record around a story: its workflow log, kept revisions and old addresses."""

from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .stories import Article


class AuditEntryQuerySet(models.QuerySet):
    def for_article_page(self):
        """An article's workflow log as its admin page shows it: newest first, with who."""
        return self.select_related("actor").order_by("-at", "-pk")


class AuditEntry(models.Model):
    """One step in a story's life cycle: who moved it, when, from which state to which."""

    class Action(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        SENT_BACK = "sent_back", "Sent back to the writer"
        PUBLISHED = "published", "Published"
        SCHEDULED = "scheduled", "Scheduled"
        WITHDRAWN = "withdrawn", "Withdrawn"
        UPDATED = "updated", "Marked as updated"
        RESTORED = "restored", "Revision restored"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="audit_entries")
    action = models.CharField(max_length=12, choices=Action.choices)
    from_status = models.CharField(max_length=12, choices=Article.Status.choices)
    to_status = models.CharField(max_length=12, choices=Article.Status.choices)
    publish_at = models.DateTimeField(
        "publication time", null=True, blank=True, help_text="The time set when publishing."
    )
    note = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = "workflow log entry"
        verbose_name_plural = "workflow log entries"
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["article", "-at"], name="audit_article_at_idx"),
            models.Index(fields=["to_status", "article", "-at"], name="audit_status_article_idx"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.article}"


def split_old_address(address):
    """
    "/2024/01/04/slug/" or "/?p=123" as stored by a redirect: the path, and the query
    string with its parameters in a fixed order (so "?b=2&a=1" and "?a=1&b=2" match).
    """
    path, _mark, query = address.strip().partition("?")
    return path, normalise_query(query)


def normalise_query(query):
    return urlencode(sorted(parse_qsl(query, keep_blank_values=True)))


class Redirect(models.Model):
    """
    An old address of a story (its URL before a change, or a page of an earlier site) that
    answers 301 with the story's current address, or an earlier site's address of a
    section (a WordPress category page) that answers 301 with the section front. Old
    addresses are looked up only when nothing else answers them, so a redirect never hides
    a live page.
    """

    old_path = models.CharField(
        max_length=400,
        db_index=True,
        help_text="The old address, starting with a slash, e.g. /2024/01/04/harbour-plan/.",
    )
    old_query = models.CharField(
        max_length=400,
        blank=True,
        help_text="The old query string without the “?”, e.g. p=123; usually empty.",
    )
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="redirects",
        help_text="The story the old address leads to; leave empty for a section's page.",
    )
    section = models.ForeignKey(
        "articles.Section",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="redirects",
        help_text="For an old address of a section's page; leave empty for a story's.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["old_path", "old_query"]
        constraints = [
            models.UniqueConstraint(
                fields=["old_path", "old_query"],
                name="redirect_old_address_unique",
                violation_error_message="This old address already points to a story.",
            ),
            models.CheckConstraint(
                condition=Q(old_path__startswith="/"),
                name="redirect_old_path_is_absolute",
                violation_error_message="An old address starts with a slash.",
            ),
            models.CheckConstraint(
                condition=Q(article__isnull=False, section__isnull=True)
                | Q(article__isnull=True, section__isnull=False),
                name="redirect_leads_to_a_story_or_a_section",
                violation_error_message="An old address leads to a story or to a section.",
            ),
        ]

    def __str__(self):
        return self.old_address

    @property
    def old_address(self):
        return f"{self.old_path}?{self.old_query}" if self.old_query else self.old_path

    def clean(self):
        if self.old_path and not self.old_path.startswith("/"):
            raise ValidationError({"old_path": "An old address starts with a slash."})
        if (self.article_id is None) == (self.section_id is None):
            raise ValidationError(
                {"article": "Choose the story the old address leads to, or a section: one of them."}
            )
        if "?" in self.old_path:
            self.old_path, query = split_old_address(self.old_path)
            self.old_query = self.old_query or query
        self.old_query = normalise_query(self.old_query.lstrip("?"))


class StoryRevision(models.Model):
    """
    What the newsroom needs to know about a kept revision of a story: which story, and the
    story's status when it was kept. Revisions kept while a story was published are never
    pruned: they are what readers saw.
    """

    revision = models.OneToOneField(
        "reversion.Revision", on_delete=models.CASCADE, related_name="story"
    )
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="revisions")
    status = models.CharField(max_length=12, choices=Article.Status.choices)

    class Meta:
        indexes = [models.Index(fields=["article", "status"], name="story_revision_article_idx")]

    def __str__(self):
        return f"{self.article} ({self.get_status_display()})"
