"""
Reading a WordPress export (WXR, the "WordPress eXtended RSS" that Tools → Export writes)
as a stream of typed records, in bounded memory whatever the file's size.

The file is parsed with expat through defusedxml: a document that declares a DTD (which a
WordPress export never does) is refused before any entity in it is expanded, so neither an
entity-expansion attack ("billion laughs") nor an external entity reading a local file can
do anything. Each `<item>` and each channel-level term or author is turned into a record
and then dropped from the tree, so memory holds one item at a time.

    for record in read_export(file):
        match record:
            case Site(): ...
            case Author(): ...
            case Term(): ...
            case Item(): ...   # with its comments, terms and post meta
"""

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

SUPPORTED_VERSIONS = ("1.0", "1.1", "1.2")

# WordPress writes http://wordpress.org/export/1.2/ (1.0, 1.1…); WordPress.com writes https.
WP_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/$")
EXCERPT_NAMESPACE = re.compile(r"^https?://wordpress\.org/export/\d+\.\d+/excerpt/$")
NAMESPACES = {
    "http://purl.org/rss/1.0/modules/content/": "content",
    "http://purl.org/dc/elements/1.1/": "dc",
    "http://wellformedweb.org/CommentAPI/": "wfw",
}


class ExportError(ValueError):
    """The file is not a WordPress export we can read; the message says why, for a person."""


@dataclass(frozen=True)
class Site:
    """The channel's description of the site the export came from."""

    title: str
    link: str
    base_site_url: str
    base_blog_url: str
    wxr_version: str


@dataclass(frozen=True)
class Author:
    login: str
    email: str = ""
    display_name: str = ""
    first_name: str = ""
    last_name: str = ""


@dataclass(frozen=True)
class Term:
    """A category (domain "category") or tag (domain "post_tag")."""

    domain: str
    slug: str
    name: str
    term_id: str = ""
    parent_slug: str = ""
    description: str = ""


@dataclass(frozen=True)
class Comment:
    wp_id: str
    author: str
    email: str
    url: str
    ip: str
    date: str
    date_gmt: str
    content: str
    approved: str
    type: str
    parent_id: str
    agent: str = ""


@dataclass(frozen=True)
class Item:
    """A post, page, attachment or any other post type, with what hangs off it."""

    wp_id: str
    post_type: str
    status: str
    title: str = ""
    link: str = ""
    guid: str = ""
    creator: str = ""
    content: str = ""
    excerpt: str = ""
    date: str = ""
    date_gmt: str = ""
    slug: str = ""
    parent_id: str = ""
    comment_status: str = ""
    attachment_url: str = ""
    mime_type: str = ""
    password: str = ""
    sticky: bool = False
    terms: tuple[Term, ...] = ()
    meta: dict[str, str] = field(default_factory=dict)
    comments: tuple[Comment, ...] = ()


@functools.lru_cache(maxsize=512)
def local_name(tag: str) -> str:
    """
    "{http://wordpress.org/export/1.2/}post_id" → "wp:post_id", whatever the export's
    version; "{http://purl.org/dc/elements/1.1/}creator" → "dc:creator"; "title" → "title".
    """
    if not tag.startswith("{"):
        return tag
    namespace, _brace, name = tag[1:].partition("}")
    if WP_NAMESPACE.match(namespace):
        return f"wp:{name}"
    if EXCERPT_NAMESPACE.match(namespace):
        return f"excerpt:{name}"
    prefix = NAMESPACES.get(namespace)
    return f"{prefix}:{name}" if prefix else f"{{{namespace}}}{name}"


def text_of(element, name: str) -> str:
    for child in element:
        if local_name(child.tag) == name:
            return child.text or ""
    return ""


def read_term(element, domain: str) -> Term:
    """A channel-level <wp:category> or <wp:tag>."""
    values = {local_name(child.tag): (child.text or "") for child in element}
    return Term(
        domain=domain,
        slug=values.get(
            "wp:category_nicename" if domain == "category" else "wp:tag_slug", ""
        ).strip(),
        name=values.get("wp:cat_name" if domain == "category" else "wp:tag_name", "").strip(),
        term_id=values.get("wp:term_id", "").strip(),
        parent_slug=values.get("wp:category_parent", "").strip(),
        description=values.get(
            "wp:category_description" if domain == "category" else "wp:tag_description", ""
        ).strip(),
    )


