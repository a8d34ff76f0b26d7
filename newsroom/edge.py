"""
The edge cache in front of the app servers (Varnish with xkey, Fastly or Cloudflare), and
purging exactly what a write changed from it.

Every reader page names the page cache's keys it depends on (`site`, `home`, `story:<id>`,
`section:<id>`, `tag:<id>`, `author:<id>`, `stories`; newsroom/pagecache.py) as surrogate
keys, in the header the configured edge reads (`surrogate_key_header()`). Whenever the page
cache bumps keys, once the transaction of the write has committed, the same keys are purged
at the edge (`purge()`), so that a withdrawal or a correction is gone from the edge at once,
not when its copies' max-age runs out. A purge that fails is tried again a few times, then
logged; the last failure and the last success are kept for the admin's desk (`health()`).

NEWSROOM_EDGE names the edge: `varnish`, `fastly`, `cloudflare`, or nothing (no header, no
purges). docs/operations.md, "The edge cache", says how each is configured.
"""

import contextlib
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache import cache

from .cache import CacheUnavailable

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Edge:
    name: str
    header: str
    separator: str
    batch: int


EDGES = {
    "varnish": Edge("Varnish", "xkey", " ", 200),
    "fastly": Edge("Fastly", "Surrogate-Key", " ", 256),
    "cloudflare": Edge("Cloudflare", "Cache-Tag", ",", 30),
}


def configured():
    """The edge in front of the site, or None."""
    return EDGES.get(settings.NEWSROOM_EDGE)


def surrogate_key_header(keys):
    """The header naming `keys` for the configured edge, as (name, value), or None."""
    edge = configured()
    if edge is None or not keys:
        return None
    return edge.header, edge.separator.join(sorted(keys))


class PurgeFailed(Exception):
    """The edge did not confirm a purge."""


def send(request):
    """Send one purge request; PurgeFailed unless the edge answers that it was done."""
    try:
        # The addresses are the settings' own, checked to be http(s) (newsroom/settings.py).
        timeout = settings.NEWSROOM_EDGE_TIMEOUT
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            body = answer.read()
    except urllib.error.HTTPError as error:
        raise PurgeFailed(f"{request.full_url} answered {error.code}") from error
    except (urllib.error.URLError, OSError) as error:
        raise PurgeFailed(f"{request.full_url} could not be reached: {error}") from error
    return body


def varnish_requests(keys):
    """One PURGE of the keys for each Varnish (xkey, deploy/varnish/newsroom.vcl)."""
    headers = {"xkey-purge": " ".join(keys)}
    if settings.NEWSROOM_EDGE_PURGE_TOKEN:
        headers["X-Purge-Token"] = settings.NEWSROOM_EDGE_PURGE_TOKEN
    return [
        urllib.request.Request(url.rstrip("/") + "/", method="PURGE", headers=headers)  # noqa: S310
        for url in settings.NEWSROOM_VARNISH_URLS
    ]


def fastly_requests(keys):
    """Fastly's purge of many surrogate keys at once (POST /service/<id>/purge)."""
    url = f"{settings.NEWSROOM_FASTLY_API_URL.rstrip('/')}/service/"
    url += f"{settings.NEWSROOM_FASTLY_SERVICE_ID}/purge"
    return [
        urllib.request.Request(  # noqa: S310
            url,
            method="POST",
            data=json.dumps({"surrogate_keys": list(keys)}).encode(),
            headers={
                "Fastly-Key": settings.NEWSROOM_FASTLY_API_TOKEN,
                "Content-Type": "application/json",
                "Accept": "application/json",
            },
        )
    ]


def cloudflare_requests(keys):
    """Cloudflare's purge by cache tag (POST /zones/<id>/purge_cache)."""
    url = f"{settings.NEWSROOM_CLOUDFLARE_API_URL.rstrip('/')}/zones/"
    url += f"{settings.NEWSROOM_CLOUDFLARE_ZONE_ID}/purge_cache"
    return [
        urllib.request.Request(  # noqa: S310
            url,
            method="POST",
            data=json.dumps({"tags": list(keys)}).encode(),
            headers={
                "Authorization": f"Bearer {settings.NEWSROOM_CLOUDFLARE_API_TOKEN}",
                "Content-Type": "application/json",
            },
        )
    ]


