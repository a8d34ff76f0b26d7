"""
Every block and element a WordPress post may hold, converted to the story body's vocabulary
(or to its text and a link), with a line in the report for each: the content as WordPress
6.x saves it, the block editor's and the classic editor's. The assertions are on the
converter's output: the sanitiser's side of the vocabulary is not this module's.
"""

from collections import Counter

import pytest

from articles.sanitise import sanitise_body
from importers.wordpress.content import convert_content

from .test_wordpress_content import OURS, UPLOADS, Library, figure


def convert(content, **options):
    report = Counter()
    return convert_content(content, Library(), report=report, **options), dict(report)


def embed(address, text=None):
    return (
        f'<figure class="embed" data-embed="{address}"><a href="{address}">{text or address}</a>'
        "</figure>"
    )


# Tables


def test_a_table_block_keeps_its_header_rows_and_caption():
    content = (
        '<!-- wp:table -->\n<figure class="wp-block-table"><table class="has-fixed-layout">'
        "<thead><tr><th>Party</th><th>Seats</th></tr></thead>"
        '<tbody><tr><td>Harbour First</td><td class="has-text-align-right">12</td></tr>'
        '<tr><td colspan="2">Count ongoing</td></tr></tbody></table>'
        '<figcaption class="wp-element-caption">Results at 11pm</figcaption></figure>\n'
        "<!-- /wp:table -->"
    )
    assert convert(content) == (
        '<figure class="table"><table><caption>Results at 11pm</caption>'
        "<thead><tr><th>Party</th><th>Seats</th></tr></thead>"
        "<tbody><tr><td>Harbour First</td><td>12</td></tr>"
        '<tr><td colspan="2">Count ongoing</td></tr></tbody></table></figure>',
        {"table → table": 1},
    )


def test_a_classic_table_gets_a_header_row_from_its_first_row_of_th_cells():
    content = (
        'Results:\n\n<table border="1" style="width:100%">\n<tr><th>Ward</th><th>Turnout</th>'
        "</tr>\n<tr><td>North</td><td>61%</td></tr>\n</table>\n\nMore soon."
    )
    body, report = convert(content)
    assert body == (
        "<p>Results:</p>\n"
        '<figure class="table"><table><thead><tr><th>Ward</th><th>Turnout</th></tr></thead>'
        "<tbody><tr><td>North</td><td>61%</td></tr></tbody></table></figure>\n"
        "<p>More soon.</p>"
    )
    assert report == {"table → table": 1}


def test_a_script_in_a_table_cell_is_removed_and_reported():
    body, report = convert("<table><tr><td>1<script>alert(1)</script></td></tr></table>")
    assert (
        body == '<figure class="table"><table><tbody><tr><td>1</td></tr></tbody></table></figure>'
    )
    assert report["<script> → removed with its content"] == 1


# Code, preformatted text, verse


def test_a_code_block_keeps_its_lines_and_characters():
    content = (
        '<!-- wp:code -->\n<pre class="wp-block-code"><code>if (a &lt; b) {\n'
        "  return [gallery];\n}</code></pre>\n<!-- /wp:code -->"
    )
    assert convert(content) == (
        "<pre><code>if (a &lt; b) {\n  return [gallery];\n}</code></pre>",
        {"code → code block": 1},
    )


def test_preformatted_text_and_code_shortcodes_become_code_blocks():
    body, report = convert('Before\n\n<pre>a\n\nb</pre>\n\n[code lang="py"]x = 1\ny = 2[/code]')
    assert body == (
        "<p>Before</p>\n<pre><code>a\n\nb</code></pre>\n<pre><code>x = 1\ny = 2</code></pre>"
    )
    assert report == {"preformatted text → code block": 1, "[code] → code block": 1}


