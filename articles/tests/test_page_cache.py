"""
The whole-page cache: readers share stored pages, every write that changes a page makes it
fresh on the next request, and what is personal is never shared.
"""

from datetime import timedelta

import pytest
import time_machine
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import freshness, services
from articles.models import Article, Correction
from comments import services as comment_services
from comments.models import Comment
from comments.tests.factories import CommentFactory
from newsroom import pagecache

from .factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from .test_admin import change_url
from .test_admin_workflow import edit_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return SectionFactory(name="World", slug="world")


@pytest.fixture
def europe(world):
    return SectionFactory(name="Europe", slug="europe", parent=world)


@pytest.fixture
def reporter():
    return AuthorFactory(name="Ana Ruiz", slug="ana-ruiz")


@pytest.fixture
def topic():
    return TagFactory(name="Harbours", slug="harbours")


@pytest.fixture
def live(europe, reporter, topic):
    """A live story in a subsection, bylined and tagged: it shows on five list pages."""
    return ArticleFactory(
        section=europe,
        headline="Harbour plan approved",
        slug="harbour-plan-approved",
        authors=[reporter],
        tags=[topic],
    )


def fetch(client, url, **headers):
    response = client.get(url, headers=headers)
    return response, response.get("X-Page-Cache")


def lists_of(story):
    return ["/", "/europe/", "/world/", "/tag/harbours/", "/author/ana-ruiz/"]


def warm(client, urls):
    """Every page stored and served from the cache, as during a spike."""
    for url in urls:
        client.get(url)
        assert fetch(client, url)[1] == "hit", url


# Sharing.


def test_second_reader_gets_the_stored_page_without_a_query(
    client, live, django_assert_num_queries
):
    first, outcome = fetch(client, live.get_absolute_url())
    assert outcome == "miss"

    with django_assert_num_queries(0):
        second, outcome = fetch(Client(), live.get_absolute_url())

    assert outcome == "hit"
    assert second.content == first.content
    assertContains(second, "Harbour plan approved")


def test_head_is_answered_from_the_stored_page(client, live):
    client.get(live.get_absolute_url())

    response = client.head(live.get_absolute_url())

    assert (response.status_code, response["X-Page-Cache"]) == (200, "hit")
    assert response.content == b""


def test_tracking_parameters_share_the_page_and_unknown_ones_are_not_stored(client, live):
    client.get("/world/")

    assert fetch(client, "/world/?utm_source=newsletter&fbclid=abc")[1] == "hit"
    assert fetch(client, "/world/?page=1")[1] == "miss"
    assert fetch(client, "/world/?colour=blue")[1] == "pass"
    assert fetch(client, "/world/?colour=blue")[1] == "pass"


def test_reader_pages_tell_a_cdn_how_long_to_keep_them(client, live, settings):
    settings.NEWSROOM_HTTP_MAX_AGE = 60
    settings.NEWSROOM_HTTP_STALE_WHILE_REVALIDATE = 30
    settings.NEWSROOM_HTTP_STALE_IF_ERROR = 86400

    response, _outcome = fetch(client, live.get_absolute_url())

    assert response["Cache-Control"] == (
        "public, max-age=60, stale-while-revalidate=30, stale-if-error=86400"
    )
    assert response["Vary"] == "Accept-Encoding"
    assert response.has_header("ETag")
    assert response.has_header("Last-Modified")
    assert not response.cookies


def test_conditional_get_with_the_etag_answers_304_from_the_cache(
    client, live, django_assert_num_queries
):
    etag = client.get(live.get_absolute_url())["ETag"]

    with django_assert_num_queries(0):
        response = client.get(live.get_absolute_url(), headers={"If-None-Match": etag})

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag


def test_conditional_get_with_an_old_etag_gets_the_page(client, live):
    response = client.get(live.get_absolute_url(), headers={"If-None-Match": '"something-old"'})

    assert response.status_code == 200
    assertContains(response, "Harbour plan approved")


