"""The breaking-news banner, and what a withdrawn story's address tells readers."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import services
from newsroom.tests.queries import count_queries

from .factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def breaking(**kwargs):
    return ArticleFactory(
        is_breaking=True, breaking_until=timezone.now() + timedelta(hours=2), **kwargs
    )


def test_breaking_banner_links_to_the_live_story_on_every_reader_page(client):
    story = breaking(headline="Bridge closed after crash", section=SectionFactory(slug="local"))
    for url in ["/", "/local/", story.get_absolute_url()]:
        response = client.get(url)
        assertContains(
            response,
            '<p id="breaking-label" class="breaking-label">Breaking news</p>',
            html=True,
        )
        assertContains(
            response,
            f'<a href="{story.get_absolute_url()}">Bridge closed after crash</a>',
            html=True,
        )


def test_breaking_banner_comes_down_at_its_expiry(client):
    story = breaking(headline="Flood warning issued")
    assertContains(client.get("/"), "Breaking news")
    with time_machine.travel(story.breaking_until + timedelta(seconds=1)):
        assertNotContains(client.get("/"), "Breaking news")


@pytest.mark.parametrize("hidden", [{"draft": True}, {"scheduled": True}, {"withdrawn": True}])
def test_breaking_banner_shows_only_live_stories(client, hidden):
    ArticleFactory(headline="Ordinary story")
    breaking(headline="Secret breaking story", **hidden)
    response = client.get("/")
    assertNotContains(response, "Secret breaking story")
    assertNotContains(response, "breaking-label")


def test_breaking_banner_costs_the_same_with_one_or_many_stories(client):
    for n in range(2):
        breaking(headline=f"Breaking {n}")
    _response, few = count_queries(client, "/")
    for n in range(20):
        breaking(headline=f"More breaking {n}")
    response, many = count_queries(client, "/")
    assert few == many
    assert response.content.decode().count('<li><a href="/') >= 3


def test_withdrawn_story_answers_410_with_the_note_and_date(client, editor):
    story = ArticleFactory(headline="Retracted report")
    url = story.get_absolute_url()
    services.withdraw(article=story, actor=editor, note="The report relied on a forged letter.")
    response = client.get(url)
    assert response.status_code == 410
    assertContains(
        response, "<p>The report relied on a forged letter.</p>", html=True, status_code=410
    )
    assertContains(response, "This story has been withdrawn", status_code=410)
    assertNotContains(response, "Retracted report", status_code=410)


def test_withdrawn_story_leaves_the_lists(client, editor):
    section = SectionFactory(slug="local")
    story = ArticleFactory(headline="Retracted report", section=section)
    ArticleFactory(headline="Still standing", section=section)
    services.withdraw(article=story, actor=editor, note="Withdrawn.")
    for url in ["/", "/local/"]:
        response = client.get(url)
        assertNotContains(response, "Retracted report")
        assertContains(response, "Still standing")
