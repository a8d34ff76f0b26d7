"""
Properties of the importers (plain-text stories, WordPress content), checked on generated
input: any text a story file may hold, WordPress content built from its own pieces.
"""

from collections import Counter

from hypothesis import example, given
from hypothesis import strategies as st

from articles.sanitise import sanitise_body, text_of_body
from importers.story_text import COMMENT_FORM_LINES, StoryTextError, decode_story, parse_story
from importers.wordpress.content import BodyImage, convert_content, story_body
from newsroom.tests import parsed
from newsroom.tests.strategies import hostile_html

# Plain-text stories ----------------------------------------------------------------------

# Any text a story file may hold once decoded: every character but the surrogates.
STORY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]))
LINE_BREAK = st.sampled_from(["\n", "\r\n", "\r"])
BLANK = st.sampled_from(["", " ", "\t", "  \t ", "\u00a0", "\u3000"])
WORD = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N"]), min_size=1, max_size=12
)
PLACE_WORD = st.sampled_from(["Washington", "London", "São", "Paulo", "Zürich", "Nuuk", "Kyiv"]) | (
    st.from_regex(r"[A-Z][a-z]{1,9}", fullmatch=True)
)


def sentence():
    """Words ending with a full stop: never a subheading, whatever its length."""
    return st.lists(WORD, min_size=1, max_size=15).map(lambda words: " ".join(words) + ".")


def first_non_blank_line(text):
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return next(line.strip() for line in lines if line.strip())


@given(STORY_TEXT)
@example("Headline\n\nA story\u00a0with a non-breaking space.")
def test_any_text_is_a_story_or_says_why_not(text):
    try:
        story = parse_story(text)
    except StoryTextError:
        return
    assert story.headline == first_non_blank_line(text)
    assert sanitise_body(story.body) == story.body


@given(st.binary())
def test_any_file_is_text_or_says_why_not(data):
    try:
        text = decode_story(data)
    except StoryTextError:
        return
    assert text.encode() in (data, data.removeprefix(b"\xef\xbb\xbf"))


@st.composite
def wire_stories(draw):
    """
    A story as wire services send it: a headline, blank lines, paragraphs hard-wrapped over
    lines, maybe a dateline, maybe a web page's comment form at the end. Returns the text
    and what it should be read as.
    """
    headline = " ".join(draw(st.lists(WORD, min_size=1, max_size=12)))
    paragraphs = draw(st.lists(sentence(), min_size=1, max_size=5))
    dateline = ""
    first = paragraphs[0]
    if draw(st.booleans()):
        place = " ".join(draw(st.lists(PLACE_WORD, min_size=1, max_size=3)))
        if draw(st.booleans()):
            place = place.upper()
            separator = draw(st.sampled_from([" : ", ": ", " — ", "—", " – ", " -- "]))
        else:
            separator = draw(st.sampled_from([" : ", " — ", " – ", " -- "]))
        first = f"{place}{separator}{paragraphs[0]}"
        dateline = place.title() if place.isupper() else place
    newline = draw(LINE_BREAK)  # one file, one kind of line break

    def blank_lines():
        return newline + draw(BLANK) + newline + draw(st.sampled_from(["", newline]))

    def wrapped(paragraph):
        words = paragraph.split(" ")
        cut = draw(st.integers(0, len(words)))
        return newline.join(" ".join(part) for part in (words[:cut], words[cut:]) if part)

    text = draw(BLANK) + headline + blank_lines()
    text += blank_lines().join(wrapped(p) for p in [first, *paragraphs[1:]])
    if draw(st.booleans()):
        comment_form = st.lists(st.sampled_from(sorted(COMMENT_FORM_LINES)), min_size=1)
        text += blank_lines() + newline.join(draw(comment_form))
    return text, headline, dateline, paragraphs


@given(wire_stories())
def test_a_wire_story_reads_as_headline_dateline_and_its_paragraphs(story):
    text, headline, dateline, paragraphs = story

    parsed_story = parse_story(text)

    assert parsed_story.headline == headline
    assert parsed_story.dateline == dateline
    assert text_of_body(parsed_story.body) == " ".join(paragraphs)
    assert parsed_story.body.count("<p>") == len(paragraphs)


@given(WORD.map(str.capitalize).filter(lambda word: not word.isupper()), sentence())
def test_a_word_and_a_colon_is_not_a_dateline(word, rest):
    story = parse_story(f"Headline\n\n{word}: {rest}")

    assert story.dateline == ""
    assert text_of_body(story.body) == f"{word}: {rest}"


# WordPress content -------------------------------------------------------------------------

LIBRARY_PHOTO = "/media/images/2024/01/0123456789abcdef0123.jpg"
UPLOADS = "https://harbourtimes.example.org/wp-content/uploads/2024/01"


class Library:
    """Attachments 5 and 6 are in the image library; nothing else is."""

    def find(self, *, src, attachment_id):
        if attachment_id in ("5", "6"):
            return BodyImage(int(attachment_id), LIBRARY_PHOTO, "Boats in the harbour at dawn")
        return None

    def attached(self):
        return ["5", "6"]


