"""
Hypothesis strategies for hostile input, shared by the property tests and the fuzzing sweep:
HTML built from a grammar of tags and attributes (the newsroom's own and the dangerous ones),
URLs with the tricks browsers forgive, and the strings that break parsers and databases.
"""

from hypothesis import strategies as st

from articles.sanitise import BODY_TAGS

# The body allowlist's elements, and elements that run, load or hide code, or that change how
# a parser reads what follows them.
SAFE_TAGS = sorted(BODY_TAGS)
HOSTILE_TAGS = [
    "script",
    "style",
    "iframe",
    "frame",
    "frameset",
    "object",
    "embed",
    "applet",
    "svg",
    "math",
    "mglyph",
    "malignmark",
    "mtext",
    "foreignObject",
    "desc",
    "title",
    "animate",
    "set",
    "use",
    "form",
    "input",
    "button",
    "textarea",
    "select",
    "option",
    "meta",
    "base",
    "link",
    "noscript",
    "noembed",
    "template",
    "xmp",
    "plaintext",
    "table",
    "td",
    "div",
    "span",
    "details",
    "marquee",
    "body",
    "html",
    "head",
    "h1",
    "h6",
    "pre",
    "video",
    "audio",
    "source",
    "picture",
    "xss",
]
HOSTILE_SCHEMES = [
    "javascript",
    "vbscript",
    "data",
    "file",
    "blob",
    "jar",
    "livescript",
    "ms-its",
    "mhtml",
]
SAFE_SCHEMES = ["http", "https", "mailto", "tel"]
URL_ATTRIBUTES = [
    "href",
    "src",
    "action",
    "formaction",
    "data",
    "poster",
    "background",
    "dynsrc",
    "lowsrc",
    "xlink:href",
    "srcset",
    "cite",
]
OTHER_ATTRIBUTES = [
    "style",
    "class",
    "id",
    "title",
    "alt",
    "width",
    "height",
    "start",
    "rel",
    "target",
    "data-file",
    "data-embed",
    "colspan",
    "scope",
    "srcdoc",
    "autofocus",
    "name",
    "type",
    "content",
    "http-equiv",
    "is",
    "slot",
]
EVENT_HANDLERS = [
    "onload",
    "onerror",
    "onclick",
    "onmouseover",
    "onfocus",
    "ontoggle",
    "onbegin",
    "onanimationstart",
    "onafterscriptexecute",
    "ONLOAD",
    "OnError",
]
PAYLOADS = ["alert(1)", "alert(document.cookie)", "fetch('//evil.example')", "x", ""]

# Characters browsers drop from a URL's scheme (tab, line feed, carriage return), or strip
# from around it (C0 controls and space), and look-alikes they do not.
URL_NOISE = ["\t", "\n", "\r", "\x00", "\x01", "\x0c", "\x1f", " ", "\u00a0", "\u200b", "\ufeff"]


def entity(char):
    """One character written as a reference, in one of the forms HTML accepts."""
    named = {":": ["&colon;"], "\t": ["&Tab;"], "\n": ["&NewLine;"]}.get(char, [])
    return st.sampled_from(
        [
            f"&#{ord(char)};",
            f"&#{ord(char):07d};",
            f"&#x{ord(char):x};",
            f"&#X{ord(char):X};",
            f"&#{ord(char)}",  # without the semicolon
            f"&#x{ord(char):x}",
            *named,
        ]
    )


@st.composite
def disguised(draw, text):
    """`text` with some characters in another case, written as references, or split by noise."""
    out = []
    for char in text:
        form = draw(st.integers(0, 9))
        if form == 0:
            out.append(draw(entity(char)))
        elif form == 1:
            out.append(char.swapcase())
        elif form == 2:
            out.append(draw(st.sampled_from(URL_NOISE)) + char)
        else:
            out.append(char)
    return "".join(out)


@st.composite
def urls(draw):
    """An attribute value meant as a URL: a dangerous or safe scheme, in disguise or not."""
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return draw(
            st.sampled_from(
                [
                    "/world/",
                    "//evil.example/x.js",
                    "#top",
                    "?q=1",
                    "https://example.org/report",
                    "/images/1/0123456789abcdef/body-640.jpg",
                    "/media/images/2024/01/photo.jpg",
                    "/media/renditions/photo-640.webp",
                ]
            )
        )
    scheme = draw(st.sampled_from(HOSTILE_SCHEMES + SAFE_SCHEMES))
    payload = draw(
        st.sampled_from(
            [
                "alert(1)",
                "text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                "image/svg+xml,<svg onload=alert(1)>",
                "//evil.example/",
                "msgbox(1)",
                "desk@example.org",
                "+1-555-0100",
            ]
        )
    )
    lead = draw(st.sampled_from(["", "", " ", "\x01", "\t", "&#14;", "  \n"]))
    written = draw(disguised(scheme + ":")) if kind > 2 else scheme + ":"
    return lead + written + payload