def read_generic_term(element) -> Term:
    """A channel-level <wp:term> (WXR 1.2): any taxonomy's term, its domain the taxonomy."""
    values = {local_name(child.tag): (child.text or "") for child in element}
    return Term(
        domain=values.get("wp:term_taxonomy", "").strip(),
        slug=values.get("wp:term_slug", "").strip(),
        name=values.get("wp:term_name", "").strip(),
        term_id=values.get("wp:term_id", "").strip(),
        parent_slug=values.get("wp:term_parent", "").strip(),
        description=values.get("wp:term_description", "").strip(),
    )


def read_author(element) -> Author:
    values = {local_name(child.tag): (child.text or "") for child in element}
    return Author(
        login=values.get("wp:author_login", "").strip(),
        email=values.get("wp:author_email", "").strip(),
        display_name=values.get("wp:author_display_name", "").strip(),
        first_name=values.get("wp:author_first_name", "").strip(),
        last_name=values.get("wp:author_last_name", "").strip(),
    )


def read_comment(element) -> Comment:
    values = {local_name(child.tag): (child.text or "") for child in element}
    return Comment(
        wp_id=values.get("wp:comment_id", "").strip(),
        author=values.get("wp:comment_author", "").strip(),
        email=values.get("wp:comment_author_email", "").strip(),
        url=values.get("wp:comment_author_url", "").strip(),
        ip=values.get("wp:comment_author_IP", "").strip(),
        date=values.get("wp:comment_date", "").strip(),
        date_gmt=values.get("wp:comment_date_gmt", "").strip(),
        content=values.get("wp:comment_content", ""),
        approved=values.get("wp:comment_approved", "").strip(),
        type=values.get("wp:comment_type", "").strip(),
        parent_id=values.get("wp:comment_parent", "").strip(),
        agent=values.get("wp:comment_agent", "").strip(),
    )


def read_item(element) -> Item:
    values, terms, meta, comments = {}, [], {}, []
    for child in element:
        name = local_name(child.tag)
        if name == "category":
            domain = child.get("domain", "")
            if domain in ("category", "post_tag"):
                terms.append(
                    Term(
                        domain=domain,
                        slug=child.get("nicename", "").strip(),
                        name=(child.text or "").strip(),
                    )
                )
        elif name == "wp:postmeta":
            key = text_of(child, "wp:meta_key")
            if key:
                meta[key] = text_of(child, "wp:meta_value")
        elif name == "wp:comment":
            comments.append(read_comment(child))
        else:
            values[name] = child.text or ""
    return Item(
        wp_id=values.get("wp:post_id", "").strip(),
        post_type=values.get("wp:post_type", "").strip(),
        status=values.get("wp:status", "").strip(),
        title=values.get("title", ""),
        link=values.get("link", "").strip(),
        guid=values.get("guid", "").strip(),
        creator=values.get("dc:creator", "").strip(),
        content=values.get("content:encoded", ""),
        excerpt=values.get("excerpt:encoded", ""),
        date=values.get("wp:post_date", "").strip(),
        date_gmt=values.get("wp:post_date_gmt", "").strip(),
        slug=values.get("wp:post_name", "").strip(),
        parent_id=values.get("wp:post_parent", "").strip(),
        comment_status=values.get("wp:comment_status", "").strip(),
        attachment_url=values.get("wp:attachment_url", "").strip(),
        mime_type=values.get("wp:post_mime_type", "").strip(),
        password=values.get("wp:post_password", ""),
        sticky=values.get("wp:is_sticky", "").strip() not in ("", "0"),
        terms=tuple(terms),
        meta=meta,
        comments=tuple(comments),
    )


