"""The editor's desk on the admin index."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import services
from newsroom.tests.factories import UserFactory
from newsroom.tests.queries import count_queries

from .factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from .test_admin import change_url

pytestmark = pytest.mark.django_db

INDEX_URL = reverse("admin:index")


def headlines(stories):
    return [story.headline for story in stories]


def test_stories_in_review_oldest_first_with_their_author(editor_client, journalist):
    with time_machine.travel(timezone.now() - timedelta(hours=3)):
        older = ArticleFactory(draft=True, created_by=journalist, headline="Waiting longest")
        services.submit_for_review(article=older, actor=journalist)
    newer = ArticleFactory(
        draft=True,
        created_by=journalist,
        headline="Just filed",
        authors=[AuthorFactory(name="Ana Ruiz")],
    )
    services.submit_for_review(article=newer, actor=journalist)
    response = editor_client.get(INDEX_URL)
    assert headlines(response.context["desk"].in_review) == ["Waiting longest", "Just filed"]
    assertContains(response, f'<a href="{change_url(older)}">Waiting longest</a>', html=True)
    assertContains(response, "Ana Ruiz")


def test_scheduled_stories_next_first_in_newsroom_time(editor_client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    later = ArticleFactory(headline="Later", publish_at=timezone.now() + timedelta(days=2))
    sooner = ArticleFactory(headline="Sooner", publish_at=timezone.now() + timedelta(hours=2))
    response = editor_client.get(INDEX_URL)
    assert headlines(response.context["desk"].scheduled) == ["Sooner", "Later"]
    local = timezone.localtime(sooner.publish_at)
    assertContains(response, f"Scheduled for {local:%-d %b %Y, %H:%M} JST")
    assert later.is_scheduled


def test_recently_published_lists_only_live_stories(editor_client):
    ArticleFactory(headline="Live one")
    ArticleFactory(headline="Pulled one", withdrawn=True)
    ArticleFactory(headline="Future one", scheduled=True)
    response = editor_client.get(INDEX_URL)
    assert headlines(response.context["desk"].recently_published) == ["Live one"]


def test_my_drafts_are_only_mine(journalist_client, journalist):
    ArticleFactory(draft=True, created_by=journalist, headline="My own draft")
    ArticleFactory(draft=True, authors=[AuthorFactory(user=journalist)], headline="Bylined draft")
    ArticleFactory(draft=True, created_by=UserFactory(), headline="A colleague's draft")
    response = journalist_client.get(INDEX_URL)
    assert set(headlines(response.context["desk"].my_drafts)) == {"My own draft", "Bylined draft"}
    assertNotContains(response, "A colleague&#x27;s draft")


def test_desk_is_not_shown_to_moderators(moderator_client):
    ArticleFactory(in_review=True)
    response = moderator_client.get(INDEX_URL)
    shown = [template for template, _desk in response.context["desk_panels"]]
    assert "admin/articles/desk.html" not in shown
    assertNotContains(response, 'id="desk-heading"')
    assertNotContains(response, "In review")


def test_empty_desk_says_so(editor_client):
    response = editor_client.get(INDEX_URL)
    assertContains(response, "Nothing waiting for an editor.")
    assertContains(response, "You have no drafts.")


def fill_desk(count, editor):
    """`count` stories in each desk list, each with bylines, tags and a workflow log."""
    section = SectionFactory()
    tags = TagFactory.create_batch(2)
    now = timezone.now()
    for n in range(count):
        authors = AuthorFactory.create_batch(2)
        review = ArticleFactory(section=section, draft=True, authors=authors, tags=tags)
        services.submit_for_review(article=review, actor=editor)
        ArticleFactory(section=section, authors=authors, publish_at=now + timedelta(hours=n + 1))
        ArticleFactory(section=section, authors=authors, publish_at=now - timedelta(hours=n + 1))
        ArticleFactory(section=section, draft=True, created_by=editor, authors=authors)


def test_desk_runs_a_fixed_number_of_queries(editor_client, editor):
    fill_desk(5, editor)
    _response, few = count_queries(editor_client, INDEX_URL)
    fill_desk(45, editor)
    response, many = count_queries(editor_client, INDEX_URL)
    desk = response.context["desk"]
    assert len(desk.in_review) == len(desk.scheduled) == len(desk.my_drafts) == 10
    assert few == many
    assert many <= 12
