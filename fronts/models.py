"""
Fronts: the home page and the section fronts as editors arrange them. A front holds a lead,
ordered top stories and named blocks of stories ("Editor's picks"); articles fills the rest
of the page by recency (articles/curation.py). Every change is kept in the front's log, with
the arrangement before and after it, so that it can be undone.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Value
from django.db.models.functions import Coalesce
from django.urls import reverse

from articles.models import Article, Section
from newsroom.writes import WriteSignallingQuerySet

CHANGE_PERMISSION = "fronts.change_front"


class Front(models.Model):
    section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="fronts",
        help_text="Leave empty for the home page.",
    )
    # Counts the saves of the arrangement: a save made from an older one is refused.
    version = models.PositiveIntegerField(default=1, editable=False)
    changed_at = models.DateTimeField(null=True, blank=True, editable=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = WriteSignallingQuerySet.as_manager()

    class Meta:
        ordering = ["section__position", "section__name"]
        constraints = [
            models.UniqueConstraint(
                Coalesce("section", Value(0)),
                name="one_front_per_page",
                violation_error_message="This page already has a front.",
            )
        ]

    def __str__(self):
        return f"{self.section.name} front" if self.section_id else "Home page"

    def get_absolute_url(self):
        if self.section_id is None:
            return reverse("articles:home")
        return self.section.get_absolute_url()


class FrontBlock(models.Model):
    """A named block of chosen stories on a front ("Editor's picks", "Explainers")."""

    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="blocks")
    title = models.CharField(max_length=80)
    position = models.PositiveSmallIntegerField(default=0)

    objects = WriteSignallingQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class Placement(models.Model):
    """A story chosen for a front: its lead, one of its top stories, or in one of its blocks."""

    class Slot(models.TextChoices):
        LEAD = "lead", "Lead"
        TOP = "top", "Top stories"
        BLOCK = "block", "Block"

    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="placements")
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="placements")
    slot = models.CharField(max_length=5, choices=Slot.choices)
    block = models.ForeignKey(
        FrontBlock, null=True, blank=True, on_delete=models.CASCADE, related_name="placements"
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = WriteSignallingQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["front", "article"], name="story_once_per_front"),
            models.CheckConstraint(
                condition=Q(slot="block", block__isnull=False)
                | Q(~Q(slot="block"), block__isnull=True),
                name="placement_in_a_block_names_it",
            ),
        ]

    def __str__(self):
        return f"{self.article} ({self.get_slot_display()})"


class FrontChange(models.Model):
    """One change to a front: who, when, what moved, and the arrangements before and after."""

    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="changes")
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    summary = models.TextField()
    before = models.JSONField()
    after = models.JSONField()

    class Meta:
        ordering = ["-changed_at", "-pk"]
        indexes = [models.Index(fields=["front", "-changed_at"], name="front_change_newest")]

    def __str__(self):
        return f"{self.front}: {self.summary}"


PROPOSE_PERMISSION = "fronts.propose_placement"


class PlacementProposalQuerySet(models.QuerySet):
    def open_for(self, front):
        """
        The open proposals an editor sees on `front`'s arranging page, oldest first, with the
        story and who proposed it: a story withdrawn or unpublished since drops out.
        """
        return (
            self.filter(front=front, state=PlacementProposal.State.OPEN)
            .filter(
                Q(article__in=Article.objects.live()) | Q(article__in=Article.objects.scheduled())
            )
            .select_related("article__section", "proposed_by")
            .order_by("proposed_at", "pk")
        )


class PlacementProposal(models.Model):
    """A story proposed for a front (its lead, its top stories or a named block), with a note."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        PLACED = "placed", "Placed"
        DISMISSED = "dismissed", "Dismissed"

    front = models.ForeignKey(Front, on_delete=models.CASCADE, related_name="proposals")
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="placement_proposals", verbose_name="story"
    )
    slot = models.CharField(
        "where",
        max_length=5,
        choices=Placement.Slot.choices,
        default=Placement.Slot.TOP,
    )
    block_title = models.CharField(
        max_length=80, blank=True, help_text="For a block: its title, such as “Editor's picks”."
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="Such as “Exclusive, embargo lifts 6am”."
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=9, choices=State.choices, default=State.OPEN)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = PlacementProposalQuerySet.as_manager()

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        permissions = [("propose_placement", "Can propose a story for a front")]
        constraints = [
            models.UniqueConstraint(
                fields=["front", "article"],
                condition=Q(state="open"),
                name="one_open_proposal_per_story_and_front",
                violation_error_message="This story is already proposed for this front.",
            ),
        ]
        indexes = [models.Index(fields=["front", "state"], name="proposal_front_state")]

    def __str__(self):
        return f"{self.article} for the {self.front}"

    def clean(self):
        problems = {}
        if self.article_id is not None and not (self.article.is_live or self.article.is_scheduled):
            problems["article"] = (
                f"“{self.article.headline}” is not published: only live and scheduled stories "
                "may be proposed for a front."
            )
        if self.slot == Placement.Slot.BLOCK and not self.block_title.strip():
            problems["block_title"] = "Name the block this story is proposed for."
        if (
            self.state == self.State.OPEN
            and self.front_id is not None
            and self.article_id is not None
            and PlacementProposal.objects.filter(
                front_id=self.front_id, article_id=self.article_id, state=self.State.OPEN
            )
            .exclude(pk=self.pk)
            .exists()
        ):
            problems["article"] = (
                f"“{self.article.headline}” is already proposed for this front: an editor "
                "has yet to place or dismiss it."
            )
        if problems:
            raise ValidationError(problems)
