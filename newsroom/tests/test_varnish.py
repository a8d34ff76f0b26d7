"""
A real varnishd with the repository's VCL (deploy/varnish/newsroom.vcl) in front of a live
server: pages are hits the second time, a withdrawal or an approved comment shows on the
next request (the app purges exactly their keys), staff and cookie-carrying requests are
never cached, only purgers may purge, stale copies are served while the app answers 503,
and many half-sent requests do not stop other readers being served. Skipped, saying why,
where varnishd is not installed.
"""

import socket
import time
import urllib.error
import urllib.request

import pytest
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from articles import services
from articles.tests.factories import ArticleFactory
from comments import services as comment_services
from comments.models import Comment
from comments.tests.factories import CommentFactory
from newsroom.tests.factories import UserFactory

from .servers import Varnish, free_port
from .test_database_unavailable import database_down

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="module")
def app(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        # Django's live server does not reuse a port that a closed connection still holds.
        server = LiveServer(f"127.0.0.1:{free_port(strict=True)}")
    yield server
    server.stop()


@pytest.fixture(scope="module")
def edge(app):
    varnish = Varnish(app.thread.port)
    yield varnish
    varnish.stop()


@pytest.fixture(autouse=True)
def _purging_this_varnish(settings, edge, roles):
    settings.NEWSROOM_EDGE = "varnish"
    settings.NEWSROOM_VARNISH_URLS = [edge.url]
    settings.NEWSROOM_EDGE_RETRY_DELAY = 0
    fetch(edge, "/", method="PURGE", headers={"xkey-purge": "site"})  # every page has it


def fetch(edge, path, *, method="GET", headers=None):
    """(status, headers, text) of a request to the edge."""
    request = urllib.request.Request(  # noqa: S310 - our own servers
        edge.url + path, method=method, headers=headers or {}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:  # noqa: S310
            return answer.status, answer.headers, answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def story():
    return ArticleFactory(headline="Harbour plan approved")


def test_a_reader_page_is_a_hit_the_second_time(edge, story):
    first = fetch(edge, story.get_absolute_url())
    second = fetch(edge, story.get_absolute_url())

    assert first[0] == second[0] == 200
    assert (first[1]["X-Edge-Cache"], second[1]["X-Edge-Cache"]) == ("miss", "hit")
    assert "Harbour plan approved" in second[2]
    assert "xkey" not in second[1]  # the keys are the edge's business


def test_a_withdrawal_is_a_410_on_the_next_request(edge, story, editor):
    fetch(edge, story.get_absolute_url())
    assert fetch(edge, story.get_absolute_url())[1]["X-Edge-Cache"] == "hit"

    services.withdraw(article=story, actor=editor, note="Legal")

    assert fetch(edge, story.get_absolute_url())[0] == 410


def test_an_approved_comment_shows_on_the_next_request(edge, story, moderator):
    comment = CommentFactory(
        article=story, status=Comment.Status.PENDING, body="Dredging first, then the quay."
    )
    fetch(edge, story.get_absolute_url())
    assert "Dredging first" not in fetch(edge, story.get_absolute_url())[2]

    comment_services.approve_comments(
        comments=Comment.objects.filter(pk=comment.pk), moderator=moderator
    )

    assert "Dredging first" in fetch(edge, story.get_absolute_url())[2]


def test_other_pages_stay_cached_after_a_purge(edge, story, editor):
    other = ArticleFactory(headline="Ferry timetable changes")
    fetch(edge, other.get_absolute_url())

    services.withdraw(article=story, actor=editor, note="Legal")

    assert fetch(edge, other.get_absolute_url())[1]["X-Edge-Cache"] == "hit"


def session_cookie(user):
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def test_staff_pages_are_never_cached_nor_shown_to_readers(edge, story, editor):
    staff = {"Cookie": session_cookie(editor)}

    for _ in range(2):
        status, headers, _text = fetch(edge, story.get_absolute_url(), headers=staff)
        assert status == 200
        assert headers["X-Edge-Cache"] == "miss"
        assert "no-store" in headers["Cache-Control"]
    reader = fetch(edge, story.get_absolute_url())
    assert reader[1]["X-Edge-Cache"] == "miss"  # the staff pages were not kept
    assert "public" in reader[1]["Cache-Control"]


@pytest.mark.parametrize("cookie", ["sessionid=anything", "messages=abc"])
def test_a_request_with_a_session_or_messages_cookie_is_never_cached(edge, story, cookie):
    fetch(edge, story.get_absolute_url())
    for _ in range(2):
        headers = fetch(edge, story.get_absolute_url(), headers={"Cookie": cookie})[1]
        assert headers["X-Edge-Cache"] == "miss"


def test_the_admin_and_posts_always_reach_the_app(edge, story):
    assert fetch(edge, "/admin/login/")[1]["X-Edge-Cache"] == "miss"
    assert fetch(edge, "/admin/login/")[1]["X-Edge-Cache"] == "miss"
    token = f"/comments/form/{story.pk}/token/"
    assert fetch(edge, token)[1]["X-Edge-Cache"] == fetch(edge, token)[1]["X-Edge-Cache"] == "miss"


def first_line_of_answer_to_headers_alone(edge, head):
    """What the edge answers a request whose body is announced but never sent."""
    with socket.create_connection(("127.0.0.1", edge.port), timeout=3) as connection_:
        connection_.sendall(head.encode())
        return connection_.recv(200).split(b"\r\n", 1)[0]


@pytest.mark.parametrize(
    ("path", "size"), [("/comments/post/", 300 * 1024), ("/admin/photos/photo/add/", 22 * 2**20)]
)
def test_a_body_over_the_limit_is_refused_before_it_is_read(edge, path, size):
    head = (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: multipart/form-data; "
        f"boundary=x\r\nContent-Length: {size}\r\n\r\n"
    )
    # Passed on, the request would wait for its body until the socket timed out.
    assert (
        first_line_of_answer_to_headers_alone(edge, head) == b"HTTP/1.1 413 Request body too large."
    )


def test_only_purgers_may_purge(app, story):
    UserFactory()  # the live server answers from the test's database
    outsider = Varnish(app.thread.port, purgers=["192.0.2.1"], token="s3cret-token")
    try:
        assert fetch(outsider, "/", method="PURGE", headers={"xkey-purge": "site"})[0] == 403
        allowed = fetch(
            outsider,
            "/",
            method="PURGE",
            headers={"xkey-purge": "site", "X-Purge-Token": "s3cret-token"},
        )
        assert allowed[0] == 200
    finally:
        outsider.stop()


def test_stale_copies_are_served_while_the_app_answers_503(edge, story, settings, monkeypatch):
    settings.NEWSROOM_HTTP_MAX_AGE = 1
    assert fetch(edge, story.get_absolute_url())[0] == 200

    with database_down(monkeypatch):
        time.sleep(2.5)  # the copy's max-age runs out; the health probe fails
        assert fetch(edge, "/healthz/")[0] == 503
        served = [fetch(edge, story.get_absolute_url()) for _ in range(3)]
    wait_until_healthy(edge)

    for status, headers, text in served:
        assert status == 200
        assert headers["X-Edge-Cache"] == "hit"
        assert "Harbour plan approved" in text


def wait_until_healthy(edge, seconds=10):
    """Until Varnish's health probe finds the app answering again."""
    deadline = time.monotonic() + seconds
    while fetch(edge, "/healthz/")[0] != 200:
        assert time.monotonic() < deadline, "the app's health check did not recover"
        time.sleep(0.2)


def test_half_sent_requests_do_not_stop_readers_being_served(edge, story):
    fetch(edge, story.get_absolute_url())
    idle = []
    try:
        for _ in range(200):
            connection_ = socket.create_connection(("127.0.0.1", edge.port))
            connection_.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
            idle.append(connection_)
        started = time.monotonic()
        status, _headers, text = fetch(edge, story.get_absolute_url())
        # Blocked readers would wait for the idle connections' timeouts; a busy machine may
        # take a second.
        assert time.monotonic() - started < 3
    finally:
        for connection_ in idle:
            connection_.close()
    assert status == 200
    assert "Harbour plan approved" in text


def test_a_purge_of_keys_no_page_has_removes_nothing(edge, story):
    fetch(edge, story.get_absolute_url())

    assert "Purged 0" in fetch(edge, "/", method="PURGE", headers={"xkey-purge": "story:0"})[2]
    assert fetch(edge, story.get_absolute_url())[1]["X-Edge-Cache"] == "hit"
