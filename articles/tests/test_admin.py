from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from newsroom.tests.queries import count_queries

from .factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
CHANGELIST_URL = reverse("admin:articles_article_changelist")


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def story_form(section, **overrides):
    """A complete article admin POST, as the browser sends it."""
    data = {
        "kicker": "",
        "headline": "Harbour plan approved",
        "slug": "harbour-plan-approved",
        "standfirst": "The vote ends a decade of argument.",
        "dateline": "Bristol",
        "body": "<p>The council voted on Tuesday.</p>",
        "section": section.pk,
        "tags": [],
        "byline_override": "",
        "schedule_for_0": "",
        "schedule_for_1": "",
        "send_back_note": "",
        "withdraw_note": "",
        "update_note": "",
        "comment_mode": "open",
        "breaking_until_0": "",
        "breaking_until_1": "",
        "seo_title": "",
        "seo_description": "",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


@pytest.fixture
def section():
    return SectionFactory(name="Local", slug="local")


def test_journalist_is_offered_submit_for_review_but_not_publish(journalist_client):
    response = journalist_client.get(ADD_URL)
    assert response.context["workflow_steps"] == ["submit"]
    assertContains(
        response,
        '<button type="submit" name="_transition" value="submit" '
        'class="button workflow-button">Submit for review</button>',
        html=True,
    )
    assertNotContains(response, "Publish now")
    assertNotContains(response, 'value="schedule"')


def test_journalist_files_a_story_for_review(journalist_client, journalist, section):
    author = AuthorFactory()
    data = story_form(
        section,
        _transition="submit",
        **{
            "bylines-TOTAL_FORMS": "1",
            "bylines-0-author": author.pk,
            "bylines-0-role": "reporter",
            "bylines-0-position": "0",
        },
    )
    response = journalist_client.post(ADD_URL, data)
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.status == Article.Status.REVIEW
    assert article.created_by == journalist
    assert [b.author for b in article.bylines.all()] == [author]


def test_journalist_cannot_publish_with_a_crafted_post(journalist_client, section):
    soon = timezone.localtime() - timedelta(minutes=1)
    data = story_form(
        section,
        _transition="publish",
        status="published",
        publish_at_0=soon.strftime("%Y-%m-%d"),
        publish_at_1=soon.strftime("%H:%M:%S"),
    )
    response = journalist_client.post(ADD_URL, data)
    assert response.status_code == 200
    assertContains(response, "Only an editor can publish or schedule a story.")
    assert not Article.objects.exists()


def test_journalist_cannot_schedule_by_posting_a_publication_time(journalist_client, section):
    later = timezone.localtime() + timedelta(days=1)
    data = story_form(
        section,
        status="published",
        publish_at_0=later.strftime("%Y-%m-%d"),
        publish_at_1=later.strftime("%H:%M:%S"),
        schedule_for_0=later.strftime("%Y-%m-%d"),
        schedule_for_1=later.strftime("%H:%M:%S"),
    )
    journalist_client.post(ADD_URL, data)
    article = Article.objects.get()
    assert article.publish_at is None
    assert article.status == Article.Status.DRAFT


def test_journalist_cannot_edit_a_live_story(journalist_client, section):
    story = ArticleFactory(section=section, headline="Live headline")
    assert journalist_client.get(change_url(story)).context["has_change_permission"] is False
    response = journalist_client.post(
        change_url(story), story_form(section, headline="Rewritten", _transition="send_back")
    )
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.headline == "Live headline"
    assert story.status == Article.Status.PUBLISHED


def test_editor_publishes_now_when_no_time_is_given(editor_client, section):
    response = editor_client.post(ADD_URL, story_form(section, _transition="publish"))
    assert response.status_code == 302
    article = Article.objects.get()
    assert article.is_live
    assert article.first_published_at == article.publish_at


def test_editor_schedules_a_story_and_the_list_says_when(editor_client, section, settings):
    settings.TIME_ZONE = "Europe/London"
    later = timezone.localtime() + timedelta(days=2)
    editor_client.post(
        ADD_URL,
        story_form(
            section,
            _transition="schedule",
            schedule_for_0=later.strftime("%Y-%m-%d"),
            schedule_for_1="09:00:00",
        ),
    )
    article = Article.objects.get()
    assert article.is_scheduled
    response = editor_client.get(CHANGELIST_URL)
    # The status says "Scheduled"; the publication time column says when, in newsroom time.
    assertContains(response, '<td class="field-status_label">Scheduled</td>', html=True)
    assertContains(response, f"{later.day} {later:%b %Y}, 09:00 GMT")


def test_duplicate_slug_is_a_form_error_not_a_crash(editor_client, section):
    ArticleFactory(slug="harbour-plan-approved")
    response = editor_client.post(ADD_URL, story_form(section))
    assert response.status_code == 200
    assertContains(response, "Another story already uses this slug.")
    assert Article.objects.count() == 1


def test_form_errors_keep_what_was_typed(editor_client, section):
    response = editor_client.post(
        ADD_URL,
        story_form(section, headline="", standfirst="Kept standfirst", body="<p>Kept body</p>"),
    )
    assert response.status_code == 200
    assertContains(response, "This field is required.")
    assertContains(response, "Kept standfirst")
    assertContains(response, "Kept body")


def test_hostile_body_from_the_admin_is_sanitised(editor_client, section):
    editor_client.post(
        ADD_URL, story_form(section, body='<p onclick="x()">Hi<script>alert(1)</script></p>')
    )
    assert Article.objects.get().body == "<p>Hi</p>"


def test_moderator_cannot_change_articles(moderator_client, section):
    story = ArticleFactory(section=section)
    assert moderator_client.get(ADD_URL).status_code == 403
    response = moderator_client.post(change_url(story), story_form(section, headline="Changed"))
    assert response.status_code == 403
    story.refresh_from_db()
    assert story.headline != "Changed"


def test_admin_shows_the_newsroom_time_zone(editor_client, settings):
    settings.TIME_ZONE = "Asia/Tokyo"
    response = editor_client.get(ADD_URL)
    assertContains(response, "Newsroom time: Asia/Tokyo")
    assertContains(response, "In newsroom time (Asia/Tokyo)")


def test_view_on_site_only_for_live_stories(editor_client, section):
    live = ArticleFactory(section=section)
    draft = ArticleFactory(section=section, draft=True)
    assertContains(editor_client.get(change_url(live)), live.get_absolute_url())
    assertNotContains(editor_client.get(change_url(draft)), "View on site")


def test_changelist_shows_bylines_and_filters(editor_client, section):
    author = AuthorFactory(name="Ana Ruiz")
    ArticleFactory(section=section, headline="Port story", authors=[author])
    response = editor_client.get(CHANGELIST_URL, {"status__exact": "published", "q": "Port"})
    assertContains(response, "Port story")
    assertContains(response, "Ana Ruiz")


def fill_newsroom(count):
    section = SectionFactory()
    tags = TagFactory.create_batch(3)
    for _ in range(count):
        ArticleFactory(section=section, authors=AuthorFactory.create_batch(3), tags=tags)


def test_changelist_runs_a_fixed_number_of_queries(editor_client):
    fill_newsroom(5)
    _response, few = count_queries(editor_client, CHANGELIST_URL)
    fill_newsroom(45)
    response, many = count_queries(editor_client, CHANGELIST_URL)
    assert len(response.context["cl"].result_list) == 50
    assert few == many
    assert many <= 12


@pytest.mark.parametrize("url_name", ["changelist", "add"])
@pytest.mark.parametrize("model", ["section", "author", "tag"])
def test_editor_runs_sections_authors_and_tags(editor_client, model, url_name):
    assert editor_client.get(reverse(f"admin:articles_{model}_{url_name}")).status_code == 200


@pytest.mark.parametrize("model", ["section", "author"])
def test_journalist_cannot_add_sections_or_authors(journalist_client, model):
    assert journalist_client.get(reverse(f"admin:articles_{model}_add")).status_code == 403


def test_reserved_slug_is_refused_for_a_section(editor_client):
    response = editor_client.post(
        reverse("admin:articles_section_add"),
        {"name": "Admin", "slug": "admin", "position": 0, "show_in_nav": "on", "description": ""},
    )
    assertContains(response, "is used by the site itself")
