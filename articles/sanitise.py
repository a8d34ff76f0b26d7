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
"""

import functools
import re
from html.parser import HTMLParser

import nh3
from django.conf import settings
from django.urls import reverse, reverse_lazy

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
    }
)
BODY_ATTRIBUTES = {
    "a": {"href", "title"},
    "ol": {"start"},
    "img": {"src", "alt", "width", "height", "data-file"},
}
BODY_CLASSES = {"figure": {"figure"}, "figcaption": {"figure-caption"}}
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
    "Figure": {"pickerUrl": reverse_lazy("admin:articles_image_picker")},
    "Caption": True,
    "Image": True,
}


@functools.cache
def own_image_address():
    """A pattern for the image addresses the body may use: ours, and nobody else's."""
    example = reverse(
        "articles:rendition",
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
    if tag != "img":
        return value
    if attribute == "src":
        return value if own_image_address().match(value) else None
    if attribute in ("width", "height", "data-file"):
        return value if value.isascii() and value.isdigit() and len(value) < 10 else None
    return value


_body_cleaner = nh3.Cleaner(
    tags=set(BODY_TAGS),
    attributes={tag: set(names) for tag, names in BODY_ATTRIBUTES.items()},
    url_schemes=set(URL_SCHEMES),
    allowed_classes=BODY_CLASSES,
    attribute_filter=allow_attribute,
    link_rel="noopener noreferrer",
    strip_comments=True,
)
_EMPTY_BLOCKS = re.compile(r"<(p|h2|h3|h4)>(?:\s|&nbsp;|<br>)*</\1>")
_IMG_WITHOUT_SRC = re.compile(r"<img(?![^>]*\ssrc=)[^>]*>")
_FIGURE = re.compile(r"<figure\b[^>]*>(.*?)</figure>", re.DOTALL)
_FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", re.DOTALL)


def _figure_or_its_caption(match):
    """A figure keeps its frame only around an image; without one its caption is a paragraph."""
    if "<img" in match.group(1):
        return match.group(0)
    return _FIGCAPTION.sub(r"<p>\1</p>", match.group(1))


def sanitise_body(html: str) -> str:
    """Return the article body reduced to the newsroom's allowlist of tags and attributes."""
    if not html:
        return ""
    cleaned = _body_cleaner.clean(html.replace("\x00", ""))
    cleaned = _FIGURE.sub(_figure_or_its_caption, _IMG_WITHOUT_SRC.sub("", cleaned))
    return _EMPTY_BLOCKS.sub("", cleaned).strip()


# Elements whose end is a break between words, so "<p>one</p><p>two</p>" reads "one two".
_WORD_BREAKING_TAGS = frozenset(
    {"p", "br", "h2", "h3", "h4", "li", "blockquote", "hr", "figure", "figcaption", "ul", "ol"}
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
