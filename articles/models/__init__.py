from .images import Image, ImageQuerySet, Rendition, validate_alt_text
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
    "Image",
    "ImageQuerySet",
    "Rendition",
    "Section",
    "Tag",
    "bylines_with_authors",
    "unique_slug",
    "validate_alt_text",
]
