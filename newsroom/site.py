"""
The site's one public address.

Every absolute address that readers, feeds, sitemaps, link previews and search engines see
(canonical links, JSON-LD, Open Graph, sitemap locations, feed links) is made here from
NEWSROOM_SITE_URL, never from the Host header a request happened to send: a port, a letter
case or a trailing dot in Host changes nothing on a page, so one page is one page, in the
page cache as everywhere else.
"""

from urllib.parse import urljoin, urlsplit

from django.conf import settings


def absolute_url(url: str) -> str:
    """`url` (a path such as reverse() gives, or an address already absolute) on the site."""
    return urljoin(settings.NEWSROOM_SITE_URL + "/", url)


def domain() -> str:
    """The site's host (and port, when it is not the scheme's own), e.g. "news.example.org"."""
    return urlsplit(settings.NEWSROOM_SITE_URL).netloc


def scheme() -> str:
    """ "https" or "http", as the site is served."""
    return urlsplit(settings.NEWSROOM_SITE_URL).scheme
