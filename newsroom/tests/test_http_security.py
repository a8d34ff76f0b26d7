"""
What every response promises the browser: production settings that pass Django's deployment
checks, HTTPS with HSTS, no sniffing, a referrer policy, no framing, and a content security
policy that allows no inline script on reader pages (which are cached and shared) and only
this response's nonce on admin pages; an unknown host is refused, and no error ever shows a
reader a traceback.
"""

import json
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.tests.factories import ArticleFactory, SectionFactory
from newsroom.settings import media_origins
from photos.tests.factories import ImageFactory

BASE_DIR = Path(settings.BASE_DIR)


def production_environment(**changes):
    """The environment of a production server: DEBUG off, a real key, hosts, HTTPS on."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "NEWSROOM_", "PYTEST"))
    }
    return (
        environment
        | {
            "DJANGO_DEBUG": "false",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
            "DJANGO_ALLOWED_HOSTS": "news.example.org",
            "DJANGO_HTTPS": "true",
            "DJANGO_SETTINGS_MODULE": "newsroom.settings",
        }
        | changes
    )


def run_python(code, **environment):
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=production_environment(**environment),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_djangos_deployment_checks():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "DEBUG"],
        cwd=BASE_DIR,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


PRODUCTION_REQUESTS = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="news.example.org")
# An address that reads no database: the subprocess has none of its own.
answers = {
    "https": client.get("/comments/form/1/token/", secure=True),
    "http": client.get("/comments/form/1/token/"),
}
print(json.dumps({k: {"status": r.status_code, **dict(r.headers)} for k, r in answers.items()}))
"""


@pytest.fixture(scope="module")
def production_answers():
    """What a production server answers for a page over HTTPS and over plain HTTP."""
    result = run_python(PRODUCTION_REQUESTS)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_plain_http_to_https(production_answers):
    http = production_answers["http"]

    assert http["status"] == 301
    assert http["Location"] == "https://news.example.org/comments/form/1/token/"


def test_production_tells_browsers_to_use_only_https_for_a_year(production_answers):
    https = production_answers["https"]

    assert https["status"] == 200
    assert https["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_production_sends_the_browser_protections(production_answers):
    https = production_answers["https"]

    assert https["X-Content-Type-Options"] == "nosniff"
    assert https["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert https["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in https["Content-Security-Policy"]


def test_production_refuses_to_start_without_a_secret_key():
    result = run_python("import django; django.setup()", DJANGO_SECRET_KEY="")

    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is not set" in result.stderr


# The headers of every page -------------------------------------------------------------------


def policy(response):
    """The content security policy of `response`, as {directive: [sources]}."""
    header = response["Content-Security-Policy"]
    return {
        name: sources
        for name, *sources in (part.split() for part in header.split(";") if part.strip())
    }


@pytest.fixture
def story(db):
    return ArticleFactory(
        section=SectionFactory(name="World", slug="world"),
        lead_image=ImageFactory(size=(320, 213)),
    )


def reader_pages(story):
    return [
        "/",
        story.section.get_absolute_url(),
        story.get_absolute_url(),
        "/search/?q=harbour",
        "/feeds/latest/",
        "/sitemap.xml",
        "/robots.txt",
        "/no-such-page/",
    ]


def test_every_reader_page_carries_the_browser_protections(client, story):
    for url in reader_pages(story):
        response = client.get(url)
        assert response["X-Content-Type-Options"] == "nosniff", url
        assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", url
        assert response["X-Frame-Options"] == "DENY", url
        assert "Content-Security-Policy" in response, url


def test_the_policy_allows_scripts_and_styles_only_from_the_site_and_frames_of_embeds(
    client, story
):
    assert policy(client.get(story.get_absolute_url())) == {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "media-src": ["'self'"],
        "frame-src": [
            "https://datawrapper.dwcdn.net",
            "https://embed.bsky.app",
            "https://flo.uri.sh",
            "https://open.spotify.com",
            "https://platform.twitter.com",
            "https://player.vimeo.com",
            "https://w.soundcloud.com",
            "https://www.facebook.com",
            "https://www.google.com",
            "https://www.instagram.com",
            "https://www.tiktok.com",
            "https://www.youtube-nocookie.com",
        ],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }


def test_reader_pages_allow_no_inline_script_and_carry_no_nonce(client, story):
    for url in reader_pages(story):
        response = client.get(url)
        header = response["Content-Security-Policy"]
        assert "unsafe-inline" not in header, url
        assert "unsafe-eval" not in header, url
        assert "nonce-" not in header, url


def test_reader_pages_policy_is_the_same_for_every_reader(story):
    headers = {Client().get(story.get_absolute_url())["Content-Security-Policy"] for _ in "ab"}

    assert len(headers) == 1


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)


def test_reader_pages_have_no_inline_script_but_structured_data(client, story):
    for url in reader_pages(story):
        html = client.get(url).content.decode()
        for attributes in INLINE_SCRIPT.findall(html):
            assert attributes.strip() == 'type="application/ld+json"', (url, attributes)


@pytest.fixture
def admin_pages(story):
    return [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_article_add"),
        reverse("admin:articles_article_change", args=[story.pk]),
        reverse("admin:photos_image_change", args=[story.lead_image.pk]),
        reverse("admin:photos_image_picker"),
        reverse("admin:articles_article_revisions", args=[story.pk]),
    ]


def test_admin_pages_allow_inline_scripts_only_with_their_own_nonce(editor_client, admin_pages):
    for url in admin_pages:
        response = editor_client.get(url)
        scripts = policy(response)["script-src"]
        assert "'unsafe-inline'" not in scripts, url
        nonces = {source for source in scripts if source.startswith("'nonce-")}
        html = response.content.decode()
        for attributes in INLINE_SCRIPT.findall(html):
            assert [f"'nonce-{n}'" for n in re.findall(r'nonce="([^"]+)"', attributes)] == list(
                nonces
            ), (url, attributes)


def test_the_story_editors_import_map_carries_the_responses_nonce(editor_client, story):
    response = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))

    [source] = [s for s in policy(response)["script-src"] if s.startswith("'nonce-")]
    nonce = source.removeprefix("'nonce-").removesuffix("'")
    assertContains(response, f'<script type="importmap" nonce="{nonce}">')


