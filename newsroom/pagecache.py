"""
The reader site's whole-page cache, and the HTTP caching headers a CDN reads.

A reader page is rendered once and then served from the configured cache (Redis in
production) to every anonymous reader, until something it shows changes:

- Each page depends on a few named keys: `site` (navigation, breaking banner, every page),
  and the keys the app serving it names (articles: `stories`, `home`, `story:<id>`,
  `section:<id>`, `tag:<id>`, `author:<id>`, see articles/freshness.py). A view names its
  keys with `depends_on()`, or `cached_page(keys=…)` names those its page always has.
- Each key has a version in the cache. A stored page keeps the versions it was rendered
  with, and is served only while they are all still current. Each app bumps the keys of what
  a write changed once its transaction commits (`bump_on_commit`), from the signals every
  writer passes through (articles/freshness.py, comments/freshness.py), so the next request
  after the commit renders the page again. A bump is one cache write per key, whatever the
  number of pages.
- Time changes pages too: a scheduled story comes due, a breaking banner comes down,
  comments close. No event marks those moments, so a page is fresh only until the next of
  them (`horizon()`, from the moments apps tell it with `changes_by_itself()`, and
  `fresh_until()` for a page's own), never longer than NEWSROOM_PAGE_CACHE_SECONDS.
- When a page's time is up under load, the first request takes a short lock (`cache.add`)
  and renders it again while the others are served the copy they had, for up to
  NEWSROOM_PAGE_CACHE_STALE_SECONDS. A page whose keys changed is never served stale.
- Each server process also keeps the pages it served last (`RECENT`): a hit then costs one
  cache read, of the page's keys' versions, and no copy of the page itself.
- Values every page needs (the navigation, the breaking stories, the comment rules) are
  `remembered()` the same way, until their keys are bumped or their time comes.

Never shared: anything but GET and HEAD; a request with a session that holds a login or
something of the reader's own that an app names with `personal_when()` (a comments reader's
held comments; readers without a session cookie never load a session); a request carrying
messages; responses that set a cookie or say `private`; statuses other
than 200 and the 410 of a withdrawn story; query strings other than the page's own
parameters and tracking tags (utm_*, fbclid, gclid…), which the cache key ignores.

A cache that cannot be reached (Redis down or slow, newsroom/cache.py) costs readers nothing
but speed: pages are rendered and served uncached, remembered values are worked out again,
and the keys a write bumped meanwhile are bumped as soon as the cache answers again.
"""

import contextlib
import hashlib
import json
import re
import time
from functools import wraps

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.session import SessionStorage
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date
from django.utils.text import compress_string

from . import edge
from .cache import CacheUnavailable

SITE = "site"

# Query parameters that say where a reader came from, not what the page shows.
TRACKING_PARAMS = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|dclid|gbraid|wbraid|msclkid|mc_cid|mc_eid|igshid|_ga|ref_src)$"
)
# Headers a stored page keeps; the rest are made fresh for each response.
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")
SHARED_STATUSES = {200, 410}
# A key bumped less than this long before a render began may have been bumped by a write
# whose data the render did not see (clocks of app servers differ a little): such a render
# is served but not kept.
BUMP_MARGIN_NS = 500_000_000


# What a view tells the cache about the page it renders.


def depends_on(request, *keys):
    """Name the keys the page being rendered depends on (besides `site`)."""
    request.__dict__.setdefault("_page_keys", set()).update(keys)


def fresh_until(request, when):
    """The page being rendered changes by itself at `when` (an aware datetime)."""
    if when is None:
        return
    seconds = when.timestamp()
    current = request.__dict__.get("_page_changes_at")
    request._page_changes_at = seconds if current is None else min(current, seconds)


# Versions, and bumping them.


def _version_key(key):
    return f"pagever:{key}"


# Keys a write bumped while the cache could not be reached: bumped once it answers again,
# before this process serves a stored page.
_UNBUMPED = set()


def bump(keys):
    """
    Make every page that depends on any of `keys` stale, here and at the edge in front
    (newsroom/edge.py). Call it once the data is written.
    """
    keys = set(keys)
    pending = keys | _UNBUMPED
    if not pending:
        return
    now = time.time_ns()
    try:
        cache.set_many({_version_key(key): now for key in pending}, timeout=None)
    except CacheUnavailable:
        _UNBUMPED.update(pending)
    else:
        _UNBUMPED.difference_update(pending)
    edge.purge(keys)


