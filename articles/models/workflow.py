"""The record around a story: its workflow log and kept revisions."""

from django.conf import settings
from django.db import models
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
