"""
WordPress post content turned into a story body, in the body's vocabulary (markup.py).

WordPress stores a post's text in one of two shapes: the classic editor's, where blank lines
make paragraphs (`wpautop` adds the <p> tags when the page is shown), and the block editor's,
HTML wrapped in block comments (`<!-- wp:paragraph -->`). Both may carry shortcodes
(`[caption]…[/caption]`, `[gallery ids="1,2"]`, `[embed]…[/embed]`, and any plugin's own).

`convert_content()` turns each block and element into the body's own markup: photos into the
image library's (or dropped), tables, code, verse, quotes, pull quotes, galleries, embeds
(players, posts, iframes, a web address alone on a line) and footnotes into their
equivalents; columns, buttons, covers and details into their content. What it converted or
dropped is counted in `report`, one line per kind, for the import's summary: nothing
disappears without a line there. The result still goes through `sanitise_body()` when the
story is written, like anything an editor types: `story_body()` does that, and reports each
embed as what the sanitiser kept of it (an embed, a link or its text). docs/importing.md
lists every block.

Audio and video (players, `[audio]`, `[video]`) are embedded from our own media storage
when the import copied their file there (MediaFiles); otherwise they are a link to the file's
address in WordPress, so that readers can still reach it.
"""

import html
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Protocol
from urllib.parse import unquote, urlsplit

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from articles import body_shapes, embeds
from articles.sanitise import sanitise_body

from . import markup
from .markup import embed_figure, link_paragraph, tag_attributes, web_address


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


class MediaFiles(Protocol):
    """How the converter finds our copy of an audio or video file of the post."""

    def media_address(self, src: str) -> str:
        """Our address of the file at `src`, copied into media storage, or "" if it is not."""


# What a link to an audio or video file left in WordPress says, without a caption.
MEDIA_LINK_TEXTS = {"audio": "Listen to the audio", "video": "Watch the video"}

BLOCK_COMMENT = re.compile(r"<!--\s*/?wp:.*?-->", re.DOTALL)
MORE_COMMENT = re.compile(r"<!--\s*(?:more|nextpage|noteaser)\b.*?-->", re.DOTALL)
BLOCK_DELIMITER = re.compile(r"<!--\s*(/?)wp:([a-z0-9/-]+)(?:.*?)(/?)-->", re.DOTALL)
SELF_CLOSING_BLOCK = re.compile(r"<!--\s*wp:([a-z0-9/-]+)(?:\s+\{.*?\})?\s*/-->", re.DOTALL)
QUIET_BLOCKS = frozenset({"more", "nextpage", "footnotes", "spacer", "separator"})

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
FOOTNOTE_SHORTCODES = frozenset({"footnote", "efn_note", "ref", "fn"})
CODE_SHORTCODE = re.compile(r"\[(code|sourcecode)\b[^\]]*\](.*?)\[/\1\]", re.DOTALL | re.IGNORECASE)
ORPHAN_CLOSING = re.compile(r"\[/[A-Za-z][\w-]*\]")

