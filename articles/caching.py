"""
The reader site's whole-page cache, and the HTTP caching headers a CDN reads.

A reader page is rendered once and then served from the configured cache (Redis in
production) to every anonymous reader, until something it shows changes:

- Each page depends on a few named keys: `site` (navigation, breaking banner, every page),
  `stories` (feeds, sitemaps and anything else listing every story), `home`, and
  `story:<id>`, `section:<id>`, `tag:<id>`, `author:<id>`. A view names its keys with
  `depends_on()`; a page that names none depends on `stories`.
- Each key has a version in the cache. A stored page keeps the versions it was rendered
  with, and is served only while they are all still current. The write paths (the workflow
  services, the admin's saves, the comment services) bump the keys of what they changed with
  `transaction.on_commit`, so the next request after the commit renders the page again. A
  bump is one cache write per key, whatever the number of pages.
- Time changes pages too: a scheduled story comes due, a breaking banner comes down,
  comments close. No event marks those moments, so a page is fresh only until the next of
  them (`horizon()`, and `fresh_until()` for a page's own), never longer than
  NEWSROOM_PAGE_CACHE_SECONDS.
- When a page's time is up under load, the first request takes a short lock (`cache.add`)
  and renders it again while the others are served the copy they had, for up to
  NEWSROOM_PAGE_CACHE_STALE_SECONDS. A page whose keys changed is never served stale.
- Each server process also keeps the pages it served last (`RECENT`): a hit then costs one
  cache read, of the page's keys' versions, and no copy of the page itself.
- Values every page needs (the navigation, the breaking stories, the comment rules) are
  `remembered()` the same way, until their keys are bumped or their time comes.

Never shared: anything but GET and HEAD; a request with a session that holds a login or the
reader's own held comments (readers without a session cookie never load a session); a
request carrying messages; responses that set a cookie or say `private`; statuses other
than 200 and the 410 of a withdrawn story; query strings other than the page's own
parameters and tracking tags (utm_*, fbclid, gclid…), which the cache key ignores.
"""

import hashlib
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
from django.middleware.gzip import re_accepts_gzip
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date, parse_http_date
from django.utils.text import compress_string

SITE = "site"
STORIES = "stories"
HOME = "home"

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


def story(pk):
    return f"story:{pk}"


def section(pk):
    return f"section:{pk}"


def tag(pk):
    return f"tag:{pk}"


def author(pk):
    return f"author:{pk}"


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


def bump(keys):
    """Make every page that depends on any of `keys` stale. Call it once the data is written."""
    if not keys:
        return
    now = time.time_ns()
    cache.set_many({_version_key(key): now for key in keys}, timeout=None)


def bump_on_commit(keys):
    """Bump `keys` when the current transaction commits (at once outside a transaction)."""
    keys = set(keys)
    transaction.on_commit(lambda: bump(keys), robust=True)


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
    versions = current_versions(keys, started_ns=time.time_ns())
    stamp = tuple(versions.get(key) for key in keys)
    kept = cache.get(f"remembered:{name}")
    if kept is not None and kept[0] == stamp and (kept[1] is None or kept[1] > now):
        return kept[2]
    value = compute()
    ends = until(value) if until else None
    timeout = max(1, min(86_400, int(ends - now))) if ends else 86_400
    cache.set(f"remembered:{name}", (stamp, ends, value), timeout=timeout)
    return value


def horizon():
    """
    When (epoch seconds) a page changes with no write: the next scheduled story coming due,
    or the next breaking banner coming down; None when nothing is due. Kept in the cache
    until that time, or until a story or the site changes.
    """
    from .models import Article

    def next_change():
        when = Article.objects.next_change_at()
        return when.timestamp() if when else None

    return remembered("horizon", next_change, keys=(SITE, STORIES), until=lambda seconds: seconds)


# What a write makes stale.


def keys_for_stories(article_ids, *, lists_of_every_story=True):
    """
    The keys of every page showing any of the stories that readers can see, could see or
    will see (published, scheduled or withdrawn; drafts show nowhere): their own pages,
    their sections' fronts and the parents', the home page, their tags' and authors' pages,
    `stories` (unless not `lists_of_every_story`), and `site` for breaking news. Three
    queries, as the stories are now.
    """
    from .models import Article, Byline

    rows = (
        Article.objects.filter(
            pk__in=article_ids, status__in=[Article.Status.PUBLISHED, Article.Status.WITHDRAWN]
        )
        .order_by()
        .values_list("pk", "section_id", "section__parent_id", "is_breaking")
    )
    keys, shown = set(), []
    for pk, section_id, parent_id, is_breaking in rows:
        shown.append(pk)
        keys |= {story(pk), section(section_id), HOME}
        if parent_id is not None:
            keys.add(section(parent_id))
        if is_breaking:
            keys.add(SITE)
    if not shown:
        return keys
    if lists_of_every_story:
        keys.add(STORIES)
    tagged = Article.tags.through.objects.filter(article_id__in=shown).values_list("tag_id")
    keys |= {tag(tag_id) for (tag_id,) in tagged.distinct()}
    bylined = Byline.objects.filter(article_id__in=shown).order_by().values_list("author_id")
    keys |= {author(author_id) for (author_id,) in bylined.distinct()}
    return keys