def test_a_verse_block_keeps_its_lines_and_stanzas():
    content = (
        '<!-- wp:verse -->\n<pre class="wp-block-verse">The tide comes in,\nthe boats go out,'
        "\n\n<em>and still</em> the harbour waits.</pre>\n<!-- /wp:verse -->"
    )
    assert convert(content) == (
        "<p>The tide comes in,<br>the boats go out,</p>"
        "<p><em>and still</em> the harbour waits.</p>",
        {"verse → its lines kept": 1},
    )


# Audio, video, embeds


def link(address, text):
    return f'<p><a href="{address}">{text}</a></p>'


def test_audio_and_video_blocks_become_links_to_their_files_with_their_captions():
    content = (
        '<!-- wp:audio {"id":41} -->\n<figure class="wp-block-audio"><audio controls '
        'src="https://harbourtimes.example.org/wp-content/uploads/2024/01/interview.mp3">'
        '</audio><figcaption class="wp-element-caption">The mayor, on tape</figcaption></figure>'
        '\n<!-- /wp:audio -->\n\n<!-- wp:video {"id":42} -->\n<figure class="wp-block-video">'
        '<video controls poster="x.jpg"><source src="https://cdn.example.org/v.mp4" '
        'type="video/mp4"></video></figure>\n<!-- /wp:video -->'
    )
    audio = "https://harbourtimes.example.org/wp-content/uploads/2024/01/interview.mp3"
    assert convert(content) == (
        link(audio, "The mayor, on tape")
        + "\n"
        + link("https://cdn.example.org/v.mp4", "Watch the video (v.mp4)"),
        {"audio → link (file not imported)": 1, "video → link (file not imported)": 1},
    )


def test_classic_audio_and_video_shortcodes_and_players_become_links_to_their_files():
    content = (
        '[audio mp3="https://x.example.org/a.mp3"][/audio]\n\n'
        '[video width="640" mp4="https://x.example.org/v.mp4"][/video]\n\n'
        '<video src="https://x.example.org/w.webm" controls></video>'
    )
    body, report = convert(content)
    assert body == "\n".join(
        (
            link("https://x.example.org/a.mp3", "Listen to the audio (a.mp3)"),
            link("https://x.example.org/v.mp4", "Watch the video (v.mp4)"),
            link("https://x.example.org/w.webm", "Watch the video (w.webm)"),
        )
    )
    assert report == {
        "[audio] → link (file not imported)": 1,
        "[video] → link (file not imported)": 1,
        "video → link (file not imported)": 1,
    }


class MediaFiles:
    """The import copied interview.mp3 into media storage; nothing else."""

    OURS = "https://news.example.org/media/audio/wordpress/harbour/41/interview.mp3"

    def media_address(self, src):
        return self.OURS if src.endswith("/interview.mp3") else ""


def test_audio_the_import_copied_is_embedded_from_our_media_storage():
    content = (
        '[audio mp3="https://harbourtimes.example.org/wp-content/uploads/2024/01/interview.mp3"]'
        '[/audio]\n\n[audio mp3="https://x.example.org/a.mp3"][/audio]'
    )
    report = Counter()
    body = convert_content(content, Library(), media_files=MediaFiles(), report=report)
    assert body == (
        embed(MediaFiles.OURS)
        + "\n"
        + link("https://x.example.org/a.mp3", "Listen to the audio (a.mp3)")
    )
    assert report == {"[audio] → embed": 1, "[audio] → link (file not imported)": 1}


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("http://www.youtube.com/watch?v=SQEQr7c0-dw\n\nMore words.", "web address → embed"),
        ("[embed]http://www.youtube.com/watch?v=SQEQr7c0-dw[/embed]", "[embed] → embed"),
        (
            '<!-- wp:embed {"url":"http://www.youtube.com/watch?v=SQEQr7c0-dw"} -->\n'
            '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\n'
            "http://www.youtube.com/watch?v=SQEQr7c0-dw\n</div></figure>\n<!-- /wp:embed -->",
            "embed → embed",
        ),
    ],
)
def test_a_providers_address_written_with_http_is_embedded_with_https(content, line):
    body, report = convert(content)
    video = "https://www.youtube.com/watch?v=SQEQr7c0-dw"
    assert body.startswith(embed(video))
    assert report == {line: 1}
    assert sanitise_body(body).startswith(
        f'<figure class="embed" data-embed="{video}"><a href="{video}" rel="noopener noreferrer">'
        "Video on YouTube</a></figure>"
    )