FIGURE = re.compile(r"<figure\b([^>]*)>((?:(?!<figure\b).)*?)</figure>", re.DOTALL | re.IGNORECASE)
FIGCAPTION = re.compile(r"<figcaption\b[^>]*>(.*?)</figcaption>", re.DOTALL | re.IGNORECASE)
IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
LINKED_IMG = re.compile(r"(?:<a\b[^>]*>\s*)?(<img\b[^>]*>)(?:\s*</a>)?", re.DOTALL | re.IGNORECASE)
WP_IMAGE_CLASS = re.compile(r"\bwp-image-(\d+)\b")
ATTACHMENT_ID = re.compile(r"^attachment_(\d+)$")
IFRAME = re.compile(r"<iframe\b([^>]*)>.*?</iframe>|<iframe\b([^>]*)/?>", re.DOTALL | re.IGNORECASE)
PLAYER = re.compile(r"<(audio|video)\b([^>]*)>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
SOURCE = re.compile(r"<source\b[^>]*>", re.IGNORECASE)
PLUGIN_OBJECT = re.compile(
    r"<object\b[^>]*>.*?</object>|<embed\b[^>]*>(?:\s*</embed>)?", re.DOTALL | re.IGNORECASE
)
PRE = re.compile(r"<pre\b([^>]*)>(.*?)</pre\s*>", re.DOTALL | re.IGNORECASE)
TABLE = re.compile(r"<table\b[^>]*>((?:(?!<table\b).)*?)</table\s*>", re.DOTALL | re.IGNORECASE)
BLOCKQUOTE = re.compile(
    r"<blockquote\b([^>]*)>((?:(?!<blockquote\b).)*?)</blockquote\s*>", re.DOTALL | re.IGNORECASE
)
DETAILS = re.compile(
    r"<details\b[^>]*>\s*(?:<summary\b[^>]*>(.*?)</summary>)?(.*?)</details\s*>",
    re.DOTALL | re.IGNORECASE,
)
BUTTON = re.compile(
    r"<div\b[^>]*\bwp-block-button\b[^>]*>\s*(<a\b.*?</a>)\s*</div>", re.DOTALL | re.IGNORECASE
)
FILE_BLOCK = re.compile(r"<div\b[^>]*\bwp-block-file\b[^>]*>(.*?)</div>", re.DOTALL | re.IGNORECASE)
LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.DOTALL | re.IGNORECASE)
GALLERY_LIST = re.compile(
    r"<ul\b[^>]*\bwp-block-gallery\b[^>]*>(.*?)</ul\s*>", re.DOTALL | re.IGNORECASE
)
SPACER = re.compile(r"<div\b[^>]*\bwp-block-spacer\b[^>]*>\s*</div>", re.IGNORECASE)
BACKGROUND = re.compile(r"background-image:\s*url\(\s*['\"]?([^'\")]+)", re.IGNORECASE)
COVER = re.compile(r"<div\b[^>]*\bwp-block-cover\b[^>]*>", re.IGNORECASE)
FOOTNOTE_MARK = re.compile(
    r"<sup\b[^>]*\bdata-fn=[^>]*>\s*<a\b[^>]*>(.*?)</a>\s*</sup>", re.DOTALL | re.IGNORECASE
)
SEPARATOR = re.compile(r"<hr\b[^>]*\bwp-block-separator\b[^>]*>", re.IGNORECASE)
URL_LINE = re.compile(r"^[ \t]*(https?://[^\s<>\"']+)[ \t]*$", re.MULTILINE)
HEADING = re.compile(r"<(/?)h([1-6])\b", re.IGNORECASE)
TOKEN = re.compile(r"\x02(\d+)\x03")
PLACEHOLDER_CHARACTERS = re.compile("[\x02\x03]")
BLANK_LINES = re.compile(r">[ \t]*\n\s*\n\s*<")
EMPTY_PARAGRAPH = re.compile(r"<p>(?:\s|&nbsp;|<br>)*</p>")
PARAGRAPH_TOKEN = re.compile(r"<p>\s*\x02(\d+)\x03\s*</p>")
# Layout blocks whose content stays, one part after another: what the summary says of each.
LAYOUT_BLOCKS = {
    "wp-block-columns": "columns → their content, one after another",
    "wp-block-media-text": "media and text → photo, then text",
    "wp-block-buttons": "buttons → links",
}

AUTOP_BLOCKS = (
    r"(?:table|thead|tfoot|caption|col|colgroup|tbody|tr|td|th|div|dl|dd|dt|ul|ol|li|pre|"
    r"form|map|area|blockquote|address|math|style|p|h[1-6]|hr|fieldset|legend|section|"
    r"article|aside|hgroup|header|footer|nav|figure|figcaption|details|menu|summary)"
)


