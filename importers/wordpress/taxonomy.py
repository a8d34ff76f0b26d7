"""
The taxonomy stage: WordPress categories become sections (with their hierarchy, and their
old addresses kept as redirects), tags become tags and authors become authors, linked to
staff accounts by the --author-map. Each is matched to what the newsroom already has, and
recorded (WordPressItem) so that a second run updates rather than duplicates. The ids found
are left in the context's `ids`, for the posts stage.
"""

from urllib.parse import unquote

from django.contrib.auth.models import AbstractBaseUser
from django.utils.text import Truncator

from articles.models import RESERVED_SECTION_SLUGS, Article, Author, Section, Tag

from ..models import WordPressItem
from .common import Context, Kind, checksum, clean_slug, free_slug, plain
from .redirects import Redirects, category_addresses
from .survey import CATEGORY_TAG
from .wxr import Author as WPAuthor
from .wxr import Term

UNCATEGORISED = "uncategorized"


class Taxonomy:
    """Sections, tags and authors, written before any post."""

    def __init__(
        self,
        context: Context,
        *,
        author_map: dict[str, AbstractBaseUser] | None = None,
        redirects: Redirects | None = None,
    ):
        self.context = context
        self.survey, self.summary, self.ids = context.survey, context.summary, context.ids
        self.author_map = author_map or {}
        self.redirects = redirects or Redirects(context)
        self.created_sections: dict[int, Section] = {}

    def run(self) -> None:
        self.import_sections()
        self.import_tags()
        self.import_authors()

    def import_sections(self) -> None:
        terms = self.survey.categories
        records = self.context.records(Kind.SECTION, list(terms))
        self.existing_sections = {section.slug: section for section in Section.objects.all()}
        by_id = {section.pk: section for section in self.existing_sections.values()}
        new_records = []
        self.next_position = (
            max((s.position for s in self.existing_sections.values()), default=0) or 0
        ) + 1
        for term in parents_first(terms):
            parent_id = self.ids.sections.get(term.parent_slug)
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
                section = self.new_section(term, name, description, parent_id)
                by_id[section.pk] = section
                if record is not None:
                    record.object_id, record.checksum = section.pk, wanted
                    record.save(update_fields=["object_id", "checksum"])
                else:
                    new_records.append(
                        self.context.record(Kind.SECTION, term.slug, section.pk, wanted)
                    )
            self.ids.sections[term.slug] = section.pk
            if term.term_id:
                self.ids.sections_by_term_id[term.term_id] = section.pk
        WordPressItem.objects.bulk_create(new_records)
        self.redirects.write(category_addresses(self.survey, self.ids.sections), target="section")

    def new_section(self, term: Term, name: str, description: str, parent_id) -> Section:
        """The existing section of the category's slug, or a new one (renamed if need be)."""
        existing = self.existing_sections
        slug = clean_slug(term.slug, term.name, max_length=80) or f"section-{term.term_id}"
        section = existing.get(slug)
        if section is not None and slug not in RESERVED_SECTION_SLUGS:
            self.summary.unchanged("sections")
            self.summary.note("sections", "matched an existing section", slug)
            return section
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
            position=self.next_position,
            show_in_nav=term.slug != UNCATEGORISED,
        )
        self.next_position += 1
        existing[free] = self.created_sections[section.pk] = section
        self.summary.created("sections")
        return section

    def hide_empty_sections(self) -> None:
        """
        Once the posts are in: the sections this run created that hold no published story
        (nor any of their subsections) are left out of the reader navigation, and reported.
        """
        if not self.created_sections:
            return
        holding = set(
            Article.objects.filter(
                section__in=list(self.created_sections), status=Article.Status.PUBLISHED
            ).values_list("section_id", flat=True)
        )
        for section_id in list(holding):
            section = self.created_sections.get(section_id)
            while section is not None and section.parent_id not in holding:
                holding.add(section.parent_id)
                section = self.created_sections.get(section.parent_id)
        empty = [s for pk, s in self.created_sections.items() if pk not in holding]
        Section.objects.filter(pk__in=[s.pk for s in empty if s.show_in_nav]).update(
            show_in_nav=False
        )
        for section in empty:
            self.summary.note(
                "sections", "no published story: left out of the navigation", section.slug
            )

    def import_tags(self) -> None:
        """Tags, and the categories that are a post's second category (kept as tags too)."""
        terms = dict(self.survey.tags)
        for slug in self.survey.secondary_categories():
            terms[CATEGORY_TAG + slug] = self.survey.categories[slug]
        records = self.context.records(Kind.TAG, list(terms))
        tags = list(Tag.objects.all())
        by_slug = {tag.slug: tag for tag in tags}
        by_name = {tag.name.casefold(): tag for tag in tags}
        by_id = {tag.pk: tag for tag in tags}
        new_tags, new_records, renamed = [], [], []
        for key, term in terms.items():
            name = Truncator(plain(term.name) or unquote(term.slug)).chars(60)
            wanted = checksum(name)
            record = records.get(key)
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
                self.ids.tags[key] = tag.pk
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
            new_records.append((key, tag, wanted, record))
        Tag.objects.bulk_create(new_tags, batch_size=500)
        Tag.objects.bulk_update(renamed, ["name"], batch_size=500)
        created_records = []
        for wp_slug, tag, wanted, record in new_records:
            self.ids.tags[wp_slug] = tag.pk
            if record is not None:
                record.object_id, record.checksum = tag.pk, wanted
                record.save(update_fields=["object_id", "checksum"])
            else:
                created_records.append(self.context.record(Kind.TAG, wp_slug, tag.pk, wanted))
        WordPressItem.objects.bulk_create(created_records, batch_size=500)

    def import_authors(self) -> None:
        authors = self.survey.authors
        records = self.context.records(Kind.AUTHOR, list(authors))
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
                    self.context.record(Kind.AUTHOR, login, author.pk, wanted).save()
            if user is not None:
                self.link_user(author, user, by_user)
            self.ids.authors[login] = author.pk

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


def display_name(author: WPAuthor) -> str:
    full = f"{author.first_name} {author.last_name}".strip()
    return plain(author.display_name) or plain(full) or author.login
