"""
Sitemaps: `/sitemap.xml` is an index of the front pages (home and sections), the stories,
authors and topics, each split into pages of at most NEWSROOM_SITEMAP_LIMIT addresses
(50,000, the protocol's limit); `/sitemap-news.xml` is the Google News sitemap of the stories
published in the last 48 hours. Only live stories, and only pages that have some, are listed.
Every sitemap page runs a fixed number of queries, however large the archive.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, Max, OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from newsroom import site as public_site

from .models import Article, Author, Section, Tag

NEWS_WINDOW = timedelta(hours=48)
# Google News reads at most this many stories from a news sitemap.
NEWS_SITEMAP_LIMIT = 1000


def newest(stories):
    """A subquery: the publication time of the newest of `stories` (correlated by the caller)."""
    return Subquery(stories.order_by("-publish_at").values("publish_at")[:1])


class SiteSitemap(Sitemap):
    """A sitemap whose addresses are on the site's public address, whatever Host was sent."""

    def get_urls(self, page=1, site=None, protocol=None):
        return self._urls(page, public_site.scheme(), public_site.domain())


class PagedSitemap(SiteSitemap):
    """A sitemap of pages that list stories, each last changed when its newest story went live."""

    @property
    def limit(self):
        return settings.NEWSROOM_SITEMAP_LIMIT

    def lastmod(self, item):
        return item.latest

    def listed_stories(self):
        """The live stories the pages list, for the sitemap's own last change."""
        return Article.objects.live()

    def get_latest_lastmod(self):
        # One aggregate instead of Django's default, which reads every item of every page.
        return self.listed_stories().aggregate(latest=Max("publish_at"))["latest"]


class StorySitemap(PagedSitemap):
    def items(self):
        return (
            Article.objects.live()
            .select_related("section")
            .only("slug", "publish_at", "modified_at", "section__slug")
            .order_by("-publish_at", "-pk")
        )

    def lastmod(self, article):
        return max(article.publish_at, article.modified_at)

    def get_latest_lastmod(self):
        found = Article.objects.live().aggregate(
            published=Max("publish_at"), modified=Max("modified_at")
        )
        return max(filter(None, found.values()), default=None)


class FrontSitemap(PagedSitemap):
    """Every section front that has a live story (its own or a subsection's)."""

    def items(self):
        return Section.objects.annotate(
            latest=newest(
                Article.objects.live().filter(
                    Q(section=OuterRef("pk")) | Q(section__parent=OuterRef("pk"))
                )
            )
        ).filter(latest__isnull=False)

    def location(self, section):
        return section.get_absolute_url()


class AuthorSitemap(PagedSitemap):
    def listed_stories(self):
        return Article.objects.live().filter(bylines__isnull=False)

    def items(self):
        stories = Article.objects.live().filter(bylines__author=OuterRef("pk"))
        return (
            Author.objects.annotate(latest=newest(stories))
            .filter(Exists(stories))
            .order_by("slug")
            .only("slug")
        )


class TopicSitemap(PagedSitemap):
    def listed_stories(self):
        return Article.objects.live().filter(tags__isnull=False)

    def items(self):
        stories = Article.objects.live().filter(tags=OuterRef("pk"))
        return (
            Tag.objects.annotate(latest=newest(stories))
            .filter(Exists(stories))
            .order_by("slug")
            .only("slug")
        )


class HomeSitemap(SiteSitemap):
    """The home page, last changed when the newest story went live."""

    def items(self):
        return ["articles:home"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return self.get_latest_lastmod()

    def get_latest_lastmod(self):
        if not hasattr(self, "_latest"):
            self._latest = Article.objects.live().aggregate(latest=Max("publish_at"))["latest"]
        return self._latest


SITEMAPS = {
    "home": HomeSitemap,
    "sections": FrontSitemap,
    "stories": StorySitemap,
    "authors": AuthorSitemap,
    "topics": TopicSitemap,
}


def news_stories():
    """The stories of the Google News sitemap: live, published in the last 48 hours."""
    return (
        Article.objects.live()
        .filter(publish_at__gte=timezone.now() - NEWS_WINDOW)
        .select_related("section")
        .only("headline", "slug", "publish_at", "section__slug")
        .newest_first()[:NEWS_SITEMAP_LIMIT]
    )
