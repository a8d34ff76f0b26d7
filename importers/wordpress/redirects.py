"""
The redirects stage: the old site's addresses of posts (`/?p=123`, the post's own permalink)
and of categories (`/category/parent/child/`, `/category/child/`, `/?cat=5`), kept as
redirects to the stories and sections they became. A redirect is created once and never
taken over: an old address already leading elsewhere is reported and left alone.
"""

from urllib.parse import unquote, urlsplit

from articles.models import Redirect
from articles.redirects import normalise_query

from .common import Context, chunks
from .survey import Survey
from .wxr import Item

Address = tuple[str, str]  # a path and its normalised query string


def old_address(url: str) -> Address | None:
    """The path and normalised query of an address of the old site, as requests see them."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    path = unquote(parts.path) or "/"
    if not path.startswith("/") or len(path) > 400:
        return None
    return path, normalise_query(parts.query)


def post_addresses(survey: Survey, item: Item, *, pages: int = 1) -> list[Address]:
    """
    A post's old addresses: `/?p=<id>` under the blog's path, and its permalink; for a post
    in pages (`<!--nextpage-->`), each page's too: `/slug/2/` and `/?p=<id>&page=2`.
    """
    home = f"{survey.blog_path}/"
    permalink = old_address(item.link)
    addresses = [(home, normalise_query(f"p={item.wp_id}")), permalink]
    for page in range(2, pages + 1):
        addresses.append((home, normalise_query(f"p={item.wp_id}&page={page}")))
        if permalink is not None and permalink[0].endswith("/") and not permalink[1]:
            addresses.append((f"{permalink[0]}{page}/", ""))
    return [address for address in dict.fromkeys(addresses) if address is not None]


def category_addresses(survey: Survey, sections: dict[str, int]) -> dict[Address, int]:
    """/category/<slug>/, /category/<parent>/<child>/ and /?cat=<id>: the section's id."""
    terms = survey.categories
    wanted: dict[Address, int] = {}
    for term in terms.values():
        section_id = sections[term.slug]
        chain, seen, current = [], set(), term
        while current is not None and current.slug not in seen:
            seen.add(current.slug)
            chain.insert(0, unquote(current.slug))
            current = terms.get(current.parent_slug)
        for path in {"/".join(chain), unquote(term.slug)}:
            wanted.setdefault((f"{survey.blog_path}/category/{path}/", ""), section_id)
        if term.term_id:
            key = (f"{survey.blog_path}/", normalise_query(f"cat={term.term_id}"))
            wanted.setdefault(key, section_id)
    return wanted


class Redirects:
    """Writes old addresses leading to stories or sections, a batch at a time."""

    def __init__(self, context: Context):
        self.summary = context.summary

    def write(self, wanted: dict[Address, int], *, target: str) -> None:
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