def test_an_embed_block_keeps_its_address_escaped_once_and_its_caption_as_its_title():
    content = (
        '<!-- wp:embed {"url":"https://x.com/harbour/status/1?s=20\\u0026t=abc",'
        '"type":"rich","providerNameSlug":"twitter"} -->\n'
        '<figure class="wp-block-embed is-type-rich is-provider-twitter wp-block-embed-twitter">'
        '<div class="wp-block-embed__wrapper">\nhttps://x.com/harbour/status/1?s=20&amp;t=abc\n'
        '</div><figcaption class="wp-element-caption">The mayor replies</figcaption></figure>\n'
        "<!-- /wp:embed -->"
    )
    assert convert(content) == (
        embed("https://x.com/harbour/status/1?s=20&amp;t=abc", "The mayor replies"),
        {"embed → embed": 1},
    )


def test_an_iframe_keeps_its_title_as_the_links_text():
    content = (
        '<iframe title="Flood map" src="https://www.google.com/maps/embed?pb=1&amp;z=2" '
        'width="600"></iframe>'
    )
    assert convert(content) == (
        embed("https://www.google.com/maps/embed?pb=1&amp;z=2", "Flood map"),
        {"iframe → embed": 1},
    )


@pytest.mark.parametrize(
    ("content", "line"),
    [
        ("[embed]javascript:alert(1)[/embed]", "[embed] without a web address → dropped"),
        ('<iframe src="javascript:alert(1)"></iframe>', "iframe without a web address → dropped"),
        ('[audio mp3="javascript:alert(1)"]', "[audio] without a web address → dropped"),
        (
            '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">'
            "data:text/html,x</div></figure>",
            "embed without a web address → dropped",
        ),
    ],
)
def test_an_embed_without_a_web_address_is_dropped_and_reported(content, line):
    body, report = convert(content)
    assert "javascript:" not in body
    assert "data-embed" not in body
    assert report[line] == 1


def test_an_old_flash_object_becomes_an_embed_of_its_address():
    content = (
        '<object width="400"><param name="movie" value="https://x.example.org/a.swf">'
        '<embed src="https://x.example.org/a.swf" type="application/x-shockwave-flash">'
        "</embed></object>"
    )
    body, report = convert(content)
    assert body == embed("https://x.example.org/a.swf")
    assert report == {"plugin object (Flash) → embed": 1}


# Galleries, columns, buttons, covers


def test_columns_give_their_content_one_after_another():
    content = (
        '<!-- wp:columns -->\n<div class="wp-block-columns"><!-- wp:column -->\n'
        '<div class="wp-block-column"><!-- wp:paragraph -->\n<p>Left.</p>\n'
        "<!-- /wp:paragraph --></div>\n<!-- /wp:column -->\n\n<!-- wp:column -->\n"
        '<div class="wp-block-column"><!-- wp:paragraph -->\n<p>Right.</p>\n'
        "<!-- /wp:paragraph --></div>\n<!-- /wp:column --></div>\n<!-- /wp:columns -->"
    )
    assert convert(content) == (
        "<p>Left.</p>\n<p>Right.</p>",
        {"columns → their content, one after another": 1},
    )


def test_buttons_become_links():
    content = (
        '<!-- wp:buttons -->\n<div class="wp-block-buttons"><!-- wp:button -->\n'
        '<div class="wp-block-button"><a class="wp-block-button__link wp-element-button" '
        'href="https://harbourtimes.example.org/subscribe?from=story&amp;x=1">Subscribe</a>'
        "</div>\n<!-- /wp:button --></div>\n<!-- /wp:buttons -->"
    )
    assert convert(content) == (
        '<p><a href="https://harbourtimes.example.org/subscribe?from=story&amp;x=1">'
        "Subscribe</a></p>",
        {"buttons → links": 1},
    )


