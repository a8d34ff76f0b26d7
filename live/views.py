"""
A live story's own reader addresses, under the story's: the updates its open pages poll, its
feed and each entry's permalink. Every story comes through Article.objects.live(); all are
served from the page cache and change only when the story's live key is bumped.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import prefetch_related_objects
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed

from articles import freshness as story_freshness
from articles.models import Article
from newsroom import pagecache
from newsroom.site import absolute_url
from photos.templatetags.pictures import images_in

from . import freshness
from .addresses import entry_url, feed_url
from .models import LiveEntry, entry_authors
from .sections import coverage_of, moment_of, stamp

# At most this many changed entries in one answer: a page that missed more gets the rest
# with its next polls.
MOST_UPDATES = 50
# An entry is stamped when it is saved and seen when its transaction commits, a moment later:
# an answer also repeats what changed this long before `since`, so an entry committed after a
# later one is never missed. The page leaves out what it already shows, by its stamp.
COMMIT_LAG = timedelta(seconds=10)
FEED_ENTRIES = 50
# A `since` past this (microseconds since the epoch) is no moment at all.
LATEST_SINCE = 10**17


def live_story(request, section, year, month, day, slug):
    """The live story at this address and its coverage; a 404 for anything else."""
    article = Article.objects.live().select_related("section").filter(slug=slug).first()
    if article is None or not request.path.startswith(article.get_absolute_url()):
        raise Http404("No such live story.")
    pagecache.depends_on(request, freshness.live(article.pk), story_freshness.story(article.pk))
    coverage = coverage_of(article)
    if coverage is None:
        raise Http404("This story has no live coverage.")
    return article, coverage


def parse_since(value):
    """The moment `since` names (microseconds since the epoch), or None if it names none."""
    if not value:
        return moment_of(0)
    if not (value.isascii() and value.isdigit()) or int(value) > LATEST_SINCE:
        return None
    return moment_of(int(value))


def updates(request, **story):
    """
    What changed in a live story after `since` (from the page, or the last answer): the
    entries posted, changed or deleted since then (and in the moments before, see
    COMMIT_LAG), each as the page shows it with its stamp, whether the coverage has ended,
    and the `since` to ask with next. A small JSON answer, the same for every reader who had
    the same page, so the page cache serves it (304 to a reader who has it). A fixed number
    of queries, whatever the number of entries.
    """
    since = parse_since(request.GET.get("since", ""))
    if since is None:
        return JsonResponse({"error": "`since` is a number of microseconds."}, status=400)
    article, coverage = live_story(request, **story)
    # A CDN or browser keeps an answer no longer than a poll's interval (the page cache
    # serves it until an entry changes, or renders it again once that interval is up).
    pagecache.fresh_until(
        request, timezone.now() + timedelta(seconds=settings.NEWSROOM_LIVE_POLL_SECONDS)
    )
    entries = LiveEntry.objects
    newer = list(entries.changed_since(coverage, since)[:MOST_UPDATES])
    late = list(entries.changed_since(coverage, since - COMMIT_LAG, until=since)[:MOST_UPDATES])
    changed = late + newer
    prefetch_related_objects(changed, entry_authors())
    images = images_in(*(entry.body for entry in changed))
    return JsonResponse(
        {
            "since": stamp(max([since, *(entry.updated_at for entry in newer)])),
            "ended": coverage.has_ended,
            "new": sum(1 for entry in newer if entry.created_at > since and not entry.is_deleted),
            "updates": [
                {
                    "id": entry.pk,
                    "updated": stamp(entry.updated_at),
                    "deleted": entry.is_deleted,
                    "pinned": entry.is_pinned,
                    "html": ""
                    if entry.is_deleted
                    else render_to_string(
                        "live/_entry.html",
                        {"entry": entry, "article": article, "images": images},
                    ),
                }
                for entry in changed
            ],
        }
    )


def entry_permalink(request, entry_id, **story):
    """An entry's own address: it lands on the entry, on its story's page."""
    article, coverage = live_story(request, **story)
    entry = get_object_or_404(coverage.entries.shown(), pk=entry_id)
    return redirect(f"{article.get_absolute_url()}#{entry.anchor}")


class LiveEntriesFeed(Feed):
    """A live story's entries, newest first (RSS 2.0)."""

    feed_type = Rss201rev2Feed

    def get_object(self, request, **story):
        article, coverage = live_story(request, **story)
        article.coverage = coverage
        return article

    def title(self, article):
        return f"Live: {article.headline}"

    def link(self, article):
        return article.get_absolute_url()

    def feed_url(self, article):
        return absolute_url(feed_url(article))

    def description(self, article):
        return article.live_coverage.summary or article.description

    def items(self, article):
        entries = list(
            LiveEntry.objects.filter(coverage=article.coverage)
            .shown()
            .order_by("-created_at", "-pk")
            .prefetch_related("authors")[:FEED_ENTRIES]
        )
        for entry in entries:
            entry.coverage = article.coverage
        return entries

    def item_title(self, entry):
        return str(entry)

    def item_description(self, entry):
        return entry.body

    def item_link(self, entry):
        return entry_url(entry, entry.coverage.article)

    def item_guid(self, entry):
        return absolute_url(entry_url(entry, entry.coverage.article))

    def item_pubdate(self, entry):
        return entry.created_at

    def item_updateddate(self, entry):
        return entry.updated_at

    def item_author_name(self, entry):
        return ", ".join(author.name for author in entry.authors.all()) or None
