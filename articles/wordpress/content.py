"""
WordPress post content turned into a story body the newsroom's sanitiser keeps.

WordPress stores a post's text in one of two shapes: the classic editor's, where blank lines
make paragraphs (`wpautop` adds the <p> tags when the page is shown), and the block editor's,
HTML wrapped in block comments (`<!-- wp:paragraph -->`). Both may carry shortcodes
(`[caption]…[/caption]`, `[gallery ids="1,2"]`, `[embed]…[/embed]`, and any plugin's own).

`convert_content()` removes block comments, turns shortcodes into HTML or their inner text,
replaces every photo with one from the image library (or drops it, with its caption), turns
embedded players (iframes, embed blocks, a web address alone on a line) into links, and
adds paragraphs to classic content. The result still goes through `sanitise_body()` when
the story is written, like anything an editor types.
"""

import html
import re
from dataclasses import dataclass
from typing import Protocol

from django.utils.html import format_html
from django.utils.safestring import mark_safe


@dataclass(frozen=True)
class BodyImage:
    """A photo from the image library, as the body editor inserts it."""

    image_id: int
    src: str
    alt: str
    caption: str = ""

    def html(self, caption: str = "") -> str:
        caption = (caption or self.caption).strip()
        figcaption = (
            # The caption's own markup is kept: the whole body is sanitised when saved.
            format_html('<figcaption class="figure-caption">{}</figcaption>', mark_safe(caption))
            if caption
            else ""
        )
        return format_html(
            '<figure class="figure"><img src="{}" alt="{}" data-file="{}">{}</figure>',
            self.src,
            self.alt,
            self.image_id,
            figcaption,
        )


class Images(Protocol):
    """How the converter finds the library photo for an image of the post."""

    def find(self, *, src: str, attachment_id: str) -> BodyImage | None:
        """The photo for an <img> (its src and wp-image-N class), or None to drop it."""

    def attached(self) -> list[str]:
        """Ids of the attachments uploaded to this post: a [gallery] without ids shows them."""


BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
MORE_COMMENT = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL)

# WordPress's own shortcode pattern (get_shortcode_regex), for any name: [[escaped]],
# [name attributes], [name /], [name]inner[/name].
SHORTCODE = re.compile(
    r"\[(\[?)([A-Za-z][\w-]*)(?![\w-])"
    r"([^\]/]*(?:/(?!\])[^\]/]*)*?)"
    r"(?:(/)\]|\](?:([^\[]*+(?:\[(?!/\2\])[^\[]*+)*+)\[/\2\])?)"
    r"(\]?)"
)
ATTRIBUTE = re.compile(
    r"""([\w-]+)\s*=\s*"([^"]*)"(?:\s|$)|([\w-]+)\s*=\s*'([^']*)'(?:\s|$)"""
    r"""|([\w-]+)\s*=\s*([^\s'"]+)(?:\s|$)|"([^"]*)"(?:\s|$)|'([^']*)'(?:\s|$)|(\S+)(?:\s|$)"""
)
HAS_NAMED_ATTRIBUTE = re.compile(r"[\w-]+\s*=")
# Bracketed words that are shortcodes even without attributes. Anything else in brackets
# without attributes or a closing tag is the writer's text, such as "[sic]" or "[Updated]".
BARE_SHORTCODES = frozenset(
    {"toc", "ad", "ads", "adsense", "newsletter", "related", "sharing", "share", "subscribe"}
)
MEDIA_SHORTCODES = ("audio", "video")
DROPPED_SHORTCODES = frozenset({"playlist"})
ORPHAN_CLOSING = re.compile(r"\[/[A-Za-z][\w-]*\]")

