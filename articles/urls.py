from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from newsroom.pagecache import cached_page

from . import converters, views  # noqa: F401 - converters registers the dated parts
from .feeds import LatestStoriesAtomFeed, LatestStoriesFeed, SectionAtomFeed, SectionFeed
from .freshness import STORIES
from .sitemaps import SITEMAPS

app_name = "articles"

# The reader pages served from the page cache to anonymous readers, with the query
# parameters each one uses (see newsroom/pagecache.py). Story pages, fronts, tag and author
# pages name their own keys; the pages listing every story depend on `stories`.
home = cached_page(views.home)
section_front = cached_page(views.section_front, params=["page"])
article = cached_page(views.article_detail, params=["comments-page", "reply-to"])
tag_page = cached_page(views.tag_page, params=["page"])
author_page = cached_page(views.author_page, params=["page"])
search_page = cached_page(
    views.search_page, params=["q", "section", "date_from", "date_to", "page"], keys=[STORIES]
)
sitemap_index = cached_page(views.sitemap_index, keys=[STORIES])
sitemap_part = cached_page(sitemap_views.sitemap, params=["p"], keys=[STORIES])


def listing(view):
    """A page listing every story (feeds, sitemaps): it changes with any of them."""
    return cached_page(view, keys=[STORIES])


urlpatterns = [
    path("", home, name="home"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("search/", search_page, name="search"),
    path("feeds/latest/", listing(LatestStoriesFeed()), name="feed"),
    path("feeds/latest/atom/", listing(LatestStoriesAtomFeed()), name="feed-atom"),
    path("feeds/<slug:section>/", listing(SectionFeed()), name="section-feed"),
    path("feeds/<slug:section>/atom/", listing(SectionAtomFeed()), name="section-feed-atom"),
    path("sitemap.xml", sitemap_index, name="sitemap"),
    path("sitemap-news.xml", listing(views.news_sitemap), name="news-sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_part, {"sitemaps": SITEMAPS}, name="sitemap-part"),
    path("robots.txt", listing(views.robots_txt), name="robots"),
    path("tag/<slug:slug>/", tag_page, name="tag"),
    path("author/<slug:slug>/", author_page, name="author"),
    path("<slug:section>/", section_front, name="section"),
    path(
        "<slug:section>/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/",
        article,
        name="article",
    ),
]
