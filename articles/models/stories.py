"""Stories, and the one gate readers see them through (their bylines and corrections: parts.py)."""

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinLengthValidator
from django.db import models
from django.db.models import F, Max, Min, Prefetch, Q, prefetch_related_objects
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django_prose_editor.fields import ProseEditorField

from newsroom.writes import WriteSignallingQuerySet
from photos.models import Image

from ..curation import NOTHING_CHOSEN
from ..formats import newsroom_time
from ..sanitise import BODY_EDITOR_EXTENSIONS, sanitise_body, text_of_body
from .cards import CardBatch, StoryOnCard, sections_by_id, story_address
from .parts import Byline, Correction
from .taxonomy import Author, Section, Tag, unique_slug

# Editors hold it: they publish, schedule and withdraw, and read every story.
PUBLISH_PERMISSION = "articles.publish_article"


def bylines_with_authors():
    """Prefetch of a story's bylines with their authors, in byline order."""
    return Prefetch("bylines", queryset=Byline.objects.select_related("author"))


# A story's text and notes: what lists of stories never show.
TEXT_NOT_ON_CARDS = (
    "body",
    "withdrawal_note",
    "seo_title",
    "seo_description",
    "lead_image_caption",
)


# What apps show of a story on its page from a one-to-one of their own (`live_coverage`),
# fetched with the story itself.
_JOINED_ON_STORY_PAGES = []


def shown_with_stories(relation):
    """
    The story page reads `relation` (a reverse one-to-one to Article): fetch it with the
    story, not in a query of its own. Called by an app's ready().
    """
    _JOINED_ON_STORY_PAGES.append(relation)


@dataclass(frozen=True)
class FrontPage:
    lead: "Article | None"
    top: list["Article"]
    sections: list[tuple[Section, list["Article"]]]
    # Named blocks editors filled ("Editor's picks"), each a title and its stories.
    blocks: list[tuple[str, list["Article"]]] = ()

    def stories(self):
        """Every story the front shows."""
        yield from [self.lead] if self.lead else []
        yield from self.top
        for _heading, stories in (*self.sections, *self.blocks):
            yield from stories


@dataclass(frozen=True)
class Desk:
    in_review: list["Article"]
    scheduled: list["Article"]
    recently_published: list["Article"]
    my_drafts: list["Article"]
    # An editor's desk shows the newsroom's stories; anyone else's, only their own.
    for_editor: bool = False


def published_by(moment):
    """
    Stories published with a publication time at or before `moment`: what "live" means, as
    a query. `Article.is_published_by()` is the same rule for one story in hand; nothing else
    spells it out.
    """
    return Q(status=Article.Status.PUBLISHED, publish_at__lte=moment)


# The boxes a paragraph of the body may sit in (a table's are inside its figure).
_BOXES_AND_PARAGRAPHS = re.compile(r"<(/?)(?:figure|aside|blockquote|ul|ol|div|pre)\b[^>]*>|<p>")


def first_paragraph(body):
    """Where the body's first paragraph of its own (not in a table, note or quote) starts, or -1."""
    depth = 0
    for found in _BOXES_AND_PARAGRAPHS.finditer(body):
        if found[0] == "<p>":
            if depth == 0:
                return found.start()
        elif found[1]:
            depth -= 1
        else:
            depth += 1
    return -1


def body_and_text(body):
    """A body as it is stored: sanitised, with its plain text for the search index."""
    if not isinstance(body, str):
        raise TypeError(
            "An article body is written as text, so that it can be sanitised and indexed; "
            f"got {type(body).__name__}."
        )
    body = sanitise_body(body)
    return body, text_of_body(body)