FIGURE = re.compile(r"<figure\b([^>]*)>((?:(?!<figure\b).)*?)</figure>", re.DOTALL | re.IGNORECASE)
FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", re.DOTALL | re.IGNORECASE)
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
LINKED_IMG = re.compile(r"(?:<a\b[^>]*>\s*)?(<img\b[^>]*>)(?:\s*</a>)?", re.DOTALL | re.IGNORECASE)
TAG_ATTRIBUTE = re.compile(r"""([a-zA-Z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
ATTACHMENT_ID = re.compile(r"^attachment_(\d+)$")
IFRAME = re.compile(r"<iframe\b([^>]*)>.*?</iframe>|<iframe\b([^>]*)/?>", re.DOTALL | re.IGNORECASE)
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+")
URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE)
HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
TOKEN = re.compile(r"\x02(\d+)\x03")
BLANK_LINES = re.compile(r">[ \t]*\n\s*\n\s*<")
PARAGRAPH_TOKEN = re.compile(r"<p>\s*\x02(\d+)\x03\s*</p>")

AUTOP_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|"
    r"form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|"
    r"article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)


class Converter:
    """One post's conversion: photos found along the way become numbered placeholders."""

    def __init__(self, images: Images):
        self.images = images
        self.figures: list[str] = []

    def placeholder(self, image: BodyImage, caption: str = "") -> str:
        self.figures.append(image.html(caption))
        return f"\n\n\x02{len(self.figures) - 1}\x03\n\n"

    def convert(self, content: str) -> str:
        uses_blocks = "<!-- wp:" in content
        text = content.replace("\r\n", "\n").replace("\r", "\n")
        text = MORE_COMMENT.sub("", BLOCK_COMMENT.sub("", text))
        text = ORPHAN_CLOSING.sub("", self.shortcodes(text))
        text = self.figures_of(text)
        text = LINKED_IMG.sub(lambda match: self.photo(match.group(1)), text)
        text = IFRAME.sub(self.iframe, text)
        text = HEADING.sub(heading, text)
        if not uses_blocks:
            text = URL_LINE.sub(lambda match: link_paragraph(match.group(1)), text)
            text = wpautop(text)
        text = PARAGRAPH_TOKEN.sub(lambda match: self.figures[int(match.group(1))], text)
        text = TOKEN.sub(lambda match: self.figures[int(match.group(1))], text)
        return BLANK_LINES.sub(">\n<", text).strip()

    # Shortcodes

    def shortcodes(self, text: str) -> str:
        return SHORTCODE.sub(self.shortcode, text)

    def shortcode(self, match: re.Match) -> str:
        escaped_open, name, raw_attributes, self_closing, inner, escaped_close = match.groups()
        if escaped_open == "[" and escaped_close == "]":
            return match.group(0)[1:-1]
        attributes = parse_attributes(raw_attributes)
        known = name in ("caption", "wp_caption", "gallery", "embed", *MEDIA_SHORTCODES)
        if not (
            known
            or name in DROPPED_SHORTCODES
            or name.lower() in BARE_SHORTCODES
            or self_closing
            or inner is not None
            or HAS_NAMED_ATTRIBUTE.search(raw_attributes)
        ):
            return match.group(0)  # the writer's own words in brackets
        # The optional "]" the pattern took belongs to the text after the shortcode.
        after = escaped_close
        before = escaped_open
        if name in ("caption", "wp_caption"):
            return before + self.caption(attributes, inner or "") + after
        if name == "gallery":
            return before + self.gallery(attributes) + after
        if name == "embed":
            return before + embed_link((inner or "").strip()) + after
        if name in MEDIA_SHORTCODES:
            return before + self.media(attributes, inner or "") + after
        if name in DROPPED_SHORTCODES:
            return before + after
        return before + self.shortcodes(inner or "") + after

    def caption(self, attributes: dict, inner: str) -> str:
        found = IMG.search(inner)
        if found is None:
            return self.shortcodes(inner)
        caption_text = attributes.get("caption") or LINKED_IMG.sub("", inner, count=1).strip()
        attachment_id = ""
        if matched := ATTACHMENT_ID.match(attributes.get("id", "")):
            attachment_id = matched.group(1)
        return self.photo(found.group(0), caption=caption_text, attachment_id=attachment_id)

    def gallery(self, attributes: dict) -> str:
        ids = attributes.get("ids") or attributes.get("include") or ""
        wanted = [part.strip() for part in ids.split(",") if part.strip().isdigit()]
        if not wanted:
            wanted = self.images.attached()
        parts = []
        for attachment_id in wanted:
            image = self.images.find(src="", attachment_id=attachment_id)
            if image is not None:
                parts.append(self.placeholder(image))
        return "".join(parts)

    def media(self, attributes: dict, inner: str) -> str:
        for value in (attributes.get(key, "") for key in ("src", "mp3", "mp4", "m4a", "ogg")):
            if value.startswith(("http://", "https://")):
                return link_paragraph(value)
        return embed_link(inner.strip()) if WEB_ADDRESS.fullmatch(inner.strip()) else ""

    # Photos and embeds

    def photo(self, img_tag: str, *, caption: str = "", attachment_id: str = "") -> str:
        attributes = tag_attributes(img_tag)
        if not attachment_id and (matched := WP_IMAGE_CLASS.search(attributes.get("class", ""))):
            attachment_id = matched.group(1)
        image = self.images.find(src=attributes.get("src", ""), attachment_id=attachment_id)
        if image is None:
            return ""
        alt = html.unescape(attributes.get("alt", "")).strip()
        if alt:
            image = BodyImage(image.image_id, image.src, alt, image.caption)
        return self.placeholder(image, caption)

    def figures_of(self, text: str) -> str:
        """Figures, innermost first (a gallery block is a figure of figures)."""
        while True:
            converted = FIGURE.sub(self.figure, text)
            if converted == text:
                return converted
            text = converted

    def figure(self, match: re.Match) -> str:
        attributes, inner = match.groups()
        found = FIGCAPTION.search(inner)
        caption = found.group(1).strip() if found else ""
        body = FIGCAPTION.sub("", inner)
        images = IMG.findall(body)
        if images:
            single_caption = caption if len(images) == 1 else ""
            photos = "".join(self.photo(img, caption=single_caption) for img in images)
            if len(images) > 1 and caption and photos:
                photos += f"\n\n<p>{caption}</p>\n\n"
            return photos
        if "wp-block-embed" in attributes:
            address = WEB_ADDRESS.search(body)
            link = link_paragraph(address.group(0)) if address else ""
            return link + (f"\n\n<p>{caption}</p>\n\n" if caption and link else "")
        if TOKEN.search(body):
            return body + (f"\n\n<p>{caption}</p>\n\n" if caption else "")
        # A pull quote, a table or anything else in a figure: its content, caption below.
        return f"\n\n{body}\n\n" + (f"<p>{caption}</p>\n\n" if caption else "")

    def iframe(self, match: re.Match) -> str:
        src = tag_attributes(f"<iframe {match.group(1) or match.group(2) or ''}>").get("src", "")
        return link_paragraph(src) if src.startswith(("http://", "https://")) else ""


def convert_content(content: str, images: Images) -> str:
    """A WordPress post's content as body HTML (still to be sanitised when saved)."""
    return Converter(images).convert(content)


def parse_attributes(text: str) -> dict[str, str]:
    """A shortcode's attributes, as WordPress's shortcode_parse_atts reads them."""
    attributes = {}
    position = 0
    for found in ATTRIBUTE.finditer(text.replace("\u00a0", " ").strip()):
        if found.group(1):
            attributes[found.group(1).lower()] = found.group(2)
        elif found.group(3):
            attributes[found.group(3).lower()] = found.group(4)
        elif found.group(5):
            attributes[found.group(5).lower()] = found.group(6)
        else:
            attributes[str(position)] = next(g for g in found.groups()[6:] if g is not None)
            position += 1
    return {key: html.unescape(value) for key, value in attributes.items()}


def tag_attributes(tag: str) -> dict[str, str]:
    attributes = {}
    for name, double, single, bare in TAG_ATTRIBUTE.findall(tag):
        attributes[name.lower()] = html.unescape(double or single or bare)
    return attributes


def link_paragraph(address: str) -> str:
    address = address.strip()
    return format_html('\n\n<p><a href="{}">{}</a></p>\n\n', address, address)


def embed_link(address: str) -> str:
    return link_paragraph(address) if WEB_ADDRESS.fullmatch(address) else ""


def heading(match: re.Match) -> str:
    """Headings as the body allows them: an h1 becomes h2, h5 and h6 become h4."""
    level = min(max(int(match.group(2)), 2), 4)
    return f"<{match.group(1)}h{level}"


def wpautop(text: str) -> str:
    """
    WordPress's wpautop(): blank lines make paragraphs, single line breaks make <br>, and
    block-level elements are left out of paragraphs. <pre> blocks are kept as they are.
    """
    if not text.strip():
        return ""
    kept = []

    def keep(match):
        kept.append(match.group(0))
        return f"\n\n<pre data-kept='{len(kept) - 1}'></pre>\n\n"

    text = re.sub(r"<pre\b.*?</pre>", keep, text, flags=re.DOTALL | re.IGNORECASE)
    # Line breaks inside tags are not the writer's.
    text = re.sub(r"<[^>]*>", lambda match: match.group(0).replace("\n", " "), text)
    text = re.sub(r"<br\s*/?>\s*<br\s*/?>", "\n\n", text, flags=re.IGNORECASE)
    text = re.sub(rf"(<{AUTOP_BLOCKS}[\s/>])", r"\n\n\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"(</{AUTOP_BLOCKS}>)", r"\1\n\n", text, flags=re.IGNORECASE)
    text = re.sub(r"(<hr\s*/?>)", r"\1\n\n", text, flags=re.IGNORECASE)
    paragraphs = []
    for chunk in re.split(r"\n\s*\n", text):
        chunk = chunk.strip()
        if not chunk:
            continue
        if not re.match(rf"</?{AUTOP_BLOCKS}[\s/>]", chunk, flags=re.IGNORECASE):
            chunk = re.sub(r"\s*\n\s*", "<br>\n", chunk)
        paragraphs.append(f"<p>{chunk}</p>")
    text = "\n".join(paragraphs)
    text = re.sub(rf"<p>\s*(</?{AUTOP_BLOCKS}[^>]*>)", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(rf"(</?{AUTOP_BLOCKS}[^>]*>)\s*</p>", r"\1", text, flags=re.IGNORECASE)
    text = re.sub(r"<p>\s*</p>", "", text)
    return re.sub(r"<pre data-kept='(\d+)'></pre>", lambda match: kept[int(match.group(1))], text)