def test_each_admin_response_has_a_nonce_of_its_own(editor_client, story):
    url = reverse("admin:articles_article_change", args=[story.pk])

    first, second = (policy(editor_client.get(url))["script-src"] for _ in "ab")

    assert first != second


def test_media_files_keep_their_own_sandboxing_policy(client, story):
    response = client.get(story.lead_image.file.url)

    assert response.status_code == 200
    assert "sandbox" in response["Content-Security-Policy"]


@pytest.mark.parametrize(
    ("storage", "origins"),
    [
        ({}, ["https://photos.s3.amazonaws.com"]),
        ({"custom_domain": "media.news.example.org"}, ["https://media.news.example.org"]),
        (
            {"endpoint_url": "https://s3.example.net"},
            ["https://s3.example.net", "https://photos.s3.example.net"],
        ),
        (
            {"region": "eu-west-1"},
            ["https://photos.s3.amazonaws.com", "https://photos.s3.eu-west-1.amazonaws.com"],
        ),
    ],
)
def test_photos_in_a_bucket_are_allowed_from_its_address(storage, origins):
    assert media_origins(bucket="photos", **storage) == origins


def test_no_bucket_allows_photos_from_nowhere_else():
    assert media_origins(bucket="") == []


# Hosts and errors ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "host", ["evil.example", "testserver.evil.example", "testserver:80@evil.example", "a b"]
)
def test_an_unknown_host_gets_400(story, host):
    client = Client(raise_request_exception=False)

    response = client.get("/", HTTP_HOST=host)

    assert response.status_code == 400
    assert b"Traceback" not in response.content


def test_a_forwarded_host_header_is_not_believed(client, story):
    response = client.get("/", HTTP_X_FORWARDED_HOST="evil.example")

    assert "evil.example" not in response.content.decode()


@pytest.fixture
def broken_views(monkeypatch):
    """Every reader page and admin page fails with an error naming a secret."""

    def fail(*args, **kwargs):
        raise RuntimeError("secret-database-password in a stack frame")

    monkeypatch.setattr("articles.views.render", fail)
    monkeypatch.setattr("django.contrib.admin.sites.TemplateResponse", fail)


@pytest.mark.parametrize("url", ["/", "/world/", "/search/?q=harbour", "/admin/"])
def test_an_error_shows_the_plain_error_page_and_no_traceback(editor, broken_views, story, url):
    client = Client(raise_request_exception=False)
    client.force_login(editor)

    response = client.get(url)

    assert response.status_code == 500
    content = response.content.decode()
    assert "Something went wrong" in content
    assert "secret-database-password" not in content
    assert "Traceback" not in content
    assert "Content-Security-Policy" in response
