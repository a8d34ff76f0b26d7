"""
HTML read as a browser reads it (html5lib follows the WHATWG parsing rules), for tests that
judge markup by what it becomes in a page, not by how its text looks.
"""

import re
import xml.etree.ElementTree as ET

import html5lib

# What a browser strips from around a URL (C0 controls and space) and removes from inside it
# (tab, line feed, carriage return) before it reads the scheme.
_URL_OUTER = "".join(chr(code) for code in range(0x21))
_URL_INSIDE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):")


def fragment(markup, container="div"):
    """`markup` parsed as the content of a `container` element: an ElementTree element."""
    return html5lib.parseFragment(
        markup, container=container, treebuilder="etree", namespaceHTMLElements=False
    )


def elements(tree):
    """Every element below `tree` (comments included, as elements whose tag is a function)."""
    return [node for node in tree.iter() if node is not tree]


def is_comment(node):
    return node.tag is ET.Comment


def url_scheme(value):
    """
    The scheme a browser reads in an attribute's URL (entities are already decoded by the
    parser), lower case; "" for a relative URL.
    """
    cleaned = _URL_INSIDE.sub("", value.strip(_URL_OUTER))
    match = _SCHEME.match(cleaned)
    return match.group(1).lower() if match else ""


def text(tree):
    """Every character of text below `tree`, as the reader sees it, markup left out."""
    return "".join(tree.itertext())
