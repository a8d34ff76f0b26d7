"""A live story tells search engines it is a LiveBlogPosting; its feed lists its entries."""

import json
from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone

from articles.tests.factories import ArticleFactory, AuthorFactory
from live import services

from .factories import LiveCoverageFactory, LiveEntryFactory

pytestmark = pytest.mark.django_db


def json_ld(response):
    content = response.content.decode()
    start = content.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    return json.loads(content[start : content.index("</script>", start)])


@pytest.fixture
def coverage():
    return LiveCoverageFactory(article=ArticleFactory(headline="Election night"))


def test_live_story_is_a_live_blog_posting_with_its_updates(client, coverage):
    author = AuthorFactory(name="Ana Ruiz")
    first = LiveEntryFactory(
        coverage=coverage,
        headline="Polls close",
        created_at=timezone.now() - timedelta(minutes=9),
        authors=[author],
    )
    second = LiveEntryFactory(coverage=coverage, headline="First result")
    LiveEntryFactory(coverage=coverage, headline="Deleted", deleted_at=timezone.now())

    data = json_ld(client.get(coverage.article.get_absolute_url()))

    assert data["@type"] == "LiveBlogPosting"
    assert data["headline"] == "Election night"
    assert data["coverageStartTime"].startswith(str(timezone.localdate(coverage.started_at)))
    assert "coverageEndTime" not in data
    updates = data["liveBlogUpdate"]
    assert [update["headline"] for update in updates] == ["First result", "Polls close"]
    assert updates[1]["@type"] == "BlogPosting"
    assert updates[1]["author"][0]["name"] == "Ana Ruiz"
    assert updates[1]["url"].endswith(f"/live/{first.pk}/")
    assert updates[0]["url"].startswith("http://testserver/")
    assert str(second.pk) in updates[0]["@id"]


def test_ended_coverage_says_when_it_ended(client, coverage, editor):
    services.end_coverage(coverage=coverage, actor=editor)

    data = json_ld(client.get(coverage.article.get_absolute_url()))

    assert data["@type"] == "LiveBlogPosting"
    assert data["coverageEndTime"] == timezone.localtime(coverage.ended_at).isoformat(
        timespec="seconds"
    )


def test_a_story_without_coverage_stays_a_news_article(client):
    data = json_ld(client.get(ArticleFactory().get_absolute_url()))

    assert data["@type"] == "NewsArticle"
    assert "liveBlogUpdate" not in data


def test_the_feed_of_a_live_story_lists_its_entries_newest_first(client, coverage):
    author = AuthorFactory(name="Ben Okafor")
    LiveEntryFactory(
        coverage=coverage, headline="Polls close", created_at=timezone.now() - timedelta(hours=1)
    )
    newest = LiveEntryFactory(coverage=coverage, headline="First result", authors=[author])
    LiveEntryFactory(coverage=coverage, headline="Deleted", deleted_at=timezone.now())

    response = client.get(f"{coverage.article.get_absolute_url()}live/feed/")

    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert feed.feed.title == "Live: Election night"
    assert [item.title for item in feed.entries] == ["First result", "Polls close"]
    assert feed.entries[0].link == f"http://testserver{newest.get_absolute_url()}"
    assert feed.entries[0].author == "Ben Okafor"


def test_the_live_page_links_its_feed(client, coverage):
    page = client.get(coverage.article.get_absolute_url()).content.decode()

    assert f'href="{coverage.article.get_absolute_url()}live/feed/"' in page
