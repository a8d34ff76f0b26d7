from .stories import Article, ArticleQuerySet, Byline, Correction, FrontPage, bylines_with_authors
from .taxonomy import RESERVED_SECTION_SLUGS, Author, Section, Tag, unique_slug

__all__ = [
    "RESERVED_SECTION_SLUGS",
    "Article",
    "ArticleQuerySet",
    "Author",
    "Byline",
    "Correction",
    "FrontPage",
    "Section",
    "Tag",
    "bylines_with_authors",
    "unique_slug",
]
