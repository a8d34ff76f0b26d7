"""Old addresses of stories answer 301 with the current one: one hop, however many changes."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertRedirects

from articles.models import Redirect
from newsroom.tests.queries import count_queries

from .factories import ArticleFactory, SectionFactory
from .test_admin import change_url
from .test_admin_workflow import edit_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return ArticleFactory(
        section=SectionFactory(name="Local", slug="local"),
        headline="Harbour plan approved",
        slug="harbour-plan-approved",
    )


def test_every_earlier_address_answers_301_straight_to_the_current_one(
    editor_client, client, story
):
    first = story.get_absolute_url()
    editor_client.post(change_url(story), edit_form(story, slug="harbour-plan-passes"))
    story.refresh_from_db()
    second = story.get_absolute_url()
    politics = SectionFactory(name="Politics", slug="politics")
    editor_client.post(
        change_url(story),
        edit_form(story, slug="council-backs-harbour-plan", section=politics.pk),
    )
    story.refresh_from_db()
    current = story.get_absolute_url()
    assert current == story.get_absolute_url() != second != first
    client.logout()
    for old in (first, second):
        response = client.get(old)
        assertRedirects(response, current, status_code=301)
    assert client.get(current).status_code == 200


def test_changing_the_slug_back_drops_the_redirect_at_the_address(editor_client, story):
    original = story.get_absolute_url()
    editor_client.post(change_url(story), edit_form(story, slug="renamed"))
    story.refresh_from_db()
    editor_client.post(change_url(story), edit_form(story, slug="harbour-plan-approved"))
    story.refresh_from_db()
    assert story.get_absolute_url() == original
    assert list(Redirect.objects.values_list("old_path", flat=True)) == [
        original.replace("harbour-plan-approved", "renamed")
    ]


def test_a_draft_changing_its_slug_leaves_no_redirect(editor_client):
    draft = ArticleFactory(draft=True)
    editor_client.post(change_url(draft), edit_form(draft, slug="new-slug"))
    assert not Redirect.objects.exists()


def test_a_scheduled_story_changing_its_address_leaves_no_redirect(editor_client):
    # It has an address already, but no reader has seen it there yet.
    scheduled = ArticleFactory(scheduled=True, slug="embargoed-report")
    editor_client.post(change_url(scheduled), edit_form(scheduled, slug="embargoed-report-2"))
    scheduled.refresh_from_db()
    assert scheduled.slug == "embargoed-report-2"
    assert not Redirect.objects.exists()


def test_an_old_address_of_an_earlier_site_redirects(client, story):
    Redirect.objects.create(old_path="/2024/01/04/harbour/", article=story)
    assertRedirects(client.get("/2024/01/04/harbour/"), story.get_absolute_url(), status_code=301)


def test_an_old_query_string_address_redirects_even_from_the_home_page(client, story):
    Redirect.objects.create(old_path="/", old_query="p=123", article=story)
    assertRedirects(client.get("/?p=123"), story.get_absolute_url(), status_code=301)
    assert client.get("/?p=124").status_code == 200


def test_query_parameters_match_in_any_order(client, story):
    redirect = Redirect(old_path="/index.php?p=7&lang=en", article=story)
    redirect.full_clean()
    redirect.save()
    assert (redirect.old_path, redirect.old_query) == ("/index.php", "lang=en&p=7")
    assertRedirects(client.get("/index.php?p=7&lang=en"), story.get_absolute_url(), status_code=301)


def test_redirects_lead_only_to_live_stories(client):
    for hidden in ({"draft": True}, {"scheduled": True}):
        article = ArticleFactory(**hidden)
        Redirect.objects.create(old_path=f"/old/{article.pk}/", article=article)
        assert client.get(f"/old/{article.pk}/").status_code == 404


def test_an_old_address_of_a_withdrawn_story_answers_410(client):
    article = ArticleFactory(withdrawn=True, withdrawal_note="Retracted.")
    Redirect.objects.create(old_path="/old/story/", article=article)
    response = client.get("/old/story/")
    assert response.status_code == 410
    assert "Retracted." in response.content.decode()


def test_redirect_follows_the_story_to_its_current_address(client, story):
    Redirect.objects.create(old_path="/old/", article=story)
    story.publish_at = timezone.now() - timedelta(days=3)
    story.save()
    assertRedirects(client.get("/old/"), story.get_absolute_url(), status_code=301)


def test_an_old_address_wins_over_a_newer_story_with_the_same_slug(editor_client, client, story):
    old = story.get_absolute_url()
    editor_client.post(change_url(story), edit_form(story, slug="harbour-plan-passes"))
    story.refresh_from_db()
    newcomer = ArticleFactory(slug="harbour-plan-approved", section=SectionFactory(slug="sport"))
    assertRedirects(client.get(old), story.get_absolute_url(), status_code=301)
    assert client.get(newcomer.get_absolute_url()).status_code == 200


def test_a_redirect_never_hides_a_page(client, story):
    other = ArticleFactory()
    Redirect.objects.create(old_path=story.get_absolute_url(), article=other)
    assert client.get(story.get_absolute_url()).status_code == 200


def test_editor_adds_a_redirect_in_the_admin(editor_client, story):
    response = editor_client.post(
        "/admin/articles/redirect/add/",
        {"old_path": "/?p=55", "old_query": "", "article": story.pk},
    )
    assert response.status_code == 302
    assert Redirect.objects.get().old_address == "/?p=55"


def test_journalist_cannot_add_redirects(journalist_client):
    assert journalist_client.get("/admin/articles/redirect/add/").status_code == 403


@pytest.mark.parametrize("url", ["/%00/", "/world/%00/", "/preview/%00/", "/tag/%00/", "/a%00b"])
def test_an_address_with_a_null_character_is_simply_not_found(client, url):
    assert client.get(url).status_code == 404


def test_an_old_address_can_lead_to_a_section_front(editor_client, client):
    local = SectionFactory(name="Local", slug="local")
    response = editor_client.post(
        "/admin/articles/redirect/add/",
        {"old_path": "/category/local/", "old_query": "", "article": "", "section": local.pk},
    )
    assert response.status_code == 302
    client.logout()
    assertRedirects(client.get("/category/local/"), "/local/", status_code=301)


@pytest.mark.parametrize("both", [True, False])
def test_an_old_address_leads_to_a_story_or_a_section_not_both_nor_neither(
    editor_client, story, both
):
    response = editor_client.post(
        "/admin/articles/redirect/add/",
        {
            "old_path": "/old/",
            "old_query": "",
            "article": story.pk if both else "",
            "section": story.section.pk if both else "",
        },
    )
    assert response.status_code == 200
    assert "Choose the story the old address leads to, or a section" in response.content.decode()
    assert not Redirect.objects.exists()


def test_the_redirect_list_says_where_each_address_leads(editor_client, story):
    Redirect.objects.create(old_path="/?p=1", article=story)
    Redirect.objects.create(old_path="/category/local/", section=story.section)
    response = editor_client.get("/admin/articles/redirect/")
    assert "Section: Local" in response.content.decode()
    assert "Harbour plan approved" in response.content.decode()


def test_the_redirect_list_runs_the_same_queries_for_few_and_many(editor_client):
    def add(count):
        for _ in range(count):
            article = ArticleFactory()
            Redirect.objects.create(old_path=f"/?p={article.pk}", article=article)
            Redirect.objects.create(old_path=f"/category/s{article.pk}/", section=article.section)

    add(2)
    _response, few = count_queries(editor_client, "/admin/articles/redirect/")
    add(20)
    response, many = count_queries(editor_client, "/admin/articles/redirect/")
    assert "44 redirects" in response.content.decode()
    assert few == many