# Pieces of WordPress content: shortcodes (known, unknown, escaped, broken), block comments,
# photos in and out of the library, embeds, headings of every level, preformatted text.
WORDPRESS_PIECES = st.sampled_from(
    [
        "\n\n",
        "\n",
        "\r\n",
        "<!-- wp:paragraph -->",
        "<!-- /wp:paragraph -->",
        '<!-- wp:image {"id":5} -->',
        "<!--more-->",
        "<!-- wp:",
        '[caption id="attachment_5" align="alignright" width="300"]',
        f'<img class="size-medium wp-image-5" src="{UPLOADS}/harbour-300x200.jpg" alt="" />',
        f'<a href="{UPLOADS}/harbour.jpg"><img class="wp-image-6" src="{UPLOADS}/b.jpg"></a>',
        f'<img class="wp-image-9" src="{UPLOADS}/gone.jpg" alt="Gone">',
        '<img src="https://elsewhere.example.com/x.jpg" alt="x" onerror="alert(1)">',
        " Boats wait for the tide.[/caption]",
        "[/caption]",
        '[caption caption="At dawn"]',
        '[gallery ids="5,9,6"]',
        "[gallery]",
        '[gallery ids=""]',
        "[embed]https://www.youtube.com/watch?v=abc[/embed]",
        "[embed]javascript:alert(1)[/embed]",
        '[video src="https://example.org/v.mp4"]',
        '[audio mp3="javascript:alert(1)"]',
        "[playlist ids='1,2']",
        '[su_note color="blue"]',
        "[/su_note]",
        "[toc]",
        "[sic]",
        "[[gallery]]",
        "[[",
        "]]",
        "[",
        "]",
        "[/",
        '<figure class="wp-block-image">',
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">',
        "<figure>",
        "</figure>",
        "<figcaption>The quay on Sunday</figcaption>",
        '<iframe src="https://www.youtube.com/embed/abc" width="560"></iframe>',
        '<iframe src="javascript:alert(1)">',
        "https://www.youtube.com/watch?v=abc",
        "\nhttps://example.org/report\n",
        "<h1>Top</h1>",
        "<h5>",
        "</h6>",
        "<pre>a\n\nb</pre>",
        "<pre>",
        "<br><br>",
        "<blockquote>",
        "</blockquote>",
        "<ul>\n<li>One</li>\n</ul>",
        "\x02",
        "\x03",
        "\x020\x03",
        "\x027\x03",
        "<p>",
        "</p>",
        "The council voted.",
        "Polls close at <b>8pm</b>.",
    ]
)


@st.composite
def wordpress_content(draw):
    pieces = st.lists(WORDPRESS_PIECES | WORD | hostile_html(), max_size=8)
    return "".join(draw(pieces))


@given(wordpress_content())
@example("\x020\x03")
def test_any_wordpress_content_converts_to_a_body_the_sanitiser_keeps_as_it_is(content):
    body = sanitise_body(convert_content(content, Library()))

    assert sanitise_body(body) == body
    assert "wp:" not in text_of_body(body)


@given(wordpress_content())
def test_only_library_photos_survive_conversion(content):
    body = sanitise_body(convert_content(content, Library()))

    images = [node for node in parsed.elements(parsed.fragment(body)) if node.tag == "img"]
    assert {(image.get("src"), image.get("data-file")) for image in images} <= {
        (LIBRARY_PHOTO, "5"),
        (LIBRARY_PHOTO, "6"),
    }


@given(st.lists(WORDPRESS_PIECES | WORD, max_size=8).map("".join))
@example("https://www.youtube.com/watch?v=abc\n\nhttp://www.youtube.com/watch?v=SQEQr7c0-dw")
def test_the_summary_counts_as_embeds_exactly_the_embeds_the_story_keeps(content):
    report = Counter()
    body = story_body(content, Library(), report=report)

    kept = [
        node
        for node in parsed.elements(parsed.fragment(body))
        if node.tag == "figure" and node.get("class") == "embed"
    ]
    assert sum(count for line, count in report.items() if line.endswith("→ embed")) == len(kept)
    assert all(count > 0 for count in report.values())


# Plain text as a classic-editor post holds it: words and punctuation, brackets around a word
# ("[sic]"), lines and blank lines, but no markup.
PLAIN_WORD = WORD | st.sampled_from(
    ["[sic]", "[Updated]", "“quoted”", "it’s", "3pm,", "(aside)", "vote!", "—", "5 > 4", "50%"]
)


@st.composite
def classic_paragraphs(draw):
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    line = st.lists(PLAIN_WORD, min_size=1, max_size=8).map(" ".join)
    paragraph = st.lists(line, min_size=1, max_size=4).map(newline.join)
    return draw(st.lists(paragraph, min_size=1, max_size=6))


@given(classic_paragraphs(), st.sampled_from(["\n\n", "\n\n\n", "\r\n\r\n", "\n \n"]))
def test_no_word_of_a_plain_post_is_lost(paragraphs, blank_line):
    content = blank_line.join(paragraphs)

    body = sanitise_body(convert_content(content, Library()))

    assert text_of_body(body).split() == content.split()
    assert body.count("<p>") == len(paragraphs)
    assert body.count("<br>") == sum(paragraph.count("\n") for paragraph in paragraphs)
