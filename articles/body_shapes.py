"""
The shapes the body's blocks must have, after the allowlist has kept only allowed tags and
attributes (sanitise.py): which classes go with which children, what an embed holds.

- `<figure class="table">` holds one `<table>`: caption first, a header row in `<thead>`,
  the rest in `<tbody>`. A table outside one gets one; a row of header cells at the top of
  a table without a head becomes its head.
- `<figure class="quote">` holds a `<blockquote>` and, optionally, a `<figcaption>` (who said it).
- `<figure class="embed" data-embed="URL"><a href="URL">title</a></figure>`, only for an
  address `embeds.match()` accepts (a provider's address written with http:// is given its
  https:// address first); another https address becomes a plain link, anything else is
  dropped.
- a photo's `<figure>` holds an `<img>`; without one its caption becomes a paragraph.
- `<div class="gallery">` holds photo figures only; `<aside>` is a pull quote or a note.
- `<pre>` holds its text in one `<code>`; `<code>` outside one is plain text.

The allowlist's output is well-formed HTML, read here as a small tree and written back as
the allowlist writes it (text and attributes escape &, <, > and non-breaking spaces,
attributes their quotes too), so that cleaning a clean body again changes nothing.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

from . import embeds

VOID = frozenset({"br", "hr", "img"})


@dataclass(eq=False)  # two elements alike are still two elements
class Element:
    tag: str
    attrs: dict = field(default_factory=dict)
    children: list = field(default_factory=list)

    @property
    def classes(self):
        return set(self.attrs.get("class", "").split())

    def elements(self, tag=None):
        return [
            child
            for child in self.children
            if isinstance(child, Element) and (tag is None or child.tag == tag)
        ]

    def text(self):
        return "".join(
            child.text() if isinstance(child, Element) else child for child in self.children
        )

    def contains(self, tag):
        return any(
            isinstance(child, Element) and (child.tag == tag or child.contains(tag))
            for child in self.children
        )


class _TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("body")
        self.stack = [self.root]

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs})
        self.stack[-1].children.append(element)
        if tag not in VOID:
            self.stack.append(element)

    def handle_startendtag(self, tag, attrs):
        self.stack[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag):
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data):
        self.stack[-1].children.append(data)


def parse(html):
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    return builder.root


def _escape_text(text):
    return (
        text.replace("&", "&amp;")
        .replace("\xa0", "&nbsp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
    )


def _escape_attribute(value):
    return _escape_text(value).replace('"', "&quot;")


def serialise(node):
    if isinstance(node, str):
        return _escape_text(node)
    attrs = "".join(f' {name}="{_escape_attribute(value)}"' for name, value in node.attrs.items())
    if node.tag in VOID:
        return f"<{node.tag}{attrs}>"
    inner = "".join(serialise(child) for child in node.children)
    return f"<{node.tag}{attrs}>{inner}</{node.tag}>"


def link(url, title):
    return Element("a", {"href": url, "rel": "noopener noreferrer"}, [title])


def _embed(figure):
    """An embed figure as it is kept: the address's provider, or a plain link, or nothing."""
    pasted = figure.attrs.get("data-embed", "")
    url = embeds.with_https(pasted)
    title = " ".join(figure.text().split())
    found = embeds.match(url)
    if found is None:
        if embeds.is_well_formed(url) and url.lower().startswith("https://"):
            return [Element("p", {}, [link(url, title if title else url)])]
        return [Element("p", {}, [title])] if title else []
    if not title or title in (url, pasted):
        title = found.provider.label
    return [Element("figure", {"class": "embed", "data-embed": url}, [link(url, title)])]


