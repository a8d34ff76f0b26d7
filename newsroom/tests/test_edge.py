"""
The edge cache in front: every reader page names the keys it depends on in the header the
configured edge reads, and every write that makes pages stale purges exactly those keys
from the edge once it commits, with retries, a line in the log and one on the admin's desk
when the edge cannot be reached. Fastly and Cloudflare are a local stub of their API here;
Varnish is tested for real in test_varnish.py.
"""

import contextlib
import json
import logging

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles import freshness, services
from articles.tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from articles.tests.test_project import load_settings
from comments import services as comment_services
from comments.models import Comment
from comments.tests.factories import CommentFactory
from newsroom import edge

from .servers import StubAPI, free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    section = SectionFactory(name="World", slug="world")
    return ArticleFactory(
        section=section,
        headline="Harbour plan approved",
        authors=[AuthorFactory(name="Ana Ruiz")],
        tags=[TagFactory(name="Harbours")],
    )


def keys_of(story):
    """What a story's page depends on: itself, its section, and what every page shows."""
    return {"site", freshness.story(story.pk), freshness.section(story.section_id)}


def purged_keys(requests, field):
    return set().union(*(json.loads(body)[field] for *_, body in requests))


@pytest.fixture(autouse=True)
def _edge_answering():
    edge._MISSED.clear()
    edge._failing_until[0] = 0.0
    yield
    edge._MISSED.clear()
    edge._failing_until[0] = 0.0


@pytest.fixture
def stub(settings):
    api = StubAPI()
    settings.NEWSROOM_EDGE_RETRY_DELAY = 0
    yield api
    api.close()


def use_fastly(settings, url):
    settings.NEWSROOM_EDGE = "fastly"
    settings.NEWSROOM_FASTLY_API_URL = url
    settings.NEWSROOM_FASTLY_SERVICE_ID = "SU1Z0isxPaozGVKXdv0eY"
    settings.NEWSROOM_FASTLY_API_TOKEN = "fastly-token"


def use_cloudflare(settings, url):
    settings.NEWSROOM_EDGE = "cloudflare"
    settings.NEWSROOM_CLOUDFLARE_API_URL = url
    settings.NEWSROOM_CLOUDFLARE_ZONE_ID = "023e105f4ecef8ad9ca31a8372d0c353"
    settings.NEWSROOM_CLOUDFLARE_API_TOKEN = "cloudflare-token"


# The header naming the keys.


@pytest.mark.parametrize(
    ("name", "header", "separator"),
    [("varnish", "xkey", " "), ("fastly", "Surrogate-Key", " "), ("cloudflare", "Cache-Tag", ",")],
)
def test_a_story_page_names_what_it_depends_on(settings, story, name, header, separator):
    settings.NEWSROOM_EDGE = name
    client = Client()

    for outcome in ("miss", "hit"):
        response = client.get(story.get_absolute_url())
        assert response["X-Page-Cache"] == outcome
        named = set(response[header].split(separator))
        assert keys_of(story) <= named


def test_list_pages_name_their_own_keys(settings, story):
    settings.NEWSROOM_EDGE = "varnish"
    tag = story.tags.get()
    assert "home" in Client().get(reverse("articles:home"))["xkey"].split()
    assert freshness.tag(tag.pk) in Client().get(tag.get_absolute_url())["xkey"].split()


def test_no_header_without_an_edge(story):
    response = Client().get(story.get_absolute_url())
    assert not any(response.has_header(h) for h in ("xkey", "Surrogate-Key", "Cache-Tag"))


def test_pages_for_one_reader_name_no_keys(settings, story, editor):
    settings.NEWSROOM_EDGE = "varnish"
    client = Client()
    client.force_login(editor)
    assert not client.get(story.get_absolute_url()).has_header("xkey")


# Purges.


def test_a_withdrawal_purges_its_pages_at_fastly_once_it_commits(
    settings, stub, story, editor, django_capture_on_commit_callbacks
):
    use_fastly(settings, stub.url)

    with django_capture_on_commit_callbacks() as callbacks:
        services.withdraw(article=story, actor=editor, note="Legal")
    assert stub.requests == []  # nothing before the commit
    for callback in callbacks:
        callback()

    for method, path, headers, _body in stub.requests:
        assert (method, path) == ("POST", "/service/SU1Z0isxPaozGVKXdv0eY/purge")
        assert headers["Fastly-Key"] == "fastly-token"
    purged = purged_keys(stub.requests, "surrogate_keys")
    tag, author = story.tags.get(), story.authors.get()
    assert purged == {
        freshness.story(story.pk),
        freshness.section(story.section_id),
        freshness.tag(tag.pk),
        freshness.author(author.pk),
        freshness.HOME,
        freshness.STORIES,
    }  # exactly what it changed, not everything


def test_a_write_rolled_back_purges_nothing(
    settings, stub, story, editor, django_capture_on_commit_callbacks
):
    use_fastly(settings, stub.url)

    with (
        django_capture_on_commit_callbacks(execute=True),
        contextlib.suppress(RuntimeError),
        transaction.atomic(),
    ):
        services.withdraw(article=story, actor=editor, note="Legal")
        raise RuntimeError("the rest of the change failed")

    assert stub.requests == []


