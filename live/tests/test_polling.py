"""
The updates a live story's open pages poll: small, cacheable, 304 when nothing changed, and
made stale by exactly the live story's own writes.
"""

import json
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from articles.tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from live import services
from live.models import LiveEntry
from live.sections import moment_of, stamp
from live.views import MOST_UPDATES
from newsroom.pagecache import current_versions

from .factories import LiveCoverageFactory, LiveEntryFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def coverage():
    story = ArticleFactory(headline="Election night", section=SectionFactory(slug="politics"))
    return LiveCoverageFactory(article=story)


def updates_url(coverage, since=None):
    url = f"{coverage.article.get_absolute_url()}live/updates/"
    return url if since is None else f"{url}?since={since}"


def page_since(client, coverage):
    """The `since` the story page gives its script."""
    content = client.get(coverage.article.get_absolute_url()).content.decode()
    return content.split('data-since="')[1].split('"')[0]


def test_updates_since_the_page_are_the_entries_posted_after_it(client, coverage):
    LiveEntryFactory(coverage=coverage, created_at=timezone.now() - timedelta(minutes=5))
    since = page_since(client, coverage)
    later = LiveEntryFactory(coverage=coverage, headline="Recount ordered")

    answer = client.get(updates_url(coverage, since)).json()

    assert answer["new"] == 1
    news = [update for update in answer["updates"] if int(update["updated"]) > int(since)]
    assert [update["id"] for update in news] == [later.pk]
    assert "Recount ordered" in news[0]["html"]
    assert f'id="entry-{later.pk}"' in news[0]["html"]
    assert answer["ended"] is False
    assert answer["since"] == news[0]["updated"]


def test_nothing_new_since_the_page_is_an_empty_answer(client, coverage):
    LiveEntryFactory(coverage=coverage)
    since = page_since(client, coverage)

    answer = client.get(updates_url(coverage, since)).json()

    assert (answer["new"], answer["since"]) == (0, since)
    assert all(int(update["updated"]) <= int(since) for update in answer["updates"])


def test_an_answer_repeats_the_moments_before_since_with_the_stamps_the_page_shows(
    client, coverage
):
    shown = LiveEntryFactory(coverage=coverage)
    page = client.get(coverage.article.get_absolute_url()).content.decode()
    since = page.split('data-since="')[1].split('"')[0]
    page_stamp = page.split(f'data-entry="{shown.pk}" data-updated="')[1].split('"')[0]

    answer = client.get(updates_url(coverage, since)).json()

    assert [(u["id"], u["updated"]) for u in answer["updates"]] == [(shown.pk, page_stamp)]


def test_an_entry_committed_after_a_later_one_is_not_missed(client, coverage):
    LiveEntryFactory(coverage=coverage)
    since = page_since(client, coverage)
    # Saved (stamped) a moment before the page's `since`, committed only after the page.
    late = LiveEntryFactory(coverage=coverage, headline="Late")
    LiveEntry.objects.filter(pk=late.pk).update(
        updated_at=moment_of(int(since)) - timedelta(seconds=1)
    )

    answer = client.get(updates_url(coverage, since)).json()

    assert late.pk in [update["id"] for update in answer["updates"]]


def test_many_changes_in_the_moments_before_since_do_not_hold_back_newer_ones(client, coverage):
    LiveEntryFactory.create_batch(MOST_UPDATES + 5, coverage=coverage)
    since = page_since(client, coverage)
    LiveEntry.objects.filter(coverage=coverage).update(
        updated_at=moment_of(int(since)) - timedelta(seconds=1)
    )
    newest = LiveEntryFactory(coverage=coverage, headline="Newest")

    answer = client.get(updates_url(coverage, since)).json()

    assert newest.pk in [update["id"] for update in answer["updates"]]
    assert answer["since"] == stamp(LiveEntry.objects.get(pk=newest.pk).updated_at)


def test_a_deleted_or_corrected_entry_is_an_update_too(client, coverage, editor):
    deleted = LiveEntryFactory(coverage=coverage, created_at=timezone.now() - timedelta(hours=1))
    corrected = LiveEntryFactory(coverage=coverage, created_at=timezone.now() - timedelta(hours=1))
    since = stamp(timezone.now() - timedelta(minutes=1))
    services.delete_entry(entry=deleted, actor=editor)
    services.correct_entry(entry=corrected, actor=editor, note="Wrong ward.", body="<p>Ward 9</p>")

    answer = client.get(updates_url(coverage, since)).json()

    updates = {update["id"]: update for update in answer["updates"]}
    assert answer["new"] == 0
    assert updates[deleted.pk]["deleted"] is True
    assert updates[deleted.pk]["html"] == ""
    assert "Wrong ward." in updates[corrected.pk]["html"]


