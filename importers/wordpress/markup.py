"""
The story body's vocabulary, as the WordPress converter (content.py) writes it, and the
small HTML helpers it needs. Each builder takes HTML found in a post and returns the body's
markup for it:

- tables: `<figure class="table"><table><caption>…</caption><thead>…</thead><tbody>…</tbody>
  </table></figure>`;
- code and preformatted text: `<pre><code>…</code></pre>`;
- a quote with its attribution: `<figure class="quote"><blockquote>…</blockquote>
  <figcaption>…</figcaption></figure>`; a pull quote: `<aside class="pull-quote">…</aside>`;
- footnotes and editor's notes: `<aside class="note">…</aside>`;
- a photo gallery: `<div class="gallery">` of the library's `<figure>`s;
- an embed (a player, a post, a chart): `<figure class="embed" data-embed="URL"><a href="URL">
  title or URL</a></figure>`, stored as data; which providers play is decided where the body
  is shown.

`tidy()` is the last pass: it keeps the vocabulary's tags and attributes, unwraps the rest
(keeping their text) or removes them with their content (scripts, forms, players), and says
which, so that nothing disappears without a line in the import's summary.
"""

import html
import re
from collections import Counter

from django.utils.html import escape, format_html

TAG_ATTRIBUTE = re.compile(r"""([a-zA-Z_:][-\w:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")
WEB_ADDRESS = re.compile(r"https?://[^\s<>\"']+")

CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL | re.IGNORECASE)
SECTION = re.compile(r"<(thead|tbody|tfoot)\b[^>]*>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
ROW = re.compile(r"<tr\b[^>]*>(.*?)</tr\s*>", re.DOTALL | re.IGNORECASE)
CELL = re.compile(r"<(t[hd])\b([^>]*)>(.*?)</\1\s*>", re.DOTALL | re.IGNORECASE)
CITE = re.compile(r"<cite\b[^>]*>(.*?)</cite>", re.DOTALL | re.IGNORECASE)
TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)\b((?:[^>\"']|\"[^\"]*\"|'[^']*')*)(/?)>")

# What the body keeps: the tags, and for each the attributes (and classes) it may carry.
KEPT = {
    **dict.fromkeys(
        [
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
            "ul",
            "li",
            "blockquote",
            "hr",
            "table",
            "caption",
            "thead",
            "tbody",
            "tfoot",
            "tr",
            "pre",
            "code",
        ],
        frozenset(),
    ),
    "a": frozenset({"href", "title"}),
    "ol": frozenset({"start", "reversed"}),
    "th": frozenset({"colspan", "rowspan", "scope"}),
    "td": frozenset({"colspan", "rowspan"}),
    "img": frozenset({"src", "alt", "data-file"}),
    "figure": frozenset({"class", "data-embed"}),
    "figcaption": frozenset({"class"}),
    "aside": frozenset({"class"}),
    "div": frozenset({"class"}),
}
CLASSES = {
    "figure": {"figure", "table", "quote", "embed"},
    "figcaption": {"figure-caption"},
    "aside": {"pull-quote", "note"},
    "div": {"gallery"},
}
# Kept only with one of the vocabulary's classes; unwrapped otherwise.
CLASS_GATED = frozenset({"figure", "aside", "div"})
# Removed with everything inside them: their content is code, a form or a player's fallback.
REMOVED_WITH_CONTENT = frozenset(
    {
        "script",
        "style",
        "noscript",
        "template",
        "form",
        "select",
        "textarea",
        "button",
        "object",
        "embed",
        "applet",
        "canvas",
        "svg",
        "math",
        "audio",
        "video",
        "iframe",
        "head",
        "title",
        "map",
    }
)
# Unwrapped without a word: wrappers that carry layout or styling only.
UNWRAPPED_QUIETLY = frozenset(
    {
        "span",
        "div",
        "font",
        "center",
        "section",
        "article",
        "header",
        "footer",
        "main",
        "abbr",
        "mark",
        "small",
        "big",
        "time",
        "ins",
        "label",
        "nav",
        "cite",
        "q",
        "dfn",
        "kbd",
        "samp",
        "var",
        "tt",
        "del",
        "strike",
        "acronym",
        "bdi",
        "bdo",
        "wbr",
        "picture",
        "source",
        "track",
        "col",
        "colgroup",
        "address",
        "body",
        "html",
        "fieldset",
        "legend",
        "input",
        "option",
        "meta",
        "link",
        "area",
        "param",
    }
)


def tag_attributes(tag: str) -> dict[str, str]:
    attributes = {}
    for name, double, single, bare in TAG_ATTRIBUTE.findall(tag):
        attributes[name.lower()] = html.unescape(double or single or bare)
    return attributes


def web_address(address: str) -> str:
    """An address found in HTML (escaped: "&amp;") as it is meant, or "" if not http(s)."""
    address = html.unescape(address.strip())
    return address if WEB_ADDRESS.fullmatch(address) else ""


def plain_text(text: str) -> str:
    """HTML as its words, one space apart: "The mayor,<br>on tape" → "The mayor, on tape"."""
    return " ".join(html.unescape(re.sub(r"<[^>]*>", " ", text)).split())


def embed_figure(address: str, *, title: str = "") -> str:
    """An embed, kept as data: the address, and a link that works anywhere."""
    return format_html(
        '<figure class="embed" data-embed="{}"><a href="{}">{}</a></figure>',
        address,
        address,
        title or address,
    )


def link_paragraph(address: str, text: str = "") -> str:
    return format_html('<p><a href="{}">{}</a></p>', address, text or address)


def code_block(text: str, *, escaped: bool) -> str:
    """`text` as a code block; `escaped` says whether it is HTML already (a <pre>'s)."""
    if escaped:
        # A <pre>'s content: tags in it are markup (<code>, <span> of a highlighter).
        text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE)
        text = html.unescape(re.sub(r"<[^>]*>", "", text))
    return f"<pre><code>{escape(text.strip(chr(10)))}</code></pre>"


def verse(text: str) -> str:
    """A poem or lyrics: each stanza a paragraph, each line kept."""
    text = re.sub(r"<br\s*/?>", "\n", text, flags=re.IGNORECASE).strip("\n")
    stanzas = [stanza.strip("\n") for stanza in re.split(r"\n\s*\n", text) if stanza.strip()]
    return "".join(f"<p>{'<br>'.join(stanza.split(chr(10)))}</p>" for stanza in stanzas)


def table(markup: str, caption: str = "") -> str:
    """A table, its header rows in <thead> (a first row of <th> cells is one), captioned."""
    found = CAPTION.search(markup)
    if found:
        caption = caption or found.group(1).strip()
        markup = CAPTION.sub("", markup)
    sections: dict[str, list[str]] = {"thead": [], "tbody": [], "tfoot": []}
    for name, inner in SECTION.findall(markup):
        sections[name.lower()] += [row_of(row) for row in ROW.findall(inner)]
    loose = [row_of(row) for row in ROW.findall(SECTION.sub("", markup))]
    if loose and not sections["thead"] and not sections["tbody"]:
        first = CELL.findall(ROW.search(SECTION.sub("", markup)).group(1))
        if first and all(cell[0].lower() == "th" for cell in first) and len(loose) > 1:
            sections["thead"], loose = loose[:1], loose[1:]
    sections["tbody"] += loose
    parts = [f"<caption>{caption}</caption>" if caption else ""]
    for name in ("thead", "tbody", "tfoot"):
        if sections[name]:
            parts.append(f"<{name}>{''.join(sections[name])}</{name}>")
    return f'<figure class="table"><table>{"".join(parts)}</table></figure>'


def row_of(row: str) -> str:
    cells = []
    for name, attributes, content in CELL.findall(row):
        name = name.lower()
        kept = tag_attributes(attributes)
        spans = "".join(
            f' {key}="{escape(value)}"'
            for key, value in kept.items()
            if key in KEPT[name] and (key == "scope" or value.isdigit())
        )
        cells.append(f"<{name}{spans}>{content.strip()}</{name}>")
    return f"<tr>{''.join(cells)}</tr>"


def quote(inner: str) -> str:
    """A quote; its <cite> (WordPress's attribution) becomes the figure's caption."""
    found = CITE.search(inner)
    if not found or not found.group(1).strip():
        return f"<blockquote>{CITE.sub('', inner).strip()}</blockquote>"
    return (
        f'<figure class="quote"><blockquote>{CITE.sub("", inner).strip()}</blockquote>'
        f"<figcaption>{found.group(1).strip()}</figcaption></figure>"
    )


def pull_quote(inner: str) -> str:
    inner = re.sub(r"</?blockquote\b[^>]*>", "", inner, flags=re.IGNORECASE)
    found = CITE.search(inner)
    attribution = f"<p>{found.group(1).strip()}</p>" if found and found.group(1).strip() else ""
    return f'<aside class="pull-quote">{CITE.sub("", inner).strip()}{attribution}</aside>'


def notes(items: list[str]) -> str:
    """Footnotes, numbered in order, as a note at the end of the story."""
    if not items:
        return ""
    listed = "".join(f"<li>{item.strip()}</li>" for item in items)
    return f'<aside class="note"><ol>{listed}</ol></aside>'


def tidy(text: str, report: Counter) -> str:
    """
    Keep the vocabulary's tags with their allowed attributes; unwrap or remove the others
    (reported, unless they only carried layout). Text between tags is left as it is.
    """
    for name in sorted(REMOVED_WITH_CONTENT):
        pattern = re.compile(rf"<{name}\b[^>]*>.*?</{name}\s*>", re.DOTALL | re.IGNORECASE)
        text, count = pattern.subn("", text)
        if count:
            report[f"<{name}> → removed with its content"] += count
    text = re.sub(r"<!--.*?-->", "", text, flags=re.DOTALL)
    return TAG.sub(Tidier(report).tag, text)


class Tidier:
    """One pass over the tags; remembers which figures, asides and divs were kept."""

    def __init__(self, report: Counter):
        self.report = report
        self.open: dict[str, list[bool]] = {name: [] for name in CLASS_GATED}

    def tag(self, match: re.Match) -> str:
        closing, name, attributes, _self_closing = match.groups()
        name = name.lower()
        if name in CLASS_GATED:
            if closing:
                return f"</{name}>" if self.open[name] and self.open[name].pop() else ""
            kept = classes_kept(name, attributes)
            self.open[name].append(kept)
            if not kept:
                return ""  # a figure, aside or div of someone else's: unwrapped
        elif name not in KEPT:
            if name not in REMOVED_WITH_CONTENT and name not in UNWRAPPED_QUIETLY and not closing:
                self.report[f"<{name}> → its text"] += 1
            return ""
        if closing:
            return "" if name in ("br", "hr", "img") else f"</{name}>"
        kept_attributes = []
        for key, value in tag_attributes(attributes).items():
            if key not in KEPT[name]:
                continue
            if key == "class":
                value = " ".join(c for c in value.split() if c in CLASSES[name])
            kept_attributes.append(f' {key}="{escape(value)}"')
        return f"<{name}{''.join(kept_attributes)}>"


def classes_kept(name: str, attributes: str) -> bool:
    return bool(set(tag_attributes(attributes).get("class", "").split()) & CLASSES[name])