def bump_pending():
    """
    Bump the keys writes bumped while the cache could not be reached; CacheUnavailable if it
    still cannot be. Nothing kept may be served before.
    """
    if _UNBUMPED:
        bump(())
        if _UNBUMPED:
            raise CacheUnavailable("the keys bumped while the cache was away are not bumped yet")


def bump_on_commit(keys=(), *, resolve=None, items=(), using=None):
    """
    Once the current transaction commits (at once outside one), bump `keys` and the keys
    `resolve(items)` gives then, when the data is as readers will see it. (A transaction
    rolled back bumps nothing: Django drops its commit callbacks.)
    """
    keys, items = set(keys), set(items)

    def on_commit():
        bump(keys | (resolve(items) if resolve is not None and items else set()))

    transaction.on_commit(on_commit, using=using, robust=True)


def current_versions(keys, *, started_ns):
    """
    The current version of each key. A key with no version yet (or one the cache evicted)
    gets one, older than `started_ns`, so that the page rendered now can be kept.
    """
    names = {_version_key(key): key for key in keys}
    found = cache.get_many(names)
    missing = [name for name in names if name not in found]
    for name in missing:
        cache.add(name, started_ns - 2 * BUMP_MARGIN_NS, timeout=None)
    if missing:
        found |= cache.get_many(missing)
    return {names[name]: version for name, version in found.items()}


def remembered(name, compute, *, keys=(SITE,), until=None):
    """
    A value worked out from the database by `compute()` (the navigation, the breaking
    stories, the comment rules), kept in the cache and shared by every request until one of
    `keys` is bumped or, if given, until `until(value)` (epoch seconds) comes. Two cache
    reads instead of a query.
    """
    now = time.time()
    try:
        versions = current_versions(keys, started_ns=time.time_ns())
        stamp = tuple(versions.get(key) for key in keys)
        kept = cache.get(f"remembered:{name}")
    except CacheUnavailable:
        return compute()
    if kept is not None and kept[0] == stamp and (kept[1] is None or kept[1] > now):
        return kept[2]
    value = compute()
    ends = until(value) if until else None
    timeout = max(1, min(86_400, int(ends - now))) if ends else 86_400
    with contextlib.suppress(CacheUnavailable):
        cache.set(f"remembered:{name}", (stamp, ends, value), timeout=timeout)
    return value


# What apps tell the cache: the moments their pages change with nobody writing, and what in
# a request makes a page the reader's own.

_MOMENTS = []
_PERSONAL = []


def changes_by_itself(name, next_moment, *, keys):
    """
    Pages change with no write at `next_moment()` (an aware datetime, or None when nothing is
    due): a scheduled story comes due, a banner comes down. Worked out once and kept until
    that moment, or until one of `keys` is bumped. Called by an app's ready().
    """
    _MOMENTS.append((name, next_moment, tuple(keys)))


def personal_when(check):
    """A page is the reader's own when `check(request)` is true. Called by an app's ready()."""
    _PERSONAL.append(check)


def horizon():
    """
    When (epoch seconds) pages next change with no write, the soonest of the moments apps
    named with `changes_by_itself()`; None when nothing is due.
    """

    def seconds(next_moment):
        def compute():
            moment = next_moment()
            return moment.timestamp() if moment else None

        return compute

    moments = [
        remembered(f"horizon:{name}", seconds(next_moment), keys=(SITE, *keys), until=lambda s: s)
        for name, next_moment, keys in _MOMENTS
    ]
    return min((moment for moment in moments if moment is not None), default=None)


# The decorator.


