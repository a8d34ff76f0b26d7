"""Signed, expiring preview links for staff with permission; 404 for everyone else."""

from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.previews import PREVIEW_SALT, preview_url
from newsroom.tests.factories import UserFactory

from .factories import ArticleFactory
from .test_admin import change_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft(journalist):
    return ArticleFactory(draft=True, created_by=journalist, headline="Unpublished scoop")


def test_editor_previews_a_draft_as_readers_will_see_it(editor_client, draft):
    response = editor_client.get(preview_url(draft))
    assert response.status_code == 200
    assert response.templates[0].name == "articles/article.html"
    assertContains(response, '<h1 id="headline">Unpublished scoop</h1>', html=True)
    assertContains(response, '<meta name="robots" content="noindex">', html=True)


def test_preview_shows_where_comments_go_but_no_form_that_cannot_be_posted(editor_client, draft):
    response = editor_client.get(preview_url(draft))
    assertContains(response, "Readers can comment once the story is published.")
    assertNotContains(response, 'name="body"')
    assertNotContains(response, "Post comment")


def test_preview_is_never_cached_nor_indexed(editor_client, draft):
    response = editor_client.get(preview_url(draft))
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Robots-Tag"] == "noindex"


def test_journalist_previews_their_own_story(journalist_client, draft):
    assert journalist_client.get(preview_url(draft)).status_code == 200


def test_journalist_cannot_preview_a_colleagues_story(journalist_client):
    theirs = ArticleFactory(draft=True, created_by=UserFactory(role="Journalist"))
    assert journalist_client.get(preview_url(theirs)).status_code == 404


def test_moderator_cannot_preview(moderator_client, draft):
    assert moderator_client.get(preview_url(draft)).status_code == 404


def test_anonymous_visitor_gets_not_found(client, draft):
    response = client.get(preview_url(draft))
    assert response.status_code == 404
    assert "Unpublished scoop" not in response.content.decode()


def test_expired_preview_link_is_not_found(editor_client, draft, settings):
    settings.NEWSROOM_PREVIEW_MAX_AGE = 3600
    url = preview_url(draft)
    with time_machine.travel(timezone.now() + timedelta(minutes=59)):
        assert editor_client.get(url).status_code == 200
    with time_machine.travel(timezone.now() + timedelta(minutes=61)):
        assert editor_client.get(url).status_code == 404


def test_token_altered_to_name_another_story_is_not_found(editor_client, draft):
    other = ArticleFactory(draft=True, headline="Another story")
    token = signing.dumps({"article": draft.pk}, salt=PREVIEW_SALT)
    _payload, rest = token.split(":", 1)
    forged_payload = signing.dumps({"article": other.pk}, salt=PREVIEW_SALT).split(":", 1)[0]
    url = reverse("articles:preview", kwargs={"token": f"{forged_payload}:{rest}"})
    assert editor_client.get(url).status_code == 404


def test_token_signed_for_another_purpose_is_not_found(editor_client, draft):
    token = signing.dumps({"article": draft.pk}, salt="some.other.purpose")
    assert (
        editor_client.get(reverse("articles:preview", kwargs={"token": token})).status_code == 404
    )


def test_a_link_for_one_story_shows_that_story_only(editor_client, draft):
    other = ArticleFactory(draft=True, headline="Another story")
    response = editor_client.get(preview_url(other))
    assertContains(response, "Another story")
    assert "Unpublished scoop" not in response.content.decode()


def test_garbage_token_is_not_found(editor_client, db):
    url = reverse("articles:preview", kwargs={"token": "not-a-token"})
    assert editor_client.get(url).status_code == 404


def test_change_page_offers_the_preview_link_to_copy(journalist_client, draft):
    response = journalist_client.get(change_url(draft))
    link = response.context["preview_link"]
    assert link.startswith("http://testserver/preview/")
    assertContains(response, f'value="{link}"')
    assert journalist_client.get(link).status_code == 200


def test_preview_shows_the_breaking_banner_like_the_reader_page(editor_client, draft):
    ArticleFactory(
        headline="Storm hits coast",
        is_breaking=True,
        breaking_until=timezone.now() + timedelta(hours=1),
    )
    assertContains(editor_client.get(preview_url(draft)), "Storm hits coast")