def test_gzip_readers_get_the_compressed_copy_with_its_own_etag(client, live):
    plain = client.get("/world/")

    compressed = client.get("/world/", headers={"Accept-Encoding": "gzip, br"})

    assert compressed["Content-Encoding"] == "gzip"
    assert compressed["Vary"] == "Accept-Encoding"
    assert compressed["ETag"] != plain["ETag"]
    again = client.get(
        "/world/", headers={"Accept-Encoding": "gzip", "If-None-Match": compressed["ETag"]}
    )
    assert again.status_code == 304


def test_withdrawn_notice_is_stored_and_a_missing_page_is_not(client, world):
    gone = ArticleFactory(section=world, withdrawn=True, slug="gone")
    url = gone.get_absolute_url()
    client.get(url)

    response, outcome = fetch(client, url)
    assert (response.status_code, outcome) == (410, "hit")
    assert fetch(client, "/world/2020/01/01/no-such-story/")[0].status_code == 404
    assert fetch(client, "/world/2020/01/01/no-such-story/")[1] is None


# Never shared.


def test_staff_get_their_own_uncached_pages(editor_client, live):
    Client().get("/")

    response, outcome = fetch(editor_client, "/")

    assert outcome == "bypass"
    assert response["Cache-Control"] == "private, no-store"


def test_a_post_is_never_served_from_the_cache(client, live):
    client.get(live.get_absolute_url())

    response = client.post(live.get_absolute_url())

    assert response.get("X-Page-Cache") is None


def test_a_reader_with_messages_gets_a_page_of_their_own(client, live):
    Client().get("/")
    client.cookies[CookieStorage.cookie_name] = "anything"

    response, outcome = fetch(client, "/")

    assert outcome == "bypass"
    assert response["Cache-Control"] == "private, no-store"


def test_a_reader_whose_session_holds_their_comments_gets_their_own_story_page(client, live):
    Client().get(live.get_absolute_url())
    held = CommentFactory(article=live, pending=True, body="My own held words.")
    session = client.session
    session["comments_awaiting"] = [[live.pk, held.pk]]
    session.save()

    response, outcome = fetch(client, live.get_absolute_url())

    assert outcome == "bypass"
    assert response["Cache-Control"] == "private, no-store"
    assertContains(response, "My own held words.")
    assertNotContains(fetch(Client(), live.get_absolute_url())[0], "My own held words.")


def test_a_session_with_nothing_personal_in_it_gets_the_shared_page(client, live):
    Client().get("/")
    session = client.session
    session["something"] = "else"
    session.save()

    assert fetch(client, "/")[1] == "hit"


def test_preview_is_private(editor_client, editor):
    from articles.previews import preview_url

    draft = ArticleFactory(draft=True)

    response = editor_client.get(preview_url(draft))

    assert response["Cache-Control"] == "private, no-store"


# Invalidation: the next request after each write sees it.


def test_publishing_puts_the_story_on_every_list_at_once(
    client, editor, europe, reporter, topic, django_capture_on_commit_callbacks
):
    ArticleFactory(section=europe, authors=[reporter], tags=[topic], headline="Older story")
    draft = ArticleFactory(
        section=europe, draft=True, headline="Ferry strike called off", authors=[reporter]
    )
    draft.tags.add(topic)
    warm(client, lists_of(draft))

    with django_capture_on_commit_callbacks(execute=True):
        services.publish(article=draft, actor=editor)

    for url in lists_of(draft):
        response, outcome = fetch(client, url)
        assert outcome == "miss", url
        assertContains(response, "Ferry strike called off")


def test_scheduled_story_appears_when_its_time_comes_without_any_write(
    client, editor, europe, django_capture_on_commit_callbacks
):
    ArticleFactory(section=europe, headline="Older story")
    draft = ArticleFactory(section=europe, draft=True, headline="Embargoed budget figures")
    due = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(article=draft, actor=editor, at=due)

    with time_machine.travel(due - timedelta(minutes=5), tick=False):
        before, _ = fetch(client, "/")
        assert fetch(client, "/")[1] == "hit"
        assertNotContains(before, "Embargoed budget figures")
        # Browsers and the CDN are told no longer than until it is due.
        assert "max-age=60," in before["Cache-Control"]

    with time_machine.travel(due - timedelta(seconds=20), tick=False):
        assert "max-age=20," in fetch(client, "/")[0]["Cache-Control"]

    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        after, outcome = fetch(client, "/")
        assert outcome == "miss"
        assertContains(after, "Embargoed budget figures")


