"""The story form as journalists and editors use it: its bylines, its parts, its words."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article, Byline, Correction
from newsroom.tests.factories import UserFactory

from .factories import ArticleFactory, AuthorFactory, SectionFactory
from .test_admin import ADD_URL, CHANGELIST_URL, change_url, story_form
from .test_admin_workflow import edit_form

pytestmark = pytest.mark.django_db

INDEX_URL = reverse("admin:index")


@pytest.fixture
def section():
    return SectionFactory(name="Local", slug="local")


def bylines_formset(response):
    (formset,) = [
        inline.formset
        for inline in response.context["inline_admin_formsets"]
        if inline.formset.prefix == "bylines"
    ]
    return formset


def byline_order(article):
    return list(
        Byline.objects.filter(article=article)
        .order_by("position")
        .values_list("author__name", "position")
    )


# Bylines


def test_journalists_own_author_is_the_first_byline_of_a_new_story(journalist_client, journalist):
    author = AuthorFactory(name="Ana Ruiz", user=journalist)
    response = journalist_client.get(ADD_URL)
    first = bylines_formset(response).forms[0]
    assert first.initial["author"] == author.pk
    assertContains(response, f'<option value="{author.pk}" selected>Ana Ruiz</option>', html=True)


def test_without_an_author_profile_a_new_story_starts_with_an_empty_byline(journalist_client):
    AuthorFactory(name="Somebody Else")
    response = journalist_client.get(ADD_URL)
    forms = bylines_formset(response).forms
    assert len(forms) == 1
    assert forms[0].initial.get("author") is None
    assertNotContains(response, "Somebody Else")


def test_the_prefilled_byline_is_saved_with_the_story(journalist_client, journalist, section):
    author = AuthorFactory(user=journalist)
    data = story_form(
        section,
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": author.pk,
            "bylines-0-role": "reporter",
            "bylines-0-position": "0",
        },
    )
    response = journalist_client.post(ADD_URL, data)
    assert response.status_code == 302
    assert list(Article.objects.get().authors.all()) == [author]


def test_bylines_show_no_position_number(editor_client, section):
    article = ArticleFactory(section=section, in_review=True, authors=[AuthorFactory()])
    response = editor_client.get(change_url(article))
    assertNotContains(response, "Position")
    assertContains(response, 'name="bylines-0-position"')
    assertContains(response, 'type="hidden" name="bylines-0-position"')


def test_bylines_are_saved_in_the_order_they_were_put_in(editor_client, section):
    ana, ben, cy = (AuthorFactory(name=name) for name in ("Ana", "Ben", "Cy"))
    article = ArticleFactory(section=section, in_review=True, authors=[ana, ben])
    first, second = article.bylines.order_by("position")
    response = editor_client.post(
        change_url(article),
        edit_form(
            article,
            **{
                "bylines-TOTAL_FORMS": "3",
                "bylines-INITIAL_FORMS": "2",
                "bylines-0-id": first.pk,
                "bylines-0-article": article.pk,
                "bylines-0-author": ana.pk,
                "bylines-0-role": "reporter",
                "bylines-0-position": "2",
                "bylines-1-id": second.pk,
                "bylines-1-article": article.pk,
                "bylines-1-author": ben.pk,
                "bylines-1-role": "reporter",
                "bylines-1-position": "1",
                "bylines-2-author": cy.pk,
                "bylines-2-role": "photographer",
                "bylines-2-position": "0",
            },
        ),
    )
    assert response.status_code == 302
    assert byline_order(article) == [("Cy", 0), ("Ben", 1), ("Ana", 2)]


def test_a_byline_added_without_an_order_goes_last(editor_client, section):
    ana, ben = AuthorFactory(name="Ana"), AuthorFactory(name="Ben")
    article = ArticleFactory(section=section, in_review=True, authors=[ana])
    (existing,) = article.bylines.all()
    response = editor_client.get(change_url(article))
    assert not bylines_formset(response).extra_forms
    response = editor_client.post(
        change_url(article),
        edit_form(
            article,
            **{
                "bylines-TOTAL_FORMS": "2",
                "bylines-INITIAL_FORMS": "1",
                "bylines-0-id": existing.pk,
                "bylines-0-article": article.pk,
                "bylines-0-author": ana.pk,
                "bylines-0-role": "reporter",
                "bylines-0-position": "0",
                "bylines-1-author": ben.pk,
                "bylines-1-role": "reporter",
                # The empty form's own position, as the page sends it without reordering.
                "bylines-1-position": bylines_formset(response).empty_form.initial["position"],
            },
        ),
    )
    assert response.status_code == 302
    assert byline_order(article) == [("Ana", 0), ("Ben", 1)]


def test_an_empty_new_byline_renumbered_by_the_page_is_not_an_error(editor_client, section):
    article = ArticleFactory(section=section, in_review=True)
    response = editor_client.post(
        change_url(article),
        edit_form(
            article,
            **{
                "bylines-TOTAL_FORMS": "1",
                "bylines-0-author": "",
                "bylines-0-role": "reporter",
                "bylines-0-position": "0",
            },
        ),
    )
    assert response.status_code == 302
    assert not article.bylines.exists()


def test_a_journalist_cannot_reorder_the_bylines_of_a_live_story(journalist_client, journalist):
    ana, ben = AuthorFactory(name="Ana", user=journalist), AuthorFactory(name="Ben")
    article = ArticleFactory(authors=[ana, ben])
    first, second = article.bylines.order_by("position")
    response = journalist_client.get(change_url(article))
    assertNotContains(response, 'name="bylines-0-position"')
    assertContains(response, "Ana")
    response = journalist_client.post(
        change_url(article),
        edit_form(
            article,
            **{
                "bylines-TOTAL_FORMS": "2",
                "bylines-INITIAL_FORMS": "2",
                "bylines-0-id": first.pk,
                "bylines-0-article": article.pk,
                "bylines-0-author": ana.pk,
                "bylines-0-position": "1",
                "bylines-1-id": second.pk,
                "bylines-1-article": article.pk,
                "bylines-1-author": ben.pk,
                "bylines-1-position": "0",
            },
        ),
    )
    assert response.status_code == 403
    assert byline_order(article) == [("Ana", 0), ("Ben", 1)]


# Corrections belong to a live story


def test_the_add_form_has_no_corrections_block(editor_client):
    response = editor_client.get(ADD_URL)
    assertNotContains(response, "corrections-TOTAL_FORMS")
    assertNotContains(response, "orrections and updates")


def test_a_drafts_change_form_has_no_corrections_block(editor_client, section):
    response = editor_client.get(change_url(ArticleFactory(section=section, draft=True)))
    assertNotContains(response, "corrections-TOTAL_FORMS")


def test_a_correction_posted_to_a_draft_is_not_kept(editor_client, section):
    article = ArticleFactory(section=section, draft=True)
    editor_client.post(
        change_url(article),
        edit_form(
            article,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "correction",
                "corrections-0-text": "Not a live story yet.",
                "corrections-0-published_at_0": "2026-01-01",
                "corrections-0-published_at_1": "10:00:00",
            },
        ),
    )
    assert not Correction.objects.exists()


def test_a_journalist_reading_a_live_story_sees_no_empty_corrections_block(journalist_client):
    response = journalist_client.get(change_url(ArticleFactory()))
    assert response.status_code == 200
    assertNotContains(response, "orrections and updates")


def test_a_live_storys_change_form_offers_corrections_to_an_editor(editor_client, section):
    response = editor_client.get(change_url(ArticleFactory(section=section)))
    assertContains(response, "corrections-TOTAL_FORMS")
    assertContains(response, "Corrections and updates")


# The form's fields and panel


def test_a_headline_typed_over_two_lines_is_saved_as_one(editor_client, section):
    response = editor_client.post(
        ADD_URL, story_form(section, headline="Harbour plan\r\n  approved at last")
    )
    assert response.status_code == 302
    assert Article.objects.get().headline == "Harbour plan approved at last"


def test_the_headline_is_a_wide_box_with_the_search_engines_length(editor_client):
    response = editor_client.get(ADD_URL)
    assertContains(response, 'class="story-headline"')
    assertContains(response, 'data-guide="70"')
    assertContains(response, "Search engines show about 70 characters")


def test_the_status_is_shown_once(editor_client, section):
    article = ArticleFactory(section=section, in_review=True)
    response = editor_client.get(change_url(article))
    assertContains(response, "Status: <strong>In review</strong>", count=1, html=True)
    assertNotContains(response, "field-status_summary")


def test_the_workflow_panel_comes_before_the_bylines_and_log(editor_client, section):
    article = ArticleFactory(section=section, in_review=True, authors=[AuthorFactory()])
    content = editor_client.get(change_url(article)).content.decode()
    panel = content.index('class="story-panel"')
    assert panel < content.index("Publish now") < content.index('id="bylines-group"')
    assert content.index('id="bylines-group"') < content.index("Workflow log")


# The admin's words and dates


def test_the_admin_says_stories(editor_client, section):
    index = editor_client.get(INDEX_URL)
    assertContains(index, f'<a href="{CHANGELIST_URL}">Stories</a>', html=True)
    assertNotContains(index, ">Articles<")
    changelist = editor_client.get(CHANGELIST_URL)
    assertContains(changelist, "Select story to change")
    assertContains(changelist, "Add story")
    assertNotContains(changelist, "article to change")
    response = editor_client.post(ADD_URL, story_form(section, _continue="1"), follow=True)
    assert any(
        str(message).startswith("The story “") and "was added successfully" in str(message)
        for message in get_messages(response.wsgi_request)
    )
    assertContains(response, "| Change story |")


def test_the_story_list_shows_times_in_the_newsroom_format_and_zone(editor_client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    article = ArticleFactory(publish_at=timezone.now() - timedelta(hours=1))
    local = timezone.localtime(article.publish_at)
    response = editor_client.get(CHANGELIST_URL)
    assertContains(response, f"{local:%-d %b %Y, %H:%M} JST")
    assertNotContains(response, "a.m.")
    assertNotContains(response, "p.m.")


@pytest.mark.parametrize(
    ("publication", "header"),
    [("The Newsroom", "The Newsroom"), ("The Daily Post", "The Daily Post · Newsroom")],
)
def test_the_admin_header_names_the_newsroom_once(editor_client, settings, publication, header):
    settings.NEWSROOM_PUBLICATION_NAME = publication
    response = editor_client.get(INDEX_URL)
    assertContains(response, f'<a href="{INDEX_URL}">{header}</a>', html=True)
    assertContains(response, f"<title>The desk | {header}</title>", html=True)


# The desk, per role


def test_a_journalists_desk_shows_their_stories_in_review_and_drafts(journalist_client, journalist):
    ArticleFactory(in_review=True, created_by=journalist, headline="Mine, in review")
    ArticleFactory(draft=True, created_by=journalist, headline="Mine, a draft")
    colleague = UserFactory()
    ArticleFactory(in_review=True, created_by=colleague, headline="Theirs, in review")
    ArticleFactory(scheduled=True, created_by=colleague, headline="Theirs, scheduled")
    response = journalist_client.get(INDEX_URL)
    assertContains(response, "Your stories in review")
    assertContains(response, "Your drafts")
    assertContains(response, "Mine, in review")
    assertContains(response, "Mine, a draft")
    assertNotContains(response, "Theirs, in review")
    assertNotContains(response, "Theirs, scheduled")
    assertNotContains(response, "No stories scheduled.")
    assertNotContains(response, ">Scheduled <")


def test_a_journalists_desk_shows_their_scheduled_stories_when_they_have_some(
    journalist_client, journalist
):
    ArticleFactory(scheduled=True, created_by=journalist, headline="Mine, scheduled")
    response = journalist_client.get(INDEX_URL)
    assertContains(response, "Your stories scheduled")
    assertContains(response, "Mine, scheduled")


def test_an_editors_desk_shows_what_awaits_review_scheduled_and_published(
    editor_client, journalist
):
    ArticleFactory(in_review=True, created_by=journalist, headline="Waiting for you")
    ArticleFactory(scheduled=True, created_by=journalist, headline="Going out later")
    ArticleFactory(created_by=journalist, headline="Out already")
    response = editor_client.get(INDEX_URL)
    for heading in ("In review", "Scheduled", "Recently published", "My drafts"):
        assertContains(response, f"{heading} <span")
    for headline in ("Waiting for you", "Going out later", "Out already"):
        assertContains(response, headline)
    assertNotContains(response, "Your stories in review")


def test_the_date_and_time_boxes_have_labels_of_their_own(editor_client, section):
    response = editor_client.get(change_url(ArticleFactory(section=section, in_review=True)))
    for box in ("schedule_for", "breaking_until"):
        assertContains(
            response, f'<label for="id_{box}_0" class="datetime-label">Date:</label>', html=True
        )
        assertContains(
            response, f'<label for="id_{box}_1" class="datetime-label">Time:</label>', html=True
        )


def test_the_same_author_twice_is_refused_with_the_bylines_kept(editor_client, section):
    ana = AuthorFactory(name="Ana Ruiz")
    article = ArticleFactory(section=section, in_review=True)
    twice = {
        "bylines-TOTAL_FORMS": "2",
        **{f"bylines-{n}-author": ana.pk for n in (0, 1)},
        **{f"bylines-{n}-role": "reporter" for n in (0, 1)},
        **{f"bylines-{n}-position": str(n) for n in (0, 1)},
    }
    response = editor_client.post(change_url(article), edit_form(article, **twice))
    assert response.status_code == 200
    assert bylines_formset(response).non_form_errors()
    assertContains(response, "Please correct the duplicate data for author")
    assertContains(response, f'<option value="{ana.pk}" selected>Ana Ruiz</option>', html=True)
    assert not article.bylines.exists()
