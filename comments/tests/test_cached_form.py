"""The comment form on a story page shared from the page cache: every reader can post."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.tests.factories import ArticleFactory, SectionFactory
from comments import forms
from comments.forms import seconds_since_issued
from comments.models import Comment, ModerationSettings
from newsroom.tests import parsed

from .test_posting import form_data, post_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return ArticleFactory(
        section=SectionFactory(name="World", slug="world"),
        headline="Harbour plan approved",
        slug="harbour-plan-approved",
    )


def reader(address="203.0.113.5"):
    """A browser of its own, which the server holds to the CSRF check."""
    return Client(enforce_csrf_checks=True, REMOTE_ADDR=address)


def post_as_the_script_does(client, story, **changes):
    """What comment-form.js does: fetch a token for this reader, then post with it."""
    token = client.get(reverse("comments:form_token", args=[story.pk])).json()
    data = form_data(story, **changes) | {"csrfmiddlewaretoken": token["csrfmiddlewaretoken"]}
    return client.post(post_url(story), data)


def test_two_readers_post_from_the_same_cached_page(story):
    first, second = reader("203.0.113.5"), reader("198.51.100.20")
    first_page = first.get(story.get_absolute_url())
    second_page = second.get(story.get_absolute_url())
    assert (first_page["X-Page-Cache"], second_page["X-Page-Cache"]) == ("miss", "hit")
    assert second_page.content == first_page.content

    first_post = post_as_the_script_does(first, story, name="Maria", email="maria@example.org")
    second_post = post_as_the_script_does(
        second, story, name="João", email="joao@example.org", body="I disagree entirely."
    )

    assert first_post.status_code == second_post.status_code == 302
    assert set(Comment.objects.values_list("name", flat=True)) == {"Maria", "João"}


def test_the_shared_page_carries_no_token_and_loads_the_form_script(client, story):
    response = client.get(story.get_absolute_url())

    assertNotContains(response, "csrfmiddlewaretoken")
    assertContains(response, f'data-token-url="/comments/form/{story.pk}/token/"')
    assertContains(response, '<script src="/static/js/comment-form.js" defer></script>', html=True)
    assert "csrftoken" not in response.cookies


def test_the_token_is_the_readers_own_and_never_cached(story):
    response = reader().get(reverse("comments:form_token", args=[story.pk]))

    assert response["Cache-Control"] == "private, no-store"
    assert response.cookies["csrftoken"].value
    assert set(response.json()) == {"csrfmiddlewaretoken", "started"}


def test_the_token_brings_a_fresh_started_note_for_the_time_checks(story):
    """A page cached an hour ago does not make a robot's instant post look slow."""
    ModerationSettings.objects.update(min_seconds_to_post=3)
    client = reader()
    token = client.get(reverse("comments:form_token", args=[story.pk])).json()
    data = form_data(story, loaded_seconds_ago=3600) | token

    response = client.post(post_url(story), data)

    assert response.status_code == 302
    assert Comment.objects.get().status == Comment.Status.SPAM


def test_a_post_without_a_token_comes_back_with_what_was_typed(story):
    client = reader()
    data = form_data(story, body="Every word of this must come back to me.", name="Maria")

    response = client.post(post_url(story), data)

    assert response.status_code == 403
    assert response["Cache-Control"] == "private, no-store"
    assertContains(response, "has not been posted yet", status_code=403)
    assertContains(response, "Every word of this must come back to me.", status_code=403)
    assertContains(response, 'value="Maria"', status_code=403)
    assert not Comment.objects.exists()


def test_the_returned_form_posts_on_the_second_try(story):
    client = reader()
    data = form_data(story, body="Second time lucky.")
    refused = client.post(post_url(story), data)
    token = re.search(
        r'name="csrfmiddlewaretoken" value="([^"]+)"', refused.content.decode()
    ).group(1)

    response = client.post(post_url(story), data | {"csrfmiddlewaretoken": token})

    assert response.status_code == 302
    assert Comment.objects.get().body == "Second time lucky."


def test_a_forged_post_elsewhere_still_gets_a_bare_403(story, editor):
    client = reader()
    client.force_login(editor)

    response = client.post(reverse("admin:articles_article_changelist"), {"action": "x"})

    assert response.status_code == 403
    assertNotContains(response, "Harbour plan approved", status_code=403)


def test_the_stored_page_loses_its_form_when_comments_close(client):
    ModerationSettings.objects.update(close_after_days=14)
    now = timezone.now()
    story = ArticleFactory(publish_at=now - timedelta(days=14) + timedelta(seconds=30))

    with time_machine.travel(now, tick=False):
        response = client.get(story.get_absolute_url())
        assert "max-age=30," in response["Cache-Control"]
        assertContains(response, "Leave a comment")

    with time_machine.travel(now + timedelta(seconds=31), tick=False):
        response = client.get(story.get_absolute_url())
        assert response["X-Page-Cache"] == "miss"
        assertContains(response, "Comments are closed.")
        assertNotContains(response, "Leave a comment")


def comment_form(response):
    """The page's comment form, as a browser reads it."""
    page = parsed.fragment(response.content.decode())
    return next(form for form in page.iter("form") if form.get("id") == "comment-form")


def field(form, tag, name):
    return form.find(f".//{tag}[@name='{name}']")


def test_a_blank_forms_fields_are_rendered_once_and_each_story_posts_to_itself(
    client, story, monkeypatch
):
    """The fields are the same under every story; the form around them names its own."""
    other = ArticleFactory(section=story.section, headline="Ferry strike ends", slug="ferry")
    renders = []
    render = forms.render_crispy_form
    monkeypatch.setattr(
        forms, "render_crispy_form", lambda form: renders.append(form) or render(form)
    )
    forms.blank_fields.cache_clear()

    pages = {article: client.get(article.get_absolute_url()) for article in (story, other)}

    assert len(renders) == 1
    for article, page in pages.items():
        form = comment_form(page)
        assert form.get("action") == post_url(article)
        assert form.get("data-token-url") == reverse("comments:form_token", args=[article.pk])
        assert seconds_since_issued(field(form, "input", "started").get("value"), article.pk) >= 0
        assert field(form, "textarea", "body") is not None
        assert field(form, "input", "csrfmiddlewaretoken") is None


def test_a_form_with_errors_comes_back_with_what_the_reader_typed_and_a_token(client, story):
    forms.blank_fields.cache_clear()
    client.get(story.get_absolute_url())

    response = client.post(post_url(story), form_data(story, email="not an address"))

    form = comment_form(response)
    assert parsed.text(field(form, "textarea", "body")).strip() == form_data(story)["body"]
    assert field(form, "input", "email").get("value") == "not an address"
    assert field(form, "input", "csrfmiddlewaretoken") is not None
