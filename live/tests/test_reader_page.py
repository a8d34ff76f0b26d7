"""What readers see of a live story: summary, key events, entries in order, permalinks."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from articles.tests.factories import ArticleFactory, AuthorFactory
from articles.tests.test_reader_images import inserted
from live.models import LiveEntry
from newsroom.tests.queries import count_queries
from photos.tests.factories import ImageFactory

from .factories import LiveCoverageFactory, LiveEntryFactory

pytestmark = pytest.mark.django_db


def minutes_ago(minutes):
    return timezone.now() - timedelta(minutes=minutes)


def entry_ids_on(response):
    content = response.content.decode()
    return [int(part.split('"')[0]) for part in content.split('data-entry="')[1:]]


@pytest.fixture
def coverage():
    return LiveCoverageFactory(article=ArticleFactory(headline="Election night"))


def test_live_story_shows_its_summary_and_key_events_at_the_top(client, coverage):
    key = LiveEntryFactory(coverage=coverage, headline="First result declared", is_key_event=True)
    LiveEntryFactory(coverage=coverage, headline="Turnout is high")

    response = client.get(coverage.article.get_absolute_url())

    content = response.content.decode()
    assert "Polls have closed" in content
    key_events = content[content.index("Key events") : content.index("live-entries")]
    assert f'href="#entry-{key.pk}"' in key_events
    assert "First result declared" in key_events
    assert "Turnout is high" not in key_events


def test_entries_are_newest_first_with_pinned_ones_on_top(client, coverage):
    oldest = LiveEntryFactory(coverage=coverage, created_at=minutes_ago(30))
    pinned = LiveEntryFactory(coverage=coverage, created_at=minutes_ago(20), is_pinned=True)
    newest = LiveEntryFactory(coverage=coverage, created_at=minutes_ago(1))

    response = client.get(coverage.article.get_absolute_url())

    assert entry_ids_on(response) == [pinned.pk, newest.pk, oldest.pk]


def test_ended_coverage_is_oldest_first_and_says_it_ended(client, coverage):
    oldest = LiveEntryFactory(coverage=coverage, created_at=minutes_ago(30))
    newest = LiveEntryFactory(coverage=coverage, created_at=minutes_ago(1))
    coverage.ended_at = timezone.now()
    coverage.save()

    response = client.get(coverage.article.get_absolute_url())

    assert entry_ids_on(response) == [oldest.pk, newest.pk]
    assert "This live coverage ended on" in response.content.decode()


def test_deleted_entries_are_not_shown(client, coverage):
    kept = LiveEntryFactory(coverage=coverage)
    LiveEntryFactory(coverage=coverage, deleted_at=timezone.now(), headline="Wrong district")

    response = client.get(coverage.article.get_absolute_url())

    assert entry_ids_on(response) == [kept.pk]
    assert "Wrong district" not in response.content.decode()


def test_each_entry_has_a_permalink_that_lands_on_it(client, coverage):
    entry = LiveEntryFactory(coverage=coverage)
    story_url = coverage.article.get_absolute_url()

    page = client.get(story_url).content.decode()
    permalink = f"{story_url}live/{entry.pk}/"
    assert f'id="entry-{entry.pk}"' in page
    assert f'href="{permalink}"' in page

    response = client.get(permalink)
    assert response.status_code == 302
    assert response["Location"] == f"{story_url}#entry-{entry.pk}"


def test_permalink_of_a_deleted_entry_or_another_story_is_not_found(client, coverage):
    deleted = LiveEntryFactory(coverage=coverage, deleted_at=timezone.now())
    elsewhere = LiveEntryFactory()
    story_url = coverage.article.get_absolute_url()

    assert client.get(f"{story_url}live/{deleted.pk}/").status_code == 404
    assert client.get(f"{story_url}live/{elsewhere.pk}/").status_code == 404


def test_a_story_without_coverage_has_no_live_section(client):
    story = ArticleFactory()

    response = client.get(story.get_absolute_url())

    assert 'id="live"' not in response.content.decode()
    assert client.get(f"{story.get_absolute_url()}live/updates/").status_code == 404


def test_draft_story_with_coverage_is_not_shown_anywhere(client):
    coverage = LiveCoverageFactory(article=ArticleFactory(draft=True, slug="secret-count"))
    entry = LiveEntryFactory(coverage=coverage)
    url = f"/{coverage.article.section.slug}/2026/01/01/secret-count/live/"

    assert client.get(f"{url}updates/").status_code == 404
    assert client.get(f"{url}{entry.pk}/").status_code == 404
    assert client.get(f"{url}feed/").status_code == 404


def test_entry_body_is_sanitised_like_a_story(coverage):
    entry = LiveEntryFactory(
        coverage=coverage, body='<p onclick="x()">Count<script>alert(1)</script></p>'
    )

    entry.refresh_from_db()
    assert entry.body == "<p>Count</p>"


def fill(coverage, count):
    authors = [AuthorFactory() for _ in range(3)]
    for n in range(count):
        LiveEntryFactory(
            coverage=coverage,
            created_at=minutes_ago(n),
            is_key_event=n % 4 == 0,
            authors=authors[: 1 + n % 3],
        )


def test_live_page_query_count_does_not_grow_with_its_entries(client, coverage):
    fill(coverage, 3)
    _response, with_few = count_queries(client, coverage.article.get_absolute_url())

    fill(coverage, 30)
    response, with_many = count_queries(client, coverage.article.get_absolute_url())

    assert len(entry_ids_on(response)) == 33
    assert with_many == with_few


def test_photos_in_entries_are_responsive_pictures_at_a_fixed_cost(client, coverage):
    def with_photos(count):
        for n in range(count):
            image = ImageFactory(credit="Ana Ruiz/The Newsroom")
            LiveEntryFactory(
                coverage=coverage,
                created_at=minutes_ago(n),
                body=f"<p>From the riverbank.</p>{inserted(image)}",
            )

    with_photos(2)
    _response, with_few = count_queries(client, coverage.article.get_absolute_url())
    with_photos(20)
    response, with_many = count_queries(client, coverage.article.get_absolute_url())

    entries = re.findall(r'<article class="live-entry.*?</article>', response.text, re.DOTALL)
    assert len(entries) == 22
    assert all("<picture>" in entry and "Ana Ruiz/The Newsroom" in entry for entry in entries)
    assert with_many == with_few


EMBED = (
    '<figure class="embed" data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
    '<a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">The count, live</a></figure>'
)


def test_an_embed_in_an_entry_is_a_placeholder_the_page_script_readies(client, coverage):
    LiveEntryFactory(coverage=coverage, body=f"<p>Watch the count.</p>{EMBED}")

    content = client.get(coverage.article.get_absolute_url()).content.decode()

    entries = content[content.index('class="live-entries"') :]
    assert 'data-embed-frame="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in entries
    assert "<iframe" not in entries
    assert '<script src="/static/js/embeds.js" defer></script>' in entries


def test_entry_body_written_in_bulk_is_sanitised_too(coverage):
    entry = LiveEntryFactory(coverage=coverage)
    hostile = '<p>Count<img src="https://evil.example/x.png" onerror="x()"></p>'

    LiveEntry.objects.filter(pk=entry.pk).update(body=hostile)
    entry.refresh_from_db()
    assert entry.body == "<p>Count</p>"

    entry.body = "<p>Again<script>x()</script></p>"
    LiveEntry.objects.bulk_update([entry], ["body"])
    entry.refresh_from_db()
    assert entry.body == "<p>Again</p>"

    (created,) = LiveEntry.objects.bulk_create(
        [LiveEntry(coverage=coverage, body='<p style="x">New</p><iframe></iframe>')]
    )
    assert LiveEntry.objects.get(pk=created.pk).body == "<p>New</p>"
