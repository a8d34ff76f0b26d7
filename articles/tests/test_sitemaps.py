"""The sitemap index and its parts, the Google News sitemap and robots.txt."""

from datetime import timedelta
from xml.etree import ElementTree

import pytest
import time_machine
from django.utils import timezone

from newsroom.tests.queries import count_queries

from .factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}


def xml(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)  # noqa: S314 (our own response)


def locations(root, tag="sm:url"):
    return [element.findtext("sm:loc", namespaces=NS) for element in root.findall(tag, NS)]


@pytest.fixture
def world(db):
    return SectionFactory(name="World", slug="world")


def test_the_index_lists_every_part_with_its_last_change(client, world):
    story = ArticleFactory(section=world, tags=[TagFactory(name="Floods")])
    story.bylines.create(author=AuthorFactory(slug="ana-ruiz"))

    root = xml(client, "/sitemap.xml")

    assert locations(root, "sm:sitemap") == [
        "http://testserver/sitemap-home.xml",
        "http://testserver/sitemap-sections.xml",
        "http://testserver/sitemap-stories.xml",
        "http://testserver/sitemap-authors.xml",
        "http://testserver/sitemap-topics.xml",
    ]
    lastmods = [
        part.findtext("sm:lastmod", namespaces=NS) for part in root.findall("sm:sitemap", NS)
    ]
    published, modified = story.publish_at.isoformat(), story.modified_at.isoformat()
    assert lastmods == [published, published, modified, published, published]


def test_a_part_is_split_into_pages_of_at_most_the_limit(client, settings, world):
    settings.NEWSROOM_SITEMAP_LIMIT = 2
    now = timezone.now()
    stories = [ArticleFactory(section=world, publish_at=now - timedelta(hours=n)) for n in range(5)]

    index = locations(xml(client, "/sitemap.xml"), "sm:sitemap")
    pages = [locations(xml(client, "/sitemap-stories.xml", p=page)) for page in (1, 2, 3)]

    assert [loc for loc in index if "stories" in loc] == [
        "http://testserver/sitemap-stories.xml",
        "http://testserver/sitemap-stories.xml?p=2",
        "http://testserver/sitemap-stories.xml?p=3",
    ]
    assert [len(page) for page in pages] == [2, 2, 1]
    assert [loc for page in pages for loc in page] == [
        f"http://testserver{s.get_absolute_url()}" for s in stories
    ]
    assert client.get("/sitemap-stories.xml", {"p": 4}).status_code == 404


def test_the_default_limit_is_the_protocols_fifty_thousand():
    from django.conf import settings

    assert settings.NEWSROOM_SITEMAP_LIMIT == 50_000


def test_story_addresses_carry_their_last_change(client, world):
    story = ArticleFactory(section=world)

    [url] = xml(client, "/sitemap-stories.xml").findall("sm:url", NS)

    assert (
        url.findtext("sm:lastmod", namespaces=NS)
        == timezone.localdate(max(story.publish_at, story.modified_at)).isoformat()
    )


def test_only_live_stories_and_pages_with_live_stories_are_listed(client, world):
    live = ArticleFactory(section=world, tags=[TagFactory(name="Live topic")])
    live.bylines.create(author=AuthorFactory(slug="live-writer"))
    quiet = SectionFactory(name="Quiet", slug="quiet")
    for trait in ["draft", "in_review", "scheduled", "withdrawn"]:
        hidden = ArticleFactory(
            section=quiet, tags=[TagFactory(name=f"Hidden {trait}")], **{trait: True}
        )
        hidden.bylines.create(author=AuthorFactory(slug=f"hidden-{trait}"))

    assert locations(xml(client, "/sitemap-stories.xml")) == [
        f"http://testserver{live.get_absolute_url()}"
    ]
    assert locations(xml(client, "/sitemap-sections.xml")) == ["http://testserver/world/"]
    assert locations(xml(client, "/sitemap-authors.xml")) == [
        "http://testserver/author/live-writer/"
    ]
    assert locations(xml(client, "/sitemap-topics.xml")) == ["http://testserver/tag/live-topic/"]
    assert locations(xml(client, "/sitemap-home.xml")) == ["http://testserver/"]


