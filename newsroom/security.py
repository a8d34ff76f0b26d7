"""
Defences around every request: the size of its body, the content security policy, the
reader's address behind proxies, and the throttle on signing in to the admin. README,
"Security", lists each protection of the site with the tests that show it.
"""

import ipaddress
from importlib import import_module

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from csp.constants import NONCE
from csp.middleware import CSPMiddleware
from django import forms
from django.conf import settings
from django.contrib import admin, auth
from django.core.exceptions import RequestDataTooBig
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse, parse_cookie
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from js_asset import Media


def client_ip(request) -> str | None:
    """
    The reader's IP address: the connection's, or, behind NEWSROOM_TRUSTED_PROXIES proxies,
    the address the outermost of them saw. None when it is not a valid address. Comment flood
    checks and the sign-in throttle both key on it, so a forged X-Forwarded-For changes
    nothing: only the entries our own proxies added are read.
    """
    address = request.META.get("REMOTE_ADDR", "")
    proxies = settings.NEWSROOM_TRUSTED_PROXIES
    if proxies:
        forwarded = [
            hop.strip() for hop in request.headers.get("X-Forwarded-For", "").split(",") if hop
        ]
        if len(forwarded) >= proxies:
            address = forwarded[-proxies]
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


# Request bodies -----------------------------------------------------------------------------


def body_limit(environ) -> int:
    """
    The largest body a request may send, in bytes: NEWSROOM_MAX_BODY_SIZE (a comment, signing
    in), or, on the admin's pages for a signed-in staff member, a photo as well
    (NEWSROOM_IMAGE_MAX_UPLOAD_SIZE more). `environ` is the WSGI environ (request.META): the
    session is read from the session store, without the body.
    """
    limit = settings.NEWSROOM_MAX_BODY_SIZE
    if is_admin_path(environ.get("PATH_INFO", "")) and signed_in_staff(environ):
        limit += settings.NEWSROOM_IMAGE_MAX_UPLOAD_SIZE
    return limit


def is_admin_path(path) -> bool:
    try:
        return resolve(path).app_name == "admin"
    except Resolver404:
        return False


class SessionCopy(dict):
    """A session's data, to read: what auth.get_user would change in it is left alone."""

    def flush(self):
        self.clear()

    def cycle_key(self):
        pass


def signed_in_staff(environ) -> bool:
    """Whether the request's session cookie is an active staff member's signed-in session."""
    key = parse_cookie(environ.get("HTTP_COOKIE", "")).get(settings.SESSION_COOKIE_NAME)
    if not key:
        return False
    request = HttpRequest()
    store = import_module(settings.SESSION_ENGINE).SessionStore(key)
    request.session = SessionCopy(store.items())
    user = auth.get_user(request)
    return user.is_active and user.is_staff


def too_large(limit) -> HttpResponse:
    """The plain page (413) for a body over its limit."""
    return HttpResponse(render_to_string("413.html", {"limit": limit}), status=413)


class RequestBodyLimitMiddleware:
    """
    A request that says it sends more than body_limit() (its Content-Length) gets 413 before
    any of its body is read: before the session, the CSRF check or the view would read it,
    and a large upload would be written to a temporary file. The session store is asked only
    for a body over the small limit. A body without a Content-Length is cut off as it
    arrives, by RequestBodyLimit (newsroom/wsgi.py).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        limit = settings.NEWSROOM_MAX_BODY_SIZE
        if length > limit:
            limit = body_limit(request.META)
        if length > limit:
            return too_large(limit)
        return self.get_response(request)


class RequestBodyTooLarge(RequestDataTooBig):
    """More of a request's body was read than body_limit() allows."""


class LimitedInput:
    """
    A request's wsgi.input that can be read up to the request's body_limit() and no further:
    reading past it raises RequestBodyTooLarge (and `refusal` keeps it). The limit is the small
    one until the body passes it; then the session decides.
    """

    CHUNK = 64 * 1024

    def __init__(self, stream, environ):
        self.stream = stream
        self.environ = environ
        self.limit = settings.NEWSROOM_MAX_BODY_SIZE
        self.widened = False
        self.bytes_read = 0
        self.refusal = None

    def read(self, size=-1):
        if size is None or size < 0:
            return b"".join(iter(lambda: self.read(self.CHUNK), b""))
        return self._counted(self.stream.read(min(size, self._room())))

    def readline(self, size=-1):
        room = self._room()
        return self._counted(
            self.stream.readline(room if size is None or size < 0 else min(size, room))
        )

    def readlines(self, hint=-1):
        return list(self)

    def __iter__(self):
        return iter(self.readline, b"")

    def _room(self):
        if self.refusal is not None:
            raise self.refusal
        # One byte more than the limit leaves: reading it shows the body goes on past it.
        return self.limit - self.bytes_read + 1

    def _counted(self, data):
        self.bytes_read += len(data)
        if self.bytes_read > self.limit and not self.widened:
            self.widened = True
            self.limit = body_limit(self.environ)
        if self.bytes_read > self.limit:
            self.refusal = RequestBodyTooLarge(f"The request body is over {self.limit} bytes.")
            raise self.refusal
        return data


