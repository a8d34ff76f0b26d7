"""Local media is served safely, with the right headers, outside DEBUG too."""

from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.utils.http import http_date

from .factories import photo_bytes

# The 404 page lists the sections.
pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings):
    root = Path(settings.MEDIA_ROOT)
    (root / "images/2026/11").mkdir(parents=True)
    (root / "renditions/2026/11/abc").mkdir(parents=True)
    (root / "images/2026/11/abc.jpg").write_bytes(photo_bytes("JPEG", (40, 30)))
    (root / "renditions/2026/11/abc/40x30-0-0-40-30.webp").write_bytes(
        photo_bytes("WEBP", (40, 30))
    )
    return root


def body(response):
    return b"".join(response.streaming_content)


def test_media_is_served_with_debug_off(client, media):
    assert django_settings.DEBUG is False

    response = client.get("/media/images/2026/11/abc.jpg")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert body(response) == (media / "images/2026/11/abc.jpg").read_bytes()


def test_media_says_nosniff_and_forbids_running_what_it_holds(client, media):
    response = client.get("/media/images/2026/11/abc.jpg")

    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"


def test_a_rendition_is_cached_for_a_year_and_an_original_for_a_day(client, media):
    rendition = client.get("/media/renditions/2026/11/abc/40x30-0-0-40-30.webp")
    original = client.get("/media/images/2026/11/abc.jpg")

    assert rendition["Content-Type"] == "image/webp"
    assert rendition["Cache-Control"] == "public, max-age=31536000, immutable"
    assert original["Cache-Control"] == "public, max-age=86400"


def test_a_file_that_is_not_an_image_is_only_ever_downloaded(client, media):
    (media / "images/2026/11/page.html").write_text("<script>alert(document.cookie)</script>")

    response = client.get("/media/images/2026/11/page.html")

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_an_unchanged_file_answers_304(client, media):
    modified = (media / "images/2026/11/abc.jpg").stat().st_mtime

    response = client.get(
        "/media/images/2026/11/abc.jpg", headers={"if-modified-since": http_date(modified)}
    )

    assert response.status_code == 304


@pytest.mark.parametrize(
    "path",
    [
        "/media/../manage.py",
        "/media/%2e%2e/manage.py",
        "/media/images/%2e%2e/%2e%2e/%2e%2e/manage.py",
        "/media/images/..%2f..%2f..%2fmanage.py",
        "/media/images/..%5c..%5cmanage.py",
        "/media//etc/passwd",
        "/media/%2fetc/passwd",
        "/media/images/2026/11/abc.jpg%00.html",
        "/media/.env",
        "/media/images/2026/",
        "/media/images/2026/11/missing.jpg",
    ],
)
def test_nothing_outside_media_or_hidden_is_served(client, media, path):
    assert client.get(path).status_code == 404


def test_a_symbolic_link_out_of_media_is_not_followed(client, media, tmp_path):
    secret = tmp_path / "secret.jpg"
    secret.write_bytes(b"not for readers")
    (media / "images/2026/11/link.jpg").symlink_to(secret)

    assert client.get("/media/images/2026/11/link.jpg").status_code == 404


def test_media_cannot_be_posted_to(client, media):
    assert client.post("/media/images/2026/11/abc.jpg").status_code == 405