def test_marking_an_update_shows_on_the_story_page(
    client, editor, live, django_capture_on_commit_callbacks
):
    warm(client, [live.get_absolute_url()])

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_updated(article=live, actor=editor, note="Adds the mayor's reaction.")

    response, outcome = fetch(client, live.get_absolute_url())
    assert outcome == "miss"
    assertContains(response, "Adds the mayor&#x27;s reaction.")


def test_a_correction_added_in_the_admin_shows_on_the_story_page(
    editor_client, live, django_capture_on_commit_callbacks
):
    reader = Client()
    warm(reader, [live.get_absolute_url()])

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(live),
            edit_form(
                live,
                **{
                    "tags": [tag.pk for tag in live.tags.all()],
                    "corrections-TOTAL_FORMS": "1",
                    "corrections-0-kind": "correction",
                    "corrections-0-text": "The vote was on Monday, not Tuesday.",
                    "corrections-0-published_at_0": "2026-01-01",
                    "corrections-0-published_at_1": "10:00:00",
                },
            ),
        )
    assert response.status_code == 302
    assert Correction.objects.filter(article=live).exists()

    page, outcome = fetch(reader, live.get_absolute_url())
    assert outcome == "miss"
    assertContains(page, "The vote was on Monday, not Tuesday.")


def test_an_edit_that_untags_a_story_takes_it_off_the_tag_page(
    editor_client, live, world, django_capture_on_commit_callbacks
):
    ArticleFactory(section=world, tags=[live.tags.get()], headline="Another harbour story")
    reader = Client()
    warm(reader, ["/tag/harbours/", "/"])

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            change_url(live), edit_form(live, headline="Harbour plan approved at last", tags=[])
        )
    assert response.status_code == 302

    tag_page, outcome = fetch(reader, "/tag/harbours/")
    assert outcome == "miss"
    assertNotContains(tag_page, "Harbour plan approved")
    assertContains(fetch(reader, "/")[0], "Harbour plan approved at last")


def test_withdrawing_answers_410_and_takes_the_story_off_the_lists(
    client, editor, live, django_capture_on_commit_callbacks
):
    warm(client, [live.get_absolute_url(), *lists_of(live)])

    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(article=live, actor=editor, note="The plan was never voted on.")

    assert client.get(live.get_absolute_url()).status_code == 410
    for url in ["/", "/europe/", "/world/", "/author/ana-ruiz/"]:
        assertNotContains(fetch(client, url)[0], "Harbour plan approved")


@pytest.mark.parametrize(
    "decide", [comment_services.approve_comments, comment_services.approve_and_trust]
)
def test_approving_a_comment_shows_it_on_the_cached_story_page(
    client, moderator, live, decide, django_capture_on_commit_callbacks
):
    held = CommentFactory(article=live, pending=True, body="The harbour needs dredging first.")
    warm(client, [live.get_absolute_url()])

    with django_capture_on_commit_callbacks(execute=True):
        decide(comments=Comment.objects.filter(pk=held.pk), moderator=moderator)

    assertContains(fetch(client, live.get_absolute_url())[0], "The harbour needs dredging first.")


@pytest.mark.parametrize("decide", [comment_services.reject_comments, comment_services.mark_spam])
def test_removing_a_comment_takes_it_off_the_cached_story_page(
    client, moderator, live, decide, django_capture_on_commit_callbacks
):
    shown = CommentFactory(article=live, body="Something a moderator takes down later.")
    warm(client, [live.get_absolute_url()])

    with django_capture_on_commit_callbacks(execute=True):
        decide(comments=Comment.objects.filter(pk=shown.pk), moderator=moderator)

    assertNotContains(
        fetch(client, live.get_absolute_url())[0], "Something a moderator takes down later."
    )


def test_deciding_on_a_held_comment_readers_never_saw_keeps_the_page(
    client, moderator, live, django_capture_on_commit_callbacks
):
    held = CommentFactory(article=live, pending=True)
    warm(client, [live.get_absolute_url()])

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.reject_comments(
            comments=Comment.objects.filter(pk=held.pk), moderator=moderator
        )

    assert fetch(client, live.get_absolute_url())[1] == "hit"


