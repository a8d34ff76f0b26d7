import re

from django.conf import settings
from django.urls import re_path

from . import views

app_name = "photos"

urlpatterns = [
    re_path(
        r"^images/(?P<image_id>[0-9]+)/(?P<signature>[0-9a-f]{16})/"
        r"(?P<spec>[a-z]+)-(?P<width>[0-9]+)\.(?P<extension>webp|jpg|png)$",
        views.rendition,
        name="rendition",
    ),
]

# Media on this server's disk (the embedded default) is served by Django, in production too;
# with S3-compatible storage the bucket serves it and this route is not needed.
if settings.NEWSROOM_SERVE_MEDIA and settings.MEDIA_URL.startswith("/"):
    urlpatterns.append(
        re_path(
            rf"^{re.escape(settings.MEDIA_URL.lstrip('/'))}(?P<path>.+)$",
            views.serve_media,
            name="media",
        )
    )
