"""The parts a story carries beside its text: its bylines and its corrections and updates."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.text import Truncator

from newsroom.writes import WriteSignallingQuerySet

from .taxonomy import Author


class Byline(models.Model):
    class Role(models.TextChoices):
        REPORTER = "reporter", "Reporter"
        ADDITIONAL_REPORTING = "additional_reporting", "Additional reporting"
        PHOTOGRAPHER = "photographer", "Photographer"

        @property
        def lead_in(self):
            return {
                "reporter": "By",
                "additional_reporting": "Additional reporting by",
                "photographer": "Photographs by",
            }[self.value]

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="bylines"
    )
    author = models.ForeignKey(Author, on_delete=models.PROTECT, related_name="bylines")
    role = models.CharField(max_length=24, choices=Role.choices, default=Role.REPORTER)
    position = models.PositiveSmallIntegerField(default=0)

    objects = WriteSignallingQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "author"],
                name="byline_author_once_per_story",
                violation_error_message="This author already has a byline on the story.",
            ),
        ]

    def __str__(self):
        return f"{self.author} ({self.get_role_display()})"


class Correction(models.Model):
    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"
        EDITORS_NOTE = "editors_note", "Editor's note"

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="corrections"
    )
    kind = models.CharField(max_length=14, choices=Kind.choices, default=Kind.CORRECTION)
    text = models.TextField(help_text="Plain text, shown to readers at the foot of the story.")
    published_at = models.DateTimeField(default=timezone.now)
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
        ordering = ["-published_at"]

    def __str__(self):
        return f"{self.get_kind_display()}: {Truncator(self.text).chars(60)}"
