"""
Embeds, audio and video brought in by `manage.py import_wordpress`: what the story keeps once
sanitised, and the summary's line for each post saying exactly that.
"""

import pytest
from django.core.files.storage import default_storage

from .test_wordpress_import import LOCAL, import_items, story, table_row
from .wxr import SITE, attachment, post

pytestmark = pytest.mark.django_db

VIDEO = "https://www.youtube.com/watch?v=SQEQr7c0-dw"
INTERVIEW = f"{SITE}/wp-content/uploads/2024/01/interview.mp3"


def post_line(output, wp_id):
    """The summary's line for one post: what its content became."""
    lines = output.splitlines()
    start = lines.index("Content converted or dropped, post by post:")
    return next(line for line in lines[start:] if line.startswith(f"  {wp_id} “"))


def audio_attachment(wp_id=41, file="2024/01/interview.mp3", **fields):
    fields.setdefault("mime_type", "audio/mpeg")
    return attachment(wp_id, file, title="The mayor, on tape", **fields)


@pytest.fixture
def uploads(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2024" / "01").mkdir(parents=True)
    (folder / "2024" / "01" / "interview.mp3").write_bytes(b"ID3 the mayor speaks")
    return folder


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


def test_audio_not_imported_is_a_link_to_its_file_in_wordpress(tmp_path):
    content = f'[audio src="{INTERVIEW}"][/audio]\n\nThe mayor, on tape.'
    output = import_items(tmp_path, [post(1, categories=LOCAL, content=content)])
    assert story(1).body.startswith(
        f'<p><a href="{INTERVIEW}" rel="noopener noreferrer">'
        "Listen to the audio (interview.mp3)</a></p>"
    )
    assert post_line(output, 1) == (
        "  1 “Council approves harbour plan”: [audio] → link (file not imported)"
    )


def test_an_audio_block_of_an_attachment_without_its_file_links_to_it_and_says_why(tmp_path):
    content = (
        '<!-- wp:audio {"id":41} -->\n<figure class="wp-block-audio"><audio controls '
        f'src="{INTERVIEW}"></audio><figcaption>The mayor, on tape</figcaption></figure>\n'
        "<!-- /wp:audio -->"
    )
    output = import_items(
        tmp_path, [audio_attachment(), post(1, categories=LOCAL, content=content)]
    )
    assert story(1).body == (
        f'<p><a href="{INTERVIEW}" rel="noopener noreferrer">The mayor, on tape</a></p>'
    )
    assert post_line(output, 1) == (
        "  1 “Council approves harbour plan”: audio → link (file not imported)"
    )
    assert (
        "audio/video: 1 no --media-dir given: linked to where it was in WordPress "
        f"(e.g. {INTERVIEW})"
    ) in output
    assert "not a photo" not in output


def test_audio_whose_file_is_in_the_media_folder_is_copied_in_and_embedded(
    tmp_path, uploads, settings
):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    content = (
        '<!-- wp:audio {"id":41} -->\n<figure class="wp-block-audio"><audio controls '
        f'src="{INTERVIEW}"></audio><figcaption>The mayor, on tape</figcaption></figure>\n'
        "<!-- /wp:audio -->"
    )
    items = [audio_attachment(), post(1, categories=LOCAL, content=content)]
    output = import_items(tmp_path, items, "--media-dir", str(uploads))

    name = "audio/wordpress/harbourtimesexampleorg/41/interview.mp3"
    ours = f"https://news.example.org/media/{name}"
    assert story(1).body == (
        f'<figure class="embed" data-embed="{ours}">'
        f'<a href="{ours}" rel="noopener noreferrer">The mayor, on tape</a></figure>'
    )
    with default_storage.open(name) as stored:
        assert stored.read() == b"ID3 the mayor speaks"
    assert post_line(output, 1) == "  1 “Council approves harbour plan”: audio → embed"
    assert table_row(output, "audio/video") == (1, 0, 0, 0)

    again = import_items(tmp_path, items, "--media-dir", str(uploads))
    assert table_row(again, "audio/video") == (0, 0, 1, 0)
    assert table_row(again, "articles") == (0, 0, 1, 0)
    assert default_storage.listdir("audio/wordpress/harbourtimesexampleorg/41") == (
        [],
        ["interview.mp3"],
    )


def test_audio_of_an_export_without_file_types_is_known_by_its_name(tmp_path, uploads):
    content = f'[audio src="{INTERVIEW}"][/audio]'
    items = [audio_attachment(mime_type=""), post(1, categories=LOCAL, content=content)]
    output = import_items(tmp_path, items, "--media-dir", str(uploads))
    assert story(1).body.startswith('<figure class="embed" data-embed="http://testserver/media/')
    assert table_row(output, "audio/video") == (1, 0, 0, 0)
    assert table_row(output, "images") == (0, 0, 0, 0)


def test_a_dry_run_stores_no_audio(tmp_path, uploads):
    content = f'[audio src="{INTERVIEW}"][/audio]'
    items = [audio_attachment(), post(1, categories=LOCAL, content=content)]
    output = import_items(tmp_path, items, "--media-dir", str(uploads), "--dry-run")
    assert table_row(output, "audio/video") == (1, 0, 0, 0)
    assert not default_storage.exists("audio")


def test_a_gallery_without_ids_shows_the_posts_photos_not_its_audio(tmp_path):
    output = import_items(
        tmp_path,
        [audio_attachment(parent=1), post(1, categories=LOCAL, content="[gallery]")],
    )
    assert "photo not in the image library" not in output
    assert "not a photo" not in output
