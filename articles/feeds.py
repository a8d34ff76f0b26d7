"""
RSS 2.0 and Atom feeds of the latest live stories, for the whole site and for each section.

Each entry has the headline, the standfirst as its summary, the bylines (RSS `dc:creator`,
Atom `author` with the author page), the publication and update times, the section and tags
as categories, and the lead photo as Media RSS `media:content` (with its alt text and
credit). The photo's address is a rendition in the original format (JPEG or PNG), which
every feed reader can show. The story's body is the entry's content (RSS `content:encoded`,
Atom `content`), with every address made absolute and each embed as a link to the post: a
feed reader never loads a provider's player.
"""

import re
from html import escape
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from newsroom.site import absolute_url
from photos.renditions import share_image

from .models import Article, Section

STORIES_PER_FEED = 30

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
MEDIA_RSS = "http://search.yahoo.com/mrss/"
CONTENT = "http://purl.org/rss/1.0/modules/content/"

_EMBED = re.compile(
    r'<figure class="embed" data-embed="[^"]*">(<a [^>]*>.*?</a>)</figure>', re.DOTALL
)
_RELATIVE = re.compile(r'(?P<attribute>\b(?:href|src)=")(?P<path>/[^/"][^"]*|/)"')


def feed_body(body):
    """A (sanitised) body for a feed reader: embeds as links, addresses absolute."""
    body = _EMBED.sub(r"<p>\1</p>", body)
    return _RELATIVE.sub(lambda found: f'{found["attribute"]}{absolute_url(found["path"])}"', body)


def add_media_content(handler, item, base_url):
    photo = item.get("photo")
    if photo is None:
        return
    handler.startElement(
        "media:content",
        {
            "url": urljoin(base_url, photo.url),
            "type": photo.mime_type,
            "medium": "image",
            "width": str(photo.width),
            "height": str(photo.height),
        },
    )
    handler.addQuickElement("media:description", photo.alt_text, {"type": "plain"})
    if photo.credit:
        handler.addQuickElement("media:credit", photo.credit)
    handler.endElement("media:content")


class NewsRssFeed(Rss201rev2Feed):
    """RSS 2.0 with Dublin Core creators and Media RSS photos."""

    def rss_attributes(self):
        return {
            **super().rss_attributes(),
            "xmlns:dc": DUBLIN_CORE,
            "xmlns:media": MEDIA_RSS,
            "xmlns:content": CONTENT,
        }

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["content"]:
            handler.addQuickElement("content:encoded", item["content"])
        for name, _url in item["bylines"]:
            handler.addQuickElement("dc:creator", name)
        add_media_content(handler, item, self.feed["link"])


class NewsAtomFeed(Atom1Feed):
    """Atom with an author element per byline and Media RSS photos."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item["content"]:
            handler.addQuickElement("content", item["content"], {"type": "html"})
        for name, url in item["bylines"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if url:
                handler.addQuickElement("uri", urljoin(self.feed["link"], url))
            handler.endElement("author")
        add_media_content(handler, item, self.feed["link"])


class LatestStoriesFeed(Feed):
    """
    Every address in a feed is written on the site's public address (newsroom/site.py), not
    on the Host the request sent.
    """

    feed_type = NewsRssFeed
    url_name = "articles:feed"

    def title(self):
        return f"{settings.NEWSROOM_PUBLICATION_NAME}: latest stories"

    def subtitle(self):
        return settings.NEWSROOM_PUBLICATION_TAGLINE

    description = subtitle

    def author_name(self):
        return settings.NEWSROOM_PUBLICATION_NAME

    def link(self):
        return absolute_url(reverse("articles:home"))

    def feed_url(self):
        return absolute_url(reverse(self.url_name))

    def items(self):
        return Article.objects.live().for_feed()[:STORIES_PER_FEED]

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        # The summary is HTML in both formats: the standfirst is plain text, so it is escaped.
        return escape(article.description, quote=False)

    def item_link(self, article):
        return absolute_url(article.get_absolute_url())

    def item_pubdate(self, article):
        return article.publish_at

    def item_updateddate(self, article):
        if article.was_updated:
            return article.last_updated_at
        return article.publish_at

    def item_categories(self, article):
        return [article.section.name, *(tag.name for tag in article.tags.all())]

    def item_extra_kwargs(self, article):
        if article.byline_override:
            bylines = [(article.byline_override, None)]
        else:
            bylines = [(b.author.name, b.author.get_absolute_url()) for b in article.bylines.all()]
        photo = share_image(article.lead_image) if article.lead_image else None
        return {"bylines": bylines, "photo": photo, "content": feed_body(article.body)}


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = NewsAtomFeed
    url_name = "articles:feed-atom"


class SectionFeed(LatestStoriesFeed):
    url_name = "articles:section-feed"

    def get_object(self, request, section):
        return get_object_or_404(Section, slug=section)

    def title(self, section):
        return f"{settings.NEWSROOM_PUBLICATION_NAME}: {section.name}"

    def subtitle(self, section):
        return section.description or f"The latest {section.name} stories"

    description = subtitle

    def link(self, section):
        return absolute_url(section.get_absolute_url())

    def feed_url(self, section):
        return absolute_url(reverse(self.url_name, kwargs={"section": section.slug}))

    def items(self, section):
        return Article.objects.live().in_section(section).for_feed()[:STORIES_PER_FEED]


class SectionAtomFeed(SectionFeed):
    feed_type = NewsAtomFeed
    url_name = "articles:section-feed-atom"