def stories_changed(article_ids, *, before=frozenset(), lists_of_every_story=True):
    """
    Once the current transaction commits, make stale every page showing the stories as
    they are then, and the pages named in `before` (from `keys_for_stories` before the
    change: a story moved out of a section or untagged leaves their pages too).
    """
    article_ids = list(article_ids)

    def on_commit():
        bump(set(before) | keys_for_stories(article_ids, lists_of_every_story=lists_of_every_story))

    transaction.on_commit(on_commit, robust=True)


def site_changed(**kwargs):
    """
    A change shown on every page (sections in the navigation, an author's name in bylines,
    a photo's caption, the comment rules): every page is rendered again once it commits.
    Connected to the save and delete signals of those models.
    """
    bump_on_commit([SITE])


# The decorator.


def cached_page(view=None, *, params=()):
    """
    Serve `view`'s page from the page cache to anonymous readers, with HTTP caching headers
    for a CDN and conditional GETs (304). `params` are the query parameters the page uses
    (e.g. "page"); a request with any other parameter, tracking tags aside, is rendered and
    not kept. Usable as `@cached_page(params=["page"])` or, around a view made elsewhere,
    `cached_page(LatestStoriesFeed())`.
    """

    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
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
    if key is None or not settings.NEWSROOM_PAGE_CACHE:
        return rendered(request, render, key=None)

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
    Whether the page shows something of this visitor's own: a login, their held comments,
    messages. Without a session cookie, no session is loaded.
    """
    from comments import awaiting

    if request.COOKIES.get(CookieStorage.cookie_name):
        return True
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    session = request.session
    return (
        SESSION_KEY in session
        or SessionStorage.session_key in session
        or awaiting.holds_any(request)
    )


def page_key(request, params):
    """The cache key of the page asked for, or None for a query string it does not know."""
    kept = []
    for name, values in request.GET.lists():
        if name in params:
            kept.extend((name, value) for value in values)
        elif not TRACKING_PARAMS.match(name):
            return None
    kept.sort()
    query = "&".join(f"{name}={value}" for name, value in kept)
    address = f"{request.scheme}://{request.get_host()}{request.path}?{query}"
    return "page:" + hashlib.blake2b(address.encode(), digest_size=20).hexdigest()


def rendered(request, render, *, key, locked=False):
    """Render the page; keep it when it may be shared; answer with caching headers."""
    started_ns = time.time_ns()
    try:
        response = render()
        if hasattr(response, "render") and not response.is_rendered:
            response.render()  # a TemplateResponse (the sitemaps'), to be read and kept
    finally:
        if locked:
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
    entry = make_entry(response, now=now, fresh_until=fresh_until)

    if key is not None:
        declared = request.__dict__.get("_page_keys") or {STORIES}
        names = sorted({SITE, *declared})
        versions = current_versions(names, started_ns=started_ns)
        if all(version < started_ns - BUMP_MARGIN_NS for version in versions.values()):
            entry["version_keys"] = {_version_key(name): versions[name] for name in names}
            timeout = fresh_until - now + settings.NEWSROOM_PAGE_CACHE_STALE_SECONDS
            cache.set(key, entry, timeout=max(1, round(timeout)))
            RECENT.keep(key, entry)
    return from_entry(request, entry, now, "miss" if key is not None else "pass")


def shareable(response):
    if response.status_code not in SHARED_STATUSES or response.streaming:
        return False
    if response.cookies or response.has_header("Set-Cookie"):
        return False
    cache_control = response.get("Cache-Control", "")
    return "private" not in cache_control and "no-store" not in cache_control


def make_entry(response, *, now, fresh_until):
    content = response.content
    return {
        "status": response.status_code,
        "content": content,
        "gzipped": compress_string(content) if len(content) > 200 else None,
        "headers": [(name, response[name]) for name in KEPT_HEADERS if response.has_header(name)],
        "etag": hashlib.blake2b(content, digest_size=16).hexdigest(),
        "last_modified": http_date(now),
        "fresh_until": fresh_until,
    }


def from_entry(request, entry, now, outcome):
    """A response made from a stored (or just rendered) page, or a 304 when the reader has it."""
    gzipped = entry["gzipped"] is not None and re_accepts_gzip.search(
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
    response["X-Page-Cache"] = outcome
    if entry["status"] != 200:
        return response
    return get_conditional_response(
        request,
        etag=response["ETag"],
        last_modified=parse_http_date(entry["last_modified"]),
        response=response,
    )
