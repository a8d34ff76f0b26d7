"""Lists of stories at archive scale: bounded pages, bounded counts in the admin."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Section

from .factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def stories_in(section, count):
    now = timezone.now()
    return [
        ArticleFactory(section=section, publish_at=now - timedelta(minutes=n + 1))
        for n in range(count)
    ]


def test_section_front_shows_its_subsections_stories(client):
    world = SectionFactory(name="World", slug="world")
    europe = SectionFactory(name="Europe", slug="europe", parent=world)
    ArticleFactory(section=europe, headline="Lisbon ferry strike ends")
    ArticleFactory(section=SectionFactory(slug="sport"), headline="Cup final tonight")

    response = client.get("/world/")

    assertContains(response, "Lisbon ferry strike ends")
    assertNotContains(response, "Cup final tonight")


def test_front_of_a_section_names_its_subsections_in_one_query(django_assert_num_queries):
    world = SectionFactory(name="World", slug="world")
    europe = SectionFactory(name="Europe", slug="europe", parent=world)
    SectionFactory(slug="sport")

    with django_assert_num_queries(1):
        section = Section.objects.front("world")

    assert section == world
    assert section.front_ids == [world.pk, europe.pk]
    assert Section.objects.front("nowhere") is None


def test_lists_stop_at_their_deepest_page(client, settings):
    settings.NEWSROOM_LIST_MAX_PAGES = 2
    stories_in(SectionFactory(name="World", slug="world"), 45)

    last = client.get("/world/", {"page": 2})

    assert last.status_code == 200
    assertContains(last, "Page 2 of 2")
    assertNotContains(last, "Older stories")
    assert client.get("/world/", {"page": 3}).status_code == 404


def test_story_list_in_the_admin_counts_no_further_than_its_limit(editor_client, monkeypatch):
    from newsroom.admin import BoundedCountPaginator

    monkeypatch.setattr(BoundedCountPaginator, "COUNT_LIMIT", 5)
    stories_in(SectionFactory(slug="world"), 8)

    response = editor_client.get("/admin/articles/article/")

    assertContains(response, "More than 5 stories: filter or search to narrow the list")
    assert response.context["cl"].result_count == 6
    assert Article.objects.count() == 8


def test_story_list_in_the_admin_gives_the_count_below_its_limit(editor_client):
    stories_in(SectionFactory(slug="world"), 3)

    response = editor_client.get("/admin/articles/article/")

    assertContains(response, "3 stories")
