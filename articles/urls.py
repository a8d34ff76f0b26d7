from django.urls import path, register_converter

from . import converters, views

register_converter(converters.FourDigitYearConverter, "yyyy")
register_converter(converters.TwoDigitConverter, "mm")

app_name = "articles"

urlpatterns = [
    path("", views.home, name="home"),
    path("preview/<str:token>/", views.preview, name="preview"),
    path("tag/<slug:slug>/", views.tag_page, name="tag"),
    path("author/<slug:slug>/", views.author_page, name="author"),
    path("<slug:section>/", views.section_front, name="section"),
    path(
        "<slug:section>/<yyyy:year>/<mm:month>/<mm:day>/<slug:slug>/",
        views.article_detail,
        name="article",
    ),
]
