"""
Bringing a WordPress export into the newsroom.

The export is read twice, as a stream, so memory stays bounded whatever its size:

1. The survey reads the whole file and keeps only what is small: the site, its authors,
   categories and tags (wherever they are in the file), and the attachments' descriptions.
   A file that is not a well-formed WordPress export is refused here, before anything is
   written.
2. The import reads it again and writes, in one database transaction: sections, tags and
   authors first, then posts with their comments, a batch at a time (bulk inserts, a fixed
   number of queries per batch), and images the first time a story uses them.

Each item's WordPress id is recorded (WordPressItem) with a checksum of what it became, so a
second run creates nothing again: it updates what changed in WordPress and leaves the rest.
A dry run does all of it and rolls the transaction back; image files are checked but not
stored. If anything fails, the transaction is rolled back and the image files stored by the
run are deleted: an import happens whole or not at all.
"""

import hashlib
import html
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import unquote, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.validators import validate_ipv46_address
from django.db import transaction
from django.utils.html import strip_tags
from django.utils.text import Truncator, slugify

from comments.models import Comment
from comments.services import import_comments, update_imported_comments

from ..models import (
    RESERVED_SECTION_SLUGS,
    Article,
    Author,
    Byline,
    Redirect,
    Section,
    Tag,
    WordPressItem,
)
from ..models.workflow import normalise_query
from .content import BodyImage, convert_content
from .media import Attachments, Library
from .summary import Summary
from .wxr import Author as WPAuthor
from .wxr import Comment as WPComment
from .wxr import Item, Site, Term, read_export

# Bumped when the conversion changes, so that a new version's import updates every story.
CONVERSION_VERSION = "1"
POSTS_PER_BATCH = 200
COMMENTS_PER_BATCH = 4000
LOOKUP_CHUNK = 500
NO_DATE = "0000-00-00 00:00:00"
FALLBACK_SECTION = ("news", "News")
UNCATEGORISED = "uncategorized"
PRIMARY_CATEGORY_META = ("_yoast_wpseo_primary_category", "rank_math_primary_category")

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
COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
}
COMMENT_FIELDS = [
    "article",
    "parent",
    "name",
    "email",
    "website",
    "body",
    "status",
    "reason",
    "ip_address",
    "user_agent",
    "submitted_at",
]
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
IMPORTED_REASON = "imported from WordPress"

Kind = WordPressItem.Kind
Progress = Callable[[int], None]


class DryRunFinished(Exception):
    """Raised at the end of a dry run to roll its transaction back."""


def checksum(value) -> str:
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