def test_a_cover_gives_its_photo_and_its_text():
    content = (
        '<!-- wp:cover {"url":"x","id":5} -->\n<div class="wp-block-cover">'
        '<span aria-hidden="true" class="wp-block-cover__background has-background-dim">'
        f'</span><img class="wp-block-cover__image-background wp-image-5" alt="" '
        f'src="{UPLOADS}/harbour.jpg" data-object-fit="cover"/>'
        '<div class="wp-block-cover__inner-container"><!-- wp:paragraph -->\n'
        '<p class="has-text-align-center has-large-font-size">The harbour at 100</p>\n'
        "<!-- /wp:paragraph --></div></div>\n<!-- /wp:cover -->"
    )
    assert convert(content) == (
        figure() + "\n<p>The harbour at 100</p>",
        {"cover → its photo and text": 1},
    )


def test_an_old_cover_with_a_background_photo_gives_that_photo():
    content = (
        '<div class="wp-block-cover has-background-dim" style="background-image:url('
        f'{UPLOADS}/harbour-300x200.jpg)"><p class="wp-block-cover-text">Tides</p></div>'
    )
    assert convert(content) == (figure() + "\n<p>Tides</p>", {"cover → its photo and text": 1})


def test_media_and_text_gives_the_photo_then_the_text():
    content = (
        '<div class="wp-block-media-text is-stacked-on-mobile"><figure '
        f'class="wp-block-media-text__media"><img src="{UPLOADS}/a.jpg" class="wp-image-6"/>'
        '</figure><div class="wp-block-media-text__content"><p>Beside it.</p></div></div>'
    )
    assert convert(content) == (
        figure(image_id=6) + "\n<p>Beside it.</p>",
        {"media and text → photo, then text": 1},
    )


# Quotes, pull quotes, separators, details, footnotes, lists


def test_a_quote_with_a_citation_is_a_quote_figure():
    content = (
        '<!-- wp:quote -->\n<blockquote class="wp-block-quote"><!-- wp:paragraph -->\n'
        "<p>We will rebuild the quay.</p>\n<!-- /wp:paragraph --><cite>The mayor, in 1998"
        "</cite></blockquote>\n<!-- /wp:quote -->"
    )
    assert convert(content) == (
        '<figure class="quote"><blockquote><p>We will rebuild the quay.</p></blockquote>'
        "<figcaption>The mayor, in 1998</figcaption></figure>",
        {"quote with its attribution → quote": 1},
    )


def test_a_classic_quote_gets_its_paragraphs():
    assert convert("<blockquote>One.\n\nTwo.</blockquote>") == (
        "<blockquote><p>One.</p>\n<p>Two.</p></blockquote>",
        {},
    )


def test_a_pull_quote_is_an_aside():
    content = (
        '<!-- wp:pullquote -->\n<figure class="wp-block-pullquote"><blockquote><p>Not one '
        "more boat will sink.</p><cite>Harbour master</cite></blockquote></figure>\n"
        "<!-- /wp:pullquote -->"
    )
    assert convert(content) == (
        '<aside class="pull-quote"><p>Not one more boat will sink.</p><p>Harbour master</p>'
        "</aside>",
        {"pull quote → pull quote": 1},
    )


def test_a_separator_is_a_rule():
    content = (
        "<!-- wp:separator -->\n"
        '<hr class="wp-block-separator has-alpha-channel-opacity is-style-dots"/>\n'
        "<!-- /wp:separator -->"
    )
    assert convert(content) == ("<hr>", {"separator → rule": 1})