class Converter:
    """
    One post's conversion. What is converted is kept aside as a numbered placeholder (a
    block of its own), so that later passes leave it alone, and put back at the end.
    """

    def __init__(
        self,
        images: Images,
        *,
        media_files: MediaFiles | None = None,
        footnotes: str = "",
        report: Counter | None = None,
    ):
        self.images = images
        self.media_files = media_files
        self.kept: list[str] = []
        # Each embed made, as (what it was, its address), for report_embeds_kept().
        self.embeds: list[tuple[str, str]] = []
        self.report = report if report is not None else Counter()
        self.footnotes = footnote_texts(footnotes)
        self.notes: list[str] = []
        self.classic = True

    def keep(self, markup_: str) -> str:
        self.kept.append(markup_)
        return f"\n\n\x02{len(self.kept) - 1}\x03\n\n"

    def placeholder(self, image: BodyImage, caption: str = "") -> str:
        return self.keep(image.html(caption))

    def convert(self, content: str) -> str:
        self.classic = "<!-- wp:" not in content
        # The placeholders' characters are never text (XML refuses them): any found go.
        text = PLACEHOLDER_CHARACTERS.sub("", content)
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = self.code_and_verse(text)
        text = self.block_comments(text)
        text = ORPHAN_CLOSING.sub("", self.shortcodes(text))
        text = self.figures_of(text)
        text = GALLERY_LIST.sub(self.gallery_list, text)
        text = innermost(TABLE, self.table, text)
        text = LINKED_IMG.sub(lambda match: self.photo(match.group(1)), text)
        text = self.players(text)
        text = self.layout(text)
        text = innermost(BLOCKQUOTE, self.blockquote, text)
        text = HEADING.sub(heading, text)
        if self.classic:
            text = URL_LINE.sub(lambda match: self.embed(match.group(1), "web address"), text)
            text = wpautop(text)
        # Footnotes not placed by a footnotes block: at the end.
        text = self.restored(text + self.notes_block())
        text = EMPTY_PARAGRAPH.sub("", markup.tidy(text, self.report))
        return BLANK_LINES.sub(">\n<", text).strip()

    def restored(self, text: str) -> str:
        while TOKEN.search(text):
            text = PARAGRAPH_TOKEN.sub(lambda match: self.kept[int(match.group(1))], text)
            text = TOKEN.sub(lambda match: self.kept[int(match.group(1))], text)
        return text

    # Code, verse and block comments

    def code_and_verse(self, text: str) -> str:
        """Code and preformatted text kept as written, before anything reads their content."""

        def pre(match: re.Match) -> str:
            classes = tag_attributes(f"<pre {match.group(1)}>").get("class", "")
            if "wp-block-verse" in classes:
                self.report["verse → its lines kept"] += 1
                return self.keep(markup.verse(match.group(2)))
            what = "code" if "wp-block-code" in classes else "preformatted text"
            self.report[f"{what} → code block"] += 1
            return self.keep(markup.code_block(match.group(2), escaped=True))

        def shortcode(match: re.Match) -> str:
            self.report[f"[{match.group(1).lower()}] → code block"] += 1
            return self.keep(markup.code_block(match.group(2), escaped=True))

        return CODE_SHORTCODE.sub(shortcode, PRE.sub(pre, text))

    def block_comments(self, text: str) -> str:
        """Footnote marks and the footnotes block; blocks WordPress makes when shown."""
        text = FOOTNOTE_MARK.sub(r"<sup>\1</sup>", text)

        def self_closing(match: re.Match) -> str:
            name = match.group(1).removeprefix("core/")
            if name == "footnotes":
                return self.notes_block()
            if name not in QUIET_BLOCKS:
                self.report[f"block “{name}” (made by WordPress when shown) → dropped"] += 1
            return ""

        text = SELF_CLOSING_BLOCK.sub(self_closing, text)
        if not self.classic:
            text = classic_parts(text)
        return MORE_COMMENT.sub("", BLOCK_COMMENT.sub("", text))

    def notes_block(self) -> str:
        """The post's footnotes (the block editor's, then shortcodes'), as a note."""
        items = self.footnotes + self.notes
        self.footnotes, self.notes = [], []
        if not items:
            return ""
        self.report["footnotes → note"] += 1
        return self.keep(markup.notes(items))

    # Shortcodes

    def shortcodes(self, text: str) -> str:
        return SHORTCODE.sub(self.shortcode, text)

    def shortcode(self, match: re.Match) -> str:
        escaped_open, name, raw_attributes, self_closing, inner, escaped_close = match.groups()
        if escaped_open == "[" and escaped_close == "]":
            return match.group(0)[1:-1]
        attributes = parse_attributes(raw_attributes)
        lowered = name.lower()
        known = lowered in ("caption", "wp_caption", "gallery", "embed", *MEDIA_SHORTCODES)
        if not (
            known
            or lowered in DROPPED_SHORTCODES | FOOTNOTE_SHORTCODES | BARE_SHORTCODES
            or self_closing
            or inner is not None
            or HAS_NAMED_ATTRIBUTE.search(raw_attributes)
        ):
            return match.group(0)  # the writer's own words in brackets
        # The optional "]" the pattern took belongs to the text after the shortcode.
        return escaped_open + self.shortcode_markup(lowered, attributes, inner) + escaped_close

    def shortcode_markup(self, name: str, attributes: dict, inner: str | None) -> str:
        if name in ("caption", "wp_caption"):
            return self.caption(attributes, inner or "")
        if name == "gallery":
            return self.gallery(attributes)
        if name == "embed":
            return self.embed((inner or "").strip(), "[embed]")
        if name in MEDIA_SHORTCODES:
            return self.media(name, attributes, inner or "")
        if name in FOOTNOTE_SHORTCODES:
            self.notes.append(self.shortcodes(inner or ""))
            return f"<sup>{len(self.notes)}</sup>"
        if name in DROPPED_SHORTCODES or not (inner or "").strip():
            self.report[f"[{name}] → dropped (no equivalent)"] += 1
            return ""
        self.report[f"[{name}] → its text"] += 1
        return self.shortcodes(inner or "")

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
        photos = []
        for attachment_id in wanted:
            image = self.images.find(src="", attachment_id=attachment_id)
            if image is None:
                self.report["photo not in the image library → dropped"] += 1
            else:
                photos.append(image.html())
        return self.gallery_of(photos)

    def gallery_of(self, photos: list[str], caption: str = "") -> str:
        """Photos as a gallery (one photo alone as itself), its caption below."""
        below = f"\n\n<p>{caption}</p>\n\n" if caption and photos else ""
        if len(photos) < 2:
            return (self.keep(photos[0]) if photos else "") + below
        self.report["gallery → gallery"] += 1
        return self.keep(f'<div class="gallery">{"".join(photos)}</div>') + below

    def media(self, name: str, attributes: dict, inner: str) -> str:
        for key in ("src", "mp3", "mp4", "m4a", "ogg", "webm", "wav", "m4v", "ogv", "wmv"):
            if web_address(attributes.get(key, "")):
                return self.media_file(attributes[key], f"[{name}]", kind=name)
        return self.media_file(inner.strip(), f"[{name}]", kind=name)

    # Photos, figures and embeds

    def embed(self, address: str, what: str, *, title: str = "") -> str:
        """
        An embedded player or post as an embed, or dropped (reported) without an address. A
        provider's address written with http:// is embedded with https://.
        """
        address = web_address(address)
        if not address:
            self.report[f"{what} without a web address → dropped"] += 1
            return ""
        address = embeds.with_https(address)
        self.report[f"{what} → embed"] += 1
        self.embeds.append((what, address))
        return self.keep(embed_figure(address, title=title))

    def media_file(self, address: str, what: str, *, kind: str, caption: str = "") -> str:
        """
        An audio or video file: embedded from our media storage when the import copied it
        there, else a link to its address in WordPress (reported: the file is not imported).
        """
        address = web_address(address)
        ours = self.media_files.media_address(address) if self.media_files and address else ""
        if ours:
            return self.embed(ours, what, title=markup.plain_text(caption))
        if not address:
            self.report[f"{what} without a web address → dropped"] += 1
            return ""
        self.report[f"{what} → link (file not imported)"] += 1
        text = markup.plain_text(caption) or f"{MEDIA_LINK_TEXTS[kind]} ({file_name(address)})"
        return self.keep(link_paragraph(address, text))

    def report_embeds_kept(self, body: str) -> None:
        """
        Each embed made, reported as what the sanitiser kept of it in `body` (the sanitised
        story body): an embed, or a link or its text when no provider answers to its address.
        """
        figures, links = addresses_in(body)
        for what, address in self.embeds:
            if figures[address]:
                figures[address] -= 1
                continue
            became = "text"
            if links[address]:
                links[address] -= 1
                became = "link"
            self.report[f"{what} → embed"] -= 1
            if not self.report[f"{what} → embed"]:
                del self.report[f"{what} → embed"]
            self.report[f"{what} → {became}"] += 1

    def photo(self, img_tag: str, *, caption: str = "", attachment_id: str = "") -> str:
        attributes = tag_attributes(img_tag)
        if not attachment_id and (matched := WP_IMAGE_CLASS.search(attributes.get("class", ""))):
            attachment_id = matched.group(1)
        image = self.images.find(src=attributes.get("src", ""), attachment_id=attachment_id)
        if image is None:
            self.report["photo not in the image library → dropped"] += 1
            return ""
        alt = html.unescape(attributes.get("alt", "")).strip()
        if alt:
            image = BodyImage(image.image_id, image.src, alt, image.caption)
        return self.placeholder(image, caption)

    def figures_of(self, text: str) -> str:
        """Figures, innermost first (a gallery block is a figure of figures)."""
        return innermost(FIGURE, self.figure, text)

    def figure(self, match: re.Match) -> str:
        attributes, inner = match.groups()
        classes = tag_attributes(f"<figure {attributes}>").get("class", "")
        found = FIGCAPTION.search(inner)
        caption = found.group(1).strip() if found else ""
        body = FIGCAPTION.sub("", inner)
        special = self.special_figure(classes, body, caption)
        if special is not None:
            return special
        images = IMG.findall(body)
        if images:
            single_caption = caption if len(images) == 1 else ""
            photos = "".join(self.photo(img, caption=single_caption) for img in images)
            if len(images) > 1 and caption and photos:
                photos += f"\n\n<p>{caption}</p>\n\n"
            return photos
        if TOKEN.search(body):
            return body + (f"\n\n<p>{caption}</p>\n\n" if caption else "")
        # Anything else in a figure: its content, caption below.
        return f"\n\n{body}\n\n" + (f"<p>{caption}</p>\n\n" if caption else "")

    def special_figure(self, classes: str, body: str, caption: str) -> str | None:
        """The blocks WordPress saves as a figure: table, pull quote, embed, player, gallery."""
        if "wp-block-table" in classes and TABLE.search(body):
            self.report["table → table"] += 1
            return self.keep(markup.table(TABLE.search(body).group(0), caption))
        if "wp-block-pullquote" in classes:
            self.report["pull quote → pull quote"] += 1
            return self.keep(markup.pull_quote(body))
        if "wp-block-embed" in classes:
            address = markup.WEB_ADDRESS.search(body)
            # Its caption is the title readers see (an embed holds a title, not a caption).
            address = address.group(0) if address else ""
            return self.embed(address, "embed", title=markup.plain_text(caption))
        for kind in ("audio", "video"):
            if f"wp-block-{kind}" in classes and (player := PLAYER.search(body)):
                return self.player(player, caption=caption)
        if "wp-block-gallery" in classes or "gallery" in classes.split():
            photos = [self.kept[int(n)] for n in TOKEN.findall(body)]
            photos += [self.kept[int(n)] for n in TOKEN.findall(self.photos_in(body))]
            return self.gallery_of(photos, caption)
        return None

    def gallery_list(self, match: re.Match) -> str:
        """The first gallery block: a list of figures (already photos, or dropped)."""
        body = match.group(1)
        photos = [self.kept[int(n)] for n in TOKEN.findall(body + self.photos_in(body))]
        return self.gallery_of(photos)

    def photos_in(self, body: str) -> str:
        return "".join(self.photo(img) for img in IMG.findall(body))

    def table(self, match: re.Match) -> str:
        self.report["table → table"] += 1
        table = LINKED_IMG.sub(lambda found: self.photo(found.group(1)), match.group(0))
        return self.keep(markup.table(table))

    def players(self, text: str) -> str:
        """Iframes, <audio> and <video> players, and plugin objects, as embeds."""

        def iframe(match: re.Match) -> str:
            attributes = tag_attributes(f"<iframe {match.group(1) or match.group(2) or ''}>")
            return self.embed(
                attributes.get("src", ""), "iframe", title=attributes.get("title", "")
            )

        def plugin(match: re.Match) -> str:
            found = re.search(
                r"""\b(?:data|src|value)\s*=\s*["']?(https?://[^"'\s>]+)""", match.group(0)
            )
            return self.embed(found.group(1) if found else "", "plugin object (Flash)")

        text = IFRAME.sub(iframe, text)
        text = PLAYER.sub(self.player, text)
        return PLUGIN_OBJECT.sub(plugin, text)

    def player(self, match: re.Match, *, caption: str = "") -> str:
        kind, attributes, inner = match.groups()
        kind = kind.lower()
        address = tag_attributes(f"<{kind} {attributes}>").get("src", "")
        for source in SOURCE.findall(inner):
            address = address or tag_attributes(source).get("src", "")
        return self.media_file(address, kind, kind=kind, caption=caption)

    # Layout blocks, details, quotes

    def layout(self, text: str) -> str:
        """Columns, covers, buttons, files and details: their content, in order."""
        for css_class, what in LAYOUT_BLOCKS.items():
            count = len(re.findall(rf'class="[^"]*\b{css_class}\b(?!-)', text))
            if count:
                self.report[what] += count
        for cover in COVER.findall(text):
            self.report["cover → its photo and text"] += 1
            background = BACKGROUND.search(html.unescape(cover))
            if background:
                text = text.replace(cover, self.photo(f'<img src="{background.group(1)}">'), 1)
        text, count = SPACER.subn("", text)
        if count:
            self.report["spacer → removed (layout only)"] += count
        text, count = SEPARATOR.subn("<hr>", text)
        if count:
            self.report["separator → rule"] += count
        text = BUTTON.sub(lambda match: f"\n\n<p>{match.group(1)}</p>\n\n", text)
        text = FILE_BLOCK.sub(self.file, text)
        return innermost(DETAILS, self.details, text)

    def file(self, match: re.Match) -> str:
        link = LINK.search(match.group(1))
        href = web_address(tag_attributes(f"<a {link.group(1)}>").get("href", "")) if link else ""
        if not href:
            self.report["file without a web address → dropped"] += 1
            return ""
        self.report["file → link"] += 1
        text = re.sub(r"<[^>]*>", "", link.group(2)).strip()
        return self.keep(link_paragraph(href, html.unescape(text)))

    def details(self, match: re.Match) -> str:
        summary, content = match.groups()
        self.report["details → its summary and text"] += 1
        summary = (
            f"<p><strong>{summary.strip()}</strong></p>" if summary and summary.strip() else ""
        )
        return f"\n\n{summary}\n\n{content.strip()}\n\n"

    def blockquote(self, match: re.Match) -> str:
        inner = match.group(2)
        if self.classic:
            inner = wpautop(inner)
        if markup.CITE.search(inner):
            self.report["quote with its attribution → quote"] += 1
        return self.keep(markup.quote(inner))


