"""
Guessing passwords at the admin's sign-in page (django-axes with newsroom/security.py's
LoginThrottle): after repeated failures on one account, from anywhere, or from one address,
on any accounts, signing in there is paused for a while with a clear page, even with the
right password; a successful sign-in clears that account's own failures and nobody else's.
"""

from datetime import timedelta

import pytest
import time_machine
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains

from newsroom.tests.factories import PASSWORD

from .test_http_security import run_python

pytestmark = pytest.mark.django_db

PER_ACCOUNT = settings.NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT
PER_ADDRESS = settings.NEWSROOM_LOGIN_FAILURES_PER_ADDRESS


def sign_in(client, username="editor", password=PASSWORD, address="198.51.100.10", **headers):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        **headers,
    )


def fail(client, times, *, username="editor", address=None):
    """`times` wrong passwords for `username`, from `address` (by default each from another)."""
    for n in range(times):
        sign_in(client, username, "wrong password", address or f"203.0.113.{n + 1}")


def is_signed_in(client):
    return client.get(reverse("admin:index")).status_code == 200


def test_the_limits_are_five_failures_per_account_and_twenty_per_address():
    assert (PER_ACCOUNT, PER_ADDRESS) == (5, 20)


def test_a_wrong_password_gets_the_usual_error_below_the_limit(client, editor):
    fail(client, PER_ACCOUNT - 2)

    response = sign_in(client, password="still wrong", address="192.0.2.1")

    assert response.status_code == 200
    assertContains(response, "Please enter the correct username and password")


def test_the_right_password_signs_in_below_the_limit(client, editor):
    fail(client, PER_ACCOUNT - 1)

    response = sign_in(client)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_an_account_is_paused_after_repeated_failures_from_anywhere(client, editor):
    fail(client, PER_ACCOUNT)

    response = sign_in(client, address="192.0.2.99")

    assert response.status_code == 429
    assert not is_signed_in(client)


def test_the_paused_page_says_why_and_for_how_long(client, editor):
    fail(client, PER_ACCOUNT - 1)

    response = sign_in(client, password="wrong again")

    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assertContains(response, "Signing in is paused", status_code=429)
    assertContains(
        response,
        "There were too many failed attempts to sign in to this account, so signing in to it "
        "is paused for 15 minutes, even with the right password.",
        status_code=429,
    )
    assertContains(response, settings.NEWSROOM_PUBLICATION_NAME, status_code=429)


def test_other_accounts_still_sign_in_while_one_is_paused(client, editor, journalist):
    fail(client, PER_ACCOUNT)

    response = sign_in(client, username="journalist", address="192.0.2.7")

    assert response.status_code == 302


def test_an_address_is_paused_after_repeated_failures_on_any_accounts(client, editor):
    for n in range(PER_ADDRESS):
        sign_in(client, f"guess{n}", "wrong password", "203.0.113.50")

    from_there = sign_in(client, address="203.0.113.50")

    assert from_there.status_code == 429
    assertContains(from_there, "from your network", status_code=429)
    assert sign_in(client, address="192.0.2.8").status_code == 302


def test_an_address_is_not_paused_below_its_own_limit(client, editor):
    for n in range(PER_ADDRESS - 1):
        sign_in(client, f"guess{n}", "wrong password", "203.0.113.50")

    assert sign_in(client, address="203.0.113.50").status_code == 302


def test_signing_in_works_again_after_the_pause(client, editor):
    fail(client, PER_ACCOUNT)
    later = timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)

    with time_machine.travel(later):
        response = sign_in(client)

    assert response.status_code == 302


def test_trying_during_the_pause_does_not_make_it_longer(client, editor):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        fail(client, PER_ACCOUNT)
    with time_machine.travel(start + timedelta(minutes=10), tick=False):
        assert sign_in(client, password="guess").status_code == 429
        assert sign_in(client).status_code == 429

    with time_machine.travel(start + settings.AXES_COOLOFF_TIME + timedelta(seconds=1)):
        assert sign_in(client).status_code == 302


def test_a_successful_sign_in_clears_the_accounts_failures(client, editor):
    fail(client, PER_ACCOUNT - 1)
    sign_in(client)
    client.post(reverse("admin:logout"))

    fail(client, PER_ACCOUNT - 1)

    assert sign_in(client).status_code == 302


def test_a_colleagues_sign_in_leaves_the_failures_on_another_account_from_there(
    client, editor, journalist
):
    office = "203.0.113.50"
    fail(client, PER_ACCOUNT - 1, address=office)
    assert sign_in(Client(), "journalist", address=office).status_code == 302

    fifth_failure = sign_in(client, password="one more guess", address=office)

    assert fifth_failure.status_code == 429
    assert sign_in(client, address="192.0.2.99").status_code == 429


def test_a_paused_account_stays_paused_when_a_colleague_signs_in_from_there(
    client, editor, journalist
):
    office = "203.0.113.50"
    fail(client, PER_ACCOUNT, address=office)
    assert sign_in(Client(), "journalist", address=office).status_code == 302

    assert sign_in(client, address=office).status_code == 429
    assert sign_in(client, address="192.0.2.99").status_code == 429


def test_a_successful_sign_in_forgives_only_its_own_accounts_failures(client, editor, journalist):
    office = "203.0.113.50"
    fail(client, PER_ACCOUNT - 1, address=office)
    fail(client, PER_ACCOUNT - 1, username="journalist", address=office)

    assert sign_in(client, "journalist", address=office).status_code == 302

    assert set(AccessAttempt.objects.values_list("username", "failures_since_start")) == {
        ("editor", PER_ACCOUNT - 1)
    }


def test_the_address_limit_holds_across_a_successful_sign_in_from_there(client, editor, journalist):
    office = "203.0.113.50"
    for n in range(PER_ADDRESS - 1):
        sign_in(client, f"guess{n}", "wrong password", office)
    assert sign_in(Client(), "journalist", address=office).status_code == 302

    last_guess = sign_in(client, "guess-last", "wrong password", office)

    assert last_guess.status_code == 429
    assert sign_in(client, address=office).status_code == 429
    assert sign_in(client, address="192.0.2.8").status_code == 302


def test_a_forged_forwarded_for_header_does_not_spread_the_guesses(client, editor, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = 0
    for n in range(PER_ADDRESS):
        sign_in(client, f"guess{n}", "wrong", "203.0.113.50", HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")

    assert sign_in(client, address="203.0.113.50").status_code == 429


def test_behind_a_proxy_each_reader_address_counts_on_its_own(client, editor, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    for n in range(PER_ADDRESS):
        # Whatever the guesser puts before it, the proxy appends the address it saw.
        sign_in(
            client,
            f"guess{n}",
            "wrong",
            "10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}, 203.0.113.50",
        )

    guesser = sign_in(client, address="10.0.0.2", HTTP_X_FORWARDED_FOR="203.0.113.50")
    colleague = sign_in(client, address="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.4")

    assert guesser.status_code == 429
    assert colleague.status_code == 302


def test_the_limits_and_the_pause_are_read_from_the_environment():
    result = run_python(
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT, s.NEWSROOM_LOGIN_FAILURES_PER_ADDRESS, "
        "s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME.total_seconds())",
        NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT="3",
        NEWSROOM_LOGIN_FAILURES_PER_ADDRESS="40",
        NEWSROOM_LOGIN_COOLOFF_MINUTES="60",
    )

    assert result.stdout.split() == ["3", "40", "3", "3600.0"]