def attribute_value(value):
    """`value` quoted as an attribute may be: double, single, back quotes (text) or bare."""
    return st.sampled_from(
        [
            '"' + value.replace('"', "&quot;") + '"',
            "'" + value.replace("'", "&#39;") + "'",
            "`" + value + "`",
            value.replace(" ", "&#32;").replace(">", "&gt;") or '""',
        ]
    )


@st.composite
def attributes(draw):
    parts = []
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.integers(0, 2))
        if kind == 0:
            name, value = draw(st.sampled_from(URL_ATTRIBUTES)), draw(urls())
        elif kind == 1:
            name, value = draw(st.sampled_from(EVENT_HANDLERS)), draw(st.sampled_from(PAYLOADS))
        else:
            name = draw(st.sampled_from(OTHER_ATTRIBUTES))
            value = draw(
                st.sampled_from(
                    [
                        "figure",
                        "figure-caption",
                        "table",
                        "quote",
                        "embed",
                        "pull-quote",
                        "note",
                        "gallery",
                        "note evil",
                        "col",
                        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
                        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
                        "x",
                        "3",
                        "12",
                        "-1",
                        "expression(alert(1))",
                        "background:url(javascript:alert(1))",
                        "<script>alert(1)</script>",
                        '"><svg onload=alert(1)>',
                        "_blank",
                    ]
                )
            )
        separator = draw(st.sampled_from([" ", " ", "/", "\t", "\n", "  "]))
        parts.append(f"{separator}{name}={draw(attribute_value(value))}")
    return "".join(parts)


TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), min_size=0, max_size=12
) | st.sampled_from(
    [
        "Harbour plan approved",
        "a < b && c > d",
        "&amp;",
        "&lt;script&gt;alert(1)&lt;/script&gt;",
        "&nbsp;",
        "&",
        "<",
        ">",
        '"',
        "'",
        "\x00",
        "\u2028",
        "]]>",
        "-->",
        "javascript:alert(1)",
        "https://example.org/a?b=1&c=2",
        "\ue000mark\ue001",
    ]
)

# Things that are not elements: comments (conditional ones too), CDATA, a doctype,
# processing instructions, stray or broken tags.
ODDITIES = st.sampled_from(
    [
        "<!-- <script>alert(1)</script> -->",
        "<!--<img src=--><img src=x onerror=alert(1)//>",
        "<!--[if IE]><script>alert(1)</script><![endif]-->",
        "<![CDATA[<script>alert(1)</script>]]>",
        "<![CDATA[x]]>",
        "<!DOCTYPE html>",
        "<?xml version='1.0'?>",
        "<?php echo 1 ?>",
        "</p>",
        "</script>",
        "</div></div>",
        "<",
        "<<",
        "</",
        "<a href='javascript:alert(1)'",
        "<img src=x onerror=alert(1)",
        "<scr<script>ipt>alert(1)</script>",
        "<svg><style><img src=x onerror=alert(1)></style></svg>",
        "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
        "<noscript><p title='</noscript><img src=x onerror=alert(1)>'>",
        "<template><script>alert(1)</script></template>",
        "<xmp><script>alert(1)</script></xmp>",
        "<textarea><script>alert(1)</script></textarea>",
        "<title><script>alert(1)</script></title>",
        "<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>",
        "<p></p>",
        "<h2></h2>",
        "<p>&nbsp;</p>",
        "<br>",
    ]
)


def element(children):
    tags = st.sampled_from(SAFE_TAGS) | st.sampled_from(HOSTILE_TAGS)

    @st.composite
    def build(draw):
        tag = draw(tags)
        if draw(st.integers(0, 6)) == 0:
            tag = draw(disguised(tag)).replace("&", "")  # odd case, noise inside the name
        inner = "".join(draw(st.lists(children, max_size=4)))
        close = draw(st.sampled_from([f"</{tag}>", f"</{tag}>", f"</{tag} >", ""]))
        end = draw(st.sampled_from([">", ">", " />", "/>"]))
        return f"<{tag}{draw(attributes())}{end}{inner}{close}"

    return build()


HTML = st.recursive(
    TEXT | ODDITIES,
    lambda children: element(children) | st.lists(children, max_size=4).map("".join),
    max_leaves=25,
)