class ArticleQuerySet(WriteSignallingQuerySet):
    # Writes that bypass save() still store a sanitised body and its plain text, so the
    # search index (kept by database triggers on the article table) reads the new words.

    def update(self, **kwargs):
        """Update the matching stories; a new body is sanitised and indexed as save() does."""
        # bulk_update() derives both fields itself and passes them as expressions.
        if "body" in kwargs and "body_text" not in kwargs:
            kwargs["body"], kwargs["body_text"] = body_and_text(kwargs["body"])
        return super().update(**kwargs)

    def bulk_create(self, objs, *args, **kwargs):
        """Insert many stories at once, each deriving what save() derives (body, its text…)."""
        objs = list(objs)
        for article in objs:
            article.derive_fields()
        if "body" in (kwargs.get("update_fields") or ()):
            kwargs["update_fields"] = [*kwargs["update_fields"], "body_text"]
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        """Update many stories at once; a changed body is sanitised and indexed."""
        objs, fields = list(objs), list(fields)
        if "body" in fields:
            for article in objs:
                article.derive_text()
            fields.append("body_text")
        return super().bulk_update(objs, fields, *args, **kwargs)

    def live(self):
        """
        The stories a reader may see: published, with a publication time that has come.

        The one gate for every reader-facing path. A scheduled story turns live by itself
        when its time comes; a draft, a story in review, a future story and a withdrawn
        story never pass.
        """
        return self.filter(published_by(timezone.now()))

    def withdrawn(self):
        """Stories taken down after publication: their URLs answer 410 with a notice."""
        return self.filter(status=Article.Status.WITHDRAWN, publish_at__isnull=False)

    def newest_first(self):
        return self.order_by("-publish_at", "-pk")

    def with_bylines(self):
        """Bylines (with their authors) in one extra query, whatever the number of stories."""
        return self.prefetch_related(bylines_with_authors())

    def with_lead_images(self):
        """Lead photos with every rendition made so far: one join and one extra query."""
        return self.select_related("lead_image").prefetch_related("lead_image__renditions")

    def without_text(self):
        """
        Leave the story's text (body, notes, search fields) in the database: lists, cards
        and links show none of it, and it is most of a row's weight.
        """
        return self.defer(*TEXT_NOT_ON_CARDS)

    def for_list(self):
        """What a list of story cards shows: section, bylines, lead photo, newest first."""
        return (
            self.select_related("section")
            .without_text()
            .with_lead_images()
            .with_bylines()
            .newest_first()
        )

    def for_feed(self):
        """A feed's entries: section, bylines, tags and lead photo, newest first."""
        return (
            self.select_related("section")
            .with_lead_images()
            .prefetch_related(
                bylines_with_authors(), Prefetch("tags", Tag.objects.order_by("name"))
            )
            .newest_first()
        )

    def for_article_page(self):
        """
        A story for its page, in one query: with its section, lead photo and what apps join
        to it (`shown_with_stories()`). What the page shows of its bylines, tags, corrections
        and the lead photo's renditions comes with `Article.with_page_relations()`, when the
        page renders it.
        """
        return self.select_related("section__parent", "lead_image", *_JOINED_ON_STORY_PAGES)

    def front_page(self, *, top=4, per_section=4, window=200, arrangement=NOTHING_CHOSEN):
        """
        The home page: a lead story, the next `top` stories, then up to `per_section`
        stories for each top-level section, all drawn from the newest `window` stories
        (so the page costs the same however large the archive grows). Call it on `live()`.

        Editors' choices (`arrangement`, see articles/curation.py) come first: their lead,
        their top stories, then as many of the newest as the top still lacks, and their named
        blocks; a chosen story that is not live is left out, and no story shows twice.

        The window is read as bare ids first; the stories shown are loaded whole only when
        a card must be rendered (`cards()`). One query, one more when editors chose stories,
        and the cards' three when any card is rendered, whatever their number.
        """
        chosen_ids = arrangement.story_ids()
        live_chosen = (
            set(self.filter(pk__in=chosen_ids).values_list("pk", flat=True))
            if chosen_ids
            else set()
        )
        window_rows = list(
            self.exclude(pk__in=chosen_ids)
            .newest_first()
            .values_list("pk", "section_id", "section__parent_id")[:window]
        )
        lead_id = arrangement.lead if arrangement.lead in live_chosen else None
        top_ids = [pk for pk in arrangement.top if pk in live_chosen and pk != lead_id]
        wanted = (lead_id is None) + max(0, top - len(top_ids))
        newest = [pk for pk, _section, _parent in window_rows[:wanted]]
        if lead_id is None and newest:
            lead_id = newest.pop(0)
        top_ids += newest
        blocks = [
            (title, [pk for pk in ids if pk in live_chosen]) for title, ids in arrangement.blocks
        ]

        by_section = {}
        for pk, section_id, parent_id in window_rows[wanted:]:
            ids = by_section.setdefault(parent_id or section_id, [])
            if len(ids) < per_section:
                ids.append(pk)
        shown_ids = [lead_id, *top_ids, *live_chosen] + [
            pk for ids in by_section.values() for pk in ids
        ]
        shown = self.cards(shown_ids)
        headings = sections_by_id()
        sections = [
            (headings[section_id], [shown[pk] for pk in ids])
            for section_id, ids in by_section.items()
            if section_id in headings
        ]
        sections.sort(key=lambda item: (item[0].position, item[0].name))
        return FrontPage(
            lead=shown.get(lead_id),
            top=[shown[pk] for pk in top_ids if pk in shown],
            sections=sections,
            blocks=[
                (title, [shown[pk] for pk in ids if pk in shown]) for title, ids in blocks if ids
            ],
        )

    def chosen_for_front(self, arrangement):
        """
        A section front's chosen stories (its lead, top stories and named blocks) that are
        live, the rest of the front being its list of stories. Call it on `live()`. Two
        queries and the cards' own, or none when editors chose nothing.
        """
        shown = self.for_cards(arrangement.story_ids())
        return FrontPage(
            lead=shown.get(arrangement.lead),
            top=[shown[pk] for pk in arrangement.top if pk in shown and pk != arrangement.lead],
            sections=[],
            blocks=[
                (title, stories)
                for title, ids in arrangement.blocks
                if (stories := [shown[pk] for pk in ids if pk in shown])
            ],
        )

    def cards(self, ids):
        """
        The stories `ids` as story cards show them, by id, loaded only when a card must be
        rendered (`StoryOnCard`): no query while every card is kept.
        """
        # Loaded through live() again: a story withdrawn since its id was read is not shown.
        live = self.model._default_manager.using(self.db).live()
        batch = CardBatch(live, [pk for pk in ids if pk is not None])
        return {pk: StoryOnCard(pk, batch) for pk in batch.ids}

    def for_cards(self, ids):
        """The stories `ids` as story cards show them, by id: three queries, none for no ids."""
        ids = [pk for pk in ids if pk is not None]
        if not ids:
            return {}
        return (
            self.filter(pk__in=ids)
            .select_related("section__parent", "lead_image")
            .without_text()
            .prefetch_related(bylines_with_authors(), "lead_image__renditions")
            .in_bulk()
        )

    def more_from_section(self, article):
        """The "More from <section>" list under a story: its section's others, newest first."""
        return (
            self.filter(section=article.section)
            .exclude(pk=article.pk)
            .select_related("section")
            .without_text()
            .newest_first()
        )

    def in_section(self, section):
        """
        Stories of a section and of its direct subsections, by their ids (so that the
        section's index serves the front's order; see `Section.family_ids()`).
        """
        return self.filter(section_id__in=section.family_ids())

    def breaking(self):
        """
        Live stories flagged as breaking news whose banner has not come down yet, newest
        first, with their sections (for their addresses). Call it on `live()`.
        """
        # The flagged stories are found on their own (partial) index first: a handful, where
        # the live stories run to the whole archive.
        flagged = Article.objects.filter(is_breaking=True, breaking_until__gt=timezone.now())
        return (
            self.filter(pk__in=flagged.values("pk"))
            .select_related("section")
            .without_text()
            .newest_first()
        )

    def next_change_at(self):
        """
        The next moment a reader page changes with nobody writing anything: a scheduled
        story coming due, or a breaking banner coming down. None when nothing is due. One
        query, on the status and breaking indexes.
        """
        now = timezone.now()
        due = self.filter(status=Article.Status.PUBLISHED).exclude(published_by(now))
        ending = self.filter(is_breaking=True, breaking_until__gt=now)
        moments = (due | ending).aggregate(
            due=Min("publish_at", filter=Q(publish_at__gt=now)),
            ending=Min("breaking_until", filter=Q(is_breaking=True, breaking_until__gt=now)),
        )
        return min((moment for moment in moments.values() if moment is not None), default=None)

    # The editor's desk and the admin: states as the newsroom works them.

    def drafts(self):
        """Stories still being written."""
        return self.filter(status=Article.Status.DRAFT)

    def in_review(self):
        """Stories waiting for an editor."""
        return self.filter(status=Article.Status.REVIEW)

    def scheduled(self):
        """Published stories whose publication time has not come yet, next first."""
        return (
            self.filter(status=Article.Status.PUBLISHED)
            .exclude(published_by(timezone.now()))
            .order_by("publish_at", "pk")
        )

    def owned_by(self, user):
        """
        A journalist's own stories: the ones they created, and the ones bylined to the
        author linked to their account.
        """
        bylined = Byline.objects.filter(author__user=user).values("article")
        return self.filter(Q(created_by=user) | Q(pk__in=bylined))

    def visible_in_admin_to(self, user):
        """
        The stories `user` may read in the admin: every story for an editor; for anyone
        else, live stories and their own (a colleague's draft or an embargoed story stays
        with the people working on it).
        """
        if user.has_perm(PUBLISH_PERMISSION):
            return self
        return self.live() | self.owned_by(user)

    def desk(self, *, user, per_list=10):
        """
        The desk on the admin index: stories in review (longest waiting first, waiting
        since they were last submitted), scheduled stories (next first), the newest live
        stories, and `user`'s own drafts (last edited first). An editor's desk holds the
        newsroom's stories; a journalist's only their own. Five queries, however many
        stories there are.
        """
        submitted_at = Max(
            "audit_entries__at", filter=Q(audit_entries__to_status=Article.Status.REVIEW)
        )
        for_editor = user.has_perm(PUBLISH_PERMISSION)
        shown = self.select_related("section", "created_by")
        if not for_editor:
            shown = shown.owned_by(user)
        desk = Desk(
            in_review=list(
                shown.in_review()
                .annotate(submitted_at=Coalesce(submitted_at, "created_at"))
                .order_by("submitted_at", "pk")[:per_list]
            ),
            scheduled=list(shown.scheduled()[:per_list]),
            recently_published=list(shown.live().newest_first()[:per_list]),
            my_drafts=list(shown.drafts().owned_by(user).order_by("-modified_at")[:per_list]),
            for_editor=for_editor,
        )
        prefetch_related_objects(
            [*desk.in_review, *desk.scheduled, *desk.recently_published, *desk.my_drafts],
            bylines_with_authors(),
        )
        return desk


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        REVIEW = "review", "In review"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    class CommentMode(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed: existing comments shown, no new ones"
        DISABLED = "disabled", "Disabled: no comments shown"

    kicker = models.CharField(
        max_length=60, blank=True, help_text="A short label above the headline, e.g. “Analysis”."
    )
    headline = models.CharField(max_length=200, validators=[MinLengthValidator(3)])
    slug = models.SlugField(
        max_length=200,
        help_text="The last part of the story's address. Changing it after publication "
        "keeps the old address working.",
    )
    standfirst = models.CharField(
        max_length=400, blank=True, help_text="The one- or two-sentence summary under the headline."
    )
    dateline = models.CharField(
        max_length=80,
        blank=True,
        help_text="Where the story was reported, e.g. “Washington”. Shown before the first "
        "paragraph.",
    )
    body = ProseEditorField(
        extensions=BODY_EDITOR_EXTENSIONS,
        sanitize=sanitise_body,
        blank=True,
    )
    body_text = models.TextField(
        blank=True,
        editable=False,
        help_text="The body's words without markup, derived on save: what search reads.",
    )
    lead_image = models.ForeignKey(
        Image,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_for",
        verbose_name="lead photo",
        help_text="Shown above the story and on its cards. Type to search the image library.",
    )
    lead_image_caption = models.CharField(
        "caption for this story",
        max_length=500,
        blank=True,
        help_text="Replaces the photo's library caption on this story only.",
    )
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    authors = models.ManyToManyField(Author, through="Byline", related_name="articles", blank=True)
    byline_override = models.CharField(
        max_length=200,
        blank=True,
        help_text="Free text shown instead of the bylines, e.g. “Staff and agencies”.",
    )

    status = models.CharField(max_length=12, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        "publication time",
        null=True,
        blank=True,
        help_text="When the story goes live. A future time schedules it.",
    )
    first_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_updated_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="Shown to readers when an editor marks an edit as an update.",
    )
    comment_mode = models.CharField(
        max_length=10, choices=CommentMode.choices, default=CommentMode.OPEN
    )
    comment_count = models.PositiveIntegerField(
        default=0,
        editable=False,
        help_text="How many comments readers see under the story, kept by the comment services.",
    )
    is_breaking = models.BooleanField("breaking news", default=False)
    breaking_until = models.DateTimeField(
        "breaking until",
        null=True,
        blank=True,
        help_text="The breaking-news banner comes down at this time.",
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True, editable=False)
    withdrawal_note = models.TextField(
        blank=True,
        editable=False,
        help_text="Shown to readers at the withdrawn story's address.",
    )
    seo_title = models.CharField(
        "search title",
        max_length=70,
        blank=True,
        help_text="The title search engines show, if it should differ from the headline.",
    )
    seo_description = models.CharField(
        "search description",
        max_length=160,
        blank=True,
        help_text="The summary search engines show; the standfirst is used when empty.",
    )

    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    modified_at = models.DateTimeField(auto_now=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    # Counts the saves of the story's text from its change form (and restores of a
    # revision): a form opened at an older version is refused, not saved over a colleague's
    # work (articles/conflicts.py).
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        # The newsroom's word for it, in the admin's titles, lists and messages.
        verbose_name = "story"
        verbose_name_plural = "stories"
        ordering = [F("publish_at").desc(nulls_first=True), "-created_at"]
        permissions = [("publish_article", "Can publish, schedule and withdraw stories")]
        constraints = [
            models.UniqueConstraint(
                fields=["slug"],
                name="article_slug_unique",
                violation_error_message="Another story already uses this slug.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["draft", "review"]) | Q(publish_at__isnull=False),
                name="article_published_has_publish_at",
                violation_error_message="A published or withdrawn story needs a publication time.",
            ),
            models.CheckConstraint(
                condition=Q(is_breaking=False) | Q(breaking_until__isnull=False),
                name="article_breaking_has_expiry",
                violation_error_message="Breaking news needs a time for the banner to come down.",
            ),
        ]
        indexes = [
            # Lists of live stories, newest first; with the section, a section front's deep
            # pages are found in the index alone.
            models.Index(
                fields=["status", "-publish_at", "-id", "section"], name="article_live_idx"
            ),
            models.Index(
                fields=["section", "status", "-publish_at", "-id"], name="article_section_live_idx"
            ),
            models.Index(
                fields=["breaking_until"],
                condition=Q(is_breaking=True),
                name="article_breaking_idx",
            ),
            models.Index(fields=["status", "created_by"], name="article_status_creator_idx"),
            # The admin's list of stories, in its order (PostgreSQL puts nulls first in a
            # descending index; SQLite cannot say so in an index).
            models.Index(
                F("publish_at").desc(),
                F("created_at").desc(),
                F("id").desc(),
                name="article_admin_list_idx",
            ),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(
                Article.objects.all(), self.headline, max_length=200, exclude_pk=self.pk
            )
        self.derive_fields()
        if (update_fields := kwargs.get("update_fields")) is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The canonical reader URL, dated in the newsroom's time zone; None until scheduled."""
        if self.publish_at is None:
            return None
        return story_address(self.section.slug, self.publish_at, self.slug)

    def derive_fields(self):
        """
        What every save derives from the story's own fields: the sanitised body with its
        plain text (for the search index), and the first publication time. Bulk inserts
        derive the same (see ArticleQuerySet.bulk_create).
        """
        self.derive_text()
        # First publication is the first time the story went live: it follows a
        # scheduled time until that time comes, then it never moves again.
        if self.status == self.Status.PUBLISHED and (
            self.first_published_at is None or self.first_published_at > timezone.now()
        ):
            self.first_published_at = self.publish_at

    def derive_text(self):
        """Sanitise the body and derive its plain text (for the search index) from it."""
        self.body, self.body_text = body_and_text(self.body or "")

    def clean(self):
        errors = {}
        if self.status in (self.Status.PUBLISHED, self.Status.WITHDRAWN) and not self.publish_at:
            errors["publish_at"] = "A published story needs a publication time."
        if self.is_breaking and not self.breaking_until:
            errors["breaking_until"] = "Say when the breaking-news banner should come down."
        if errors:
            raise ValidationError(errors)

    def is_published_by(self, moment):
        """Whether this story is published with its time at or before `moment` (published_by)."""
        return (
            self.status == self.Status.PUBLISHED
            and self.publish_at is not None
            and self.publish_at <= moment
        )

    @property
    def is_live(self):
        return self.is_published_by(timezone.now())

    @property
    def is_scheduled(self):
        return self.status == self.Status.PUBLISHED and not self.is_live

    @property
    def is_withdrawn(self):
        return self.status == self.Status.WITHDRAWN

    @property
    def status_label(self):
        """The status as the newsroom says it: "Scheduled for …" for a future story."""
        if self.is_scheduled:
            return f"Scheduled for {newsroom_time(self.publish_at)}"
        return self.get_status_display()

    def is_owned_by(self, user):
        """
        Whether this is one of `user`'s own stories: created by them, or bylined to the
        author linked to their account. Uses prefetched bylines when there are some.
        """
        if user.pk is None:
            return False
        if self.created_by_id == user.pk:
            return True
        if self.pk is None:
            return False
        if "bylines" in getattr(self, "_prefetched_objects_cache", {}):
            return any(byline.author.user_id == user.pk for byline in self.bylines.all())
        return self.bylines.filter(author__user=user).exists()

    def can_be_edited_by(self, user):
        """
        Editors edit any story that has not been withdrawn; a journalist edits only their
        own drafts and stories in review. A withdrawn story is kept as it was.
        """
        if not user.has_perm("articles.change_article") or self.is_withdrawn:
            return False
        if user.has_perm(PUBLISH_PERMISSION):
            return True
        return self.status in (self.Status.DRAFT, self.Status.REVIEW) and self.is_owned_by(user)

    def can_be_previewed_by(self, user):
        """Editors preview any story; a journalist previews their own."""
        if not user.is_active or not user.has_perm("articles.change_article"):
            return False
        return user.has_perm(PUBLISH_PERMISSION) or self.is_owned_by(user)

    def can_be_read_in_admin_by(self, user):
        """
        Editors read every story in the admin; everyone else reads live stories and their
        own, never a colleague's draft or an embargoed story (see `visible_in_admin_to`).
        """
        return user.has_perm(PUBLISH_PERMISSION) or self.is_live or self.is_owned_by(user)

    @property
    def first_live_at(self):
        """When readers could first see the story (its publication time, for older records)."""
        return self.first_published_at or self.publish_at

    @property
    def was_updated(self):
        return self.last_updated_at is not None and self.last_updated_at > self.publish_at

    @property
    def lead_caption(self):
        """The lead photo's caption on this story: the story's own, or the library's."""
        if self.lead_image is None:
            return ""
        return self.lead_image_caption or self.lead_image.caption

    @property
    def description(self):
        """A plain-text summary: the search description, the standfirst or the body's start."""
        if self.seo_description:
            return self.seo_description
        if self.standfirst:
            return self.standfirst
        return Truncator(self.body_text or text_of_body(self.body)).words(30)

    def with_page_relations(self):
        """
        This story with what its page shows of it besides its own row: bylines with their
        authors, tags, corrections and the lead photo's renditions, in three queries the first
        time (four with a photo), none after. A story page whose parts each server process
        keeps (newsroom/fragments.py) asks only when it renders them.
        """
        prefetch_related_objects(
            [self],
            bylines_with_authors(),
            Prefetch("tags", queryset=Tag.objects.order_by("name")),
            Prefetch("corrections", queryset=Correction.objects.order_by("-published_at")),
            *(["lead_image__renditions"] if self.lead_image_id else []),
        )
        return self

    def byline_groups(self):
        """
        The bylines as readers see them, grouped by role in byline order:
        [("By", [author, …]), ("Additional reporting by", […]), ("Photographs by", […])].
        """
        groups = {}
        for byline in self.bylines.all():
            groups.setdefault(byline.role, []).append(byline.author)
        return [
            (Byline.Role(role).lead_in, authors)
            for role in Byline.Role.values
            if (authors := groups.get(role))
        ]

    def body_with_dateline(self):
        """The body, with the dateline (“WASHINGTON :”) opening its first paragraph."""
        body = mark_safe(self.body)
        if not self.dateline:
            return body
        dateline = format_html('<span class="dateline">{} :</span> ', self.dateline)
        start = first_paragraph(self.body)
        if start < 0:
            return format_html("<p>{}</p>{}", dateline, body)
        head, tail = self.body[:start], self.body[start + len("<p>") :]
        return format_html("{}<p>{}{}", mark_safe(head), dateline, mark_safe(tail))