def cloudflare_confirms(body):
    try:
        return json.loads(body).get("success") is True
    except (ValueError, AttributeError):
        return False


REQUESTS = {
    "varnish": varnish_requests,
    "fastly": fastly_requests,
    "cloudflare": cloudflare_requests,
}


# Keys whose purge failed, sent again with the next purge of this process; and until when the
# edge counts as failing (each purge is then tried once, so that writes do not wait on it).
_MISSED = set()
_failing_until = [0.0]
# Past this many missed keys, the next purge is of `site`, which every page names.
MISSED_LIMIT = 1000


def purge(keys):
    """
    Purge every page named by any of `keys` from the edge, now (call it once the write has
    committed: the page cache does), with the keys a failed purge missed. Each request is
    tried NEWSROOM_EDGE_PURGE_ATTEMPTS times, once only while the edge is failing; one that
    still fails is logged, kept as the edge's last failure, and its keys go with the next
    purge. Returns whether every request was confirmed.
    """
    edge = configured()
    if edge is None or not (keys or _MISSED):
        return True
    keys = sorted(set(keys) | _MISSED)
    if len(keys) > MISSED_LIMIT:
        keys = ["site"]
    failing = time.monotonic() < _failing_until[0]
    attempts = 1 if failing else settings.NEWSROOM_EDGE_PURGE_ATTEMPTS
    make = REQUESTS[settings.NEWSROOM_EDGE]
    missed = set()
    for start in range(0, len(keys), edge.batch):
        batch = keys[start : start + edge.batch]
        for request in make(batch):
            if not attempt(edge, request, batch, attempts=attempts):
                missed.update(batch)
    _MISSED.clear()
    _MISSED.update(missed)
    if missed:
        _failing_until[0] = time.monotonic() + settings.NEWSROOM_EDGE_FAILING_SECONDS
        return False
    _failing_until[0] = 0.0
    note("edge:last-purge", {"at": now(), "keys": len(keys)})
    return True


def attempt(edge, request, keys, *, attempts):
    error = None
    for number in range(attempts):
        if number:
            time.sleep(settings.NEWSROOM_EDGE_RETRY_DELAY * 2 ** (number - 1))
        try:
            body = send(request)
        except PurgeFailed as failure:
            error = str(failure)
            continue
        if settings.NEWSROOM_EDGE == "cloudflare" and not cloudflare_confirms(body):
            error = f"{request.full_url} did not confirm the purge: {body[:200]!r}"
            continue
        return True
    logger.error(
        "%s could not purge %s (%d attempts): %s; its copies stay until their max-age, or "
        "until the next purge, which sends these keys again.",
        edge.name,
        " ".join(keys),
        attempts,
        error,
    )
    note("edge:last-failure", {"at": now(), "keys": " ".join(keys), "error": error})
    return False


def now():
    return datetime.now(UTC)


_NOTES = {}


def note(name, value):
    """Kept in the shared cache for every server's admin, and in this process's memory."""
    _NOTES[name] = value
    with contextlib.suppress(CacheUnavailable):
        cache.set(name, value, timeout=None)


def recall(name):
    try:
        return cache.get(name, _NOTES.get(name))
    except CacheUnavailable:
        return _NOTES.get(name)


def health(request):
    """
    The edge's line on the admin's desk: its name, the last purge that failed (and why) and
    the last that worked. None when no edge is configured.
    """
    edge = configured()
    if edge is None or not request.user.is_staff:
        return None
    failure, success = recall("edge:last-failure"), recall("edge:last-purge")
    failing = failure is not None and (success is None or failure["at"] > success["at"])
    return {"edge": edge, "failure": failure, "success": success, "failing": failing}