def test_details_give_their_summary_and_their_text():
    content = (
        '<!-- wp:details -->\n<details class="wp-block-details"><summary>How to vote'
        "</summary><!-- wp:paragraph -->\n<p>Bring your card.</p>\n<!-- /wp:paragraph -->"
        "</details>\n<!-- /wp:details -->"
    )
    assert convert(content) == (
        "<p><strong>How to vote</strong></p>\n<p>Bring your card.</p>",
        {"details → its summary and text": 1},
    )


def test_block_editor_footnotes_become_a_note_where_the_block_was():
    content = (
        '<!-- wp:paragraph -->\n<p>The quay opened in 1898<sup data-fn="f1" class="fn">'
        '<a href="#f1" id="f1-link">1</a></sup>.</p>\n<!-- /wp:paragraph -->\n\n'
        "<!-- wp:footnotes /-->\n\n<!-- wp:paragraph -->\n<p>After.</p>\n<!-- /wp:paragraph -->"
    )
    meta = '[{"content":"Harbour board minutes, <em>1898</em>.","id":"f1"}]'
    assert convert(content, footnotes=meta) == (
        "<p>The quay opened in 1898<sup>1</sup>.</p>\n"
        '<aside class="note"><ol><li>Harbour board minutes, <em>1898</em>.</li></ol></aside>\n'
        "<p>After.</p>",
        {"footnotes → note": 1},
    )


def test_footnote_shortcodes_become_numbers_and_a_note_at_the_end():
    body, report = convert("Built in 1898[footnote]Board minutes.[/footnote] and rebuilt.")
    assert body == (
        "<p>Built in 1898<sup>1</sup> and rebuilt.</p>\n"
        '<aside class="note"><ol><li>Board minutes.</li></ol></aside>'
    )
    assert report == {"footnotes → note": 1}


def test_nested_lists_are_kept():
    content = (
        '<!-- wp:list -->\n<ul class="wp-block-list"><!-- wp:list-item -->\n<li>Ferries'
        '<!-- wp:list -->\n<ul class="wp-block-list"><li>North</li></ul>\n<!-- /wp:list -->'
        '</li>\n<!-- /wp:list-item --></ul>\n<!-- /wp:list -->\n\n<ol start="3" '
        'class="wp-block-list"><li>Third</li></ol>'
    )
    assert convert(content) == (
        "<ul>\n<li>Ferries\n<ul><li>North</li></ul>\n</li>\n</ul>\n"
        '<ol start="3">\n<li>Third</li>\n</ol>',
        {},
    )


# What has no equivalent: dropped, and said


def test_a_classic_block_and_custom_html_in_block_content_get_their_paragraphs():
    content = (
        "<!-- wp:paragraph -->\n<p>A block.</p>\n<!-- /wp:paragraph -->\n\n"
        "The classic block\nwith a line break\n\n<!-- wp:html -->\nThe custom HTML block"
        "\n<!-- /wp:html -->\n\n<!-- wp:paragraph -->\n<p>Last.</p>\n<!-- /wp:paragraph -->"
    )
    assert convert(content) == (
        "<p>A block.</p>\n<p>The classic block<br>\nwith a line break</p>\n"
        "<p>The custom HTML block</p>\n<p>Last.</p>",
        {},
    )


def test_the_first_gallery_block_a_list_of_figures_is_a_gallery():
    content = (
        '<!-- wp:gallery {"ids":[5,6]} -->\n<ul class="wp-block-gallery columns-2 is-cropped">'
        f'<li class="blocks-gallery-item"><figure><img src="{UPLOADS}/a.jpg" data-id="5" '
        'class="wp-image-5"/></figure></li><li class="blocks-gallery-item"><figure>'
        f'<img src="{UPLOADS}/gone.jpg" class="wp-image-9"/></figure></li>'
        f'<li class="blocks-gallery-item"><figure><img src="{UPLOADS}/b.jpg" class="wp-image-6"/>'
        "</figure></li></ul>\n<!-- /wp:gallery -->"
    )
    assert convert(content) == (
        f'<div class="gallery">{figure()}{figure(image_id=6)}</div>',
        {"gallery → gallery": 1, "photo not in the image library → dropped": 1},
    )


