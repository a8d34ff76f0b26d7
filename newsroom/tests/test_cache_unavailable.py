"""
Redis down, slow or missing: reader pages are served uncached and at once (a short timeout,
then a circuit breaker that leaves Redis alone for a while), one warning per interval goes
to the log, signing in to the admin still works, and caching resumes by itself, with the
pages that changed meanwhile made fresh.
"""

import logging
import time

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles import services
from articles.tests.factories import ArticleFactory
from newsroom import cache as newsroom_cache
from newsroom import pagecache
from newsroom.tests.factories import PASSWORD, UserFactory

from .servers import RedisServer, SilentServer

pytestmark = pytest.mark.django_db

RETRY_SECONDS = 1
TIMEOUT_SECONDS = 0.2
# A reader page rendered without the cache, with time to spare on a busy machine: a Redis that
# never answers would hold the request for good without the client's short timeout.
QUICK = 3.0


@pytest.fixture(autouse=True)
def _fresh_breakers():
    newsroom_cache._BREAKERS.clear()
    pagecache._UNBUMPED.clear()
    yield
    newsroom_cache._BREAKERS.clear()
    pagecache._UNBUMPED.clear()


def use_cache_at(settings, url):
    settings.CACHES = {
        "default": {"BACKEND": "newsroom.cache.RedisCache", "LOCATION": url, "KEY_PREFIX": "t"}
    }
    settings.NEWSROOM_CACHE_RETRY_SECONDS = RETRY_SECONDS
    settings.NEWSROOM_CACHE_TIMEOUT_MS = TIMEOUT_SECONDS * 1000


@pytest.fixture
def redis_server(settings):
    server = RedisServer()
    server.start()
    use_cache_at(settings, server.url)
    yield server
    server.stop()


@pytest.fixture
def story():
    return ArticleFactory(headline="Harbour plan approved")


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def cache_warnings(caplog):
    return [r for r in caplog.records if r.name == "newsroom.cache" and "cannot" in r.message]


def test_pages_are_cached_while_redis_is_up(redis_server, story):
    client = Client()
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"


def test_reader_pages_are_served_uncached_and_quickly_when_redis_dies(redis_server, story, caplog):
    client = Client()
    client.get(story.get_absolute_url())
    redis_server.kill()
    caplog.set_level(logging.WARNING, logger="newsroom.cache")
    pagecache.RECENT.clear()

    for url in [story.get_absolute_url(), reverse("articles:home"), story.get_absolute_url()]:
        response, seconds = timed_get(client, url)
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "pass"
        assert seconds < QUICK
    assertContains(response, "Harbour plan approved")
    assert len(cache_warnings(caplog)) == 1


def test_a_redis_that_hangs_costs_one_short_wait_then_none(
    redis_server, story, caplog, settings, monkeypatch
):
    settings.NEWSROOM_CACHE_TIMEOUT_MS = 1000  # long enough to tell a wait from a render
    settings.NEWSROOM_CACHE_RETRY_SECONDS = 60
    client = Client()
    client.get(story.get_absolute_url())
    pagecache.RECENT.clear()
    redis_server.pause()
    caplog.set_level(logging.WARNING, logger="newsroom.cache")
    waits = []
    failed = newsroom_cache.Breaker.failed
    monkeypatch.setattr(
        newsroom_cache.Breaker,
        "failed",
        lambda self, error: waits.append(error) or failed(self, error),
    )

    first, first_seconds = timed_get(client, story.get_absolute_url())
    then = [timed_get(client, story.get_absolute_url()) for _ in range(5)]

    assert first.status_code == 200
    assert 1.0 <= first_seconds < 1.0 + QUICK
    assert all(response.status_code == 200 for response, _ in then)
    # One command waited for Redis and timed out; every one after it failed at once.
    assert len(waits) == 1
    assert len(cache_warnings(caplog)) == 1


def test_caching_resumes_by_itself_when_redis_is_back(redis_server, story, caplog):
    client = Client()
    redis_server.kill()
    caplog.set_level(logging.WARNING, logger="newsroom.cache")
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "pass"

    redis_server.start()
    time.sleep(RETRY_SECONDS + 0.1)

    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "miss"
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "hit"
    assert any("answers again" in record.message for record in caplog.records)


def test_a_change_made_while_redis_hung_shows_once_it_answers(
    redis_server, story, editor, django_capture_on_commit_callbacks
):
    client = Client()
    client.get(story.get_absolute_url())
    redis_server.pause()
    assert client.get(story.get_absolute_url())["X-Page-Cache"] == "pass"

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(article=story, actor=editor, note="Legal")
    redis_server.resume()
    time.sleep(RETRY_SECONDS + 0.1)

    assert client.get(story.get_absolute_url()).status_code == 410


@pytest.mark.parametrize("stuck", [False, True], ids=["nothing-listening", "never-answering"])
def test_a_redis_url_that_leads_nowhere_serves_pages(settings, story, stuck):
    silent = SilentServer()
    port = silent.port
    if not stuck:
        silent.close()
    use_cache_at(settings, f"redis://127.0.0.1:{port}/0")
    try:
        response, seconds = timed_get(Client(), story.get_absolute_url())
        assert response.status_code == 200
        assert seconds < QUICK
        assert timed_get(Client(), reverse("articles:home"))[0].status_code == 200
    finally:
        silent.close()


def test_signing_in_to_the_admin_works_while_redis_is_down(redis_server):
    UserFactory(username="editor", role="Editor")
    redis_server.kill()
    client = Client()

    response = client.post(reverse("admin:login"), {"username": "editor", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("admin:index")).status_code == 200


def test_a_wrong_password_is_still_refused_while_redis_is_down(redis_server):
    UserFactory(username="editor", role="Editor")
    redis_server.kill()
    client = Client()

    response = client.post(reverse("admin:login"), {"username": "editor", "password": "wrong"})

    assert response.status_code == 200
    assert client.get(reverse("admin:index")).status_code == 302
