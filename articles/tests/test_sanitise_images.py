"""Photos in a story's body: only our own images survive the sanitiser, with safe attributes."""

import json
import re

import pytest

from articles.sanitise import sanitise_body

OURS = "/images/42/0123456789abcdef/body-960.jpg"
MEDIA = "/media/renditions/2026/11/0a1b2c3d4e5f60718293/960x640-0-0-1200-800.jpg"


def figure(src, extra="", caption="Crews worked through the night."):
    return (
        f'<figure class="figure"><img src="{src}" alt="Firefighters at the warehouse" '
        f'data-file="42"{extra}><figcaption class="figure-caption">{caption}</figcaption></figure>'
    )


@pytest.mark.parametrize("src", [OURS, MEDIA, "/media/images/2026/11/0a1b2c3d4e5f60718293.png"])
def test_a_figure_with_our_own_image_survives(src):
    assert sanitise_body(figure(src)) == figure(src)


@pytest.mark.parametrize(
    "src",
    [
        "https://evil.example/photo.jpg",
        "//evil.example/images/42/0123456789abcdef/body-960.jpg",
        "https://evil.example/images/42/0123456789abcdef/body-960.jpg",
        "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
        "javascript:alert(1)",
        "/images/42/0123456789abcdef/body-960.jpg?x=https://evil.example",
        "/images/../admin/logout/",
        "/media/../settings.py",
        "/media/images/../../etc/passwd.jpg",
        "/media/comments/upload.jpg",
        "/admin/logout/",
    ],
)
def test_an_image_from_anywhere_else_is_removed_and_its_caption_kept_as_text(src):
    cleaned = sanitise_body(figure(src))

    assert "<img" not in cleaned
    assert "<figure" not in cleaned
    assert cleaned == "<p>Crews worked through the night.</p>"


@pytest.mark.parametrize(
    "extra",
    [
        ' onerror="alert(1)"',
        ' onload="alert(1)"',
        ' style="position:fixed;inset:0"',
        ' srcset="https://evil.example/a.jpg 1x"',
        ' loading="eager" referrerpolicy="unsafe-url" crossorigin="use-credentials"',
        ' width="100%" height="calc(1px)"',
    ],
)
def test_only_safe_attributes_stay_on_our_own_image(extra):
    cleaned = sanitise_body(figure(OURS, extra))

    assert cleaned == figure(OURS)


def test_a_non_numeric_library_reference_is_dropped():
    cleaned = sanitise_body(f'<figure><img src="{OURS}" alt="x" data-file="42 onclick"></figure>')

    assert "data-file" not in cleaned
    assert f'src="{OURS}"' in cleaned


def test_numeric_width_and_height_are_kept():
    cleaned = sanitise_body(f'<p><img src="{OURS}" alt="x" width="960" height="640"></p>')

    assert 'width="960" height="640"' in cleaned


def test_only_the_editors_figure_classes_are_kept():
    cleaned = sanitise_body(
        f'<figure class="figure takeover"><img src="{OURS}" alt="x">'
        '<figcaption class="figure-caption evil">c</figcaption></figure>'
    )

    assert '<figure class="figure">' in cleaned
    assert '<figcaption class="figure-caption">' in cleaned


def test_a_caption_cannot_smuggle_markup():
    cleaned = sanitise_body(
        figure(OURS, caption='<script>alert(1)</script><a href="javascript:x">c</a>')
    )

    assert "<script" not in cleaned
    assert "javascript:" not in cleaned


def test_a_figure_without_an_image_becomes_plain_text():
    cleaned = sanitise_body("<figure><figcaption>Only words.</figcaption></figure><p>Next.</p>")

    assert cleaned == "<p>Only words.</p><p>Next.</p>"


@pytest.mark.django_db
def test_the_body_editor_browses_the_image_library(editor_client):
    response = editor_client.get("/admin/articles/article/add/")

    config = re.search(r'data-django-prose-editor-configurable="([^"]+)"', response.text).group(1)
    extensions = json.loads(config.replace("&quot;", '"'))["extensions"]
    assert extensions["Figure"] == {"pickerUrl": "/admin/photos/image/picker/"}
    assert extensions["Caption"] is True