def test_an_approved_comment_purges_its_story_at_cloudflare(
    settings, stub, story, moderator, django_capture_on_commit_callbacks
):
    use_cloudflare(settings, stub.url)
    stub.answers = [(200, b'{"success": true, "errors": [], "messages": [], "result": {}}')]
    comment = CommentFactory(article=story, status=Comment.Status.PENDING)

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.approve_comments(
            comments=Comment.objects.filter(pk=comment.pk), moderator=moderator
        )

    for method, path, headers, _body in stub.requests:
        assert (method, path) == ("POST", "/zones/023e105f4ecef8ad9ca31a8372d0c353/purge_cache")
        assert headers["Authorization"] == "Bearer cloudflare-token"
    assert freshness.story(story.pk) in purged_keys(stub.requests, "tags")


def test_cloudflare_gets_at_most_thirty_tags_a_request(settings, stub):
    use_cloudflare(settings, stub.url)
    stub.answers = [(200, b'{"success": true}')]

    assert edge.purge({f"story:{n}" for n in range(65)})

    assert [len(json.loads(body)["tags"]) for *_, body in stub.requests] == [30, 30, 5]


def test_a_purge_refused_is_tried_again(settings, stub, caplog):
    use_fastly(settings, stub.url)
    stub.answers = [(503, b"{}"), (200, b'{"status": "ok"}')]

    assert edge.purge({"story:1"})
    assert len(stub.requests) == 2
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_an_edge_failing_is_tried_once_a_purge_and_missed_keys_go_with_the_next(
    settings, stub, caplog
):
    use_fastly(settings, stub.url)
    stub.answers = [(503, b"{}")]

    assert not edge.purge({"story:1"})
    assert len(stub.requests) == settings.NEWSROOM_EDGE_PURGE_ATTEMPTS
    assert not edge.purge({"story:2"})
    assert len(stub.requests) == settings.NEWSROOM_EDGE_PURGE_ATTEMPTS + 1

    stub.answers = [(200, b'{"status": "ok"}')]
    del stub.requests[:]
    assert edge.purge({"story:3"})
    assert purged_keys(stub.requests, "surrogate_keys") == {"story:1", "story:2", "story:3"}

    del stub.requests[:]
    assert edge.purge({"story:4"})
    assert purged_keys(stub.requests, "surrogate_keys") == {"story:4"}


def test_too_many_missed_keys_purge_every_page(settings, stub):
    use_fastly(settings, stub.url)
    stub.answers = [(503, b"{}")]
    edge.purge({f"story:{n}" for n in range(edge.MISSED_LIMIT)})
    assert purged_keys(stub.requests, "surrogate_keys") == {
        f"story:{n}" for n in range(edge.MISSED_LIMIT)
    }

    stub.answers = [(200, b'{"status": "ok"}')]
    del stub.requests[:]
    assert edge.purge({"home"})
    assert purged_keys(stub.requests, "surrogate_keys") == {"site"}


def test_cloudflare_saying_no_is_a_failure(settings, stub, caplog):
    use_cloudflare(settings, stub.url)
    stub.answers = [(200, b'{"success": false, "errors": [{"code": 1134}]}')]

    assert not edge.purge({"story:1"})
    assert len(stub.requests) == settings.NEWSROOM_EDGE_PURGE_ATTEMPTS


def test_an_edge_out_of_reach_is_logged_and_shown_on_the_desk(
    settings, stub, story, editor, caplog, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_EDGE_RETRY_DELAY = 0
    use_fastly(settings, f"http://127.0.0.1:{free_port()}")
    caplog.set_level(logging.ERROR, logger="newsroom.edge")

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(article=story, actor=editor, note="Legal")

    messages = [record.message for record in caplog.records]
    assert all("Fastly could not purge" in message for message in messages)
    assert any(freshness.story(story.pk) in message.split() for message in messages)
    client = Client()
    client.force_login(editor)
    desk = client.get(reverse("admin:index"))
    assertContains(desk, "The edge cache (Fastly)")
    assertContains(desk, "The last purge failed")

    use_fastly(settings, stub.url)
    assert edge.purge({freshness.story(story.pk)})
    assertContains(client.get(reverse("admin:index")), "Purges work")


def test_varnish_purges_carry_the_keys_and_the_secret(settings, stub):
    settings.NEWSROOM_EDGE = "varnish"
    settings.NEWSROOM_VARNISH_URLS = [stub.url, stub.url]
    settings.NEWSROOM_EDGE_PURGE_TOKEN = "s3cret"

    assert edge.purge({"story:7", "home"})

    assert [(m, p, h["xkey-purge"], h["X-Purge-Token"]) for m, p, h, _ in stub.requests] == [
        ("PURGE", "/", "home story:7", "s3cret")
    ] * 2


def test_no_edge_no_desk_line(editor):
    client = Client()
    client.force_login(editor)
    assert "The edge cache" not in client.get(reverse("admin:index")).content.decode()


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NEWSROOM_EDGE": "akamai"}, "NEWSROOM_EDGE must be varnish, fastly or cloudflare"),
        ({"NEWSROOM_EDGE": "fastly"}, "NEWSROOM_FASTLY_SERVICE_ID and NEWSROOM_FASTLY_API_TOKEN"),
        (
            {"NEWSROOM_EDGE": "cloudflare", "NEWSROOM_CLOUDFLARE_ZONE_ID": "z"},
            "NEWSROOM_CLOUDFLARE_API_TOKEN not set",
        ),
        ({"NEWSROOM_VARNISH_URLS": "file:///etc/passwd"}, "must be http(s) addresses"),
    ],
)
def test_an_edge_half_configured_is_refused_with_a_clear_message(env, message):
    result = load_settings(DJANGO_DEBUG="true", **env)
    assert result.returncode != 0
    assert message in result.stderr
