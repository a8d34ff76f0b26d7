from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.staticfiles import finders
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.models import Byline, Correction

from .factories import (
    ArticleFactory,
    AuthorFactory,
    CorrectionFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(settings):
    settings.TIME_ZONE = "America/New_York"
    world = SectionFactory(name="World", slug="world")
    story = ArticleFactory(
        section=world,
        kicker="Analysis",
        headline="Missile move raises concerns",
        slug="missile-move-raises-concerns",
        standfirst="Officials say the transfer changes the war's balance.",
        dateline="Washington",
        body="<p>The first paragraph.</p><h2>A bold move</h2><p>The second paragraph.</p>",
        publish_at=datetime(2026, 3, 4, 3, 30, tzinfo=UTC),
    )
    reporter = AuthorFactory(name="Ana Ruiz", slug="ana-ruiz")
    second = AuthorFactory(name="Tom Ng", slug="tom-ng")
    helper = AuthorFactory(name="Lee Park", slug="lee-park")
    photographer = AuthorFactory(name="Sam Okafor", slug="sam-okafor")
    story.bylines.create(author=reporter, position=0)
    story.bylines.create(author=second, position=1)
    story.bylines.create(author=helper, role=Byline.Role.ADDITIONAL_REPORTING, position=2)
    story.bylines.create(author=photographer, role=Byline.Role.PHOTOGRAPHER, position=3)
    story.tags.set([TagFactory(name="Defence"), TagFactory(name="Diplomacy")])
    return story


def test_story_url_is_dated_in_the_newsroom_time_zone(story):
    # 03:30 UTC on 4 March is still 3 March in New York.
    assert story.get_absolute_url() == "/world/2026/03/03/missile-move-raises-concerns/"


def test_story_page_shows_the_story_as_written(client, story):
    response = client.get(story.get_absolute_url())
    assertContains(response, '<h1 id="headline">Missile move raises concerns</h1>', html=True)
    assertContains(response, "Analysis")
    assertContains(
        response,
        '<p class="standfirst">Officials say the transfer changes the war&#x27;s balance.</p>',
        html=True,
    )
    assertContains(response, '<span class="dateline">Washington :</span> The first paragraph.')
    assertContains(response, "<h2>A bold move</h2>", html=True)
    assertContains(response, '<a href="/tag/defence/">Defence</a>', html=True)


def test_story_page_shows_bylines_grouped_by_role_in_order(client, story):
    response = client.get(story.get_absolute_url())
    assertContains(
        response,
        '<span class="byline">By <a href="/author/ana-ruiz/">Ana Ruiz</a> and '
        '<a href="/author/tom-ng/">Tom Ng</a></span>',
        html=True,
    )
    assertContains(response, "Additional reporting by <a")
    assertContains(response, "Photographs by <a")


def test_byline_override_replaces_the_bylines(client, story):
    story.byline_override = "Staff and agencies"
    story.save()
    response = client.get(story.get_absolute_url())
    assertContains(response, '<span class="byline">Staff and agencies</span>', html=True)
    assertNotContains(response, "Ana Ruiz")


def test_story_page_shows_times_in_the_newsroom_time_zone(client, story):
    story.last_updated_at = story.publish_at + timedelta(hours=5)
    story.save()
    response = client.get(story.get_absolute_url())
    assertContains(response, "Published <time")
    assertContains(response, "3 March 2026, 22:30 EST")
    assertContains(response, "Updated <time")
    assertContains(response, "4 March 2026, 03:30 EST")


def test_story_page_lists_corrections_newest_first(client, story):
    CorrectionFactory(
        article=story,
        text="An earlier version misspelled a name.",
        published_at=timezone.now() - timedelta(days=2),
    )
    CorrectionFactory(
        article=story,
        kind=Correction.Kind.UPDATE,
        text="This story was updated with the ministry's response.",
    )
    page = client.get(story.get_absolute_url()).content.decode()
    # The page's body, after the head's structured data (which lists corrections too).
    content = page[page.index("<main") :]
    assert content.index("updated with the ministry") < content.index("misspelled a name")
    assert "<strong>Update</strong>" in content


def test_story_page_shows_more_from_its_section(client, story):
    other = ArticleFactory(section=story.section, headline="Ceasefire talks resume")
    elsewhere = ArticleFactory(headline="Markets rally", section=SectionFactory(slug="business"))
    response = client.get(story.get_absolute_url())
    assertContains(response, "More from")
    assertContains(response, f'<a href="{other.get_absolute_url()}">Ceasefire talks resume</a>')
    assertNotContains(response, elsewhere.headline)


def test_story_at_an_old_address_redirects_to_its_canonical_url(client, story):
    old = story.get_absolute_url()
    story.section = SectionFactory(name="Politics", slug="politics")
    story.save()
    response = client.get(old)
    assertRedirects(response, story.get_absolute_url(), status_code=301)


def test_home_page_leads_with_the_newest_story_then_groups_by_section(client):
    world, sport = SectionFactory(name="World", slug="world"), SectionFactory(name="Sport")
    now = timezone.now()
    lead = ArticleFactory(section=world, headline="Lead story", publish_at=now)
    for hours in range(1, 10):
        ArticleFactory(
            section=sport if hours % 2 else world,
            headline=f"Story {hours}",
            publish_at=now - timedelta(hours=hours),
        )
    response = client.get("/")
    assert response.context["front"].lead == lead
    assert len(response.context["front"].top) == 4
    sections = dict(response.context["front"].sections)
    assert {section.name for section in sections} == {"World", "Sport"}
    assert all(len(stories) <= 4 for stories in sections.values())
    assertContains(response, '<h2 class="lead-story-headline">', count=1)


def test_home_page_groups_a_subsection_under_its_parent(client):
    world = SectionFactory(name="World", slug="world")
    europe = SectionFactory(name="Europe", slug="europe", parent=world)
    now = timezone.now()
    for hours in range(6):
        ArticleFactory(section=world, publish_at=now - timedelta(hours=hours))
    ArticleFactory(
        section=europe, headline="Elections in Europe", publish_at=now - timedelta(days=1)
    )
    sections = dict(client.get("/").context["front"].sections)
    assert "Elections in Europe" in [a.headline for a in sections[world]]
    assert europe not in sections


def test_section_front_includes_its_subsections_and_paginates(client):
    world = SectionFactory(name="World", slug="world")
    europe = SectionFactory(name="Europe", slug="europe", parent=world)
    ArticleFactory.create_batch(20, section=world)
    ArticleFactory(
        section=europe, headline="Oldest from Europe", publish_at=timezone.now() - timedelta(days=9)
    )
    first = client.get("/world/")
    assertNotContains(first, "Oldest from Europe")
    assertContains(first, 'rel="next" href="?page=2"')
    second = client.get("/world/?page=2")
    assertContains(second, "Oldest from Europe")
    assert client.get("/world/?page=3").status_code == 404
    assert client.get("/world/?page=abc").status_code == 404


def test_page_links_carry_only_the_pages_own_parameters(client):
    """A stored page is shared whatever tracking tags its first reader came with."""
    world = SectionFactory(name="World", slug="world")
    ArticleFactory.create_batch(25, section=world, headline="Harbour news")

    client.get("/world/?utm_source=newsletter&fbclid=x")
    client.get("/search/?utm_source=newsletter&q=harbour&section=world&colour=blue")
    client.get("/search/?q=harbour&utm_campaign=spring&section=world")

    assertContains(Client().get("/world/"), 'rel="next" href="?page=2"')
    assertContains(
        Client().get("/search/?q=harbour&section=world"),
        'rel="next" href="?q=harbour&amp;section=world&amp;page=2"',
    )


def test_unknown_section_tag_and_author_are_not_found(client, db):
    for url in ["/nowhere/", "/tag/nothing/", "/author/nobody/"]:
        response = client.get(url)
        assert response.status_code == 404
        assertContains(response, "Page not found", status_code=404)


def test_author_page_shows_bio_and_their_stories(client):
    author = AuthorFactory(name="Ana Ruiz", slug="ana-ruiz", bio="Covers the courts.")
    mine = ArticleFactory(headline="Court rules on port", authors=[author])
    ArticleFactory(headline="Someone else's story")
    response = client.get(reverse("articles:author", kwargs={"slug": "ana-ruiz"}))
    assertContains(response, "Covers the courts.")
    assertContains(response, mine.headline)
    assertNotContains(response, "Someone else")


def test_pages_have_landmarks_and_a_skip_link(client, story):
    response = client.get(story.get_absolute_url())
    assertContains(response, '<a class="skip-link" href="#content">Skip to content</a>', html=True)
    assertContains(response, '<main id="content"')
    assertContains(response, '<nav class="section-nav" aria-label="Sections">')
    assertContains(response, '<html lang="en">')


def test_server_error_page_is_plain_and_friendly(client, db):
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Something went wrong" in html
    assert "Traceback" not in html


@pytest.mark.parametrize("url", ["/", "/admin/login/"])
def test_pages_name_the_sites_icon_so_browsers_do_not_ask_for_a_missing_one(client, url):
    response = client.get(url)

    assertContains(response, '<link rel="icon" href="/static/img/icon.svg" type="image/svg+xml">')
    assert finders.find("img/icon.svg")
