"""
Comment text as readers see it. A comment is plain text: it is escaped, its line breaks are
kept, and web addresses become links that search engines are told not to follow. Whatever
HTML a commenter types shows as text.
"""

import re

import nh3
from django.utils.html import escape, linebreaks, urlize
from django.utils.safestring import SafeString, mark_safe

LINK_REL = "nofollow ugc noopener"

_comment_cleaner = nh3.Cleaner(
    tags={"p", "br", "a"},
    attributes={"a": {"href"}},
    url_schemes={"http", "https", "mailto"},
    link_rel=LINK_REL,
    strip_comments=True,
)

_LINK_WITHOUT_ADDRESS = re.compile(f'<a rel="{LINK_REL}">(.*?)</a>', re.DOTALL)

# What urlize could turn into a link: a scheme, "www.", an email, a bare domain it knows. It
# looks at every word, slowly: a comment with none of these is only escaped, the same result.
MIGHT_LINK = re.compile(r"://|www\.|@|\.(com|edu|gov|int|mil|net|org)\b", re.IGNORECASE)

# Control characters other than tab and newline (C0, DEL and C1) have no place in what
# readers typed.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")

# Characters that show nothing, or only turn the text around them: bidi embeddings,
# overrides, isolates and marks (U+061C, U+200E, U+200F, U+202A–U+202E, U+2066–U+2069), zero-
# width spaces and joiners (U+200B–U+200D, U+2060, U+FEFF), the soft hyphen, invisible
# operators and the blank Hangul fillers. In a name they can only hide something: a name
# that looks like another commenter's, an empty-looking one, or one that turns the rest of
# its line around. A comment's text keeps them (joiners shape emoji and several scripts; the
# page shows each comment in an element of its own, so they cannot reach past it), but the
# moderation engine reads words without them.
INVISIBLE = re.compile(
    "[\u00ad\u061c\u115f\u1160\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u2069\u3164\ufeff\uffa0]"
)


def clean_body(text: str) -> str:
    """A comment body as stored: Unix line breaks, no control characters, no outer blanks."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return CONTROL.sub("", text).strip()


def clean_line(text: str) -> str:
    """
    A one-line field (a name) as stored: control characters become spaces, runs of spaces
    one, and invisible and direction-changing characters are dropped.
    """
    return " ".join(CONTROL.sub(" ", strip_invisible(text)).replace("\n", " ").split())


def strip_invisible(text: str) -> str:
    """`text` without the characters that show nothing or turn the text around (INVISIBLE)."""
    return INVISIBLE.sub("", text)


def render_body(text: str) -> SafeString:
    """The body as HTML: escaped, paragraphs and line breaks kept, addresses linked."""
    if MIGHT_LINK.search(text):
        linked = urlize(text, trim_url_limit=60, autoescape=True)
    else:
        linked = escape(text)
    # Every character the commenter typed is escaped by urlize; the cleaner is the second
    # lock on the door, and the one that sets rel on every link. An address urlize linked
    # but the cleaner refused (such as a host name no browser would look up) loses its href:
    # it is shown as the text it is, not as a link to nowhere.
    cleaned = _comment_cleaner.clean(linebreaks(linked, autoescape=False))
    return mark_safe(_LINK_WITHOUT_ADDRESS.sub(r"\1", cleaned))
