from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path, register_converter

from . import converters, media, views
from .caching import cached_page
from .feeds import LatestStoriesAtomFeed, LatestStoriesFeed, SectionAtomFeed, SectionFeed
from .sitemaps import SITEMAPS

register_converter(converters.FourDigitYearConverter, "yyyy")
register_converter(converters.TwoDigitConverter, "mm")
register_converter(converters.TwoDigitConverter, "dd")

app_name = "articles"

# The reader pages served from the page cache to anonymous readers, with the query
# parameters each one uses (see caching.py).
home = cached_page(views.home)
section_front = cached_page(views.section_front, params=["page"])
article = cached_page(views.article_detail, params=["comments-page", "reply-to"])
tag_page = cached_page(views.tag_page, params=["page"])
author_page = cached_page(views.author_page, params=["page"])
search_page = cached_page(
    views.search_page, params=["q", "section", "date_from", "date_to", "page"]
)
sitemap_index = cached_page(sitemap_views.index)
sitemap_part = cached_page(sitemap_views.sitemap, params=["p"])

urlpatterns = [
    path("", home, name="home"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("search/", search_page, name="search"),
    path("feeds/latest/", cached_page(LatestStoriesFeed()), name="feed"),
    path("feeds/latest/atom/", cached_page(LatestStoriesAtomFeed()), name="feed-atom"),
    path("feeds/<slug:section>/", cached_page(SectionFeed()), name="section-feed"),
    path("feeds/<slug:section>/atom/", cached_page(SectionAtomFeed()), name="section-feed-atom"),
    path(
        "sitemap.xml",
        sitemap_index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap-part"},
        name="sitemap",
    ),
    path("sitemap-news.xml", cached_page(views.news_sitemap), name="news-sitemap"),
    path("sitemap-<slug:section>.xml", sitemap_part, {"sitemaps": SITEMAPS}, name="sitemap-part"),
    path("robots.txt", cached_page(views.robots_txt), name="robots"),
    path("tag/<slug:slug>/", tag_page, name="tag"),
    path("author/<slug:slug>/", author_page, name="author"),
    re_path(
        r"^images/(?P<image_id>[0-9]+)/(?P<signature>[0-9a-f]{16})/"
        r"(?P<spec>[a-z]+)-(?P<width>[0-9]+)\.(?P<extension>webp|jpg|png)$",
        media.rendition,
        name="rendition",
    ),
    path("<slug:section>/", section_front, name="section"),
    path(
        "<slug:section>/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/",
        article,
        name="article",
    ),
]
