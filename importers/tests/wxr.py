"""
WordPress exports (WXR 1.2) written by the tests, shaped as WordPress writes them: the
channel's site fields, authors, categories and tags, then items with CDATA content, post
meta and comments.

    write_export(tmp_path, items=[post(101, "Harbour plan", comments=[comment(1)])])
"""

from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

SITE = "https://harbourtimes.example.org"


def cdata(text: str) -> str:
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


@dataclass
class Comment:
    wp_id: int
    content: str = "A fair point about the harbour."
    author: str = "Maria Lopes"
    email: str = "maria@example.org"
    url: str = ""
    ip: str = "198.51.100.7"
    date: str = "2024-01-04 10:00:00"
    date_gmt: str = "2024-01-04 10:00:00"
    approved: str = "1"
    type: str = "comment"
    parent: int = 0
    agent: str = "Mozilla/5.0"

    def xml(self) -> str:
        return f"""
      <wp:comment>
        <wp:comment_id>{self.wp_id}</wp:comment_id>
        <wp:comment_author>{cdata(self.author)}</wp:comment_author>
        <wp:comment_author_email>{cdata(self.email)}</wp:comment_author_email>
        <wp:comment_author_url>{escape(self.url)}</wp:comment_author_url>
        <wp:comment_author_IP>{cdata(self.ip)}</wp:comment_author_IP>
        <wp:comment_date>{cdata(self.date)}</wp:comment_date>
        <wp:comment_date_gmt>{cdata(self.date_gmt)}</wp:comment_date_gmt>
        <wp:comment_content>{cdata(self.content)}</wp:comment_content>
        <wp:comment_approved>{cdata(self.approved)}</wp:comment_approved>
        <wp:comment_type>{cdata(self.type)}</wp:comment_type>
        <wp:comment_parent>{self.parent}</wp:comment_parent>
        <wp:comment_user_id>0</wp:comment_user_id>
        <wp:comment_agent>{cdata(self.agent)}</wp:comment_agent>
      </wp:comment>"""


def comment(wp_id: int, **fields) -> Comment:
    return Comment(wp_id, **fields)


@dataclass
class Item:
    wp_id: int
    title: str = "Council approves harbour plan"
    post_type: str = "post"
    status: str = "publish"
    slug: str = ""
    content: str = "The council voted on Tuesday.\n\nWork starts in spring."
    excerpt: str = ""
    creator: str = "ana"
    date: str = "2024-01-04 09:30:00"
    date_gmt: str = "2024-01-04 09:30:00"
    link: str = ""
    parent: int = 0
    comment_status: str = "open"
    categories: list[tuple[str, str]] = field(default_factory=list)
    tags: list[tuple[str, str]] = field(default_factory=list)
    meta: dict[str, str] = field(default_factory=dict)
    comments: list[Comment] = field(default_factory=list)
    attachment_url: str = ""
    mime_type: str = ""
    password: str = ""
    sticky: bool = False
    site: str = SITE

    def xml(self) -> str:
        slug = self.slug
        link = self.link or (
            f"{self.site}/{self.date[:10].replace('-', '/')}/{slug}/"
            if slug and self.status == "publish"
            else f"{self.site}/?p={self.wp_id}"
        )
        terms = "".join(
            f'\n      <category domain="category" nicename={quoteattr(nicename)}>'
            f"{cdata(name)}</category>"
            for nicename, name in self.categories
        ) + "".join(
            f'\n      <category domain="post_tag" nicename={quoteattr(nicename)}>'
            f"{cdata(name)}</category>"
            for nicename, name in self.tags
        )
        meta = "".join(
            f"""
      <wp:postmeta>
        <wp:meta_key>{cdata(key)}</wp:meta_key>
        <wp:meta_value>{cdata(value)}</wp:meta_value>
      </wp:postmeta>"""
            for key, value in self.meta.items()
        )
        attachment = (
            f"\n      <wp:attachment_url>{cdata(self.attachment_url)}</wp:attachment_url>"
            if self.attachment_url
            else ""
        )
        return f"""
    <item>
      <title>{cdata(self.title)}</title>
      <link>{escape(link)}</link>
      <pubDate>Thu, 04 Jan 2024 09:30:00 +0000</pubDate>
      <dc:creator>{cdata(self.creator)}</dc:creator>
      <guid isPermaLink="false">{escape(self.site)}/?p={self.wp_id}</guid>
      <description></description>
      <content:encoded>{cdata(self.content)}</content:encoded>
      <excerpt:encoded>{cdata(self.excerpt)}</excerpt:encoded>
      <wp:post_id>{self.wp_id}</wp:post_id>
      <wp:post_date>{cdata(self.date)}</wp:post_date>
      <wp:post_date_gmt>{cdata(self.date_gmt)}</wp:post_date_gmt>
      <wp:post_modified>{cdata(self.date)}</wp:post_modified>
      <wp:comment_status>{cdata(self.comment_status)}</wp:comment_status>
      <wp:ping_status>{cdata("open")}</wp:ping_status>
      <wp:post_name>{cdata(slug)}</wp:post_name>
      <wp:status>{cdata(self.status)}</wp:status>
      <wp:post_parent>{self.parent}</wp:post_parent>
      <wp:menu_order>0</wp:menu_order>
      <wp:post_type>{cdata(self.post_type)}</wp:post_type>
      <wp:post_password>{cdata(self.password)}</wp:post_password>
      <wp:is_sticky>{int(self.sticky)}</wp:is_sticky>
      <wp:post_mime_type>{cdata(self.mime_type)}</wp:post_mime_type>{attachment}{terms}{meta}{
            "".join(c.xml() for c in self.comments)
        }
    </item>"""