def test_blocks_wordpress_makes_when_shown_are_reported():
    body, report = convert(
        "<!-- wp:paragraph -->\n<p>Text.</p>\n<!-- /wp:paragraph -->\n"
        '<!-- wp:latest-posts {"postsToShow":3} /-->\n<!-- wp:spacer -->\n'
        '<div style="height:40px" aria-hidden="true" class="wp-block-spacer"></div>\n'
        "<!-- /wp:spacer -->"
    )
    assert body == "<p>Text.</p>"
    assert report == {
        "block “latest-posts” (made by WordPress when shown) → dropped": 1,
        "spacer → removed (layout only)": 1,
    }


def test_unknown_shortcodes_and_forms_are_reported():
    body, report = convert(
        '[su_note color="blue"]Polls close at 8pm.[/su_note]\n\n[contact-form-7 id="12"]\n\n'
        '[playlist ids="1,2"]\n\n<form action="/x"><input name="q"></form>Done.'
    )
    assert body == "<p>Polls close at 8pm.</p>\n<p>Done.</p>"
    assert report == {
        "[su_note] → its text": 1,
        "[contact-form-7] → dropped (no equivalent)": 1,
        "[playlist] → dropped (no equivalent)": 1,
        "<form> → removed with its content": 1,
    }


def test_a_photo_not_in_the_library_is_reported():
    body, report = convert(f'<img src="{UPLOADS}/gone.jpg" class="wp-image-9">Text')
    assert OURS not in body
    assert report == {"photo not in the image library → dropped": 1}


def test_a_file_block_is_a_link():
    content = (
        '<div class="wp-block-file"><a id="wp-block-file--media-1" href="https://x.example.org'
        '/budget.pdf">Budget 2024</a><a href="https://x.example.org/budget.pdf" '
        'class="wp-block-file__button wp-element-button" download>Download</a></div>'
    )
    assert convert(content) == (
        '<p><a href="https://x.example.org/budget.pdf">Budget 2024</a></p>',
        {"file → link": 1},
    )


# What the converter writes is what a story holds: the story's sanitiser keeps it.

BLOCKS = {
    '<figure class="table"><table>': (
        '<!-- wp:table --><figure class="wp-block-table"><table><thead><tr><th>Party</th>'
        "<th>Seats</th></tr></thead><tbody><tr><td>Harbour First</td><td>12</td></tr></tbody>"
        '</table><figcaption class="wp-element-caption">Results</figcaption></figure>'
        "<!-- /wp:table -->"
    ),
    "<pre><code>": (
        '<!-- wp:code --><pre class="wp-block-code"><code>make run\nmake test</code></pre>'
        "<!-- /wp:code -->"
    ),
    '<aside class="pull-quote">': (
        '<!-- wp:pullquote --><figure class="wp-block-pullquote"><blockquote><p>We will not '
        "move.</p><cite>A resident</cite></blockquote></figure><!-- /wp:pullquote -->"
    ),
    '<figure class="quote"><blockquote>': (
        '<!-- wp:quote --><blockquote class="wp-block-quote"><p>The harbour is ours.</p>'
        "<cite>The mayor</cite></blockquote><!-- /wp:quote -->"
    ),
    "<hr>": '<!-- wp:separator --><hr class="wp-block-separator"/><!-- /wp:separator -->',
    '<figure class="embed" data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ">': (
        '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=dQw4w9WgXcQ",'
        '"providerNameSlug":"youtube"} --><figure class="wp-block-embed is-provider-youtube">'
        '<div class="wp-block-embed__wrapper">\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n'
        "</div></figure><!-- /wp:embed -->"
    ),
}


@pytest.mark.parametrize("kept", BLOCKS)
def test_a_converted_block_is_kept_by_the_storys_sanitiser(kept):
    converted, _report = convert(BLOCKS[kept])

    assert kept in converted
    assert kept in sanitise_body(converted)
