from django.contrib.sitemaps import views as sitemap_views
from django.urls import path, re_path, register_converter

from . import converters, media, views
from .feeds import LatestStoriesAtomFeed, LatestStoriesFeed, SectionAtomFeed, SectionFeed
from .sitemaps import SITEMAPS

register_converter(converters.FourDigitYearConverter, "yyyy")
register_converter(converters.TwoDigitConverter, "mm")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("search/", views.search_page, name="search"),
    path("feeds/latest/", LatestStoriesFeed(), name="feed"),
    path("feeds/latest/atom/", LatestStoriesAtomFeed(), name="feed-atom"),
    path("feeds/<slug:section>/", SectionFeed(), name="section-feed"),
    path("feeds/<slug:section>/atom/", SectionAtomFeed(), name="section-feed-atom"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "articles:sitemap-part"},
        name="sitemap",
    ),
    path("sitemap-news.xml", views.news_sitemap, name="news-sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-part",
    ),
    path("robots.txt", views.robots_txt, name="robots"),
    path("tag/<slug:slug>/", views.tag_page, name="tag"),
    path("author/<slug:slug>/", views.author_page, name="author"),
    re_path(
        r"^images/(?P<image_id>[0-9]+)/(?P<signature>[0-9a-f]{16})/"
        r"(?P<spec>[a-z]+)-(?P<width>[0-9]+)\.(?P<extension>webp|jpg|png)$",
        media.rendition,
        name="rendition",
    ),
    path("<slug:section>/", views.section_front, name="section"),
    path(
        "<slug:section>/<yyyy:year>/<mm:month>/<mm:day>/<slug:slug>/",
        views.article_detail,
        name="article",
    ),
]
