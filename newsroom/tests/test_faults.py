"""
Parts of the system failing under a real server (`make faults`, run by CI): the site served
by gunicorn as `make serve` runs it, with its own database, while clients send half a request
or its PostgreSQL stops and starts again; Varnish serving stale copies long past its own
default grace while the app cannot reach its database; a worker killed while readers post
comments.
"""

import collections
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from .servers import Gunicorn, PostgresCluster, migrate, site_environment

pytestmark = pytest.mark.faults


def fetch(url, *, data=None, headers=None, timeout=10):
    """(status, headers, text, seconds) of one request."""
    request = urllib.request.Request(url, data=data, headers=headers or {})  # noqa: S310
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return answer.status, answer.headers, answer.read().decode(), time.monotonic() - started
    except urllib.error.HTTPError as error:
        body = error.read().decode()
        return error.code, error.headers, body, time.monotonic() - started


def half_requests(port, count):
    """`count` connections that send half a request's headers and then nothing."""
    connections = []
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        connections.append(connection)
    return connections


@pytest.fixture(scope="module")
def sqlite_site(tmp_path_factory):
    env = site_environment(
        f"sqlite:///{tmp_path_factory.mktemp('site') / 'db.sqlite3'}",
        GUNICORN_WORKERS="2",  # and gunicorn.conf.py's 8 threads each
        NEWSROOM_REQUEST_HEADER_SECONDS="2",
    )
    migrate(env)
    server = Gunicorn(env)
    yield server
    server.stop()


def test_half_sent_requests_do_not_stop_readers_being_served(sqlite_site):
    assert fetch(sqlite_site.url + "/")[0] == 200
    # Four such connections stopped the site for 30 s with gunicorn's sync workers.
    idle = half_requests(sqlite_site.port, 4)
    try:
        status, _headers, _text, seconds = fetch(sqlite_site.url + "/")
        assert status == 200
        assert seconds < 1
    finally:
        for connection in idle:
            connection.close()


def test_a_request_that_never_arrives_whole_is_dropped(sqlite_site):
    [connection] = half_requests(sqlite_site.port, 1)
    connection.settimeout(10)
    started = time.monotonic()
    try:
        while connection.recv(4096):  # the server answers (408 or 400) and closes
            pass
    except ConnectionResetError:
        pass
    finally:
        connection.close()
    assert time.monotonic() - started < 2 + 5  # the header limit, and gunicorn's own wait


def test_more_half_requests_than_threads_only_delay_readers(sqlite_site):
    idle = half_requests(sqlite_site.port, 24)  # 2 workers of 8 threads
    try:
        status, _headers, _text, seconds = fetch(sqlite_site.url + "/", timeout=20)
    finally:
        for connection in idle:
            connection.close()
    assert status == 200
    assert seconds < 2 + 5


@pytest.fixture(scope="module")
def postgres():
    cluster = PostgresCluster()
    cluster.start()
    yield cluster
    cluster.remove()


@pytest.fixture(scope="module")
def postgres_site(postgres, tmp_path_factory):
    env = site_environment(
        postgres.url,
        # As `make serve` without Redis: the workers share one page cache, so a page cached
        # by one is a hit in the other (each worker's own memory made that a matter of luck).
        DJANGO_CACHE_DIR=str(tmp_path_factory.mktemp("page-cache")),
        GUNICORN_WORKERS="2",
        GUNICORN_THREADS="2",
        NEWSROOM_RETRY_AFTER_SECONDS="5",
        DJANGO_DB_CONNECT_TIMEOUT="2",
    )
    migrate(env)
    server = Gunicorn(env)
    yield server
    server.stop()


def test_postgresql_restarting_gets_a_fast_503_and_the_site_recovers(postgres, postgres_site):
    site = postgres_site.url
    for _ in range(4):  # every worker and thread holds a connection
        assert fetch(site + "/")[0] == 200
    _status, token_headers, token_text, _seconds = fetch(site + "/comments/form/1/token/")
    token = json.loads(token_text)
    csrf_cookie = token_headers["Set-Cookie"].split(";")[0]

    postgres.stop()
    try:
        cached_home = fetch(site + "/")
        during = [fetch(site + path) for path in ("/healthz/", "/search/?q=x", "/some-section/")]
        comment = fetch(
            site + "/comments/post/1/",
            data=urllib.parse.urlencode(
                {
                    "body": "The quay needs dredging first.",
                    "name": "Maria Lopes",
                    "email": "maria@example.org",
                    "csrfmiddlewaretoken": token["csrfmiddlewaretoken"],
                    "started": token["started"],
                }
            ).encode(),
            headers={"Cookie": csrf_cookie, "Referer": site + "/"},
        )
    finally:
        postgres.start()

    # A page in the page cache needs no database.
    assert cached_home[0] == 200
    assert cached_home[1]["X-Page-Cache"] == "hit"
    for status, headers, text, seconds in during:
        assert status == 503, text[:500]
        assert headers["Retry-After"] == "5"
        assert "Back in a moment" in text
        assert seconds < 3
    assert comment[0] == 503, comment[2][:500]
    assert "Your comment was not posted yet" in comment[2]
    assert "The quay needs dredging first." in comment[2]

    recovered = [fetch(site + "/") for _ in range(6)]
    assert [status for status, *_ in recovered] == [200] * 6, postgres_site.output()[-2000:]


