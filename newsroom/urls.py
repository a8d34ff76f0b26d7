import re

from django.conf import settings
from django.contrib import admin
from django.urls import include, path, re_path

from articles.media import serve_media

admin.site.site_header = f"{settings.NEWSROOM_PUBLICATION_NAME} · Newsroom"
admin.site.site_title = f"{settings.NEWSROOM_PUBLICATION_NAME} · Newsroom"
admin.site.index_title = "The desk"

# Media on this server's disk (the embedded default) is served by Django, in production too;
# with S3-compatible storage the bucket serves it and this route is not needed.
if settings.NEWSROOM_SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    media = [
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$",
            serve_media,
            name="media",
        )
    ]
else:
    media = []

urlpatterns = [
    path("admin/", admin.site.urls),
    *media,
    path("comments/", include("comments.urls")),
    # The reader site comes last: a section front is any top-level /<slug>/.
    path("", include("articles.urls")),
]

# The benchmark's floors (bench/floors.py), never on a public site.
if settings.NEWSROOM_BENCH_FLOORS:
    urlpatterns.insert(0, path("bench/", include("bench.floors")))