def test_a_section_front_is_listed_for_its_subsections_stories(client, world):
    ArticleFactory(section=SectionFactory(name="Europe", slug="europe", parent=world))

    assert locations(xml(client, "/sitemap-sections.xml")) == [
        "http://testserver/world/",
        "http://testserver/europe/",
    ]


def test_the_news_sitemap_has_the_last_48_hours_with_googles_fields(client, world):
    now = timezone.now()
    recent = ArticleFactory(
        section=world, headline="Floods & storms <update>", publish_at=now - timedelta(hours=47)
    )
    ArticleFactory(section=world, headline="Too old", publish_at=now - timedelta(hours=49))
    ArticleFactory(section=world, headline="Scheduled", scheduled=True)
    ArticleFactory(section=world, headline="Draft", draft=True)

    root = xml(client, "/sitemap-news.xml")

    [url] = root.findall("sm:url", NS)
    assert url.findtext("sm:loc", namespaces=NS) == f"http://testserver{recent.get_absolute_url()}"
    news = url.find("news:news", NS)
    assert news.findtext("news:publication/news:name", namespaces=NS) == "The Newsroom"
    assert news.findtext("news:publication/news:language", namespaces=NS) == "en"
    assert news.findtext("news:title", namespaces=NS) == "Floods & storms <update>"
    assert news.findtext("news:publication_date", namespaces=NS) == recent.publish_at.isoformat()


def test_robots_txt_names_both_sitemaps_and_keeps_crawlers_out_of_the_newsroom(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert "Disallow: /admin/" in lines
    assert "Disallow: /preview/" in lines
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    assert "Sitemap: http://testserver/sitemap-news.xml" in lines


def fill(world, count, *, start=0):
    now = timezone.now()
    for n in range(start, start + count):
        section = SectionFactory(name=f"Desk {n}", slug=f"desk-{n}", parent=world)
        story = ArticleFactory(
            section=section,
            publish_at=now - timedelta(minutes=n + 1),
            tags=[TagFactory(name=f"Topic {n}")],
        )
        story.bylines.create(author=AuthorFactory(slug=f"writer-{n}"))


@pytest.mark.parametrize(
    "url",
    [
        "/sitemap.xml",
        "/sitemap-home.xml",
        "/sitemap-sections.xml",
        "/sitemap-stories.xml",
        "/sitemap-authors.xml",
        "/sitemap-topics.xml",
        "/sitemap-news.xml",
    ],
)
def test_sitemaps_run_the_same_queries_for_few_and_many_stories(client, settings, world, url):
    settings.NEWSROOM_SITEMAP_LIMIT = 10
    fill(world, 3)
    _response, few = count_queries(client, url)
    fill(world, 30, start=3)
    _response, many = count_queries(client, url)

    assert few == many


def test_a_scheduled_story_counts_in_the_index_once_its_time_has_come(client, world):
    ArticleFactory(section=world, publish_at=timezone.now() - timedelta(hours=1))
    scheduled = ArticleFactory(section=world, scheduled=True, tags=[TagFactory(name="Later")])
    scheduled.bylines.create(author=AuthorFactory(slug="later-writer"))
    xml(client, "/sitemap.xml")  # The site has been answering since before the story's time.

    with time_machine.travel(scheduled.publish_at + timedelta(minutes=1)):
        root = xml(client, "/sitemap.xml")

    lastmods = {
        part.findtext("sm:loc", namespaces=NS): part.findtext("sm:lastmod", namespaces=NS)
        for part in root.findall("sm:sitemap", NS)
    }
    for name in ["home", "sections", "authors", "topics"]:
        assert lastmods[f"http://testserver/sitemap-{name}.xml"] == scheduled.publish_at.isoformat()
