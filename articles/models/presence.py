"""Who has a story's change form open: shown to colleagues, never a lock."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

# A change form tells the site it is still open every HEARTBEAT seconds (see
# static/admin/newsroom/presence.js); a presence not heard from for EXPIRES_AFTER is over.
HEARTBEAT_SECONDS = 20
EXPIRES_AFTER = timedelta(seconds=3 * HEARTBEAT_SECONDS)


class PresenceQuerySet(models.QuerySet):
    def active(self):
        """People with the form open now: heard from lately, and not taken over since."""
        return self.filter(
            seen_at__gte=timezone.now() - EXPIRES_AFTER, taken_over_by__isnull=True
        ).order_by("opened_at", "pk")


class EditingPresence(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="presences"
    )
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField()
    seen_at = models.DateTimeField()
    # Set when an editor took the story over: this person is told, and no longer shown.
    taken_over_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    taken_over_at = models.DateTimeField(null=True, blank=True)

    objects = PresenceQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="one_presence_per_person")
        ]
        indexes = [models.Index(fields=["article", "seen_at"], name="presence_recent")]

    def __str__(self):
        return f"{self.user} on {self.article_id}"