def test_varnish_serves_stale_copies_past_its_default_grace_while_the_app_fails(
    postgres, postgres_site
):
    from .servers import Varnish  # skips, saying why, without varnishd

    # The app without its own page cache (which would serve the page without the database),
    # saying max-age=1 and stale-if-error a day.
    env = site_environment(postgres.url, NEWSROOM_PAGE_CACHE="false", NEWSROOM_HTTP_MAX_AGE="1")
    app = Gunicorn(env)
    edge = Varnish(app.port)
    try:
        assert fetch(edge.url + "/")[1]["X-Edge-Cache"] == "miss"
        postgres.stop()
        try:
            time.sleep(12)  # past max-age and Varnish's default grace (10 s)
            assert fetch(app.url + "/")[0] == 503
            status, headers, text, _seconds = fetch(edge.url + "/")
        finally:
            postgres.start()
    finally:
        edge.stop()
        app.stop()
    assert status == 200
    assert headers["X-Edge-Cache"] == "hit"
    assert "The Newsroom" in text


def test_redis_killed_under_gunicorn_pages_stay_up_and_caching_resumes(tmp_path):
    from .servers import RedisServer  # skips, saying why, without redis-server

    redis = RedisServer()
    redis.start()
    env = site_environment(
        f"sqlite:///{tmp_path / 'db.sqlite3'}",
        REDIS_URL=redis.url,
        GUNICORN_WORKERS="2",
        NEWSROOM_CACHE_RETRY_SECONDS="2",
    )
    migrate(env)
    site = Gunicorn(env)
    try:
        assert [fetch(site.url + "/")[1]["X-Page-Cache"] for _ in range(2)][-1] in ("hit", "miss")
        redis.kill()
        down = [fetch(site.url + path) for path in ("/", "/", "/search/?q=x", "/feeds/latest/")]
        redis.start()
        time.sleep(2.5)
        back = [fetch(site.url + "/")[1]["X-Page-Cache"] for _ in range(6)]
        log = site.output()
    finally:
        site.stop()
        redis.stop()

    for status, _headers, _text, seconds in down:
        assert status == 200
        assert seconds < 2  # rendered without the cache, on a machine that may be busy
    assert "hit" in back
    assert "Traceback" not in log
    assert "cannot be reached" in log


def post_comment(port, story_id, body, address, email):
    """
    A reader's comment, posted as the story page's script does (a token first): "acknowledged"
    when the server answered the post with its redirect, "cut" when the connection died first.
    """
    headers = {"X-Forwarded-For": address}
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", f"/comments/form/{story_id}/token/", headers=headers)
        answer = connection.getresponse()
        token = json.loads(answer.read())
        cookie = answer.getheader("Set-Cookie").split(";")[0]
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        form = {
            "body": body,
            "name": "Maria Lopes",
            "email": email,
            "csrfmiddlewaretoken": token["csrfmiddlewaretoken"],
            "started": token["started"],
        }
        connection.request(
            "POST",
            f"/comments/post/{story_id}/",
            body=urllib.parse.urlencode(form),
            headers={
                **headers,
                "Cookie": cookie,
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        answer = connection.getresponse()
        answer.read()
    except (ConnectionError, http.client.HTTPException, OSError):
        return "cut"
    return "acknowledged" if answer.status == 302 else f"answered {answer.status}"


def test_a_worker_killed_mid_request_loses_no_acknowledged_comment(tmp_path):
    database = tmp_path / "db.sqlite3"
    env = site_environment(
        f"sqlite:///{database}", GUNICORN_WORKERS="2", NEWSROOM_TRUSTED_PROXIES="1"
    )
    migrate(env)
    story_id = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", MAKE_STORY],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    site = Gunicorn(env)
    outcomes, stop = {}, threading.Event()

    def reader(number):
        for turn in range(10_000):
            if stop.is_set():
                return
            body = f"Comment {turn} of reader {number}: the quay needs dredging first."
            # Each from an address and an email of its own: no flood rule holds it back.
            address, email = (
                f"10.{number}.{turn // 250}.{turn % 250}",
                f"r{number}.{turn}@example.org",
            )
            outcomes[body] = post_comment(site.port, story_id, body, address, email)

    readers = [threading.Thread(target=reader, args=(n,)) for n in range(8)]
    try:
        for thread in readers:
            thread.start()
        killed = []
        for _ in range(3):
            time.sleep(1.5)
            worker = int(subprocess.check_output(["pgrep", "-P", str(site.process.pid)]).split()[0])
            os.kill(worker, signal.SIGKILL)
            killed.append(worker)
        time.sleep(1.5)
        stop.set()
        for thread in readers:
            thread.join(timeout=60)
        after = fetch(site.url + "/")[0]
    finally:
        stop.set()
        site.stop()

    with sqlite3.connect(database) as db:
        stored = [body for (body,) in db.execute("SELECT body FROM comments_comment")]
    acknowledged = [body for body, outcome in outcomes.items() if outcome == "acknowledged"]
    cut = [body for body, outcome in outcomes.items() if outcome == "cut"]
    assert len(killed) == 3
    assert cut, "no request was in flight when a worker was killed"
    assert len(acknowledged) > 50, collections.Counter(outcomes.values())
    # Every comment readers were told was posted is there, once; a post cut off is there
    # whole or not at all; nothing else was answered.
    assert set(acknowledged) <= set(stored)
    assert len(stored) == len(set(stored))
    assert set(stored) <= set(acknowledged) | set(cut)
    assert set(outcomes.values()) <= {"acknowledged", "cut"}
    assert after == 200


MAKE_STORY = """
from articles.tests.factories import ArticleFactory
print(ArticleFactory(headline="Harbour plan approved").pk)
"""
