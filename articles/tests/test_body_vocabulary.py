"""What a story body can hold (docs/body.md), as the sanitiser keeps it, and what it refuses."""

import pytest

from articles.sanitise import sanitise_body, text_of_body

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"

# Each element of the vocabulary, written as it is stored: the sanitiser keeps it unchanged.
VOCABULARY = {
    "table": (
        '<figure class="table"><table><caption>Results in the north ward</caption>'
        '<thead><tr><th scope="col">Candidate</th><th scope="col">Votes</th></tr></thead>'
        "<tbody><tr><td>Ana Ruiz</td><td>4,312</td></tr>"
        '<tr><td colspan="2">Turnout 61%</td></tr></tbody></table></figure>'
    ),
    "code": "<pre><code>if turnout &lt; 50:\n    recount()</code></pre>",
    "quote": (
        '<figure class="quote"><blockquote><p>The count was clean.</p></blockquote>'
        "<figcaption>The returning officer</figcaption></figure>"
    ),
    "pull quote": '<aside class="pull-quote"><p>Every ballot was counted twice.</p></aside>',
    "note": '<aside class="note"><p>Editor\'s note: figures are provisional.</p></aside>',
    "rule": "<hr>",
    "lists": (
        "<ol><li>Polls close<ul><li>at 8pm</li></ul></li><li>Count begins</li></ol>"
        '<ol start="3"><li>Declaration</li></ol>'
    ),
    "gallery": (
        '<div class="gallery"><figure class="figure"><img src="/media/images/a.jpg" alt="Queue"'
        ' data-file="1"><figcaption>The queue</figcaption></figure><figure class="figure">'
        '<img src="/media/images/b.jpg" alt="Count" data-file="2"></figure></div>'
    ),
    "embed": (
        f'<figure class="embed" data-embed="{YOUTUBE}">'
        f'<a href="{YOUTUBE}" rel="noopener noreferrer">The declaration</a></figure>'
    ),
}


@pytest.mark.parametrize("element", VOCABULARY)
def test_each_element_of_the_vocabulary_is_kept_as_it_is(element):
    assert sanitise_body(VOCABULARY[element]) == VOCABULARY[element]


def test_a_table_from_the_editor_gets_its_frame_and_its_header_row():
    edited = (
        '<table style="min-width: 50px"><colgroup><col></colgroup><tbody>'
        "<tr><th><p>Party</p></th></tr><tr><td><p>Green</p></td></tr></tbody></table>"
    )
    assert sanitise_body(edited) == (
        '<figure class="table"><table><thead><tr><th scope="col"><p>Party</p></th></tr></thead>'
        "<tbody><tr><td><p>Green</p></td></tr></tbody></table></figure>"
    )


def test_a_table_caption_written_as_the_figure_caption_becomes_the_table_caption():
    assert sanitise_body(
        '<figure class="table"><table><tbody><tr><td>1</td></tr></tbody></table>'
        "<figcaption>Turnout</figcaption></figure>"
    ) == (
        '<figure class="table"><table><caption>Turnout</caption>'
        "<tbody><tr><td>1</td></tr></tbody></table></figure>"
    )


def test_a_body_row_like_the_header_row_is_kept():
    table = (
        '<figure class="table"><table><thead><tr><th scope="col">Ward</th></tr></thead>'
        '<tbody><tr><th scope="col">Ward</th></tr><tr><td>North</td></tr></tbody></table></figure>'
    )
    assert sanitise_body(table) == table


def test_code_in_a_pre_block_is_one_code_element_of_plain_text():
    assert sanitise_body("<pre>x = <b>1</b></pre>") == "<pre><code>x = 1</code></pre>"


def test_an_embed_without_a_title_is_named_for_its_provider():
    assert sanitise_body(
        f'<figure class="embed" data-embed="{YOUTUBE}"><a href="{YOUTUBE}">{YOUTUBE}</a></figure>'
    ) == (
        f'<figure class="embed" data-embed="{YOUTUBE}">'
        f'<a href="{YOUTUBE}" rel="noopener noreferrer">Video on YouTube</a></figure>'
    )


def test_a_provider_address_written_with_http_is_embedded_with_https():
    pasted = YOUTUBE.replace("https://", "http://")
    assert sanitise_body(
        f'<figure class="embed" data-embed="{pasted}"><a href="{pasted}">{pasted}</a></figure>'
    ) == (
        f'<figure class="embed" data-embed="{YOUTUBE}">'
        f'<a href="{YOUTUBE}" rel="noopener noreferrer">Video on YouTube</a></figure>'
    )