def chunks(values: list, size: int = LOOKUP_CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def parse_date(value: str, value_gmt: str) -> datetime | None:
    """
    A WordPress date: the GMT one when it is set, otherwise the local one read in the
    newsroom's time zone (drafts have no GMT date: "0000-00-00 00:00:00").
    """
    for text, zone in ((value_gmt, ZoneInfo("UTC")), (value, ZoneInfo(settings.TIME_ZONE))):
        if not text or text.startswith("0000-00-00"):
            continue
        try:
            parsed = datetime.fromisoformat(text.strip())
        except ValueError:
            continue
        return parsed.replace(tzinfo=zone)
    return None


def plain(text: str) -> str:
    return " ".join(html.unescape(strip_tags(text or "")).split())


def clean_slug(nicename: str, *fallbacks: str, max_length: int) -> str:
    """A WordPress nicename (URL-encoded when not ASCII) as a slug our addresses accept."""
    for text in (unquote(nicename), *fallbacks):
        slug = slugify(text)[:max_length].strip("-")
        if slug:
            return slug
    return ""


def old_address(url: str) -> tuple[str, str] | None:
    """The path and normalised query of an address of the old site, as requests see them."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    path = unquote(parts.path) or "/"
    if not path.startswith("/") or len(path) > 400:
        return None
    return path, normalise_query(parts.query)


@dataclass
class Survey:
    """What the first reading keeps: small things only."""

    site: Site | None = None
    authors: dict[str, WPAuthor] = field(default_factory=dict)
    categories: dict[str, Term] = field(default_factory=dict)
    tags: dict[str, Term] = field(default_factory=dict)
    attachments: Attachments = field(default_factory=Attachments)

    @property
    def site_key(self) -> str:
        return (self.site.base_site_url or self.site.link).rstrip("/")[:200]

    @property
    def blog_path(self) -> str:
        """The path the blog lived under ("" at the root, "/news" in a folder)."""
        return unquote(urlsplit(self.site.base_blog_url or self.site.link).path).rstrip("/")

    def add_term(self, term: Term) -> None:
        terms = self.categories if term.domain == "category" else self.tags
        if not term.slug:
            return
        known = terms.get(term.slug)
        # A term declared at the channel's level says more than one named on an item.
        if known is None or (not known.term_id and term.term_id):
            terms[term.slug] = term


def survey_export(path: Path, progress: Progress | None = None) -> Survey:
    """First reading: check the whole file and keep the site, authors, terms, attachments."""
    survey = Survey()
    with path.open("rb") as file:
        for record in read_export(ProgressReader(file, progress)):
            if isinstance(record, Site):
                survey.site = record
            elif isinstance(record, WPAuthor):
                if record.login:
                    survey.authors[record.login] = record
            elif isinstance(record, Term):
                survey.add_term(record)
            elif isinstance(record, Item):
                for term in record.terms:
                    survey.add_term(term)
                if record.creator and record.creator not in survey.authors:
                    survey.authors[record.creator] = WPAuthor(login=record.creator)
                if record.post_type == "attachment":
                    survey.attachments.add(record)
    return survey


class ProgressReader:
    """A binary file that reports how many bytes have been read."""

    def __init__(self, file, progress: Progress | None):
        self.file, self.progress = file, progress

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        if self.progress is not None:
            self.progress(len(data))
        return data


@dataclass
class PlannedComment:
    wp: WPComment
    status: str
    submitted_at: datetime
    body: str
    website: str
    ip_address: str | None
    wp_parent: str  # the WordPress id of the comment it will hang under, or ""
    checksum: str = ""


@dataclass
class PlannedArticle:
    item: Item
    fields: dict
    slug: str
    author_ids: list[int]
    tag_ids: list[int]
    addresses: list[tuple[str, str]]
    comments: list[PlannedComment]
    checksum: str
    article_id: int | None = None


def run_import(
    path: Path,
    *,
    media_dir: Path | None = None,
    author_map: dict[str, AbstractBaseUser] | None = None,
    dry_run: bool = False,
    progress: Progress | None = None,
) -> Summary:
    """
    Import the WordPress export at `path` and return what was done. Raises ExportError
    (nothing written) for a file that is not a well-formed WordPress export.
    """
    survey = survey_export(path, progress)
    summary = Summary()
    importer = None
    try:
        with transaction.atomic():
            importer = Importer(
                survey,
                summary=summary,
                media_dir=media_dir,
                author_map=author_map or {},
                dry_run=dry_run,
            )
            importer.import_taxonomy()
            with path.open("rb") as file:
                for record in read_export(ProgressReader(file, progress)):
                    if isinstance(record, Item):
                        importer.add_item(record)
            importer.finish()
            if dry_run:
                raise DryRunFinished
    except DryRunFinished:
        pass
    except BaseException:
        if importer is not None:
            importer.delete_stored_files()
        raise
    return summary


class Importer:
    """The second reading: writes what the survey found, then the posts, batch by batch."""

    def __init__(self, survey, *, summary, media_dir, author_map, dry_run):
        self.survey = survey
        self.site = survey.site_key
        self.summary = summary
        self.author_map = author_map
        self.library = Library(
            site=self.site,
            attachments=survey.attachments,
            media_dir=media_dir,
            summary=summary,
            dry_run=dry_run,
            checksum=checksum,
        )
        self.sections: dict[str, int] = {}
        self.section_ids_by_term_id: dict[str, int] = {}
        self.tags: dict[str, int] = {}
        self.authors: dict[str, int] = {}
        self.fallback_section_id: int | None = None
        self.batch: list[PlannedArticle] = []
        self.batch_comments = 0

    def delete_stored_files(self) -> None:
        for name in self.library.stored_files:
            default_storage.delete(name)

    def records(self, kind: str, wp_ids: list[str]) -> dict[str, WordPressItem]:
        found = {}
        for part in chunks(wp_ids):
            for record in WordPressItem.objects.filter(site=self.site, kind=kind, wp_id__in=part):
                found[record.wp_id] = record
        return found

    # Sections, tags, authors

    def import_taxonomy(self) -> None:
        self.import_sections()
        self.import_tags()
        self.import_authors()

    def import_sections(self) -> None:
        terms = self.survey.categories
        records = self.records(Kind.SECTION, list(terms))
        existing = {section.slug: section for section in Section.objects.all()}
        by_id = {section.pk: section for section in existing.values()}
        new_records = []
        position = (max((s.position for s in existing.values()), default=0) or 0) + 1
        for term in parents_first(terms):
            parent_id = self.sections.get(term.parent_slug)
            name = Truncator(plain(term.name) or unquote(term.slug)).chars(80)
            description = plain(term.description)
            wanted = checksum((name, description, term.parent_slug))
            record = records.get(term.slug)
            section = by_id.get(record.object_id) if record else None
            if section is not None:
                if record.checksum == wanted:
                    self.summary.unchanged("sections")
                else:
                    section.name, section.description = name, description
                    section.parent_id = parent_id if parent_id != section.pk else None
                    section.save(update_fields=["name", "description", "parent"])
                    record.checksum = wanted
                    record.save(update_fields=["checksum"])
                    self.summary.updated("sections")
            else:
                slug = clean_slug(term.slug, term.name, max_length=80) or f"section-{term.term_id}"
                section = existing.get(slug)
                if section is not None and slug not in RESERVED_SECTION_SLUGS:
                    self.summary.unchanged("sections")
                    self.summary.note("sections", "matched an existing section", slug)
                else:
                    free = free_slug(slug, taken=set(existing) | RESERVED_SECTION_SLUGS)
                    if free != slug:
                        reason = (
                            "slug renamed (used by the site itself)"
                            if slug in RESERVED_SECTION_SLUGS
                            else "slug renamed"
                        )
                        self.summary.note("sections", reason, f"{slug} → {free}")
                    section = Section.objects.create(
                        name=name,
                        slug=free,
                        description=description,
                        parent_id=parent_id,
                        position=position,
                        show_in_nav=term.slug != UNCATEGORISED,
                    )
                    position += 1
                    existing[free] = by_id[section.pk] = section
                    self.summary.created("sections")
                if record is not None:
                    record.object_id, record.checksum = section.pk, wanted
                    record.save(update_fields=["object_id", "checksum"])
                else:
                    new_records.append(self.record(Kind.SECTION, term.slug, section.pk, wanted))
            self.sections[term.slug] = section.pk
            if term.term_id:
                self.section_ids_by_term_id[term.term_id] = section.pk
        WordPressItem.objects.bulk_create(new_records)
        self.category_redirects()

    def category_redirects(self) -> None:
        """/category/<slug>/, /category/<parent>/<child>/ and /?cat=<id> lead to the section."""
        terms = self.survey.categories
        wanted: dict[tuple[str, str], int] = {}
        for term in terms.values():
            section_id = self.sections[term.slug]
            chain, seen, current = [], set(), term
            while current is not None and current.slug not in seen:
                seen.add(current.slug)
                chain.insert(0, unquote(current.slug))
                current = terms.get(current.parent_slug)
            for path in {"/".join(chain), unquote(term.slug)}:
                wanted.setdefault((f"{self.survey.blog_path}/category/{path}/", ""), section_id)
            if term.term_id:
                key = (f"{self.survey.blog_path}/", normalise_query(f"cat={term.term_id}"))
                wanted.setdefault(key, section_id)
        self.write_redirects(wanted, target="section")

    def import_tags(self) -> None:
        terms = self.survey.tags
        records = self.records(Kind.TAG, list(terms))
        tags = list(Tag.objects.all())
        by_slug = {tag.slug: tag for tag in tags}
        by_name = {tag.name.casefold(): tag for tag in tags}
        by_id = {tag.pk: tag for tag in tags}
        new_tags, new_records, renamed = [], [], []
        for term in terms.values():
            name = Truncator(plain(term.name) or unquote(term.slug)).chars(60)
            wanted = checksum(name)
            record = records.get(term.slug)
            tag = by_id.get(record.object_id) if record else None
            if tag is not None:
                if record.checksum == wanted:
                    self.summary.unchanged("tags")
                elif name.casefold() in by_name and by_name[name.casefold()] != tag:
                    self.summary.skip("tags", "renamed to the name of another tag", name)
                else:
                    tag.name = name
                    renamed.append(tag)
                    record.checksum = wanted
                    record.save(update_fields=["checksum"])
                    self.summary.updated("tags")
                self.tags[term.slug] = tag.pk
                continue
            slug = clean_slug(term.slug, term.name, max_length=60) or f"tag-{term.term_id}"
            tag = by_slug.get(slug) or by_name.get(name.casefold())
            if tag is not None:
                self.summary.unchanged("tags")
                if tag.pk is not None:
                    self.summary.note("tags", "matched an existing tag", tag.slug)
                else:
                    self.summary.note("tags", "merged with a tag of the same name", name)
            else:
                tag = Tag(name=name, slug=free_slug(slug, taken=set(by_slug)))
                new_tags.append(tag)
                by_slug[tag.slug] = by_name[name.casefold()] = tag
                self.summary.created("tags")
            new_records.append((term.slug, tag, wanted, record))
        Tag.objects.bulk_create(new_tags, batch_size=500)
        Tag.objects.bulk_update(renamed, ["name"], batch_size=500)
        created_records = []
        for wp_slug, tag, wanted, record in new_records:
            self.tags[wp_slug] = tag.pk
            if record is not None:
                record.object_id, record.checksum = tag.pk, wanted
                record.save(update_fields=["object_id", "checksum"])
            else:
                created_records.append(self.record(Kind.TAG, wp_slug, tag.pk, wanted))
        WordPressItem.objects.bulk_create(created_records, batch_size=500)

    def import_authors(self) -> None:
        authors = self.survey.authors
        records = self.records(Kind.AUTHOR, list(authors))
        existing = list(Author.objects.select_related("user"))
        by_slug = {author.slug: author for author in existing}
        by_user = {author.user_id: author for author in existing if author.user_id}
        by_id = {author.pk: author for author in existing}
        for login in self.author_map:
            if login not in authors:
                self.summary.skip("users", "login not in the export", login)
        for login, wp_author in authors.items():
            name = Truncator(display_name(wp_author)).chars(120)
            wanted = checksum(name)
            record = records.get(login)
            author = by_id.get(record.object_id) if record else None
            user = self.author_map.get(login)
            if author is not None:
                if record.checksum == wanted:
                    self.summary.unchanged("authors")
                else:
                    author.name = name
                    author.save(update_fields=["name"])
                    record.checksum = wanted
                    record.save(update_fields=["checksum"])
                    self.summary.updated("authors")
            else:
                slug = clean_slug(login, name, max_length=120) or "author"
                author = (by_user.get(user.pk) if user else None) or by_slug.get(slug)
                if author is not None:
                    self.summary.unchanged("authors")
                    self.summary.note("authors", "matched an existing author", author.slug)
                else:
                    author = Author.objects.create(
                        name=name, slug=free_slug(slug, taken=set(by_slug))
                    )
                    by_slug[author.slug] = by_id[author.pk] = author
                    self.summary.created("authors")
                if record is not None:
                    record.object_id, record.checksum = author.pk, wanted
                    record.save(update_fields=["object_id", "checksum"])
                else:
                    self.record(Kind.AUTHOR, login, author.pk, wanted).save()
            if user is not None:
                self.link_user(author, user, by_user)
            self.authors[login] = author.pk

    def link_user(self, author: Author, user: AbstractBaseUser, by_user: dict) -> None:
        if author.user_id == user.pk:
            self.summary.unchanged("users")
        elif author.user_id is not None:
            self.summary.skip("users", "author already linked to another account", author.slug)
        elif user.pk in by_user:
            self.summary.skip("users", "account already linked to another author", user.username)
        else:
            author.user = user
            author.save(update_fields=["user"])
            by_user[user.pk] = author
            self.summary.updated("users")

    def record(self, kind, wp_id, object_id, value_checksum) -> WordPressItem:
        return WordPressItem(
            site=self.site, kind=kind, wp_id=wp_id, object_id=object_id, checksum=value_checksum
        )

    # Posts

    def add_item(self, item: Item) -> None:
        if item.post_type == "attachment":
            return
        reason = self.reason_to_skip(item)
        if reason:
            self.summary.skip("articles", reason, item.wp_id)
            for _comment in item.comments:
                self.summary.skip("comments", "on a post that was not imported")
            return
        planned = self.plan_article(item)
        if planned is None:
            return
        self.batch.append(planned)
        self.batch_comments += len(planned.comments)
        if len(self.batch) >= POSTS_PER_BATCH or self.batch_comments >= COMMENTS_PER_BATCH:
            self.flush()

    def finish(self) -> None:
        self.flush()
        used = self.library.handled()
        for wp_id, attachment in self.survey.attachments.by_id.items():
            if wp_id not in used:
                reason = "not used by an imported story" if attachment.is_photo else "not a photo"
                self.summary.skip("images", reason)

    @staticmethod
    def reason_to_skip(item: Item) -> str:
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

    def plan_article(self, item: Item) -> PlannedArticle | None:
        status = STATUSES[item.status]
        publish_at = parse_date(item.date, item.date_gmt)
        if status == Article.Status.PUBLISHED and publish_at is None:
            self.summary.skip("articles", "no publication date", item.wp_id)
            for _comment in item.comments:
                self.summary.skip("comments", "on a post that was not imported")
            return None
        headline = plain(item.title)
        if not headline:
            headline = Truncator(plain(item.content)).words(10) or f"Untitled story {item.wp_id}"
            self.summary.note("articles", "headline missing: made from the text", item.wp_id)
        headline = Truncator(headline).chars(200)
        standfirst = plain(item.excerpt)
        if len(standfirst) > 400:
            standfirst = Truncator(standfirst).chars(400)
            self.summary.note("articles", "standfirst shortened to 400 characters", item.wp_id)

        images = PostImages(self, item, headline)
        body = convert_content(item.content, images)
        lead_image = None
        thumbnail = item.meta.get("_thumbnail_id", "")
        if thumbnail and thumbnail != "0":
            attachment = self.survey.attachments.find(attachment_id=thumbnail)
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

        seo_description = plain(item.meta.get("_yoast_wpseo_metadesc", ""))
        if "%%" in seo_description:
            seo_description = ""
        fields = {
            "headline": headline,
            "standfirst": standfirst,
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
            "seo_description": Truncator(seo_description).chars(160),
        }
        author_ids = [self.authors[item.creator]] if item.creator in self.authors else []
        tag_ids = list(
            dict.fromkeys(
                self.tags[term.slug]
                for term in item.terms
                if term.domain == "post_tag" and term.slug in self.tags
            )
        )
        slug = clean_slug(item.slug, item.title, max_length=200) or f"story-{item.wp_id}"
        return PlannedArticle(
            item=item,
            fields=fields,
            slug=slug,
            author_ids=author_ids,
            tag_ids=tag_ids,
            addresses=self.addresses_of(item),
            comments=self.plan_comments(item),
            checksum=checksum(
                (CONVERSION_VERSION, sorted(fields.items()), author_ids, sorted(tag_ids))
            ),
        )

    def section_for(self, item: Item) -> int:
        for key in PRIMARY_CATEGORY_META:
            primary = self.section_ids_by_term_id.get(item.meta.get(key, ""))
            if primary:
                return primary
        for term in item.terms:
            if term.domain == "category" and term.slug in self.sections:
                return self.sections[term.slug]
        if self.fallback_section_id is None:
            slug, name = FALLBACK_SECTION
            section, _created = Section.objects.get_or_create(slug=slug, defaults={"name": name})
            self.fallback_section_id = section.pk
        self.summary.note("articles", f"no category: filed in “{FALLBACK_SECTION[1]}”", item.wp_id)
        return self.fallback_section_id

    def addresses_of(self, item: Item) -> list[tuple[str, str]]:
        addresses = [
            (f"{self.survey.blog_path}/", normalise_query(f"p={item.wp_id}")),
            old_address(item.link),
        ]
        return [address for address in dict.fromkeys(addresses) if address is not None]

    def plan_comments(self, item: Item) -> list[PlannedComment]:
        """The post's comments to import, each under its thread's first imported comment."""
        by_id = {comment.wp_id: comment for comment in item.comments if comment.wp_id}
        imported: dict[str, WPComment] = {}
        for comment in item.comments:
            if comment.type in ("pingback", "trackback"):
                self.summary.skip("comments", comment.type)
            elif comment.type not in ("", "comment"):
                self.summary.skip("comments", f"type “{comment.type}”")
            elif comment.approved in ("trash", "post-trashed"):
                self.summary.skip("comments", "in the trash")
            elif comment.approved not in COMMENT_STATUSES:
                self.summary.skip("comments", f"status “{comment.approved}”")
            elif not comment.wp_id:
                self.summary.skip("comments", "no comment id")
            elif parse_date(comment.date, comment.date_gmt) is None:
                self.summary.skip("comments", "no date", comment.wp_id)
            else:
                imported[comment.wp_id] = comment
        planned = []
        for comment in imported.values():
            top, depth, seen = "", 0, {comment.wp_id}
            current = by_id.get(comment.parent_id)
            while current is not None and current.wp_id not in seen:
                seen.add(current.wp_id)
                depth += 1
                if current.wp_id in imported:
                    top = current.wp_id
                current = by_id.get(current.parent_id)
            if comment.parent_id not in ("", "0") and not top:
                self.summary.note(
                    "comments", "reply to a comment not imported: shown as a comment", comment.wp_id
                )
            elif depth > 1 and top != comment.parent_id:
                self.summary.note(
                    "comments", "reply to a reply: attached to its thread", comment.wp_id
                )
            planned.append(self.plan_comment(comment, top))
        # Threads first, so that every reply's comment exists when the reply is written.
        planned.sort(key=lambda plan: bool(plan.wp_parent))
        return planned

    def plan_comment(self, comment: WPComment, top: str) -> PlannedComment:
        website = comment.url if comment.url.startswith(("http://", "https://")) else ""
        ip_address = comment.ip or None
        if ip_address:
            try:
                validate_ipv46_address(ip_address)
            except ValidationError:
                ip_address = None
        plan = PlannedComment(
            wp=comment,
            status=COMMENT_STATUSES[comment.approved],
            submitted_at=parse_date(comment.date, comment.date_gmt),
            body=comment_text(comment.content),
            website=website[:200],
            ip_address=ip_address,
            wp_parent=top,
        )
        plan.checksum = checksum(
            (
                plan.status,
                plan.submitted_at,
                plan.body,
                plan.website,
                plan.ip_address,
                top,
                comment.author,
                comment.email,
                comment.agent,
            )
        )
        return plan

    # Writing a batch

    def flush(self) -> None:
        if not self.batch:
            return
        batch, self.batch, self.batch_comments = self.batch, [], 0
        self.write_articles(batch)
        self.write_comments(batch)
        self.write_redirects(
            {
                address: planned.article_id
                for planned in batch
                for address in planned.addresses
                if planned.article_id is not None
            },
            target="article",
        )

    def write_articles(self, batch: list[PlannedArticle]) -> None:
        records = self.records(Kind.ARTICLE, [planned.item.wp_id for planned in batch])
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

        self.create_articles(creating)
        for planned in creating:
            record = records.get(planned.item.wp_id)
            if record is not None:
                record.object_id, record.checksum = planned.article_id, planned.checksum
                changed_records.append(record)
            else:
                new_records.append(
                    self.record(
                        Kind.ARTICLE, planned.item.wp_id, planned.article_id, planned.checksum
                    )
                )
        self.update_articles(updating)
        for planned, _article, record in updating:
            record.checksum = planned.checksum
            changed_records.append(record)
        WordPressItem.objects.bulk_create(new_records)
        WordPressItem.objects.bulk_update(changed_records, ["object_id", "checksum"])

    def create_articles(self, creating: list[PlannedArticle]) -> None:
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
            planned.article_id = article.pk
        self.summary.created("articles", len(articles))
        self.write_bylines_and_tags(creating)

    def update_articles(self, updating) -> None:
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

    def write_comments(self, batch: list[PlannedArticle]) -> None:
        plans = [
            (planned.article_id, plan)
            for planned in batch
            if planned.article_id is not None
            for plan in planned.comments
        ]
        if not plans:
            return
        records = self.records(Kind.COMMENT, [plan.wp.wp_id for _article_id, plan in plans])
        existing = set()
        for part in chunks([record.object_id for record in records.values()]):
            existing.update(Comment.objects.filter(pk__in=part).values_list("pk", flat=True))
        # Only the comments that changed in WordPress are loaded whole, to be updated.
        changed = [
            records[plan.wp.wp_id].object_id
            for _article_id, plan in plans
            if plan.wp.wp_id in records
            and records[plan.wp.wp_id].object_id in existing
            and records[plan.wp.wp_id].checksum != plan.checksum
        ]
        stored = {}
        for part in chunks(changed):
            stored.update(Comment.objects.in_bulk(part))
        comment_ids = {
            wp_id: record.object_id
            for wp_id, record in records.items()
            if record.object_id in existing
        }
        # Threads first, then replies: a reply needs its thread's id.
        for replies in (False, True):
            wave = [(a, plan) for a, plan in plans if bool(plan.wp_parent) == replies]
            self.write_comment_wave(wave, records, existing, stored, comment_ids)

    def write_comment_wave(self, wave, records, existing_ids, stored, comment_ids) -> None:
        creating, updating = [], []
        for article_id, plan in wave:
            record = records.get(plan.wp.wp_id)
            exists = record is not None and record.object_id in existing_ids
            parent_id = comment_ids.get(plan.wp_parent) if plan.wp_parent else None
            if plan.wp_parent and parent_id is None:
                self.summary.skip("comments", "its thread was not imported", plan.wp.wp_id)
                continue
            if exists and record.checksum == plan.checksum:
                self.summary.unchanged("comments")
                continue
            existing = stored.get(record.object_id) if exists else None
            comment = existing or Comment()
            comment.article_id = article_id
            comment.parent_id = parent_id
            comment.name = Truncator(plan.wp.author or "Anonymous").chars(100)
            comment.email = plan.wp.email[:254]
            comment.website = plan.website
            comment.body = plan.body
            comment.status = plan.status
            comment.reason = IMPORTED_REASON
            comment.ip_address = plan.ip_address
            comment.user_agent = plan.wp.agent[:300]
            comment.submitted_at = plan.submitted_at
            comment.derive_fields()
            (updating if existing is not None else creating).append((plan, comment, record))

        # Who holds each fingerprint already: a stored comment's id, or a comment of this wave.
        taken_by: dict[str, int | Comment] = {}
        candidates = [comment.fingerprint for _plan, comment, _record in creating + updating]
        for part in chunks(candidates):
            taken_by.update(
                Comment.objects.filter(fingerprint__in=part).values_list("fingerprint", "pk")
            )
        to_create, to_update, duplicates = [], [], []
        for plan, comment, record in creating:
            if comment.fingerprint in taken_by:
                # The same comment twice (same story, thread, email and words): kept once,
                # and replies to either hang under the one kept.
                self.summary.skip("comments", "duplicate of another comment", plan.wp.wp_id)
                duplicates.append((plan.wp.wp_id, taken_by[comment.fingerprint]))
                continue
            taken_by[comment.fingerprint] = comment
            to_create.append((plan, comment, record))
        for plan, comment, record in updating:
            owner = taken_by.get(comment.fingerprint, comment.pk)
            if owner != comment.pk and owner is not comment:
                self.summary.skip("comments", "duplicate of another comment", plan.wp.wp_id)
                continue
            taken_by[comment.fingerprint] = comment
            to_update.append((plan, comment, record))

        import_comments(comments=[comment for _plan, comment, _record in to_create])
        update_imported_comments(
            comments=[comment for _plan, comment, _record in to_update], fields=COMMENT_FIELDS
        )
        for wp_id, owner in duplicates:
            comment_ids[wp_id] = owner.pk if isinstance(owner, Comment) else owner
        new_records, changed_records = [], []
        for plan, comment, record in to_create + to_update:
            comment_ids[plan.wp.wp_id] = comment.pk
            if record is None:
                new_records.append(
                    self.record(Kind.COMMENT, plan.wp.wp_id, comment.pk, plan.checksum)
                )
            else:
                record.object_id, record.checksum = comment.pk, plan.checksum
                changed_records.append(record)
        self.summary.created("comments", len(to_create))
        self.summary.updated("comments", len(to_update))
        WordPressItem.objects.bulk_create(new_records, batch_size=1000)
        WordPressItem.objects.bulk_update(
            changed_records, ["object_id", "checksum"], batch_size=1000
        )

    def write_redirects(self, wanted: dict[tuple[str, str], int], *, target: str) -> None:
        """Old addresses leading to stories (or sections): created once, never taken over."""
        if not wanted:
            return
        existing = {}
        paths = sorted({path for path, _query in wanted})
        for part in chunks(paths):
            for redirect in Redirect.objects.filter(old_path__in=part):
                existing[(redirect.old_path, redirect.old_query)] = redirect
        creating = []
        for (path, query), object_id in wanted.items():
            redirect = existing.get((path, query))
            if redirect is None:
                creating.append(
                    Redirect(old_path=path, old_query=query, **{f"{target}_id": object_id})
                )
            elif getattr(redirect, f"{target}_id") == object_id:
                self.summary.unchanged("redirects")
            else:
                self.summary.skip(
                    "redirects", "old address already leads elsewhere", redirect.old_address
                )
        Redirect.objects.bulk_create(creating, batch_size=500)
        self.summary.created("redirects", len(creating))


class PostImages:
    """The converter's way to the image library, for one post."""

    def __init__(self, importer: Importer, item: Item, headline: str):
        self.importer, self.item, self.headline = importer, item, headline
        self.dropped = 0

    def find(self, *, src: str, attachment_id: str) -> BodyImage | None:
        attachment = self.importer.survey.attachments.find(src=src, attachment_id=attachment_id)
        image = (
            self.importer.library.body_image(attachment, headline=self.headline)
            if attachment
            else None
        )
        if image is None:
            self.dropped += 1
        return image

    def attached(self) -> list[str]:
        return self.importer.survey.attachments.by_parent.get(self.item.wp_id, [])


def parents_first(terms: dict[str, Term]) -> list[Term]:
    """Categories ordered so that each comes after its parent (a loop is cut anywhere)."""
    ordered, placed = [], set()

    def place(term, visiting):
        if term.slug in placed or term.slug in visiting:
            return
        parent = terms.get(term.parent_slug)
        if parent is not None:
            place(parent, visiting | {term.slug})
        placed.add(term.slug)
        ordered.append(term)

    for term in terms.values():
        place(term, frozenset())
    return ordered


def free_slug(slug: str, *, taken: set[str], max_length: int = 80) -> str:
    """`slug`, or `slug-2`, `slug-3`… if it is taken."""
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = f"{slug[: max_length - len(suffix)].rstrip('-')}{suffix}"
    return candidate


def related_slugs(slug: str) -> set[str]:
    """Stories' slugs that start like `slug` (its numbered variants), for a renamed slug."""
    return set(Article.objects.filter(slug__startswith=slug).values_list("slug", flat=True))


def display_name(author: WPAuthor) -> str:
    full = f"{author.first_name} {author.last_name}".strip()
    return plain(author.display_name) or plain(full) or author.login


def comment_text(content: str) -> str:
    """A WordPress comment's HTML as the plain text our comments are."""
    text = re.sub(r"<br\s*/?>", "\n", content or "", flags=re.IGNORECASE)
    text = re.sub(r"</p>\s*<p[^>]*>", "\n\n", text, flags=re.IGNORECASE)
    text = re.sub(
        r"<a\b[^>]*href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>",
        lambda match: (
            match.group(2)
            if strip_tags(match.group(2)).strip() == match.group(1)
            else f"{match.group(2)} ({match.group(1)})"
        ),
        text,
        flags=re.IGNORECASE | re.DOTALL,
    )
    text = html.unescape(strip_tags(text))
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
