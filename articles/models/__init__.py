from .images import Image, ImageQuerySet, Rendition, validate_alt_text
from .imports import WordPressItem
from .search import PostgresSearchDocument, SqliteSearchEntry
from .stories import Article, ArticleQuerySet, Byline, Correction, FrontPage, bylines_with_authors
from .taxonomy import RESERVED_SECTION_SLUGS, Author, Section, Tag, unique_slug
from .workflow import AuditEntry, Redirect, StoryRevision, split_old_address

__all__ = [
    "RESERVED_SECTION_SLUGS",
    "Article",
    "ArticleQuerySet",
    "AuditEntry",
    "Author",
    "Byline",
    "Correction",
    "FrontPage",
    "Image",
    "ImageQuerySet",
    "PostgresSearchDocument",
    "Redirect",
    "Rendition",
    "Section",
    "SqliteSearchEntry",
    "StoryRevision",
    "Tag",
    "WordPressItem",
    "bylines_with_authors",
    "split_old_address",
    "unique_slug",
    "validate_alt_text",
]
