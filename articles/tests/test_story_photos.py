"""A story's lead photo, chosen from the image library on the story form."""

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Article
from photos.tests.factories import ImageFactory

from .factories import SectionFactory
from .test_admin import story_form

pytestmark = pytest.mark.django_db


def test_a_journalist_finds_a_lead_photo_by_autocomplete(journalist_client):
    ImageFactory(title="Harbour at dawn")
    ImageFactory(title="Council chamber", alt_text="Councillors vote on the harbour plan")

    response = journalist_client.get(
        "/admin/autocomplete/",
        {
            "app_label": "articles",
            "model_name": "article",
            "field_name": "lead_image",
            "term": "dawn",
        },
    )

    assert [result["text"] for result in response.json()["results"]] == ["Harbour at dawn"]


def test_a_story_is_saved_with_its_lead_photo_and_caption(journalist_client):
    image = ImageFactory()
    section = SectionFactory(name="Local", slug="local")

    response = journalist_client.post(
        reverse("admin:articles_article_add"),
        story_form(section, lead_image=image.pk, lead_image_caption="The warehouse at dawn."),
    )

    assert response.status_code == 302
    story = Article.objects.get()
    assert story.lead_image == image
    assert story.lead_caption == "The warehouse at dawn."


def test_the_story_form_shows_the_lead_photo(editor_client):
    story = Article.objects.create(
        headline="Harbour plan", section=SectionFactory(), lead_image=ImageFactory()
    )

    response = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))

    assertContains(response, "Lead photo as saved")
    assertContains(response, "<picture>")
