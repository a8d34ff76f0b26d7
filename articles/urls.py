from django.urls import path, re_path, register_converter

from . import converters, media, views

register_converter(converters.FourDigitYearConverter, "yyyy")
register_converter(converters.TwoDigitConverter, "mm")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("preview/<str:token>/", views.preview, name="preview"),
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