def cached_page(view=None, *, params=(), keys=()):
    """
    Serve `view`'s page from the page cache to anonymous readers, with HTTP caching headers
    for a CDN and conditional GETs (304). `params` are the query parameters the page uses
    (e.g. "page"); a request with any other parameter, tracking tags aside, is rendered and
    not kept. `keys` are those the page always depends on, besides any the view names with
    `depends_on()`. Usable as `@cached_page(params=["page"])` or, around a view made
    elsewhere, `cached_page(LatestStoriesFeed(), keys=[STORIES])`.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            depends_on(request, *keys)
            return serve(request, lambda: view(request, *args, **kwargs), frozenset(params))

        wrapper.page_cache_params = frozenset(params)
        return wrapper

    return decorate(view) if view is not None else decorate


def serve(request, render, params):
    if request.method not in ("GET", "HEAD"):
        return render()
    if is_personal(request):
        response = render()
        response["Cache-Control"] = "private, no-store"
        response["X-Page-Cache"] = "bypass"
        return response
    key = page_key(request, params)
    if key is not None:
        # A page any reader may be given: it may show pieces kept for every reader too
        # (newsroom/fragments.py).
        request._page_shared = True
    if key is None or not settings.NEWSROOM_PAGE_CACHE:
        return rendered(request, render, key=None)
    try:
        return from_cache(request, render, key)
    except CacheUnavailable:
        return rendered(request, render, key=None)


def from_cache(request, render, key):
    """The stored page if it is current, else the page rendered (and kept when it may be)."""
    bump_pending()
    now = time.time()
    # The copy this process served last, if its keys are still current: no need to read
    # the page itself from the cache again.
    entry = RECENT.get(key)
    if entry is not None and now < entry["fresh_until"] and is_current(entry):
        return from_entry(request, entry, now, "hit")
    entry = cache.get(key)
    if entry is not None and is_current(entry):
        RECENT.keep(key, entry)
        if now < entry["fresh_until"]:
            return from_entry(request, entry, now, "hit")
        # Past its time: one request renders the page again, the others get this copy
        # while it may still be served.
        may_serve = now < entry["fresh_until"] + settings.NEWSROOM_PAGE_CACHE_STALE_SECONDS
        locked = cache.add(f"pagelock:{key}", 1, timeout=settings.NEWSROOM_PAGE_CACHE_LOCK)
        if may_serve and not locked:
            return from_entry(request, entry, now, "stale")
        return rendered(request, render, key=key, locked=locked)
    return rendered(request, render, key=key)


def is_current(entry):
    """Whether none of the keys of a stored page were bumped since it was rendered."""
    names = entry["version_keys"]
    versions = cache.get_many(names)
    return len(versions) == len(names) and all(
        versions[name] == version for name, version in names.items()
    )


class Recent:
    """
    The pages this process served last, at most NEWSROOM_PAGE_CACHE_RECENT of them. A copy
    here is served only while its keys' versions in the shared cache are those it was
    rendered with and its time is not up: exactly when the shared copy would be.
    """

    def __init__(self):
        self.entries = {}

    def get(self, key):
        return self.entries.get(key)

    def keep(self, key, entry):
        self.entries.pop(key, None)
        self.entries[key] = entry
        while len(self.entries) > settings.NEWSROOM_PAGE_CACHE_RECENT:
            try:
                self.entries.pop(next(iter(self.entries)), None)
            except (StopIteration, RuntimeError):  # another thread emptied or changed it
                break

    def clear(self):
        self.entries.clear()


RECENT = Recent()


def is_personal(request):
    """
    Whether the page shows something of this visitor's own: a login, messages, or what an
    app named with `personal_when()`. Without a session cookie, no session is loaded.
    """
    if request.COOKIES.get(CookieStorage.cookie_name):
        return True
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    session = request.session
    return (
        SESSION_KEY in session
        or SessionStorage.session_key in session
        or any(check(request) for check in _PERSONAL)
    )


def page_key(request, params):
    """
    The cache key of the page asked for, or None for a query string it does not read.

    Made from what the view reads, in one canonical form: the path, and for each of the
    page's own `params` the one value the view takes (the last, as `QueryDict.get()` gives;
    an empty value is no value), sorted by name, names and values kept apart by their JSON
    encoding. Two requests share a key only when the view sees the same parameters. The Host
    header and scheme are not part of it: every address on a page is written on the site's
    one public address (newsroom/site.py), whatever Host was sent.
    """
    kept = {}
    for name in request.GET:
        if name in params:
            if value := request.GET.get(name):
                kept[name] = value
        elif not TRACKING_PARAMS.match(name):
            return None
    canonical = json.dumps([request.path, sorted(kept.items())])
    return "page:" + hashlib.blake2b(canonical.encode(), digest_size=20).hexdigest()


def rendered(request, render, *, key, locked=False):
    """Render the page; keep it when it may be shared; answer with caching headers."""
    started_ns = time.time_ns()
    try:
        response = render()
        if hasattr(response, "render") and not response.is_rendered:
            response.render()  # a TemplateResponse (the sitemaps'), to be read and kept
    finally:
        if locked:
            with contextlib.suppress(CacheUnavailable):
                cache.delete(f"pagelock:{key}")
    if not shareable(response):
        if key is not None:
            response["X-Page-Cache"] = "bypass"
        return response

    now = time.time()
    changes = [
        moment
        for moment in (horizon(), request.__dict__.get("_page_changes_at"))
        if moment is not None and moment > now
    ]
    fresh_until = min([now + settings.NEWSROOM_PAGE_CACHE_SECONDS, *changes])
    # A page served once and not kept is compressed only for a reader who takes gzip.
    gzip = key is not None or accepts_gzip(request.META.get("HTTP_ACCEPT_ENCODING", ""))
    entry = make_entry(response, now=now, fresh_until=fresh_until, gzip=gzip)
    entry["keys"] = sorted({SITE, *request.__dict__.get("_page_keys", ())})

    if key is not None:
        try:
            keep(request, key, entry, started_ns=started_ns, now=now)
        except CacheUnavailable:
            key = None
    return from_entry(request, entry, now, "miss" if key is not None else "pass")


def keep(request, key, entry, *, started_ns, now):
    """Store a page just rendered, unless a write may have changed it while it was rendered."""
    names = entry["keys"]
    versions = current_versions(names, started_ns=started_ns)
    if all(version < started_ns - BUMP_MARGIN_NS for version in versions.values()):
        entry["version_keys"] = {_version_key(name): versions[name] for name in names}
        timeout = entry["fresh_until"] - now + settings.NEWSROOM_PAGE_CACHE_STALE_SECONDS
        cache.set(key, entry, timeout=max(1, round(timeout)))
        RECENT.keep(key, entry)


def shareable(response):
    if response.status_code not in SHARED_STATUSES or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def make_entry(response, *, now, fresh_until, gzip=True):
    content = response.content
    return {
        "status": response.status_code,
        "content": content,
        "gzipped": compress_string(content) if gzip and len(content) > 200 else None,
        "headers": [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)],
        "etag": hashlib.blake2b(content, digest_size=16).hexdigest(),
        "last_modified": http_date(now),
        "fresh_until": fresh_until,
    }


def accepts_gzip(accept_encoding):
    """Whether an Accept-Encoding header takes gzip: named (or `*`) without `q=0`."""
    quality = {}
    for coding in accept_encoding.lower().split(","):
        name, _semicolon, parameters = coding.partition(";")
        weight = 1.0
        for parameter in parameters.split(";"):
            key, _equals, value = parameter.strip().partition("=")
            if key == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        quality[name.strip()] = weight
    return quality.get("gzip", quality.get("*", 0.0)) > 0


def from_entry(request, entry, now, outcome):
    """A response made from a stored (or just rendered) page, or a 304 when the reader has it."""
    gzipped = entry["gzipped"] is not None and accepts_gzip(
        request.META.get("HTTP_ACCEPT_ENCODING", "")
    )
    response = HttpResponse(
        entry["gzipped"] if gzipped else entry["content"], status=entry["status"]
    )
    for name, value in entry["headers"]:
        response[name] = value
    if gzipped:
        response["Content-Encoding"] = "gzip"
    response["ETag"] = f'"{entry["etag"]}{"-gz" if gzipped else ""}"'
    response["Last-Modified"] = entry["last_modified"]
    max_age = max(0, min(settings.NEWSROOM_HTTP_MAX_AGE, int(entry["fresh_until"] - now)))
    response["Cache-Control"] = (
        f"public, max-age={max_age}, "
        f"stale-while-revalidate={settings.NEWSROOM_HTTP_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.NEWSROOM_HTTP_STALE_IF_ERROR}"
    )
    patch_vary_headers(response, ["Accept-Encoding"])
    if surrogate_keys := edge.surrogate_key_header(entry.get("keys")):
        response[surrogate_keys[0]] = surrogate_keys[1]
    response["X-Page-Cache"] = outcome
    if entry["status"] != 200:
        return response
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date(entry["last_modified"]),
        response=response,
    )
