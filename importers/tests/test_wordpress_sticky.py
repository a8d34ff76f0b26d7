"""
Sticky posts (pinned in WordPress) land on the home page: the newest in the lead, the others
in the top stories, after what editors chose, logged and undoable, and only once.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from articles.curation import Arrangement
from articles.tests.factories import ArticleFactory
from fronts.arrangements import current
from fronts.models import Front, FrontChange
from fronts.services import arrange_front, undo_change
from fronts.tests.factories import FrontFactory
from importers.wordpress.importer import run_import
from newsroom.pagecache import RECENT

from .test_wordpress_corpus import run as run_corpus
from .test_wordpress_import import LOCAL, import_items, story
from .wxr import post, write_export

pytestmark = pytest.mark.django_db

PLACED = "sticky: placed on the home page (lead or top stories)"


def sticky(wp_id, day, *, date="", **fields):
    date = date or f"2024-01-{day:02} 09:30:00"
    return post(
        wp_id,
        f"Pinned story {wp_id}",
        slug=f"pinned-{wp_id}",
        categories=LOCAL,
        sticky=True,
        date=date,
        date_gmt=date,
        **fields,
    )


def home_front():
    return current(Front.objects.get(section=None))


def front_of(client):
    """The home page's front, rendered now (not served from the page cache)."""
    cache.clear()
    RECENT.clear()
    return client.get(reverse("articles:home")).context["front"]


def test_the_newest_sticky_post_leads_the_home_page_and_the_others_are_top_stories(
    tmp_path, client
):
    output = import_items(
        tmp_path, [sticky(1, 3), post(2, categories=LOCAL), sticky(3, 9), sticky(4, 5)]
    )
    assert home_front() == Arrangement(lead=story(3).pk, top=(story(4).pk, story(1).pk))
    assert front_of(client).lead == story(3)
    assert f"articles: 3 {PLACED} (e.g. 3, 4, 1)" in output


def test_the_editors_lead_and_top_stories_stay_and_sticky_posts_follow_them(tmp_path, editor):
    lead, top = ArticleFactory(), ArticleFactory()
    front = FrontFactory(section=None)
    arrange_front(
        front=front,
        arrangement=Arrangement(lead=lead.pk, top=(top.pk,), blocks=(("Picks", ()),)),
        actor=editor,
        opened_version=front.version,
    )
    import_items(tmp_path, [sticky(1, 3), sticky(2, 9)])
    assert home_front() == Arrangement(
        lead=lead.pk, top=(top.pk, story(2).pk, story(1).pk), blocks=(("Picks", ()),)
    )


def test_placing_is_logged_with_the_importing_user_and_can_be_undone(tmp_path, editor):
    path = write_export(tmp_path, items=[sticky(1, 3), sticky(2, 9)])
    run_import(path, user=editor)
    change = FrontChange.objects.get()
    assert change.changed_by == editor
    assert change.summary == "WordPress import: 2 sticky posts placed"
    undo_change(change=change, actor=editor)
    assert home_front() == Arrangement()


def test_an_import_from_the_command_line_is_logged_without_a_user(tmp_path):
    import_items(tmp_path, [sticky(1, 3)])
    change = FrontChange.objects.get()
    assert change.changed_by is None
    assert change.summary == "WordPress import: 1 sticky post placed"


def test_readers_see_the_sticky_lead_at_once_from_the_page_cache(
    tmp_path, client, django_capture_on_commit_callbacks
):
    ArticleFactory(headline="Yesterday's news")
    client.get(reverse("articles:home"))
    assert client.get(reverse("articles:home"))["X-Page-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        import_items(tmp_path, [sticky(1, 3)])
    response = client.get(reverse("articles:home"))
    assert response["X-Page-Cache"] != "hit"
    assert response.context["front"].lead == story(1)


def test_a_scheduled_sticky_post_is_placed_to_lead_once_it_is_live(tmp_path):
    import_items(
        tmp_path,
        [sticky(1, 3, status="future", date="2999-01-01 09:00:00")],
    )
    assert home_front() == Arrangement(lead=story(1).pk)


def test_draft_in_review_and_password_protected_sticky_posts_are_not_placed_but_reported(
    tmp_path,
):
    output = import_items(
        tmp_path,
        [
            sticky(1, 3, status="draft"),
            sticky(2, 4, status="pending"),
            sticky(3, 5, password="hunter2"),
            sticky(4, 2),
        ],
    )
    assert home_front() == Arrangement(lead=story(4).pk)
    assert (
        "articles: 3 sticky but not published (a draft, in review or password-protected): "
        "not placed (e.g. 1, 2, 3)"
    ) in output


def test_importing_again_places_nothing_twice(tmp_path):
    path = write_export(tmp_path, items=[sticky(1, 3), sticky(2, 9)])
    run_import(path)
    again = run_import(path)
    assert FrontChange.objects.count() == 1
    assert home_front() == Arrangement(lead=story(2).pk, top=(story(1).pk,))
    notes = again.tallies["articles"].notes
    assert notes["sticky, imported before: the home page left as it is"] == 2


def test_importing_again_does_not_put_back_a_sticky_post_an_editor_took_off(tmp_path, editor):
    path = write_export(tmp_path, items=[sticky(1, 3), sticky(2, 9)])
    run_import(path)
    front = Front.objects.get(section=None)
    arrange_front(
        front=front,
        arrangement=Arrangement(lead=story(1).pk),
        actor=editor,
        opened_version=front.version,
    )
    summary = run_import(path)
    assert home_front() == Arrangement(lead=story(1).pk)
    assert summary.tallies["articles"].notes[PLACED] == 0


def test_a_dry_run_places_nothing(tmp_path):
    output = import_items(tmp_path, [sticky(1, 3)], "--dry-run")
    assert not Front.objects.exists()
    assert not FrontChange.objects.exists()
    assert f"articles: 1 {PLACED} (e.g. 1)" in output


def test_the_sticky_post_of_the_theme_unit_test_data_leads_the_home_page(client):
    output = run_corpus("a11y-unit-test-data.xml")
    assert front_of(client).lead == story(1241)
    assert home_front() == Arrangement(lead=story(1241).pk)
    assert f"articles: 1 {PLACED} (e.g. 1241)" in output
    assert FrontChange.objects.get().summary == "WordPress import: 1 sticky post placed"
