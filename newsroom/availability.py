"""
The database unreachable (PostgreSQL restarting, a network fault, SQLite locked too long):
a fast 503 with `Retry-After` and a page of the site's own, rendered without a query, instead
of an error. Nothing is kept in the meantime, so the site recovers by itself: the next request
opens a new connection. The edge in front serves its stale copies of reader pages meanwhile
(`stale-if-error`, and Varnish's grace: deploy/varnish/newsroom.vcl).
"""

import logging
import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

# What Django raises when the database cannot be reached or drops the connection.
DATABASE_ERRORS = (OperationalError, InterfaceError)

_last_warning = [0.0]


def warn(error):
    """One warning in the log per NEWSROOM_RETRY_AFTER_SECONDS while the database is away."""
    now = time.monotonic()
    if now - _last_warning[0] >= settings.NEWSROOM_RETRY_AFTER_SECONDS:
        _last_warning[0] = now
        logger.warning("The database cannot be reached (%s): answering 503.", error)


def unavailable(template="503.html", context=None, *, error=None):
    """
    A 503 saying the site will be back, with `Retry-After`, never stored by a cache. The
    template is rendered without the request's context processors: they read the database.
    """
    if error is not None:
        warn(error)
    response = HttpResponse(render_to_string(template, context), status=503)
    response["Retry-After"] = str(settings.NEWSROOM_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "private, no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A view that could not reach the database answers 503 (see `unavailable`)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return unavailable(error=exception)
        return None
