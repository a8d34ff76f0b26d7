from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

admin.site.site_header = f"{settings.NEWSROOM_PUBLICATION_NAME} newsroom"
admin.site.site_title = f"{settings.NEWSROOM_PUBLICATION_NAME} newsroom"
admin.site.index_title = "Newsroom"

urlpatterns = [
    path("admin/", admin.site.urls),
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
    # The reader site comes last: a section front is any top-level /<slug>/.
    path("", include("articles.urls")),
]