def test_updates_say_when_coverage_has_ended(client, coverage, editor):
    services.end_coverage(coverage=coverage, actor=editor)

    assert client.get(updates_url(coverage, "0")).json()["ended"] is True


@pytest.mark.parametrize("since", ["yesterday", "-1", "1e9", "9" * 30, "١٢"])
def test_a_since_that_is_no_moment_is_a_bad_request(client, coverage, since):
    response = client.get(updates_url(coverage, since))

    assert response.status_code == 400
    assert "since" in response.json()["error"]


def test_second_poll_is_served_from_the_cache_without_a_query(
    client, coverage, django_assert_num_queries
):
    LiveEntryFactory(coverage=coverage)
    since = page_since(client, coverage)
    first = client.get(updates_url(coverage, since))
    assert first["X-Page-Cache"] == "miss"

    with django_assert_num_queries(0):
        second = Client().get(updates_url(coverage, since))

    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content


def test_a_poll_with_the_etag_answers_304_without_a_query(
    client, coverage, django_assert_num_queries
):
    since = page_since(client, coverage)
    first = client.get(updates_url(coverage, since))
    assert first["Content-Type"] == "application/json"
    assert first.has_header("Last-Modified")

    with django_assert_num_queries(0):
        response = client.get(
            updates_url(coverage, since), headers={"If-None-Match": first["ETag"]}
        )

    assert response.status_code == 304
    assert response.content == b""


def test_a_poll_with_if_modified_since_answers_304(client, coverage):
    first = client.get(updates_url(coverage, "0"))

    response = client.get(
        updates_url(coverage, "0"), headers={"If-Modified-Since": first["Last-Modified"]}
    )

    assert response.status_code == 304


def test_posting_an_entry_makes_the_poll_and_the_page_fresh_at_once(
    client, coverage, journalist, django_capture_on_commit_callbacks
):
    since = page_since(client, coverage)
    before = client.get(updates_url(coverage, since))
    assert client.get(updates_url(coverage, since))["X-Page-Cache"] == "hit"

    with django_capture_on_commit_callbacks(execute=True):
        services.post_entry(coverage=coverage, actor=journalist, body="<p>Recount ordered.</p>")

    after = client.get(updates_url(coverage, since), headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200
    assert after.json()["new"] == 1
    page = client.get(coverage.article.get_absolute_url())
    assert "Recount ordered." in page.content.decode()


def test_posting_an_entry_bumps_only_the_live_story_s_own_key(
    coverage, journalist, django_capture_on_commit_callbacks
):
    author = AuthorFactory()
    story_keys = [f"story:{coverage.article.pk}", f"section:{coverage.article.section_id}"]
    lists = ["site", "home", "stories", f"author:{author.pk}", *story_keys]
    started = current_versions([*lists, f"live:{coverage.article.pk}"], started_ns=0)

    with django_capture_on_commit_callbacks(execute=True):
        services.post_entry(
            coverage=coverage, actor=journalist, body="<p>Recount.</p>", authors=[author]
        )

    now = current_versions([*lists, f"live:{coverage.article.pk}"], started_ns=0)
    assert {key for key in now if now[key] != started[key]} == {f"live:{coverage.article.pk}"}


def test_other_stories_polls_are_not_made_stale(
    client, coverage, journalist, django_capture_on_commit_callbacks
):
    other = LiveCoverageFactory()
    client.get(updates_url(other, "0"))

    with django_capture_on_commit_callbacks(execute=True):
        services.post_entry(coverage=coverage, actor=journalist, body="<p>Recount.</p>")

    assert client.get(updates_url(other, "0"))["X-Page-Cache"] == "hit"


def test_poll_query_count_does_not_grow_with_the_entries(client, coverage):
    from newsroom.tests.queries import count_queries

    LiveEntryFactory.create_batch(3, coverage=coverage, authors=[AuthorFactory()])
    _response, with_few = count_queries(client, updates_url(coverage, "0"))
    LiveEntryFactory.create_batch(30, coverage=coverage, authors=[AuthorFactory()])
    response, with_many = count_queries(client, updates_url(coverage, "0"))

    assert len(json.loads(response.content)["updates"]) == 33
    assert with_many == with_few


@given(st.datetimes(min_value=datetime(1970, 1, 1), timezones=st.just(UTC)))
def test_since_names_a_moment_to_the_microsecond(moment):
    assert moment_of(int(stamp(moment))) == moment


def test_a_cdn_keeps_a_poll_no_longer_than_the_polling_interval(client, coverage, settings):
    settings.NEWSROOM_HTTP_MAX_AGE = 60
    settings.NEWSROOM_LIVE_POLL_SECONDS = 15

    response = client.get(updates_url(coverage, "0"))

    max_age = int(response["Cache-Control"].split("max-age=")[1].split(",")[0])
    assert 0 < max_age <= 15
    assert response["Cache-Control"].startswith("public")
