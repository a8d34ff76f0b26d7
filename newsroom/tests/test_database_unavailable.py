"""
The database out of reach: every request gets a fast 503 with `Retry-After` and the site's
own page (never an error, never stored by a cache), a comment posted then comes back with
everything the reader typed and a way to post it again, and the site answers as usual as
soon as the database does, without a restart.
"""

import time
from contextlib import contextmanager

import pytest
from django.db import InterfaceError, OperationalError, connections
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.tests.factories import ArticleFactory
from comments.models import Comment
from comments.tests.test_posting import form_data, post_url

pytestmark = pytest.mark.django_db

QUICK = 0.5


@pytest.fixture
def story():
    return ArticleFactory(headline="Harbour plan approved")


@contextmanager
def database_down(monkeypatch, error=OperationalError):
    """Every query fails as it does when PostgreSQL is restarting."""

    def refuse(*args, **kwargs):
        raise error('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    with monkeypatch.context() as patch:
        # On the class: every thread's connection (a live server's too) refuses.
        patch.setattr(type(connections["default"]), "cursor", refuse)
        yield


def reader():
    return Client(raise_request_exception=False)


def assert_unavailable(response):
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    assertContains(response, "Back in a moment", status_code=503)
    assertContains(response, "/static/css/site.css", status_code=503)


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_reader_pages_answer_503_while_the_database_is_away(monkeypatch, story, error):
    with database_down(monkeypatch, error):
        for url in [story.get_absolute_url(), reverse("articles:home"), "/search/?q=harbour"]:
            started = time.monotonic()
            response = reader().get(url)
            assert time.monotonic() - started < QUICK
            assert_unavailable(response)


def test_a_failure_outside_the_views_also_answers_503(monkeypatch, story):
    # An address no view answers: the old-addresses middleware looks it up after the 404.
    with database_down(monkeypatch):
        assert_unavailable(reader().get("/no/such/address/at/all/here/"))


def test_the_admin_answers_503_while_the_database_is_away(monkeypatch, editor):
    client = reader()
    client.force_login(editor)
    with database_down(monkeypatch):
        assert_unavailable(client.get(reverse("admin:index")))


def test_the_site_recovers_by_itself(monkeypatch, story):
    with database_down(monkeypatch):
        assert reader().get(story.get_absolute_url()).status_code == 503

    assertContains(reader().get(story.get_absolute_url()), "Harbour plan approved")


def test_a_comment_posted_meanwhile_comes_back_with_its_text(monkeypatch, story):
    data = form_data(story, body="The harbour <needs> dredging & a new quay.")
    with database_down(monkeypatch):
        response = reader().post(post_url(story), data, REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 503
    assert response["Retry-After"]
    assertContains(response, "Your comment was not posted yet", status_code=503)
    assertContains(
        response,
        "<textarea id='id_body' name='body' rows='8' required>"
        "The harbour &lt;needs&gt; dredging &amp; a new quay.</textarea>",
        html=True,
        status_code=503,
    )
    assertContains(response, 'value="Maria Lopes"', status_code=503)
    assertContains(response, f'action="{post_url(story)}"', status_code=503)
    assertContains(response, 'name="csrfmiddlewaretoken"', status_code=503)
    assert not Comment.objects.exists()


def test_the_comment_handed_back_posts_once_the_database_is_back(monkeypatch, story):
    data = form_data(story)
    with database_down(monkeypatch):
        reader().post(post_url(story), data, REMOTE_ADDR="203.0.113.5")

    response = reader().post(post_url(story), data, REMOTE_ADDR="203.0.113.5")

    assert response.status_code == 302
    assert Comment.objects.get().body == data["body"]


def test_the_health_check_says_whether_the_database_answers(monkeypatch):
    assert reader().get("/healthz/").status_code == 200
    with database_down(monkeypatch):
        assert_unavailable(reader().get("/healthz/"))
