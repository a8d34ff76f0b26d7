from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.NEWSROOM_PUBLICATION_NAME} · Newsroom"
admin.site.site_title = f"{settings.NEWSROOM_PUBLICATION_NAME} · Newsroom"
admin.site.index_title = "The desk"

urlpatterns = [
    path("admin/", admin.site.urls),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
    path("comments/", include("comments.urls")),
    # The reader site comes last: a section front is any top-level /<slug>/.
    path("", include("articles.urls")),
]
