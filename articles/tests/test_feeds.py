"""RSS and Atom feeds: valid (as feedparser reads them), complete, live stories only."""

from datetime import timedelta

import feedparser
import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains

from articles.models import Byline
from newsroom.tests.queries import count_queries
from photos.tests.factories import ImageFactory

from .factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

FEEDS = ["/feeds/latest/", "/feeds/latest/atom/", "/feeds/world/", "/feeds/world/atom/"]


@pytest.fixture
def world(db):
    return SectionFactory(name="World", slug="world", description="News from abroad.")


@pytest.fixture
def story(world):
    story = ArticleFactory(
        headline="Floods close the coast road",
        standfirst="Rain & wind batter the north <again>.",
        section=world,
        lead_image=ImageFactory(size=(1600, 1000), credit="Ana Ruiz/The Newsroom"),
        tags=[TagFactory(name="Weather"), TagFactory(name="Transport")],
    )
    story.bylines.create(author=AuthorFactory(name="Ana Ruiz", slug="ana-ruiz"), position=0)
    story.bylines.create(
        author=AuthorFactory(name="Ben Okafor", slug="ben-okafor"),
        position=1,
        role=Byline.Role.ADDITIONAL_REPORTING,
    )
    return story


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response, feedparser.parse(response.content)


@pytest.mark.parametrize("url", FEEDS)
def test_feeds_are_well_formed_and_valid(client, story, url):
    _response, feed = read(client, url)

    assert feed.bozo == 0, feed.get("bozo_exception")
    assert feed.version in ("rss20", "atom10")
    assert len(feed.entries) == 1


@pytest.mark.parametrize("url", FEEDS)
def test_a_feed_entry_carries_the_story(client, story, url):
    _response, feed = read(client, url)
    [entry] = feed.entries

    assert entry.title == "Floods close the coast road"
    assert entry.link == f"http://testserver{story.get_absolute_url()}"
    assert entry.summary == "Rain &amp; wind batter the north &lt;again&gt;."
    assert [author.name for author in entry.authors] == ["Ana Ruiz", "Ben Okafor"]
    assert entry.published_parsed[:6] == story.publish_at.utctimetuple()[:6]
    assert {tag.term for tag in entry.tags} == {"World", "Weather", "Transport"}


@pytest.mark.parametrize("url", ["/feeds/latest/atom/", "/feeds/world/atom/"])
def test_atom_entries_link_their_authors_and_say_when_they_were_updated(client, story, url):
    story.last_updated_at = story.publish_at + timedelta(minutes=30)
    story.save()

    _response, feed = read(client, url)
    [entry] = feed.entries

    assert entry.authors[0].href == "http://testserver/author/ana-ruiz/"
    assert entry.updated_parsed[:6] == story.last_updated_at.utctimetuple()[:6]


@pytest.mark.parametrize("url", FEEDS)
def test_the_lead_photo_is_media_content_with_its_type_and_size(client, story, url):
    _response, feed = read(client, url)
    [entry] = feed.entries

    [photo] = entry.media_content
    assert photo["url"].startswith("http://testserver/images/")
    assert photo["url"].endswith(".jpg")
    assert photo["type"] == "image/jpeg"
    assert photo["medium"] == "image"
    assert (int(photo["width"]), int(photo["height"])) == (1280, 853)
    assert entry.media_credit[0]["content"] == "Ana Ruiz/The Newsroom"


def test_a_feeds_photo_address_answers_with_the_photo(client, story):
    _response, feed = read(client, "/feeds/latest/")

    photo = client.get(feed.entries[0].media_content[0]["url"], follow=True)
    assert photo.status_code == 200
    assert photo["Content-Type"] == "image/jpeg"


def test_a_byline_override_is_the_feeds_author(client, world):
    ArticleFactory(section=world, byline_override="Staff and agencies")

    for url in ["/feeds/latest/", "/feeds/latest/atom/"]:
        _response, feed = read(client, url)
        assert feed.entries[0].author == "Staff and agencies"


@pytest.mark.parametrize("url", FEEDS)
def test_only_live_stories_are_in_the_feeds(client, world, url):
    ArticleFactory(section=world, headline="Live story")
    ArticleFactory(section=world, headline="Draft story", draft=True)
    ArticleFactory(section=world, headline="Review story", in_review=True)
    ArticleFactory(section=world, headline="Scheduled story", scheduled=True)
    ArticleFactory(section=world, headline="Withdrawn story", withdrawn=True)

    _response, feed = read(client, url)

    assert [entry.title for entry in feed.entries] == ["Live story"]


def test_a_section_feed_has_its_subsections_and_no_other_section(client, world):
    europe = SectionFactory(name="Europe", slug="europe", parent=world)
    ArticleFactory(section=world, headline="World story")
    ArticleFactory(section=europe, headline="Europe story")
    ArticleFactory(section=SectionFactory(name="Sport"), headline="Sport story")

    _response, feed = read(client, "/feeds/world/")

    assert feed.feed.title == "The Newsroom: World"
    assert feed.feed.link == "http://testserver/world/"
    assert {entry.title for entry in feed.entries} == {"World story", "Europe story"}


def test_feeds_list_the_newest_stories_first_and_at_most_thirty(client, world):
    now = timezone.now()
    for n in range(35):
        ArticleFactory(section=world, headline=f"Story {n}", publish_at=now - timedelta(hours=n))

    _response, feed = read(client, "/feeds/latest/")

    assert len(feed.entries) == 30
    assert feed.entries[0].title == "Story 0"
    assert feed.entries[-1].title == "Story 29"


def test_an_unknown_sections_feed_is_not_found(client):
    assert client.get("/feeds/nowhere/").status_code == 404


def test_pages_link_to_the_feeds(client, story):
    home = client.get("/")
    section = client.get("/world/")

    assertContains(
        home,
        '<link rel="alternate" type="application/rss+xml" '
        'title="The Newsroom: latest stories" href="/feeds/latest/">',
        html=True,
    )
    assertContains(
        section,
        '<link rel="alternate" type="application/rss+xml" '
        'title="The Newsroom: World" href="/feeds/world/">',
        html=True,
    )
    assertContains(
        section,
        '<link rel="alternate" type="application/atom+xml" '
        'title="The Newsroom: World (Atom)" href="/feeds/world/atom/">',
        html=True,
    )


def fill(world, count, *, start=0):
    photo = ImageFactory(size=(640, 480))
    authors = [AuthorFactory(slug=f"writer-{n}") for n in range(3)]
    tags = [TagFactory(name=f"Topic {n}") for n in range(3)]
    for n in range(start, start + count):
        ArticleFactory(
            section=world, headline=f"Story {n}", lead_image=photo, authors=authors, tags=tags
        )


@pytest.mark.parametrize("url", FEEDS)
def test_a_feed_runs_the_same_queries_for_few_and_many_stories(client, world, url):
    fill(world, 2)
    _response, few = count_queries(client, url)
    fill(world, 20, start=2)
    response, many = count_queries(client, url)

    assert len(feedparser.parse(response.content).entries) == 22
    assert few == many


def test_no_section_may_take_the_latest_stories_feeds_address():
    from django.core.exceptions import ValidationError

    from articles.models import Section

    with pytest.raises(ValidationError):
        Section(name="Latest", slug="latest").full_clean()