def _table(table):
    """A table with its caption first, its header row in <thead>, the rest in <tbody>."""
    captions = table.elements("caption")
    heads = table.elements("thead")
    bodies = table.elements("tbody")
    rows = [row for section in heads + bodies for row in section.elements("tr")]
    rows += table.elements("tr")
    head_rows = [row for head in heads for row in head.elements("tr")]
    body_rows = [row for row in rows if row not in head_rows]
    if not head_rows:
        first = body_rows[0].elements() if body_rows else []
        if first and all(cell.tag == "th" for cell in first):
            head_rows.append(body_rows.pop(0))
    for row in head_rows:
        for cell in row.elements("th"):
            cell.attrs.setdefault("scope", "col")
    children = captions[:1]
    if head_rows:
        children.append(Element("thead", {}, head_rows))
    if body_rows:
        children.append(Element("tbody", {}, body_rows))
    table.attrs = {}
    table.children = children
    return table


def _figure(figure):
    classes = figure.classes
    if "embed" in classes:
        return _embed(figure)
    if "table" in classes:
        tables = figure.elements("table")
        if not tables:
            return figure.children
        table = _table(tables[0])
        captions = figure.elements("figcaption")
        if captions and not table.elements("caption"):
            table.children.insert(0, Element("caption", {}, captions[0].children))
        return [Element("figure", {"class": "table"}, [table])] + [
            Element("figure", {"class": "table"}, [_table(extra)]) for extra in tables[1:]
        ]
    if "quote" in classes:
        quotes = figure.elements("blockquote")
        if not quotes:
            return [
                Element("p", {}, child.children) if _is(child, "figcaption") else child
                for child in figure.children
            ]
        kept = [quotes[0]]
        captions = figure.elements("figcaption")
        if captions:
            kept.append(Element("figcaption", {}, captions[0].children))
        return [Element("figure", {"class": "quote"}, kept)]
    figure.attrs.pop("data-embed", None)
    if figure.contains("img"):
        if classes - {"figure"}:
            figure.attrs["class"] = "figure"
        return [figure]
    return [
        Element("p", {}, child.children) if _is(child, "figcaption") else child
        for child in figure.children
    ]


BLOCKS = frozenset(
    {"p", "h2", "h3", "h4", "ul", "ol", "blockquote", "hr", "figure", "pre", "aside", "div"}
)


def _unwrapped(node):
    """What a box of no allowed kind held: its blocks, or its words as a paragraph."""
    if any(isinstance(child, Element) and child.tag in BLOCKS for child in node.children):
        return node.children
    if not "".join(node.text().split()) and not node.contains("img"):
        return []
    return [Element("p", {}, node.children)]


def _is(node, tag):
    return isinstance(node, Element) and node.tag == tag


def _kind(node):
    """A node as its children's context knows it: its tag, and a table figure as such."""
    if node.tag == "figure" and "table" in node.classes:
        return "figure.table"
    return node.tag


def _shape_children(node, context=()):
    shaped = []
    for child in node.children:
        if isinstance(child, str):
            shaped.append(child)
        else:
            shaped.extend(_shape(child, (*context, _kind(node))))
    node.children = shaped
    return node


def _shape(node, context):
    """The nodes `node` becomes (none, itself, or what it held)."""
    tag = node.tag
    if tag == "figure":
        _shape_children(node, context)
        return _figure(node)
    if tag == "table" and context[-1:] != ("figure.table",):
        _shape_children(node, context)
        return [Element("figure", {"class": "table"}, [_table(node)])]
    if tag == "div":
        _shape_children(node, context)
        if "gallery" not in node.classes:
            return _unwrapped(node)
        photos = [child for child in node.elements("figure") if child.contains("img")]
        rest = [child for child in node.children if not any(child is photo for photo in photos)]
        kept = [Element("div", {"class": "gallery"}, photos)] if photos else []
        return kept + _unwrapped(Element("div", {}, rest))
    if tag == "aside":
        _shape_children(node, context)
        kind = node.classes & {"pull-quote", "note"}
        if not kind:
            return _unwrapped(node)
        return [Element("aside", {"class": sorted(kind)[0]}, node.children)]
    if tag == "pre":
        return [Element("pre", {}, [Element("code", {}, [node.text()])])]
    if tag == "code":
        return [node.text()]
    return [_shape_children(node, context)]


def shape(html: str) -> str:
    """The body (already through the allowlist) with each block in its shape."""
    root = _shape_children(parse(html))
    return "".join(serialise(child) for child in root.children)
