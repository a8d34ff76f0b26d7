"""
A live story's JSON-LD: its NewsArticle becomes a schema.org LiveBlogPosting, with when the
coverage started and ended and its entries as `liveBlogUpdate` (BlogPosting). Plugged into
the story page's JSON-LD (articles/structured_data.py) from apps.py; reads what the live
section of the page fetches anyway (sections.py).
"""

from articles.structured_data import iso, person
from newsroom.site import absolute_url

from .addresses import entry_url
from .sections import coverage_of, entries_of


def blog_posting(entry, article):
    url = absolute_url(entry_url(entry, article))
    data = {
        "@type": "BlogPosting",
        "@id": url,
        "url": url,
        "headline": entry.headline or str(entry),
        "articleBody": entry.body_text,
        "datePublished": iso(entry.created_at),
        "dateModified": iso(entry.updated_at),
    }
    if authors := list(entry.authors.all()):
        data["author"] = [person(author) for author in authors]
    return data


def live_blog_posting(article, data):
    """A story with live coverage describes itself as a LiveBlogPosting; others as they were."""
    coverage = coverage_of(article)
    if coverage is None:
        return data
    entries = entries_of(article)
    data = data | {
        "@type": "LiveBlogPosting",
        "coverageStartTime": iso(coverage.started_at),
        "liveBlogUpdate": [blog_posting(entry, article) for entry in entries],
    }
    if coverage.ended_at is not None:
        data["coverageEndTime"] = iso(coverage.ended_at)
    if entries:
        data["dateModified"] = max(data["dateModified"], *(iso(e.updated_at) for e in entries))
    return data
