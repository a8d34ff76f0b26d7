"""
The posts stage: each WordPress post planned as a story (its fields, slug, byline, tags,
old addresses and comments, with a checksum of all of it), then a batch of planned stories
written at once: created, updated when they changed in WordPress, or left alone.
"""

import re
from collections import Counter
from dataclasses import dataclass

from django.utils.text import Truncator

from articles.models import Article, Byline, Section
from photos.models import Image

from ..models import WordPressItem
from .comments import PlannedComment, plan_comments
from .common import Context, Kind, checksum, chunks, clean_slug, free_slug, parse_date, plain
from .content import BodyImage, story_body
from .media import Library
from .redirects import Address, post_addresses
from .survey import CATEGORY_TAG, categories_of
from .wxr import Item

# Bumped when the conversion changes, so that a new version's import updates every story.
CONVERSION_VERSION = "3"
FALLBACK_SECTION = ("news", "News")
NEXT_PAGE = re.compile(r"<!--\s*nextpage\s*-->")
PROTECTED_POST = "password-protected: imported as a draft, never published"

STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,
    "draft": Article.Status.DRAFT,
    "pending": Article.Status.REVIEW,
}
SKIPPED_STATUSES = {
    "private": "private",
    "trash": "in the trash",
    "auto-draft": "auto-draft",
    "inherit": "revision",
}
ARTICLE_FIELDS = [
    "headline",
    "standfirst",
    "body",
    "section",
    "status",
    "publish_at",
    "first_published_at",
    "lead_image",
    "comment_mode",
    "seo_description",
]


@dataclass
class PlannedArticle:
    item: Item
    fields: dict
    slug: str
    author_ids: list[int]
    tag_ids: list[int]
    addresses: list[Address]
    comments: list[PlannedComment]
    checksum: str
    article_id: int | None = None
    created: bool = False


def reason_to_skip(item: Item) -> str:
    """Why a post is not imported as a story, or ""."""
    if item.post_type == "page":
        return "page (Newsroom has no pages)"
    if item.post_type != "post":
        return f"post type “{item.post_type or 'unknown'}”"
    if item.status in SKIPPED_STATUSES:
        return SKIPPED_STATUSES[item.status]
    if item.status not in STATUSES:
        return f"status “{item.status or 'unknown'}”"
    if not item.wp_id:
        return "no post id"
    return ""


class PostImages:
    """The converter's way to the image library, for one post."""

    def __init__(self, library: Library, item: Item, headline: str):
        self.library, self.item, self.headline = library, item, headline
        self.dropped = 0

    def find(self, *, src: str, attachment_id: str) -> BodyImage | None:
        attachment = self.library.attachments.find(src=src, attachment_id=attachment_id)
        image = self.library.body_image(attachment, headline=self.headline) if attachment else None
        if image is None:
            self.dropped += 1
        return image

    def attached(self) -> list[str]:
        """The post's photos (WordPress's [gallery] shows no other attachment)."""
        attachments = self.library.attachments
        return [
            wp_id
            for wp_id in attachments.by_parent.get(self.item.wp_id, [])
            if attachments.by_id[wp_id].is_photo
        ]


