from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz/", views.health, name="health"),
    # Renditions, and media on this server's disk.
    path("", include("photos.urls")),
    path("comments/", include("comments.urls")),
    # A live story's updates, feed and entry permalinks, under the story's address.
    path("", include("live.urls")),
    # The site's own pages: about us, contact, the corrections policy.
    path("", include("newsroom.pages")),
    # The reader site comes last: a section front is any top-level /<slug>/.
    path("", include("articles.urls")),
]

handler404 = "newsroom.views.page_not_found"
handler500 = "newsroom.views.server_error"