def classic_parts(text: str) -> str:
    """
    In block editor content, what is in no block (a classic block's HTML) and what is in a
    custom HTML or shortcode block gets its paragraphs, as WordPress gives them when shown.
    """
    open_blocks: list[str] = []
    parts, position = [], 0

    def part(end: int) -> str:
        piece = text[position:end]
        classic = not open_blocks or open_blocks[-1] in ("html", "freeform", "shortcode")
        return f"\n\n{wpautop(piece)}\n\n" if classic and piece.strip() else piece

    for delimiter in BLOCK_DELIMITER.finditer(text):
        parts += [part(delimiter.start()), delimiter.group(0)]
        closing, name, self_closing = delimiter.groups()
        if closing:
            open_blocks = open_blocks[:-1]
        elif not self_closing:
            open_blocks.append(name.removeprefix("core/"))
        position = delimiter.end()
    parts.append(part(len(text)))
    return "".join(parts)


def innermost(pattern: re.Pattern, replace, text: str) -> str:
    """`pattern` replaced until none is left: nested elements, innermost first."""
    while True:
        converted = pattern.sub(replace, text)
        if converted == text:
            return converted
        text = converted


def footnote_texts(meta: str) -> list[str]:
    """The block editor's footnotes (the `footnotes` post meta, JSON), in order."""
    if not meta:
        return []
    try:
        notes = json.loads(meta)
    except ValueError:
        return []
    if not isinstance(notes, list):
        return []
    return [str(note.get("content", "")) for note in notes if isinstance(note, dict)]