class PostPlanner:
    """Turns a post into a PlannedArticle, with the taxonomy stage's ids."""

    def __init__(self, context: Context, library: Library):
        self.context, self.library = context, library
        self.survey, self.summary, self.ids = context.survey, context.summary, context.ids
        self.fallback_section_id: int | None = None

    def plan(self, item: Item) -> PlannedArticle:
        """The story a post becomes."""
        status = STATUSES[item.status]
        publish_at = parse_date(item.date, item.date_gmt)
        if status == Article.Status.PUBLISHED and publish_at is None:
            status = Article.Status.DRAFT
            self.summary.note("articles", "no publication date: imported as a draft", item.wp_id)
        if item.password:
            status = Article.Status.DRAFT
            self.summary.note("articles", PROTECTED_POST, item.wp_id)
        headline = self.headline_of(item)
        body, lead_image = self.body_of(item, headline)
        fields = {
            "headline": headline,
            "standfirst": self.standfirst_of(item),
            "body": body,
            "section_id": self.section_for(item),
            "status": status,
            "publish_at": publish_at if status == Article.Status.PUBLISHED else None,
            "lead_image_id": lead_image.pk if lead_image else None,
            "comment_mode": (
                Article.CommentMode.CLOSED
                if item.comment_status == "closed"
                else Article.CommentMode.OPEN
            ),
            "seo_description": self.seo_description_of(item),
        }
        author_ids = [self.ids.authors[item.creator]] if item.creator in self.ids.authors else []
        tag_ids = self.tag_ids_of(item)
        return PlannedArticle(
            item=item,
            fields=fields,
            slug=clean_slug(item.slug, item.title, max_length=200) or f"story-{item.wp_id}",
            author_ids=author_ids,
            tag_ids=tag_ids,
            addresses=post_addresses(self.survey, item, pages=self.pages_of(item)),
            comments=plan_comments(item, self.summary, hold=bool(item.password)),
            checksum=checksum(
                (CONVERSION_VERSION, sorted(fields.items()), author_ids, sorted(tag_ids))
            ),
        )

    def pages_of(self, item: Item) -> int:
        """How many pages the post had in WordPress: they are joined into one story."""
        pages = 1 + len(NEXT_PAGE.findall(item.content))
        if pages > 1:
            self.summary.note("articles", "post in pages: joined into one story", item.wp_id)
        return pages

    def headline_of(self, item: Item) -> str:
        headline = plain(item.title)
        if not headline:
            headline = Truncator(plain(item.content)).words(10) or f"Untitled story {item.wp_id}"
            self.summary.note("articles", "headline missing: made from the text", item.wp_id)
        return Truncator(headline).chars(200)

    def standfirst_of(self, item: Item) -> str:
        standfirst = plain(item.excerpt)
        if len(standfirst) > 400:
            standfirst = Truncator(standfirst).chars(400)
            self.summary.note("articles", "standfirst shortened to 400 characters", item.wp_id)
        return standfirst

    def seo_description_of(self, item: Item) -> str:
        seo_description = plain(item.meta.get("_yoast_wpseo_metadesc", ""))
        if "%%" in seo_description:
            seo_description = ""
        return Truncator(seo_description).chars(160)

    def body_of(self, item: Item, headline: str) -> tuple[str, Image | None]:
        """
        The sanitised body, with the report of what the conversion did (each embed as the
        sanitiser kept it), and the lead image (the featured image); photos, audio and video
        imported.
        """
        images = PostImages(self.library, item, headline)
        report = Counter()
        body = story_body(
            item.content,
            images,
            media_files=self.library,
            footnotes=item.meta.get("footnotes", ""),
            report=report,
        )
        self.summary.content(item.wp_id, headline, report)
        lead_image = None
        thumbnail = item.meta.get("_thumbnail_id", "")
        if thumbnail and thumbnail != "0":
            attachment = self.library.attachments.find(attachment_id=thumbnail)
            if attachment is None:
                self.summary.note(
                    "articles", "featured image not in the export", f"{item.wp_id}→{thumbnail}"
                )
            else:
                lead_image = self.library.image_for(attachment, headline=headline)
        if images.dropped:
            self.summary.note(
                "articles", "inline images dropped (not imported)", f"{item.wp_id}×{images.dropped}"
            )
        return body, lead_image

    def tag_ids_of(self, item: Item) -> list[int]:
        """The post's tags, then its categories other than the section (kept as tags)."""
        _primary, others = categories_of(item, self.survey.categories)
        if others:
            self.summary.note("articles", "other categories kept as tags", item.wp_id)
        keys = [term.slug for term in item.terms if term.domain == "post_tag"]
        keys += [CATEGORY_TAG + slug for slug in others]
        return list(dict.fromkeys(self.ids.tags[key] for key in keys if key in self.ids.tags))

    def section_for(self, item: Item) -> int:
        primary, _others = categories_of(item, self.survey.categories)
        if primary in self.ids.sections:
            return self.ids.sections[primary]
        if self.fallback_section_id is None:
            slug, name = FALLBACK_SECTION
            section, _created = Section.objects.get_or_create(slug=slug, defaults={"name": name})
            self.fallback_section_id = section.pk
        self.summary.note("articles", f"no category: filed in “{FALLBACK_SECTION[1]}”", item.wp_id)
        return self.fallback_section_id


