"""Only live stories reach readers: never drafts, stories in review, scheduled or withdrawn."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.models import Article

from .factories import HIDDEN_STATES, ArticleFactory, AuthorFactory, SectionFactory, TagFactory


@pytest.fixture
def world(db):
    return SectionFactory(name="World", slug="world")


@pytest.fixture
def hidden_story(request, world):
    return ArticleFactory(
        section=world, headline="Secret hidden story", **HIDDEN_STATES[request.param]
    )


@pytest.fixture
def live_story(world):
    return ArticleFactory(section=world, headline="Ordinary live story")


def test_live_includes_a_published_story_whose_time_has_come(live_story):
    assert list(Article.objects.live()) == [live_story]


@pytest.mark.parametrize("hidden_story", HIDDEN_STATES, indirect=True)
def test_live_excludes_a_story_readers_may_not_see(hidden_story):
    assert not Article.objects.live().exists()


def test_scheduled_story_turns_live_by_itself_when_its_time_comes(world, client):
    publish_at = timezone.now() + timedelta(hours=2)
    story = ArticleFactory(section=world, headline="Embargoed report", publish_at=publish_at)

    assert not Article.objects.live().exists()
    assert "Embargoed report" not in client.get("/").content.decode()

    with time_machine.travel(publish_at + timedelta(seconds=1)):
        assert list(Article.objects.live()) == [story]
        assert "Embargoed report" in client.get("/").content.decode()
        assert client.get(story.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("hidden_story", HIDDEN_STATES, indirect=True)
def test_hidden_story_appears_on_no_list_page(client, hidden_story, live_story):
    tag = TagFactory(name="Harbours")
    author = AuthorFactory(slug="ana-ruiz")
    for story in (hidden_story, live_story):
        story.tags.add(tag)
        story.bylines.create(author=author)
    # The live story links to a "more from" list that must not hold the hidden one either.
    pages = [
        "/",
        reverse("articles:section", kwargs={"section": "world"}),
        reverse("articles:tag", kwargs={"slug": tag.slug}),
        reverse("articles:author", kwargs={"slug": "ana-ruiz"}),
        live_story.get_absolute_url(),
    ]
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Secret hidden story" not in response.content.decode(), url
        assert "Ordinary live story" in response.content.decode(), url


@pytest.mark.parametrize("hidden", ["draft", "in review", "scheduled"])
def test_unpublished_story_url_answers_404(client, world, hidden):
    story = ArticleFactory(section=world, **HIDDEN_STATES[hidden])
    day = timezone.localdate(story.publish_at or timezone.now())
    url = reverse(
        "articles:article",
        kwargs={
            "section": "world",
            "year": day.year,
            "month": day.month,
            "day": day.day,
            "slug": story.slug,
        },
    )
    response = client.get(url)
    assert response.status_code == 404
    assert story.headline not in response.content.decode()


def test_withdrawn_story_url_answers_410_with_a_notice(client, world):
    story = ArticleFactory(section=world, headline="Story taken down", withdrawn=True)
    response = client.get(story.get_absolute_url())
    assert response.status_code == 410
    content = response.content.decode()
    assert "This story has been withdrawn" in content
    assert "Story taken down" not in content
    assert '<meta name="robots" content="noindex">' in content


def test_tag_with_only_hidden_stories_is_not_found(client, world):
    tag = TagFactory(name="Merger talks")
    ArticleFactory(section=world, draft=True, tags=[tag])
    assert client.get(tag.get_absolute_url()).status_code == 404