HOSTILE = {
    "script in a table cell": (
        "<table><tr><td>1<script>alert(1)</script></td></tr></table>",
        '<figure class="table"><table><tbody><tr><td>1</td></tr></tbody></table></figure>',
    ),
    "event handler and style on cells": (
        '<table><tr><th onclick="alert(1)" style="color:red">H</th></tr>'
        '<tr><td onmouseover="x()" colspan="javascript:1">d</td></tr></table>',
        '<figure class="table"><table><thead><tr><th scope="col">H</th></tr></thead>'
        "<tbody><tr><td>d</td></tr></tbody></table></figure>",
    ),
    "javascript: embed": (
        '<figure class="embed" data-embed="javascript:alert(1)">'
        '<a href="javascript:alert(1)">Watch</a></figure>',
        "<p>Watch</p>",
    ),
    "look-alike provider": (
        '<figure class="embed" data-embed="https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ">'
        "Watch</figure>",
        '<p><a href="https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ" '
        'rel="noopener noreferrer">Watch</a></p>',
    ),
    "user name before the provider": (
        '<figure class="embed" data-embed="https://evil.example@www.youtube.com/watch?v=dQw4w9WgXcQ">'
        "Watch</figure>",
        '<p><a href="https://evil.example@www.youtube.com/watch?v=dQw4w9WgXcQ" '
        'rel="noopener noreferrer">Watch</a></p>',
    ),
    "plain http, no provider": (
        '<figure class="embed" data-embed="http://example.org/video">Watch</figure>',
        "<p>Watch</p>",
    ),
    "plain http look-alike provider": (
        '<figure class="embed" data-embed="http://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ">'
        "Watch</figure>",
        "<p>Watch</p>",
    ),
    "data-embed on a photo's figure": (
        f'<figure class="figure" data-embed="{YOUTUBE}"><img src="/media/images/a.jpg" alt="a">'
        "</figure>",
        '<figure class="figure"><img src="/media/images/a.jpg" alt="a"></figure>',
    ),
    "the provider's own iframe": (
        f'<figure class="embed" data-embed="{YOUTUBE}"><iframe src="https://evil.example">'
        "</iframe></figure>",
        f'<figure class="embed" data-embed="{YOUTUBE}">'
        f'<a href="{YOUTUBE}" rel="noopener noreferrer">Video on YouTube</a></figure>',
    ),
    "a class of its own": (
        '<aside class="note evil" style="position:fixed">N</aside><div class="wide">W</div>',
        '<aside class="note">N</aside><p>W</p>',
    ),
    "a table in a photo's figure": (
        '<figure class="figure"><img src="/media/images/a.jpg" alt="a">'
        "<table><tr><td>1</td></tr></table></figure>",
        '<figure class="figure"><img src="/media/images/a.jpg" alt="a"><figure class="table">'
        "<table><tbody><tr><td>1</td></tr></tbody></table></figure></figure>",
    ),
    "an aside of no kind": ('<aside onclick="x()">Aside</aside>', "<p>Aside</p>"),
    "a gallery of anything": (
        '<div class="gallery"><p>Text</p><iframe src="https://evil.example"></iframe></div>',
        "<p>Text</p>",
    ),
    "script in a quote's attribution": (
        '<figure class="quote"><blockquote>Q</blockquote>'
        "<figcaption>A<script>alert(1)</script></figcaption></figure>",
        '<figure class="quote"><blockquote>Q</blockquote><figcaption>A</figcaption></figure>',
    ),
    "javascript: in a note's link": (
        '<aside class="note"><a href="javascript:alert(1)">x</a></aside>',
        '<aside class="note"><a rel="noopener noreferrer">x</a></aside>',
    ),
}


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_variants_are_refused_or_neutralised(case):
    given, kept = HOSTILE[case]
    assert sanitise_body(given) == kept
    assert sanitise_body(kept) == kept


def test_search_text_reads_tables_quotes_and_notes_but_no_embed_address():
    text = text_of_body(sanitise_body("".join(VOCABULARY.values())))
    for words in (
        "Results in the north ward",
        "Ana Ruiz 4,312",
        "recount()",
        "The count was clean. The returning officer",
        "Every ballot was counted twice.",
        "figures are provisional",
        "Polls close at 8pm",
        "The declaration",
    ):
        assert words in text
    assert "youtube" not in text.lower()
    assert "http" not in text