def post(wp_id: int, title: str = "Council approves harbour plan", **fields) -> Item:
    fields.setdefault("slug", f"story-{wp_id}")
    return Item(wp_id, title, **fields)


def attachment(wp_id: int, file: str, *, alt: str = "", title: str = "", **fields) -> Item:
    """An uploaded photo: `file` is its path under wp-content/uploads, e.g. 2024/01/a.jpg."""
    meta = {"_wp_attached_file": file}
    if alt:
        meta["_wp_attachment_image_alt"] = alt
    fields.setdefault("mime_type", "image/jpeg")
    return Item(
        wp_id,
        title or file.rsplit("/", 1)[-1].rsplit(".", 1)[0],
        post_type="attachment",
        status="inherit",
        slug=f"attachment-{wp_id}",
        content="",
        attachment_url=f"{SITE}/wp-content/uploads/{file}",
        meta=meta | fields.pop("meta", {}),
        **fields,
    )


def author(login: str, display_name: str, email: str = "") -> str:
    return f"""
    <wp:author>
      <wp:author_id>{sum(map(ord, login))}</wp:author_id>
      <wp:author_login>{cdata(login)}</wp:author_login>
      <wp:author_email>{cdata(email or login + "@example.org")}</wp:author_email>
      <wp:author_display_name>{cdata(display_name)}</wp:author_display_name>
      <wp:author_first_name>{cdata("")}</wp:author_first_name>
      <wp:author_last_name>{cdata("")}</wp:author_last_name>
    </wp:author>"""


def category(term_id: int, nicename: str, name: str, parent: str = "", description="") -> str:
    return f"""
    <wp:category>
      <wp:term_id>{term_id}</wp:term_id>
      <wp:category_nicename>{cdata(nicename)}</wp:category_nicename>
      <wp:category_parent>{cdata(parent)}</wp:category_parent>
      <wp:cat_name>{cdata(name)}</wp:cat_name>
      <wp:category_description>{cdata(description)}</wp:category_description>
    </wp:category>"""


def tag(term_id: int, nicename: str, name: str) -> str:
    return f"""
    <wp:tag>
      <wp:term_id>{term_id}</wp:term_id>
      <wp:tag_slug>{cdata(nicename)}</wp:tag_slug>
      <wp:tag_name>{cdata(name)}</wp:tag_name>
    </wp:tag>"""


DEFAULT_AUTHORS = (author("ana", "Ana Ruiz"), author("ben", "Ben Okafor"))


def export_xml(
    *,
    items=(),
    authors=DEFAULT_AUTHORS,
    categories=(),
    tags=(),
    version="1.2",
    site=SITE,
    base_site=None,
    namespace="http://wordpress.org/export",
    terms_after_items=False,
) -> str:
    """
    An export of the blog at `site`; `base_site` is the network's address when it differs
    (WordPress.com or a multisite), `namespace` the start of WordPress's namespaces.
    """
    declarations = "".join(authors) + "".join(categories) + "".join(tags)
    body = "".join(item.xml() for item in items)
    head, tail = (body, declarations) if terms_after_items else (declarations, body)
    return f"""<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0"
  xmlns:excerpt="{namespace}/{version}/excerpt/"
  xmlns:content="http://purl.org/rss/1.0/modules/content/"
  xmlns:wfw="http://wellformedweb.org/CommentAPI/"
  xmlns:dc="http://purl.org/dc/elements/1.1/"
  xmlns:wp="{namespace}/{version}/">
  <channel>
    <title>The Harbour Times</title>
    <link>{site}</link>
    <description>News from the harbour</description>
    <pubDate>Fri, 05 Jan 2024 12:00:00 +0000</pubDate>
    <language>en-GB</language>
    <wp:wxr_version>{version}</wp:wxr_version>
    <wp:base_site_url>{base_site or site}</wp:base_site_url>
    <wp:base_blog_url>{site}</wp:base_blog_url>
    <generator>https://wordpress.org/?v=6.4.2</generator>{head}{tail}
  </channel>
</rss>
"""


def write_export(folder, name="export.xml", **options):
    path = folder / name
    path.write_text(export_xml(**options), encoding="utf-8")
    return path
