"""
Properties of comment text as readers see it (comments/text.py), on generated input: any
characters, hostile HTML, web addresses and email addresses, lines and blank lines.
"""

import re
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from comments.text import (
    INVISIBLE,
    LINK_REL,
    MIGHT_LINK,
    _comment_cleaner,
    clean_body,
    clean_line,
    render_body,
)
from newsroom.tests import parsed
from newsroom.tests.hostile import XSS_PAYLOADS
from newsroom.tests.strategies import ANY_TEXT

LINE_BREAKS = st.sampled_from(["\n", "\r\n", "\r", "\n\n", "\r\n\r\n", "\n\n\n", "\n \n"])
ADDRESSES = st.sampled_from(
    [
        "https://example.org/report",
        "http://example.org/a?b=1&c=2",
        "https://example.org/path_(with)_parens",
        "www.example.org",
        "example.com",
        "reader@example.org",
        "https://example.org/" + "long/" * 20,
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "https://example.org/<script>",
        'https://example.org/"onmouseover="alert(1)',
        "https://example.org/&quot;&gt;",
        "http://[::1]/",
        "https://例え.テスト/パス",
        "ftp://example.org/file",
    ]
)
WORDS = st.sampled_from(["Well", "said.", "I", "disagree", "—", "5 < 6", "&amp;", "“quoted”"])


@st.composite
def comments(draw):
    """What a reader types: words, web addresses, markup and any characters, over lines."""
    pieces = st.lists(WORDS | ADDRESSES | st.sampled_from(XSS_PAYLOADS) | ANY_TEXT, max_size=10)
    return "".join(
        piece + draw(st.sampled_from([" ", "", "\t"]) | LINE_BREAKS) for piece in draw(pieces)
    )


def seen_lines(html):
    """
    The text of rendered comment HTML as its reader sees it: each paragraph's lines
    (a <br> ends one), paragraphs apart by a blank line.
    """
    paragraphs = []
    for paragraph in parsed.fragment(html):
        text = [paragraph.text or ""]
        for node in paragraph.iter():
            if node is paragraph:
                continue
            text.append("\n" if node.tag == "br" else node.text or "")
            text.append(node.tail or "")
        paragraphs.append("".join(text))
    return "\n\n".join(paragraphs)


def typed_lines(body):
    """The lines of a stored comment body, as it promises to show them."""
    return "\n\n".join(re.split("\n{2,}", body))


@given(comments())
@example("see 0\U00014647.org")
def test_a_comment_shows_no_markup_but_paragraphs_line_breaks_and_links(text):
    html = render_body(clean_body(text))

    for node in parsed.elements(parsed.fragment(html)):
        assert node.tag in {"p", "br", "a"}
        if node.tag == "a":
            assert set(node.attrib) == {"href", "rel"}
            assert node.get("rel") == LINK_REL
            assert parsed.url_scheme(node.get("href")) in {"http", "https", "mailto"}
        else:
            assert node.attrib == {}


@given(comments())
@example("5 < 6 &amp; <b>bold</b>\n\nsee https://example.org/a?b=1&c=2.")
def test_what_a_reader_typed_reads_the_same_line_for_line(text):
    body = clean_body(text)

    shown = seen_lines(render_body(body))

    # A web address longer than the link's text may be is shortened with an ellipsis.
    if not re.search(r"\S{61,}", body) or not MIGHT_LINK.search(body):
        assert shown == typed_lines(body)


@given(comments())
def test_every_link_is_to_an_address_the_reader_typed(text):
    body = clean_body(text)

    for node in parsed.elements(parsed.fragment(render_body(body))):
        if node.tag == "a":
            assert parsed.text(node).rstrip("…") in body


@given(comments())
def test_the_rendered_comment_is_what_the_cleaner_keeps(text):
    html = render_body(clean_body(text))

    assert _comment_cleaner.clean(html) == html


@given(ANY_TEXT | comments())
def test_cleaning_a_stored_comment_again_changes_nothing(text):
    assert clean_body(clean_body(text)) == clean_body(text)
    assert clean_line(clean_line(text)) == clean_line(text)


@given(ANY_TEXT | comments())
@example("Ana\x85Ruiz\x9b")
def test_a_name_is_one_line_of_visible_characters(text):
    name = clean_line(text)

    assert not [char for char in name if unicodedata.category(char) == "Cc"]
    assert not INVISIBLE.search(name)
    assert "\n" not in name
    assert name == " ".join(name.split())