def convert_content(
    content: str,
    images: Images,
    *,
    media_files: MediaFiles | None = None,
    footnotes: str = "",
    report: Counter | None = None,
) -> str:
    """
    A WordPress post's content as body HTML (still to be sanitised when saved). `footnotes`
    is the post's `footnotes` meta; `report`, if given, counts what was converted or dropped.
    """
    converter = Converter(images, media_files=media_files, footnotes=footnotes, report=report)
    return converter.convert(content)


def story_body(
    content: str,
    images: Images,
    *,
    media_files: MediaFiles | None = None,
    footnotes: str = "",
    report: Counter | None = None,
) -> str:
    """
    A WordPress post's content as the story's body: converted, then sanitised as every save
    does, with each embed in `report` as what the sanitiser kept of it.
    """
    converter = Converter(images, media_files=media_files, footnotes=footnotes, report=report)
    body = sanitise_body(converter.convert(content))
    converter.report_embeds_kept(body)
    return body


def addresses_in(body: str) -> tuple[Counter, Counter]:
    """The addresses of a sanitised body's embeds, and of its links outside them."""
    figures, links = Counter(), Counter()
    pending = [body_shapes.parse(body)]
    while pending:
        element = pending.pop()
        if element.tag == "figure" and "embed" in element.classes:
            figures[element.attrs.get("data-embed", "")] += 1
            continue
        if element.tag == "a":
            links[element.attrs.get("href", "")] += 1
        pending.extend(element.elements())
    return figures, links


def file_name(address: str) -> str:
    """The file an address names: "https://x.org/uploads/talk.mp3" → "talk.mp3"."""
    return PurePosixPath(unquote(urlsplit(address).path)).name or address


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
