"""WordPress post content as a story body: paragraphs, blocks, shortcodes, photos, embeds."""

import pytest

from articles.sanitise import sanitise_body
from importers.wordpress.content import BodyImage, convert_content, wpautop

OURS = "/media/images/2024/01/0123456789abcdef0123.jpg"
UPLOADS = "https://harbourtimes.example.org/wp-content/uploads/2024/01"


class Library:
    """Attachment 5 (harbour.jpg) and 6 are in the library; anything else is not."""

    def __init__(self):
        self.asked = []

    def find(self, *, src, attachment_id):
        self.asked.append((src, attachment_id))
        if attachment_id in ("5", "6") or src.endswith("harbour-300x200.jpg"):
            return BodyImage(int(attachment_id or 5), OURS, "Boats in the harbour at dawn")
        return None

    def attached(self):
        return ["5", "6"]


def body(content):
    return sanitise_body(convert_content(content, Library()))


def figure(caption="", alt="Boats in the harbour at dawn", image_id=5):
    caption = f'<figcaption class="figure-caption">{caption}</figcaption>' if caption else ""
    return (
        f'<figure class="figure"><img src="{OURS}" alt="{alt}" data-file="{image_id}">'
        f"{caption}</figure>"
    )


def test_blank_lines_make_paragraphs_and_single_breaks_make_line_breaks():
    assert body("First line\nsame paragraph\n\nSecond paragraph") == (
        "<p>First line<br>\nsame paragraph</p>\n<p>Second paragraph</p>"
    )


def test_block_elements_are_not_wrapped_in_paragraphs():
    converted = wpautop("Intro\n\n<ul>\n<li>One</li>\n<li>Two</li>\n</ul>\n\n<h2>Next</h2>\nMore")
    assert "<p><ul>" not in converted
    assert "<p><h2>" not in converted
    assert "<li>One</li>" in converted
    assert "<p>More</p>" in converted


def test_preformatted_text_keeps_its_lines():
    assert "<pre>a\n\nb</pre>" in wpautop("Code:\n\n<pre>a\n\nb</pre>")


def test_block_editor_comments_are_removed_and_its_html_kept():
    content = (
        "<!-- wp:paragraph -->\n<p>The council voted.</p>\n<!-- /wp:paragraph -->\n\n"
        '<!-- wp:heading {"level":3} -->\n<h3 class="wp-block-heading">Next</h3>\n'
        "<!-- /wp:heading --><!--more-->"
    )
    assert body(content) == "<p>The council voted.</p>\n<h3>Next</h3>"


def test_caption_shortcode_becomes_a_figure_with_its_caption():
    content = (
        '[caption id="attachment_5" align="alignright" width="300"]'
        f'<a href="{UPLOADS}/harbour.jpg"><img class="size-medium wp-image-5" '
        f'src="{UPLOADS}/harbour-300x200.jpg" alt="" width="300" height="200" /></a> '
        "Boats wait for the tide.[/caption]\n\nThe council voted."
    )
    assert body(content) == figure("Boats wait for the tide.") + "\n<p>The council voted.</p>"


def test_old_style_caption_attribute_is_used():
    content = f'[caption id="attachment_5" caption="At dawn"]<img src="{UPLOADS}/x.jpg">[/caption]'
    assert body(content) == figure("At dawn")


def test_a_photo_not_in_the_library_is_dropped_with_its_caption():
    content = (
        '[caption id="attachment_9"]'
        f'<img class="wp-image-9" src="{UPLOADS}/gone.jpg"> Gone[/caption]'
        "\n\nText."
    )
    assert body(content) == "<p>Text.</p>"


def test_an_image_from_another_site_is_never_kept():
    assert body('Look: <img src="https://elsewhere.example.com/x.jpg" alt="x">') == "<p>Look:</p>"


def test_block_editor_image_keeps_its_alt_and_caption():
    content = (
        '<!-- wp:image {"id":6} -->\n<figure class="wp-block-image size-large">'
        f'<img src="{UPLOADS}/b.jpg" alt="Crowds on the quay" class="wp-image-6"/>'
        "<figcaption>The quay on Sunday</figcaption></figure>\n<!-- /wp:image -->"
    )
    assert body(content) == figure("The quay on Sunday", alt="Crowds on the quay", image_id=6)


def converted(content, **options):
    """The converter's own output, before the sanitiser (which the body vocabulary widens)."""
    return convert_content(content, Library(), **options)


def gallery(*figures):
    return f'<div class="gallery">{"".join(figures)}</div>'


def test_gallery_shortcode_shows_each_photo_found_as_a_gallery():
    assert converted('[gallery ids="5,9,6"]') == gallery(figure(), figure(image_id=6))


def test_gallery_without_ids_shows_the_photos_attached_to_the_post():
    assert converted("[gallery columns=2]") == gallery(figure(), figure(image_id=6))


def test_a_gallery_of_one_photo_is_that_photo():
    assert converted('[gallery ids="9,6"]') == figure(image_id=6)


def test_block_editor_gallery_becomes_a_gallery_and_its_caption():
    content = (
        '<!-- wp:gallery --><figure class="wp-block-gallery">'
        f'<figure class="wp-block-image"><img src="{UPLOADS}/a.jpg" class="wp-image-5"/></figure>'
        f'<figure class="wp-block-image"><img src="{UPLOADS}/b.jpg" class="wp-image-6"/></figure>'
        "<figcaption>Two views</figcaption></figure><!-- /wp:gallery -->"
    )
    assert converted(content) == gallery(figure(), figure(image_id=6)) + "\n<p>Two views</p>"


@pytest.mark.parametrize(
    "content",
    [
        "[embed]https://www.youtube.com/watch?v=abc[/embed]",
        "https://www.youtube.com/watch?v=abc",
        '<iframe src="https://www.youtube.com/watch?v=abc" width="560"></iframe>',
        '<!-- wp:embed --><figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\n'
        "https://www.youtube.com/watch?v=abc\n</div></figure><!-- /wp:embed -->",
    ],
)
def test_embedded_players_become_embeds(content):
    address = "https://www.youtube.com/watch?v=abc"
    assert converted(content) == (
        f'<figure class="embed" data-embed="{address}"><a href="{address}">{address}</a></figure>'
    )


def test_unknown_shortcodes_are_removed_keeping_their_text():
    content = (
        '[su_note color="blue"]Polls close at <b>8pm</b>.[/su_note]\n\n'
        '[contact-form-7 id="12" title="Tips"]\n\n[toc]\n\nEnd.'
    )
    assert body(content) == "<p>Polls close at <b>8pm</b>.</p>\n<p>End.</p>"


def test_bracketed_words_that_are_not_shortcodes_are_kept():
    text = "He said it was “their [sic] plan”. [Updated at 3pm: the vote passed.]"
    assert body(text) == f"<p>{text}</p>"


def test_an_escaped_shortcode_is_shown_as_written():
    assert body("Type [[gallery]] to show photos.") == "<p>Type [gallery] to show photos.</p>"


def test_headings_outside_the_allowed_levels_are_brought_in_range():
    assert body("<h1>Top</h1>\n\n<h6>Small</h6>") == "<h2>Top</h2>\n<h4>Small</h4>"


def test_scripts_and_styles_do_not_survive():
    converted = body('<script>alert(1)</script><p style="color:red" onclick="x()">Hi</p>')
    assert converted == "<p>Hi</p>"
