"""
The article body is HTML from the editor, and the browser can send anything: every save runs
it through one allowlist (nh3), so no script, event handler, style, iframe or unsafe URL is
ever stored.
"""

import re

import nh3

BODY_TAGS = frozenset(
    {
        "p",
        "br",
        "h2",
        "h3",
        "h4",
        "strong",
        "em",
        "b",
        "i",
        "u",
        "s",
        "sub",
        "sup",
        "a",
        "ul",
        "ol",
        "li",
        "blockquote",
        "hr",
    }
)
BODY_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
URL_SCHEMES = frozenset({"http", "https", "mailto", "tel"})

# The prose editor's menu offers what the allowlist keeps, and nothing more.
BODY_EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": sorted(URL_SCHEMES)},
}

_body_cleaner = nh3.Cleaner(
    tags=set(BODY_TAGS),
    attributes={tag: set(names) for tag, names in BODY_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_EMPTY_BLOCKS = re.compile(r"<(p|h2|h3|h4)>(?:\s|&nbsp;|<br>)*</\1>")


def sanitise_body(html: str) -> str:
    """Return the article body reduced to the newsroom's allowlist of tags and attributes."""
    if not html:
        return ""
    cleaned = _body_cleaner.clean(html.replace("\x00", ""))
    return _EMPTY_BLOCKS.sub("", cleaned).strip()
