"""
Defences around every request: the content security policy, the reader's address behind
proxies, and the throttle on signing in to the admin. README, "Security", lists each
protection of the site with the tests that show it.
"""

import ipaddress

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off
from csp.constants import NONCE
from csp.middleware import CSPMiddleware
from django import forms
from django.conf import settings
from django.contrib import admin
from django.db.models import Sum
from django.shortcuts import render
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
    NEWSROOM_LOGIN_FAILURES_PER_ADDRESS failed sign-ins to any accounts.
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
