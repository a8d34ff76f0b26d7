"""
Plain-text stories, as wire services and old sites hand them over, turned into a headline,
a dateline and body HTML:

    North Korea’s Ballistic Missile Move Raises International Concerns

    Washington : The North Korea has supplied Russia with ...

    A Bold Move Unfolds

    On December 30, 2023, ...

The first line is the headline. A leading “Place :” or “PLACE —” is the dateline. A short
line without closing punctuation is a subheading; every other block is a paragraph. The
comment-form lines that follow a story copied from a web page are dropped.
"""

import html
import re
from dataclasses import dataclass

from articles.sanitise import sanitise_body

MAX_HEADLINE_LENGTH = 200
MAX_SUBHEADING_WORDS = 12
MAX_SUBHEADING_LENGTH = 90
MAX_DATELINE_WORDS = 5

COMMENT_FORM_LINES = frozenset(
    {
        "please enter your comment!",
        "please enter your name here",
        "please enter your email address here",
        "you have entered an incorrect email address!",
        "save my name, email, and website in this browser for the next time i comment.",
        "leave a reply",
        "leave a comment",
        "cancel reply",
        "post comment",
        "δ",
    }
)

_PLACE = r"(?P<place>[^\W\d_][^\W\d_.,'’ -]*(?:[ .,'’-]+[^\W\d_][^\W\d_.'’-]*\.?)*)"
# “Washington : …” (space before the colon), “WASHINGTON: …”, “Washington — …”.
_DATELINES = [
    re.compile(rf"^{_PLACE}\s+:\s+(?P<rest>\S.*)$", re.S),
    re.compile(rf"^{_PLACE}\s*:\s+(?P<rest>\S.*)$", re.S),
    re.compile(rf"^{_PLACE}\s*(?:—|–|--)\s*(?P<rest>\S.*)$", re.S),
]
_CLOSING_PUNCTUATION = tuple('.!?:;,…"”’)]')


class StoryTextError(ValueError):
    """The text cannot be read as a story; the message says why."""


@dataclass(frozen=True)
class StoryText:
    headline: str
    dateline: str
    body: str
    subheadings: tuple[str, ...]


def decode_story(data: bytes) -> str:
    """Bytes of a story file as text, or a StoryTextError saying why they are not a story."""
    if not data.strip():
        raise StoryTextError("the file is empty.")
    if b"\x00" in data:
        raise StoryTextError("the file is binary, not a plain-text story.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise StoryTextError(
            f"the file is not UTF-8 text (byte 0x{data[error.start]:02x} at position "
            f"{error.start}); save it as UTF-8 and try again."
        ) from None


def parse_story(text: str) -> StoryText:
    """Split a plain-text story into headline, dateline and sanitised body HTML."""
    lines = [line.strip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    while lines and (not lines[-1] or lines[-1].casefold() in COMMENT_FORM_LINES):
        lines.pop()
    while lines and not lines[0]:
        lines.pop(0)
    if not lines:
        raise StoryTextError("the file has no text.")

    headline = lines.pop(0)
    if len(headline) > MAX_HEADLINE_LENGTH:
        raise StoryTextError(
            f"the first line ({len(headline)} characters) is too long for a headline; "
            f"a headline has at most {MAX_HEADLINE_LENGTH}."
        )

    blocks = _blocks(lines)
    if not blocks:
        raise StoryTextError("the file has a headline but no story text.")

    dateline = ""
    if not _is_subheading(blocks[0]):
        dateline, blocks[0] = _split_dateline(blocks[0])

    parts, subheadings = [], []
    for block in blocks:
        if _is_subheading(block):
            subheadings.append(block)
            parts.append(f"<h2>{html.escape(block, quote=False)}</h2>")
        else:
            parts.append(f"<p>{html.escape(block, quote=False)}</p>")
    # Escaped text in <p> and <h2> is what the sanitiser keeps, written as it writes it (a
    # non-breaking space as &nbsp;): the story's save leaves the body as it is here.
    return StoryText(
        headline=headline,
        dateline=dateline,
        body=sanitise_body("\n".join(parts)),
        subheadings=tuple(subheadings),
    )


def _blocks(lines):
    """Runs of non-blank lines, each joined into one block of text."""
    blocks, current = [], []
    for line in [*lines, ""]:
        if line:
            current.append(line)
        elif current:
            blocks.append(" ".join(current))
            current = []
    return blocks


def _is_subheading(block):
    return (
        len(block) <= MAX_SUBHEADING_LENGTH
        and len(block.split()) <= MAX_SUBHEADING_WORDS
        and not block.endswith(_CLOSING_PUNCTUATION)
    )


def _split_dateline(paragraph):
    for number, pattern in enumerate(_DATELINES):
        match = pattern.match(paragraph)
        if not match:
            continue
        place = match["place"].strip()
        if len(place.split()) > MAX_DATELINE_WORDS or not place[0].isupper():
            continue
        # “Note: …” is not a dateline; a colon needs a space before it or a place in capitals.
        if number == 1 and not place.isupper():
            continue
        return _place_name(place), match["rest"].strip()
    return "", paragraph


def _place_name(place):
    """“NEW YORK” → “New York”; “Washington” and “Washington, D.C.” stay as they are."""
    if not place.isupper():
        return place
    return " ".join(word if "." in word else word.capitalize() for word in place.split())
