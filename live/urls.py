from django.urls import path

from articles import converters  # noqa: F401 - registers the story address's dated parts
from newsroom.pagecache import cached_page

from . import views

app_name = "live"

STORY = "<slug:section>/<yyyy:year>/<mm:month>/<dd:day>/<slug:slug>/live/"

# Served from the page cache like every reader page; each names the story's live key.
updates = cached_page(views.updates, params=["since"])
feed = cached_page(views.LiveEntriesFeed())
entry = cached_page(views.entry_permalink)

urlpatterns = [
    path(f"{STORY}updates/", updates, name="updates"),
    path(f"{STORY}feed/", feed, name="feed"),
    path(f"{STORY}<int:entry_id>/", entry, name="entry"),
]
