# Old addresses live with the code that answers them (articles/redirects.py).
from ..redirects import Redirect, split_old_address
from .presence import EditingPresence
from .search import PostgresSearchDocument, SqliteSearchEntry
from .stories import (
    Article,
    ArticleQuerySet,
    Byline,
    Correction,
    FrontPage,
    bylines_with_authors,
    shown_with_stories,
)
from .taxonomy import RESERVED_SECTION_SLUGS, Author, Section, Tag, unique_slug
from .workflow import AuditEntry, StoryRevision

__all__ = [
    "RESERVED_SECTION_SLUGS",
    "Article",
    "ArticleQuerySet",
    "AuditEntry",
    "Author",
    "Byline",
    "Correction",
    "EditingPresence",
    "FrontPage",
    "PostgresSearchDocument",
    "Redirect",
    "Section",
    "SqliteSearchEntry",
    "StoryRevision",
    "Tag",
    "bylines_with_authors",
    "shown_with_stories",
    "split_old_address",
    "unique_slug",
]
