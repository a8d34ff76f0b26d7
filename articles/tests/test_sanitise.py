"""Whatever the browser sends as the body, only the newsroom's allowlist is stored."""

import pytest

from articles.sanitise import sanitise_body

from .factories import ArticleFactory

HOSTILE = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<p onclick="alert(1)">text</p>',
    '<a href="javascript:alert(1)">link</a>',
    '<a href="JaVaScRiPt:alert(1)">link</a>',
    '<a href="jav&#x09;ascript:alert(1)">link</a>',
    '<a href=" javascript:alert(1)">link</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">link</a>',
    '<a href="vbscript:msgbox(1)">link</a>',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">styled</p>',
    "<style>body{display:none}</style>",
    '<svg onload="alert(1)"><circle /></svg>',
    '<math><mtext><table><mglyph><style><img src=x onerror="alert(1)">',
    '<object data="evil.swf"></object><embed src="evil.swf">',
    '<form action="https://evil.example"><input name="q"><button>go</button></form>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    "<!-- <script>alert(1)</script> -->",
    '<div><p title="x" onmouseover="alert(1)">hover</p></div>',
    '<a href="https://example.org" target="_blank" onfocus="alert(1)" autofocus>ok</a>',
    '"><script>alert(1)</script>',
    "<p>null\x00byte</p>",
]

FORBIDDEN = [
    "<script",
    "onerror",
    "onclick",
    "onload",
    "onmouseover",
    "onfocus",
    "javascript:",
    "vbscript:",
    "data:",
    "<iframe",
    "style=",
    "<style",
    "<svg",
    "<object",
    "<embed",
    "<form",
    "<input",
    "<meta",
    "<base",
    "<link",
    "<!--",
    "\x00",
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_html_is_neutralised(payload):
    cleaned = sanitise_body(payload).lower()
    for forbidden in FORBIDDEN:
        assert forbidden not in cleaned, (payload, cleaned)


@pytest.mark.parametrize("payload", HOSTILE)
def test_every_save_sanitises_the_body(db, payload):
    story = ArticleFactory(body=payload)
    story.refresh_from_db()
    assert story.body == sanitise_body(payload)


def test_newsroom_markup_survives():
    html = (
        "<p>Text with <strong>bold</strong>, <em>italic</em> and "
        '<a href="https://example.org/report" title="The report">a link</a>.</p>'
        "<h2>A subheading</h2><h3>A smaller one</h3>"
        '<ul><li>one</li><li>two</li></ul><ol start="3"><li>three</li></ol>'
        "<blockquote><p>A quote.</p></blockquote><p>Line<br>break</p>"
    )
    cleaned = sanitise_body(html)
    for kept in [
        "<strong>bold</strong>",
        "<em>italic</em>",
        'href="https://example.org/report"',
        "<h2>A subheading</h2>",
        "<h3>A smaller one</h3>",
        "<li>two</li>",
        '<ol start="3">',
        "<blockquote><p>A quote.</p></blockquote>",
        "<br>",
    ]:
        assert kept in cleaned


def test_links_open_without_handing_over_the_page():
    cleaned = sanitise_body('<p><a href="https://example.org">x</a></p>')
    assert 'rel="noopener noreferrer"' in cleaned


def test_mail_and_relative_links_are_kept():
    cleaned = sanitise_body(
        '<p><a href="mailto:desk@example.org">m</a> <a href="/world/">w</a></p>'
    )
    assert 'href="mailto:desk@example.org"' in cleaned
    assert 'href="/world/"' in cleaned


def test_empty_paragraphs_from_the_editor_are_dropped():
    assert sanitise_body("<p></p>") == ""
    assert sanitise_body("<p>Text</p><p> </p><h2></h2>") == "<p>Text</p>"
