"""
The article body is HTML from the editor, and the browser can send anything: every save runs
it through one allowlist (nh3), so no script, event handler, style, iframe or unsafe URL is
ever stored.

Photos come only from the newsroom's own image library: the editor's “Insert figure” dialog
browses the library (the admin's image picker) and inserts
`<figure><img src="…" alt="…" data-file="<image id>"><figcaption>…</figcaption></figure>`.
An `<img>` survives only with one of our own addresses (the rendition view, or our media
URL's images and renditions), so an image from another site, a `data:` URL or anything with an
event handler is dropped. Readers get the library image's full responsive <picture> in its
place (see the `with_pictures` filter).

Beyond paragraphs, headings and photos a body holds tables, code, quotes with their
attribution, pull quotes, notes, lists, rules, galleries and embeds: docs/body.md describes
each. The allowlist keeps their tags and classes; body_shapes.py then gives each block its
shape (an embed only for an address embeds.match() accepts).
"""

import functools
import re
from html.parser import HTMLParser

import nh3
from django.conf import settings
from django.urls import reverse, reverse_lazy

from . import body_shapes, embeds

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
        "figure",
        "figcaption",
        "img",
        "pre",
        "code",
        "table",
        "caption",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "aside",
        "div",
    }
)
BODY_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "img": {"src", "alt", "width", "height", "data-file"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "figure": {"data-embed"},
}
BODY_CLASSES = {
    "figure": {"figure", "table", "quote", "embed"},
    "figcaption": {"figure-caption"},
    "aside": {"pull-quote", "note"},
    "div": {"gallery"},
}
_SCOPES = frozenset({"col", "row", "colgroup", "rowgroup"})
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
    "CodeBlock": True,
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    # The newsroom's own (static/admin/newsroom/body-extensions.js, listed in settings'
    # DJANGO_PROSE_EDITOR_EXTENSIONS); its Table is the editor's, framed and captioned.
    "QuoteWithAttribution": True,
    "PullQuote": True,
    "Note": True,
    "Gallery": True,
    "Embed": True,
    "Link": {"enableTarget": False, "protocols": sorted(URL_SCHEMES)},
    "Figure": {"pickerUrl": reverse_lazy("admin:photos_image_picker")},
    "Caption": True,
    "Image": True,
}


@functools.cache
def own_image_address():
    """A pattern for the image addresses the body may use: ours, and nobody else's."""
    example = reverse(
        "photos:rendition",
        kwargs={
            "image_id": 1,
            "signature": "0" * 16,
            "spec": "body",
            "width": 1,
            "extension": "jpg",
        },
    )
    rendition_prefix = example[: example.index("1/" + "0" * 16)]
    return re.compile(
        rf"^(?:{re.escape(rendition_prefix)}[0-9]+/[0-9a-f]{{16}}/[a-z]+-[0-9]+\.(?:webp|jpg|png)"
        rf"|{re.escape(settings.MEDIA_URL)}(?:images|renditions)/(?:[\w-]+/)*[\w-]+\.(?:webp|jpg|png))$",
        re.ASCII,
    )


def allow_attribute(tag, attribute, value):
    if attribute in ("colspan", "rowspan"):
        return value if value.isascii() and value.isdigit() and len(value) < 4 else None
    if attribute == "scope":
        return value if value in _SCOPES else None
    if attribute == "data-embed":
        return value if embeds.is_well_formed(value) else None
    if tag != "img":
        return value
    if attribute == "src":
        return value if own_image_address().match(value) else None
    if attribute in ("width", "height", "data-file"):
        return value if value.isascii() and value.isdigit() and len(value) < 10 else None
    return value


_body_cleaner = nh3.Cleaner(
    tags=set(BODY_TAGS),
    # No attribute on every element ("*"): nh3 would otherwise keep title and lang anywhere.
    attributes={"*": set()} | {tag: set(names) for tag, names in BODY_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    allowed_classes=BODY_CLASSES,
    attribute_filter=allow_attribute,
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_EMPTY_BLOCKS = re.compile(r"<(p|h2|h3|h4)>(?:\s|&nbsp;|<br>)*</\1>")
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")


def _clean(html):
    """
    One pass: the allowlist, then images without an address dropped, each block given its
    shape (body_shapes.py: a figure without an image taken apart, an embed checked…) and
    empty blocks taken apart, until none is left (taking one apart may leave another
    around it: "<h2><p></p></h2>", "<figure><figure></figure></figure>").
    """
    cleaned = _IMG_WITHOUT_SRC.sub("", _body_cleaner.clean(html))
    while True:
        tidied = _EMPTY_BLOCKS.sub("", body_shapes.shape(cleaned))
        if tidied == cleaned:
            return cleaned.strip()
        cleaned = tidied


# Passes of the cleaner a body gets at most; two are enough for any body seen so far.
MAX_PASSES = 4


def sanitise_body(html: str) -> str:
    """Return the article body reduced to the newsroom's allowlist of tags and attributes."""
    if not html:
        return ""
    cleaned = _clean(html.replace("\x00", ""))
    # What one pass keeps may read otherwise when parsed again: an <h2> inside an <h2> once
    # the figure between them is taken apart, a figure inside a paragraph once the <marquee>
    # between them is dropped. The body is cleaned again until it reads as it is written, so
    # that browsers, the editor and the next save all see the body that was stored.
    for _ in range(MAX_PASSES - 1):
        again = _clean(cleaned)
        if again == cleaned:
            break
        cleaned = again
    return cleaned


# Elements whose end is a break between words, so "<p>one</p><p>two</p>" reads "one two".
_WORD_BREAKING_TAGS = frozenset(
    {
        *("p", "br", "h2", "h3", "h4", "li", "blockquote", "hr", "figure", "figcaption"),
        *("ul", "ol", "pre", "table", "caption", "tr", "th", "td", "aside", "div"),
    }
)
_SPACES = re.compile(r"\s+")


class _TextOfHTML(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts = []

    def handle_starttag(self, tag, attrs):
        if tag in _WORD_BREAKING_TAGS:
            self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in _WORD_BREAKING_TAGS:
            self.parts.append(" ")

    def handle_data(self, data):
        self.parts.append(data)


def text_of_body(html: str) -> str:
    """
    The words of a (sanitised) body as plain text: what the search index reads, so that tag
    names and attributes never match a search and entities read as the characters they are.
    """
    if not html:
        return ""
    parser = _TextOfHTML()
    parser.feed(html)
    parser.close()
    return _SPACES.sub(" ", "".join(parser.parts)).strip()