def test_renaming_a_section_changes_the_navigation_of_every_page(
    client, live, world, django_capture_on_commit_callbacks
):
    warm(client, [live.get_absolute_url(), "/tag/harbours/"])

    with django_capture_on_commit_callbacks(execute=True):
        world.name = "International"
        world.save()

    for url in [live.get_absolute_url(), "/tag/harbours/"]:
        assertContains(fetch(client, url)[0], "International")


def test_a_story_in_another_section_leaves_the_story_page_stored(
    client, editor, live, django_capture_on_commit_callbacks
):
    elsewhere = ArticleFactory(section=SectionFactory(slug="sport"), draft=True)
    warm(client, [live.get_absolute_url()])

    with django_capture_on_commit_callbacks(execute=True):
        services.publish(article=elsewhere, actor=editor)

    assert fetch(client, live.get_absolute_url())[1] == "hit"


# Expiry under load, and writes racing a render.


def test_expired_page_is_rendered_by_one_request_while_others_get_the_stored_copy(
    client, live, settings
):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    client.get("/")
    key = pagecache.page_key(RequestFactory().get("/"), frozenset())

    with time_machine.travel(timezone.now() + timedelta(seconds=61)):
        cache.add(f"pagelock:{key}", 1)  # another request is rendering it
        assert fetch(client, "/")[1] == "stale"
        assert fetch(Client(), "/")[1] == "stale"
        cache.delete(f"pagelock:{key}")
        assert fetch(client, "/")[1] == "miss"
        assert fetch(client, "/")[1] == "hit"


def test_expired_page_is_not_served_past_its_grace_time(client, live, settings):
    settings.NEWSROOM_PAGE_CACHE_SECONDS = 60
    settings.NEWSROOM_PAGE_CACHE_STALE_SECONDS = 30
    client.get("/")
    key = pagecache.page_key(RequestFactory().get("/"), frozenset())

    with time_machine.travel(timezone.now() + timedelta(seconds=95)):
        cache.add(f"pagelock:{key}", 1)
        assert fetch(client, "/")[1] == "miss"


def test_a_page_rendered_while_a_write_commits_is_served_but_not_kept(rf, live):
    def render_during_a_write():
        response = Client().get("/europe/?colour=blue")  # rendered, not stored
        pagecache.bump([freshness.section(live.section_id)])
        return response

    request = rf.get("/europe/")
    pagecache.depends_on(request, freshness.section(live.section_id))
    first = pagecache.serve(request, render_during_a_write, frozenset())
    assert first["X-Page-Cache"] == "miss"

    assert fetch(Client(), "/europe/")[1] == "miss"


def test_the_page_cache_can_be_turned_off(client, live, settings):
    settings.NEWSROOM_PAGE_CACHE = False
    client.get("/")

    response, outcome = fetch(client, "/")

    assert outcome == "pass"
    assert response["Cache-Control"].startswith("public, max-age=")


def test_next_change_is_the_sooner_of_a_scheduled_story_and_a_banner_coming_down(world):
    now = timezone.now()
    ArticleFactory(section=world, publish_at=now + timedelta(hours=3))
    ArticleFactory(section=world, is_breaking=True, breaking_until=now + timedelta(hours=2))
    ArticleFactory(section=world, is_breaking=True, breaking_until=now - timedelta(hours=2))
    ArticleFactory(section=world, draft=True)

    assert Article.objects.next_change_at() == now + timedelta(hours=2)


@pytest.mark.parametrize(
    ("accept_encoding", "gzipped"),
    [
        ("gzip", True),
        ("deflate, gzip;q=0.5", True),
        ("*", True),
        ("gzip;q=0", False),
        ("gzip;q=0.0, br", False),
        ("*;q=0", False),
        ("identity", False),
        ("gzip;q=nonsense", False),
    ],
)
def test_a_reader_who_refuses_gzip_gets_the_plain_page(client, live, accept_encoding, gzipped):
    client.get(live.get_absolute_url())

    response = client.get(live.get_absolute_url(), headers={"accept-encoding": accept_encoding})

    assert (response.get("Content-Encoding") == "gzip") == gzipped
