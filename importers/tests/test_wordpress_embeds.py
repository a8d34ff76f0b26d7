"""
Embeds brought in by `manage.py import_wordpress`: what the story keeps once sanitised, and
the summary's line for each post saying exactly that.
"""

import pytest

from .test_wordpress_import import LOCAL, import_items, story
from .wxr import post

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=SQEQr7c0-dw"


def post_line(output, wp_id):
    """The summary's line for one post: what its content became."""
    lines = output.splitlines()
    start = lines.index("Content converted or dropped, post by post:")
    return next(line for line in lines[start:] if line.startswith(f"  {wp_id} “"))


def test_a_video_address_written_with_http_alone_on_a_line_is_embedded_with_https(tmp_path):
    content = f"{VIDEO.replace('https', 'http')}\n\nThe mayor, at the harbour."
    output = import_items(tmp_path, [post(1, categories=LOCAL, content=content)])
    assert story(1).body.startswith(
        f'<figure class="embed" data-embed="{VIDEO}">'
        f'<a href="{VIDEO}" rel="noopener noreferrer">Video on YouTube</a></figure>'
    )
    assert post_line(output, 1) == "  1 “Council approves harbour plan”: web address → embed"


def test_an_address_no_provider_answers_to_is_reported_as_the_link_it_became(tmp_path):
    content = "https://example.org/video\n\nThe mayor, at the harbour."
    output = import_items(tmp_path, [post(1, categories=LOCAL, content=content)])
    assert story(1).body.startswith(
        '<p><a href="https://example.org/video" rel="noopener noreferrer">'
        "https://example.org/video</a></p>"
    )
    assert "data-embed" not in story(1).body
    assert post_line(output, 1) == "  1 “Council approves harbour plan”: web address → link"


def test_an_http_address_no_provider_answers_to_is_reported_as_the_text_it_became(tmp_path):
    output = import_items(
        tmp_path, [post(1, categories=LOCAL, content="[embed]http://example.org/video[/embed]")]
    )
    assert story(1).body == "<p>http://example.org/video</p>"
    assert post_line(output, 1) == "  1 “Council approves harbour plan”: [embed] → text"