class Posts:
    """Writes a batch of planned stories, with their bylines, tags and import records."""

    def __init__(self, context: Context):
        self.context, self.summary = context, context.summary

    def write(self, batch: list[PlannedArticle]) -> None:
        """Create or update the batch's stories; each planned story gets its `article_id`."""
        records = self.context.records(Kind.ARTICLE, [planned.item.wp_id for planned in batch])
        stored = {
            article.pk: article
            for part in chunks([record.object_id for record in records.values()])
            for article in Article.objects.filter(pk__in=part).only("pk", "status", "slug")
        }
        creating, updating, new_records, changed_records = [], [], [], []
        for planned in batch:
            record = records.get(planned.item.wp_id)
            article = stored.get(record.object_id) if record else None
            if article is None:
                creating.append(planned)
            elif record.checksum == planned.checksum:
                planned.article_id = article.pk
                self.summary.unchanged("articles")
            else:
                planned.article_id = article.pk
                updating.append((planned, article, record))

        self.create(creating)
        for planned in creating:
            record = records.get(planned.item.wp_id)
            if record is not None:
                record.object_id, record.checksum = planned.article_id, planned.checksum
                changed_records.append(record)
            else:
                new_records.append(
                    self.context.record(
                        Kind.ARTICLE, planned.item.wp_id, planned.article_id, planned.checksum
                    )
                )
        self.update(updating)
        for planned, _article, record in updating:
            record.checksum = planned.checksum
            changed_records.append(record)
        WordPressItem.objects.bulk_create(new_records)
        WordPressItem.objects.bulk_update(changed_records, ["object_id", "checksum"])

    def create(self, creating: list[PlannedArticle]) -> None:
        if not creating:
            return
        wanted = [planned.slug for planned in creating]
        taken = set()
        for part in chunks(wanted):
            taken.update(Article.objects.filter(slug__in=part).values_list("slug", flat=True))
        articles = []
        for planned in creating:
            slug = planned.slug
            if slug in taken:
                slug = free_slug(slug, taken=taken | related_slugs(slug), max_length=200)
                self.summary.note(
                    "articles", "slug renamed (already used)", f"{planned.slug} → {slug}"
                )
            taken.add(slug)
            article = Article(slug=slug, **planned.fields)
            article.derive_fields()
            articles.append(article)
        Article.objects.bulk_create(articles, batch_size=100)
        for planned, article in zip(creating, articles, strict=True):
            planned.article_id, planned.created = article.pk, True
        self.summary.created("articles", len(articles))
        self.write_bylines_and_tags(creating)

    def update(self, updating) -> None:
        if not updating:
            return
        full = Article.objects.in_bulk([article.pk for _planned, article, _record in updating])
        articles = []
        for planned, stored, _record in updating:
            article = full[stored.pk]
            fields = dict(planned.fields)
            if article.status == Article.Status.WITHDRAWN:
                # Withdrawn here: its text may follow WordPress, its state stays.
                fields.pop("status")
                fields.pop("publish_at")
                self.summary.note("articles", "withdrawn here: status kept", article.slug)
            for name, value in fields.items():
                setattr(article, name, value)
            article.derive_fields()
            articles.append(article)
        Article.objects.bulk_update(articles, ARTICLE_FIELDS, batch_size=100)
        ids = [article.pk for article in articles]
        Byline.objects.filter(article_id__in=ids).delete()
        Article.tags.through.objects.filter(article_id__in=ids).delete()
        self.write_bylines_and_tags([planned for planned, _article, _record in updating])
        self.summary.updated("articles", len(articles))

    def write_bylines_and_tags(self, batch: list[PlannedArticle]) -> None:
        Byline.objects.bulk_create(
            [
                Byline(article_id=planned.article_id, author_id=author_id, position=position)
                for planned in batch
                for position, author_id in enumerate(planned.author_ids)
            ],
            batch_size=500,
        )
        Through = Article.tags.through
        Through.objects.bulk_create(
            [
                Through(article_id=planned.article_id, tag_id=tag_id)
                for planned in batch
                for tag_id in planned.tag_ids
            ],
            batch_size=500,
        )


def related_slugs(slug: str) -> set[str]:
    """Stories' slugs that start like `slug` (its numbered variants), for a renamed slug."""
    return set(Article.objects.filter(slug__startswith=slug).values_list("slug", flat=True))
