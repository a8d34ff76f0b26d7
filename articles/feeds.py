"""
RSS 2.0 and Atom feeds of the latest live stories, for the whole site and for each section.

Each entry has the headline, the standfirst as its summary, the bylines (RSS `dc:creator`,
Atom `author` with the author page), the publication and update times, the section and tags
as categories, and the lead photo as Media RSS `media:content` (with its alt text and
credit). The photo's address is a rendition in the original format (JPEG or PNG), which
every feed reader can show.
"""

from html import escape
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed

from .models import Article, Section
from .renditions import share_image

STORIES_PER_FEED = 30

DUBLIN_CORE = "http://purl.org/dc/elements/1.1/"
MEDIA_RSS = "http://search.yahoo.com/mrss/"


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
        return {**super().rss_attributes(), "xmlns:dc": DUBLIN_CORE, "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _url in item["bylines"]:
            handler.addQuickElement("dc:creator", name)
        add_media_content(handler, item, self.feed["link"])


class NewsAtomFeed(Atom1Feed):
    """Atom with an author element per byline and Media RSS photos."""

    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_RSS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, url in item["bylines"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            if url:
                handler.addQuickElement("uri", urljoin(self.feed["link"], url))
            handler.endElement("author")
        add_media_content(handler, item, self.feed["link"])


class LatestStoriesFeed(Feed):
    feed_type = NewsRssFeed

    def title(self):
        return f"{settings.NEWSROOM_PUBLICATION_NAME}: latest stories"

    def subtitle(self):
        return settings.NEWSROOM_PUBLICATION_TAGLINE

    description = subtitle

    def author_name(self):
        return settings.NEWSROOM_PUBLICATION_NAME

    def link(self):
        return reverse("articles:home")

    def items(self):
        return Article.objects.live().for_feed()[:STORIES_PER_FEED]

    def item_title(self, article):
        return article.headline

    def item_description(self, article):
        # The summary is HTML in both formats: the standfirst is plain text, so it is escaped.
        return escape(article.description, quote=False)

    def item_link(self, article):
        return article.get_absolute_url()

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
        return {"bylines": bylines, "photo": photo}


class LatestStoriesAtomFeed(LatestStoriesFeed):
    feed_type = NewsAtomFeed


class SectionFeed(LatestStoriesFeed):
    def get_object(self, request, section):
        return get_object_or_404(Section, slug=section)

    def title(self, section):
        return f"{settings.NEWSROOM_PUBLICATION_NAME}: {section.name}"

    def subtitle(self, section):
        return section.description or f"The latest {section.name} stories"

    description = subtitle

    def link(self, section):
        return section.get_absolute_url()

    def items(self, section):
        return Article.objects.live().in_section(section).for_feed()[:STORIES_PER_FEED]


class SectionAtomFeed(SectionFeed):
    feed_type = NewsAtomFeed
