"""
The first reading of an export: the whole file is checked, and only what is small is kept
(the site, its authors, categories and tags wherever they are in the file, and the
attachments' descriptions). A file that is not a well-formed WordPress export is refused
here, before anything is written.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from .media import Attachments
from .wxr import Author, Item, Site, Term, read_export

Progress = Callable[[int], None]
PRIMARY_CATEGORY_META = ("_yoast_wpseo_primary_category", "rank_math_primary_category")
# The key, among tags, of a category kept as a tag (a post's second category).
CATEGORY_TAG = "category:"


def categories_of(item: Item, categories: dict[str, Term]) -> tuple[str, list[str]]:
    """
    The slugs of a post's primary category (the one chosen in Yoast or Rank Math, else the
    first) and of its others. The primary is "" when the post has no known category.
    """
    slugs = [t.slug for t in item.terms if t.domain == "category" and t.slug in categories]
    slugs = list(dict.fromkeys(slugs))
    primary = ""
    by_term_id = {term.term_id: slug for slug, term in categories.items() if term.term_id}
    for key in PRIMARY_CATEGORY_META:
        primary = by_term_id.get(item.meta.get(key, ""), "")
        if primary:
            break
    else:
        primary = slugs[0] if slugs else ""
    return primary, [slug for slug in slugs if slug != primary]


@dataclass
class Survey:
    """What the first reading keeps: small things only."""

    site: Site | None = None
    authors: dict[str, Author] = field(default_factory=dict)
    categories: dict[str, Term] = field(default_factory=dict)
    tags: dict[str, Term] = field(default_factory=dict)
    attachments: Attachments = field(default_factory=Attachments)
    # Posts in more than one category, kept small: their categories and primary's meta.
    multi_category_posts: list[Item] = field(default_factory=list)

    @property
    def site_key(self) -> str:
        """
        The blog's own address, which keys its items' import records: "myblog.example.org"
        or "example.org/news" (without the scheme, which a blog may change between two
        exports). Not the network's `base_site_url`, which every WordPress.com blog and
        every subsite of a multisite share.
        """
        return blog_key(self.site.base_blog_url or self.site.link or self.site.base_site_url)

    @property
    def legacy_site_key(self) -> str:
        """The key imports used before blogs were told apart: the network's address."""
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

    def add(self, record: Site | Author | Term | Item) -> None:
        if isinstance(record, Site):
            self.site = record
        elif isinstance(record, Author):
            if record.login:
                self.authors[record.login] = record
        elif isinstance(record, Term):
            if record.domain in ("category", "post_tag"):
                self.add_term(record)
        elif isinstance(record, Item):
            for term in record.terms:
                self.add_term(term)
            if record.creator and record.creator not in self.authors:
                self.authors[record.creator] = Author(login=record.creator)
            if record.post_type == "attachment":
                self.attachments.add(record)
            elif sum(term.domain == "category" for term in record.terms) > 1:
                meta = {
                    key: record.meta[key] for key in PRIMARY_CATEGORY_META if key in record.meta
                }
                categories = tuple(term for term in record.terms if term.domain == "category")
                self.multi_category_posts.append(Item("", "", "", terms=categories, meta=meta))

    def secondary_categories(self) -> list[str]:
        """The categories that are some post's second (or later) category: kept as tags."""
        found = {}
        for item in self.multi_category_posts:
            found.update(dict.fromkeys(categories_of(item, self.categories)[1]))
        return list(found)


def blog_key(address: str) -> str:
    parts = urlsplit(address.strip())
    if not parts.netloc:
        return address.strip().rstrip("/")[:200]
    return f"{parts.netloc.lower()}{parts.path.rstrip('/')}"[:200]


def survey_export(path: Path, progress: Progress | None = None) -> Survey:
    """First reading: check the whole file and keep the site, authors, terms, attachments."""
    survey = Survey()
    with path.open("rb") as file:
        for record in read_export(ProgressReader(file, progress)):
            survey.add(record)
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
