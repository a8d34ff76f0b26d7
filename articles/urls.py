from django.urls import path, re_path, register_converter

from . import converters, media, views
from .caching import cached_page

register_converter(converters.FourDigitYearConverter, "yyyy")
register_converter(converters.TwoDigitConverter, "mm")

app_name = "articles"

# The reader pages served from the page cache to anonymous readers, with the query
# parameters each one uses (see caching.py). Feeds and sitemaps join them the same way.
home = cached_page(views.home)
section_front = cached_page(views.section_front, params=["page"])
article = cached_page(views.article_detail, params=["comments-page", "reply-to"])
tag_page = cached_page(views.tag_page, params=["page"])
author_page = cached_page(views.author_page, params=["page"])

urlpatterns = [
    path("", home, name="home"),
    path("preview/<str:token>/", views.preview, name="preview"),
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
        "<slug:section>/<yyyy:year>/<mm:month>/<mm:day>/<slug:slug>/",
        article,
        name="article",
    ),
]
