"""
Pieces of reader pages that many pages or many requests show alike (the navigation and the
footer, a section's "more from" list, a story's comments), rendered once by each server
process and kept in its memory until one of the page-cache keys they show is bumped
(newsroom/pagecache.py) or their time comes: a page the page cache does not hold then costs
only the rendering of what is its own.

- A piece is named by what it shows: `("more-from", story_pk)`. It depends on `site` and on
  the keys it names; their versions are read once per request, before anything is rendered,
  so a write that commits meanwhile leaves the piece kept under the older versions, and the
  next request renders it again.
- It is fresh until the next moment pages change with no write (`horizon()`: a scheduled
  story comes due) and, if given, its own (`until`: comments close).
- Only pages the page cache may share use kept pieces: never a preview, a page for staff, a
  reader's own page or a form sent back with errors.
- A cache that cannot be reached costs nothing but speed: pieces are rendered every time.
"""

import threading
import time

from django.conf import settings
from django.dispatch import receiver
from django.utils.autoreload import file_changed

from .cache import CacheUnavailable
from .pagecache import RECENT, SITE, bump, bump_pending, current_versions, horizon


class Kept:
    """
    The pieces this process rendered last, newest kept, in at most NEWSROOM_FRAGMENTS_KEPT_MB
    megabytes of text: each with the versions of its keys and the moment it stops being fresh.
    """

    def __init__(self):
        self.entries = {}
        self.size = 0
        self.lock = threading.Lock()

    def get(self, name, stamp, now):
        entry = self.entries.get(name)
        if entry is None or entry[0] != stamp or (entry[1] is not None and now >= entry[1]):
            return None
        return entry[2]

    def keep(self, name, stamp, until, html):
        budget = settings.NEWSROOM_FRAGMENTS_KEPT_MB * 1_000_000
        with self.lock:
            if (old := self.entries.pop(name, None)) is not None:
                self.size -= len(old[2])
            if len(html) > budget:
                return
            self.entries[name] = (stamp, until, html)
            self.size += len(html)
            while self.size > budget:
                self.size -= len(self.entries.pop(next(iter(self.entries)))[2])

    def clear(self):
        with self.lock:
            self.entries.clear()
            self.size = 0


KEPT = Kept()


def will_show(request, keys):
    """
    The page will show pieces depending on `keys` (each story card of a list): their versions
    are read with the first piece's, in one read, instead of one read for each.
    """
    request.__dict__.setdefault("_fragment_keys", set()).update(keys)


def fragment(request, name, keys, render, *, until=None):
    """
    The piece `name` (a tuple naming what it shows), depending on `keys`: the copy this
    process kept while it is current, else `render()`'s, kept. `until` (epoch seconds or
    None) is when it stops being fresh by itself.
    """
    if request is None or not request.__dict__.get("_page_shared"):
        return render()
    try:
        stamp, fresh_until = _stamp(request, (SITE, *keys))
    except CacheUnavailable:
        return render()
    if any(version is None for _key, version in stamp):  # one the cache could not keep
        return render()
    if until is not None:
        fresh_until = until if fresh_until is None else min(fresh_until, until)
    html = KEPT.get(name, stamp, time.time())
    if html is None:
        html = render()
        KEPT.keep(name, stamp, fresh_until, html)
    return html


def _stamp(request, keys):
    """
    The versions of `keys`, read from the cache the first time this request asks for them
    (with the page's own keys, in one read), and when pages next change by themselves.
    """
    known = request.__dict__.setdefault("_fragment_versions", {})
    if missing := [key for key in keys if key not in known]:
        bump_pending()
        wanted = {
            *missing,
            *request.__dict__.get("_page_keys", ()),
            *request.__dict__.get("_fragment_keys", ()),
        } - known.keys()
        known |= current_versions(wanted, started_ns=time.time_ns())
        if "_fragments_horizon" not in request.__dict__:
            request._fragments_horizon = horizon()
    return tuple((key, known.get(key)) for key in keys), request._fragments_horizon


@receiver(file_changed, dispatch_uid="newsroom-template-edited")
def template_edited(sender, file_path, **kwargs):
    """
    Under `runserver` (`make run`), a template edited shows on the next request: the pages and
    pieces every process kept are made stale, as a change to the whole site would make them.
    """
    if file_path.suffix in (".html", ".txt", ".xml"):
        KEPT.clear()
        RECENT.clear()
        bump([SITE])
