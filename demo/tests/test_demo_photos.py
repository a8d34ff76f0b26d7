"""The demo newsroom's photos, its story in review with a history, and its typography."""

import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PillowImage
from reversion.models import Version

from articles.models import Article, AuditEntry
from demo.photos import PHOTOS_DIR
from photos.models import Image, Rendition

pytestmark = pytest.mark.django_db

DEMO = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "newsroom.json").read_text(encoding="utf-8")
)


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def test_every_demo_photo_is_small_and_has_its_licence_recorded():
    files = sorted(PHOTOS_DIR.glob("*.jpg"))
    licences = (PHOTOS_DIR / "LICENSES.md").read_text(encoding="utf-8")

    assert 8 <= len(files) <= 12
    assert sum(path.stat().st_size for path in files) < 1_500_000
    for path in files:
        assert f"`{path.name}`" in licences, path.name
    assert {row["file"] for row in DEMO["photos"]} == {path.name for path in files}


def test_demo_photos_enter_the_library_as_uploads_with_their_sizes_and_renditions(demo):
    images = Image.objects.all()

    assert images.count() == len(DEMO["photos"])
    for image in images:
        assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{20}\.jpg", image.file.name)
        with image.file.open("rb") as stored, PillowImage.open(stored) as decoded:
            assert decoded.size == (image.width, image.height)
        assert image.uploaded_by.username == "editor"
    assert Rendition.objects.filter(image__in=images).count() > 10 * images.count()
    astronaut = images.get(title="Eileen Collins, NASA astronaut")
    assert astronaut.focal_point == (0.45, 0.3)
    assert astronaut.credit == "NASA (public domain)"


def test_demo_photos_load_once(demo):
    photos, renditions = Image.objects.count(), Rendition.objects.count()

    call_command("load_demo", stdout=StringIO())

    assert (Image.objects.count(), Rendition.objects.count()) == (photos, renditions)


def test_most_demo_stories_lead_with_a_credited_photo(demo, client):
    live = Article.objects.live()
    with_photo = live.filter(lead_image__isnull=False).select_related("lead_image")

    assert with_photo.count() > live.count() / 2
    story = with_photo.get(slug__startswith="coffee-prices")
    page = client.get(story.get_absolute_url())
    content = page.content.decode()
    assert '<span class="credit">Rachel Michetti (CC0)</span>' in content
    assert 'fetchpriority="high"' in content
    assert "/media/renditions/" in content


def test_demo_home_page_lead_shows_its_photo(demo, client):
    content = client.get(reverse("articles:home")).content.decode()

    lead = content[content.index('<article class="lead-story') :]
    lead = lead[: lead.index("</article>")]
    assert "lead-story-with-photo" in lead
    assert 'alt="Rows of red bricks in a weathered wall"' in lead


def test_demo_story_in_review_has_its_workflow_log_and_revisions(demo):
    story = Article.objects.get(status=Article.Status.REVIEW)

    log = list(AuditEntry.objects.filter(article=story).order_by("at"))
    assert [entry.action for entry in log] == ["submitted", "sent_back", "submitted"]
    assert "minister" in log[1].note
    assert log[1].actor.username == "editor"
    versions = Version.objects.get_for_object(story)
    assert versions.count() == 5
    headlines = {version.field_dict["headline"] for version in versions}
    assert headlines == {story.headline, DEMO_REVIEW["history"]["first_draft"]["headline"]}
    assert story.modified_by.username == "journalist"


def test_demo_history_screens_show_the_story_in_review(demo, client):
    client.force_login(get_user_model().objects.get(username="editor"))
    story = Article.objects.get(status=Article.Status.REVIEW)

    change = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    revisions = client.get(reverse("admin:articles_article_revisions", args=[story.pk]))

    assert change.status_code == revisions.status_code == 200
    assert "Sent back to the writer" in change.content.decode()
    assert "First draft" in revisions.content.decode()
    assert DEMO_REVIEW["history"]["revised"] in revisions.content.decode()


def test_demo_copy_has_curly_quotes_and_no_typewriter_ones():
    for story in DEMO["stories"]:
        for field in ("headline", "kicker", "standfirst"):
            assert not re.search("['\"]", story[field]), story["slug"]
        text = re.sub(r"<[^>]*>", "", story["body"])
        assert not re.search("['\"]", text), story["slug"]
        assert text.count("“") == text.count("”"), story["slug"]


DEMO_REVIEW = next(story for story in DEMO["stories"] if story["state"] == "review")