class RequestBodyLimit:
    """
    The WSGI application, with each request's body read through LimitedInput: a body that
    runs past its limit gets 413, whatever the application made of it. It matters for a body
    sent without a Content-Length (chunked), which gunicorn decodes and marks as ending
    (wsgi.input_terminated): Django reads none of it today, but anything that does is cut
    off as it arrives.
    """

    def __init__(self, application):
        self.application = application

    def __call__(self, environ, start_response):
        body = environ["wsgi.input"] = LimitedInput(environ["wsgi.input"], environ)
        try:
            response = self.application(environ, start_response)
        except RequestBodyTooLarge:
            response = None
        if body.refusal is None:
            return response
        if hasattr(response, "close"):
            response.close()
        page = too_large(body.limit)
        # Headers are sent with the first part of the body: the response is still ours to
        # replace, as WSGI allows with the error that made it wrong.
        error = body.refusal
        start_response(f"413 {page.reason_phrase}", list(page.items()), (type(error), error, None))
        return [page.content]


# The prose editor (Tiptap) writes its base stylesheet into the page as an inline <style>;
# admin pages allow exactly that stylesheet, by its hash. An upgrade that changes it shows up
# as a violation in e2e/test_content_security_policy.py, which names the new hash.
PROSE_EDITOR_STYLE_HASH = "'sha256-PlumsSlvJ7vvWzjqibGAYKq92O3y/4JTxWWsWJvyUYA='"


def is_admin_page(request) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and match.app_name == "admin"


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """
    django-csp's middleware (the policy is CONTENT_SECURITY_POLICY in settings), with a
    nonce for admin pages only (and the prose editor's stylesheet).

    Admin pages are never cached, so each response may carry a nonce of its own: the forms'
    media (the prose editor's inline import map among them) is rendered with it. Reader pages
    never get one: they are cached whole and shared between readers, so a nonce in them would
    be the same for everyone, and no protection. They carry no inline script at all.
    """

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if is_admin_page(request):
            update = dict(parts.update or {})
            update["script-src"] = [*update.get("script-src", ()), NONCE]
            update["style-src"] = [*update.get("style-src", ()), PROSE_EDITOR_STYLE_HASH]
            parts.update = update
        return parts

    def process_template_response(self, request, response):
        media = (response.context_data or {}).get("media")
        if is_admin_page(request) and isinstance(media, forms.Media):
            response.context_data["media"] = Media.from_media(media, nonce=request.csp_nonce)
        return response


class LoginThrottle(AxesDatabaseHandler):
    """
    django-axes' database handler, with a limit for each of its lockout parameters
    (AXES_LOCKOUT_PARAMETERS: the account, then the address): an account is paused after
    NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT failed sign-ins from anywhere, an address after
    NEWSROOM_LOGIN_FAILURES_PER_ADDRESS failed sign-ins to any accounts. A successful sign-in
    forgives only that account's own failures.
    """

    def failures(self, request, credentials=None) -> tuple[int, int]:
        """Recent failed sign-ins (within the cool-off) on this account, and from this address."""
        account, address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        return account, address

    def get_failures(self, request, credentials=None) -> int:
        # Axes compares this one number with AXES_FAILURE_LIMIT, the account's limit, so the
        # address's failures count in proportion to its own limit: the floor reaches the
        # account's limit exactly when the address's failures reach theirs.
        account, address = self.failures(request, credentials)
        per_account = settings.NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT
        per_address = settings.NEWSROOM_LOGIN_FAILURES_PER_ADDRESS
        return max(account, address * per_account // per_address)

    def reset_user_attempts(self, request, credentials=None) -> int:
        """
        After a successful sign-in (AXES_RESET_ON_SUCCESS): the account's own failed sign-ins,
        from anywhere, and nothing else. Axes would also clear every failure from the address,
        on any accounts, so one colleague's sign-in would give a guesser at the next desk a
        fresh set of tries on the editor's account; here those failures still count, towards
        their accounts' limits and the address's, and a paused account stays paused.
        """
        username = get_client_username(request, credentials)
        count, _ = AccessAttempt.objects.filter(username=username).delete()
        return count


def lockout_response(request, original_response=None, credentials=None):
    """The admin's page for a paused sign-in (429), saying why and for how long."""
    account, _address = LoginThrottle().failures(request, credentials)
    minutes = round(get_cool_off(request).total_seconds() / 60)
    context = {
        **admin.site.each_context(request),
        "title": "Signing in is paused",
        "account_locked": account >= settings.NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT,
        "minutes": minutes,
    }
    response = render(request, "admin/locked_out.html", context, status=429)
    response["Retry-After"] = str(minutes * 60)
    return response
