"""The site's own error pages, and its health check."""

import sys

from django.db import connection
from django.http import HttpResponse
from django.shortcuts import render
from django.views import defaults

from .availability import DATABASE_ERRORS, unavailable


def page_not_found(request, exception):
    """
    The site's 404 page. Django's own prepares a CSRF token, which reads a posted body; a
    body that cannot be read (a broken form posted to no page) must not turn a 404 into an
    error, and nothing on this page posts.
    """
    return render(request, "404.html", status=404)


def server_error(request):
    """
    The site's 500 page; or, when what failed was reaching the database (in a middleware, out
    of the views' reach), the 503 that says to try again shortly.
    """
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_ERRORS):
        return unavailable(error=error)
    return defaults.server_error(request)


def health(request):
    """
    Whether this server can serve pages: 200 when it reaches its database, else the 503 of
    newsroom/availability.py. The edge in front probes it (deploy/varnish/local.vcl) and
    serves stale copies while it fails.
    """
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    response = HttpResponse("ok\n", content_type="text/plain")
    response["Cache-Control"] = "private, no-store"
    return response