def hostile_html():
    """A fragment of HTML from the grammar: any mix of safe and hostile markup, in any shape."""
    return HTML


BLOCK_TAGS = [
    *("p", "h2", "h3", "h4", "blockquote", "figure", "figcaption", "li"),
    *("pre", "table", "caption", "thead", "tbody", "tr", "th", "td", "aside", "div"),
]
# Embed addresses: ones a provider answers to, and look-alikes, tricks and other schemes.
EMBED_URLS = [
    "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "https://vimeo.com/76979871",
    "https://x.com/NASA/status/12345",
    "https://open.spotify.com/track/4uLU6hMCjMI75M1A2tKUQC",
    "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
    "https://evil.example@www.youtube.com/watch?v=dQw4w9WgXcQ",
    "http://www.youtube.com/watch?v=dQw4w9WgXcQ",
    "javascript:alert(1)",
    'https://www.youtube.com/watch?v=dQw4w9WgXcQ"><script>alert(1)</script>',
    "https://example.org/a?b=1&c=2",
    "",
]


@st.composite
def _body_element(draw, children):
    tag = draw(st.sampled_from(BLOCK_TAGS) | st.sampled_from(SAFE_TAGS))
    attrs = ""
    if tag == "a":
        attrs = f' href="{draw(urls())}"'
    elif tag == "img":
        attrs = f' src="{draw(urls())}" alt="x" data-file="{draw(st.integers(0, 99))}"'
    elif tag == "figure":
        attrs = draw(
            st.sampled_from(["", ' class="figure"', ' class="table"', ' class="quote"'])
            | st.sampled_from(EMBED_URLS).map(
                lambda url: f' class="embed" data-embed="{url.replace(chr(34), "&quot;")}"'
            )
        )
    elif tag == "figcaption":
        attrs = draw(st.sampled_from(["", ' class="figure-caption"']))
    elif tag == "aside":
        attrs = draw(st.sampled_from(["", ' class="pull-quote"', ' class="note"', ' class="x"']))
    elif tag == "div":
        attrs = draw(st.sampled_from(["", ' class="gallery"']))
    elif tag in ("th", "td"):
        attrs = draw(st.sampled_from(["", ' colspan="2"', ' scope="col"', ' rowspan="x"']))
    elif tag == "ol":
        attrs = draw(st.sampled_from(["", ' start="3"']))
    inner = "".join(draw(st.lists(children, max_size=3)))
    return f"<{tag}{attrs}>{inner}</{tag}>"


BODY_HTML = st.recursive(
    st.sampled_from(["", " ", "\n", "&nbsp;", "\u00a0", "<br>", "word", "Two words."]),
    lambda children: _body_element(children) | st.lists(children, max_size=3).map("".join),
    max_leaves=12,
)


def body_html():
    """A body as the editor makes it: only allowed elements, nested any way, often empty."""
    return BODY_HTML


# What a reader can type into a search box: any characters, and the query language's own
# pieces (quotes, minus, OR) mixed with other search engines' operators, over and over.
QUERY_PIECES = [
    "harbour",
    "plan",
    "Harbour",
    "votes",
    '"',
    '"harbour plan"',
    "-",
    "-harbour",
    "OR",
    "or",
    "AND",
    "NOT",
    "NEAR",
    "NEAR(harbour plan)",
    "*",
    "harbour*",
    "^",
    ":",
    "headline:harbour",
    "(",
    ")",
    "{",
    "}",
    "+",
    "'",
    "''",
    "%",
    "_",
    "\\",
    "&",
    "|",
    "!",
    "<mark>",
    "\x00",
    "\x07",
    "\x1b[31m",
    "\ue000",
    "\ue001",
    "\u200b",
    "\u3000",
    "ハーバー",
    "𝔥𝔞𝔯𝔟𝔬𝔲𝔯",
    "ǅ",
    "Ⅻ",
    "²",
    "a\u0301",
    "'; DROP TABLE articles_article; --",
]
ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]))


@st.composite
def _query_of_pieces(draw):
    pieces = draw(st.lists(st.sampled_from(QUERY_PIECES) | ANY_TEXT, max_size=25))
    separators = st.sampled_from([" ", " ", "", "\t", "\n", "  ", "\u00a0"])
    return "".join(piece + draw(separators) for piece in pieces)


def queries():
    """Any text, the query language's pieces in any order, and very long repetitions."""
    return (
        ANY_TEXT
        | _query_of_pieces()
        | st.builds(lambda piece, times: piece * times, _query_of_pieces(), st.integers(1, 600))
    )