CHANNEL_RECORDS = {
    "wp:author": read_author,
    "wp:category": lambda element: read_term(element, "category"),
    "wp:tag": lambda element: read_term(element, "post_tag"),
    "wp:term": read_generic_term,
    "item": read_item,
}
SITE_FIELDS = {
    "title": "title",
    "link": "link",
    "wp:base_site_url": "base_site_url",
    "wp:base_blog_url": "base_blog_url",
    "wp:wxr_version": "wxr_version",
}


def read_export(file) -> Iterator[Site | Author | Term | Item]:
    """
    The records of the export in `file` (a binary file object), in the file's order. The
    Site record comes as soon as the channel's first record (or its end) is reached.

    Raises ExportError for a file that declares a DTD or entities, is not well-formed XML,
    is not RSS, or has no WXR version (an RSS feed is not an export).
    """
    depth = 0
    root = channel = None
    site_fields: dict[str, str] = {}
    site_sent = False
    try:
        for event, element in iterparse(file, events=("start", "end"), forbid_dtd=True):
            if event == "start":
                depth += 1
                if depth == 1:
                    root = element
                    if local_name(element.tag) != "rss":
                        raise ExportError(
                            f"This is not a WordPress export: the document is "
                            f"<{local_name(element.tag)}>, not an RSS document. Export the "
                            "site from WordPress with Tools → Export."
                        )
                elif depth == 2 and local_name(element.tag) == "channel":
                    channel = element
                continue

            depth -= 1
            if depth != 2 or channel is None:
                if depth == 1 and element is channel and not site_sent:
                    yield make_site(site_fields)
                    site_sent = True
                continue
            name = local_name(element.tag)
            if name in SITE_FIELDS:
                site_fields[SITE_FIELDS[name]] = (element.text or "").strip()
            elif name.endswith("}wxr_version"):
                site_fields["unknown_namespace"] = name[1:].partition("}")[0]
            elif name in CHANNEL_RECORDS:
                if not site_sent:
                    yield make_site(site_fields)
                    site_sent = True
                yield CHANNEL_RECORDS[name](element)
            # What has been read is dropped: memory holds one item at a time.
            channel.remove(element)
    except DefusedXmlException:
        raise ExportError(
            "The file declares a DTD or entities (<!DOCTYPE …>). A WordPress export never "
            "does, and they can be used to attack the importer, so the file was refused."
        ) from None
    except ParseError as error:
        raise ExportError(describe_parse_error(error)) from None
    if root is not None and channel is None:
        raise ExportError("This is an RSS document without a <channel>: not a WordPress export.")


def make_site(fields: dict[str, str]) -> Site:
    version = fields.get("wxr_version", "")
    if not version and fields.get("unknown_namespace"):
        raise ExportError(
            f"This export names its WordPress namespace “{fields['unknown_namespace']}”, which "
            "no version of WordPress writes (http:// or https://wordpress.org/export/1.0/, "
            "1.1/ or 1.2/)."
        )
    if not version:
        raise ExportError(
            "This is an RSS feed, not a WordPress export: it has no <wp:wxr_version>. "
            "Export the site from WordPress with Tools → Export."
        )
    if version not in SUPPORTED_VERSIONS:
        raise ExportError(
            f"This export is WXR version {version}; versions {', '.join(SUPPORTED_VERSIONS)} "
            "can be imported."
        )
    return Site(
        title=fields.get("title", ""),
        link=fields.get("link", ""),
        base_site_url=fields.get("base_site_url", "") or fields.get("link", ""),
        base_blog_url=fields.get("base_blog_url", "") or fields.get("link", ""),
        wxr_version=version,
    )


def describe_parse_error(error: ParseError) -> str:
    line, column = getattr(error, "position", (0, 0))
    reason = str(error).split(":", 1)[0]
    if reason in ("no element found", "unclosed token"):
        return (
            "The file is empty or ends in the middle of the export (it may not have finished "
            "downloading)."
        )
    hint = ""
    if "invalid token" in reason or "encoding" in reason:
        hint = (
            " The file may not be in the encoding it declares (a WordPress export is UTF-8), "
            "or it was damaged when edited."
        )
    return f"The file is not well-formed XML: {reason} at line {line}, column {column + 1}.{hint}"
