"""
What a page tells search engines and link previews about itself, all of it made here from
the models: schema.org JSON-LD (NewsArticle for a story, WebSite with a SearchAction for the
home page, CollectionPage with an ItemList for a section), and Open Graph and Twitter card
meta tags. Nothing here runs a query: the pages' own queries fetch what is shown (bylines,
tags, corrections, lead photo and renditions).

Text from the newsroom (headlines, names, corrections) goes into a <script> element, where
HTML escaping does not apply: `json_ld_script` writes <, > and & as JSON escapes, so no
text can close the element.
"""

import json

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from newsroom.site import absolute_url
from photos.renditions import share_image

from .models import Byline, Correction

SCHEMA = "https://schema.org"
# Functions `(article, data) -> data` that apps plug in (`describes_stories()`) to say more
# of a story than the NewsArticle made here: live coverage makes it a LiveBlogPosting.
_STORY_DESCRIPTIONS = []


def json_ld_script(data):
    """`data` as a JSON-LD <script> element, safe whatever text it holds."""
    text = (
        json.dumps(data, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
    )
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


def head_elements(data, tags):
    """A page's JSON-LD `data` and its link-preview meta `tags`, for its <head>."""
    return format_html("{}\n{}", json_ld_script(data), meta_tags(tags))


def meta_tags(tags):
    """<meta> elements for [(attribute, name, content)], in order, values escaped."""
    return format_html_join(
        "\n", '<meta {}="{}" content="{}">', ((a, n, c) for a, n, c in tags if c)
    )


def iso(moment):
    """A time as schema.org and Open Graph want it: ISO 8601 in the newsroom's time zone."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def publisher():
    """The publication: a NewsMediaOrganization with its logo."""
    width, height = settings.NEWSROOM_PUBLISHER_LOGO_SIZE
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_PUBLICATION_NAME,
        "url": absolute_url(reverse("articles:home")),
        "logo": {
            "@type": "ImageObject",
            "url": logo_url(),
            "width": width,
            "height": height,
        },
    }


def logo_url():
    return absolute_url(static(settings.NEWSROOM_PUBLISHER_LOGO))


def person(author):
    return {
        "@type": "Person",
        "name": author.name,
        "url": absolute_url(author.get_absolute_url()),
    }


def date_modified(article):
    """The last change readers were told of: an update, or a correction, or publication."""
    times = [article.publish_at, article.last_updated_at]
    times += [correction.published_at for correction in article.corrections.all()]
    return max(time for time in times if time is not None)


def news_article(article):
    """schema.org NewsArticle of a live story (fetched with for_article_page())."""
    url = absolute_url(article.get_absolute_url())
    bylines = list(article.bylines.all())
    writers = [b.author for b in bylines if b.role != Byline.Role.PHOTOGRAPHER]
    photographers = [b.author for b in bylines if b.role == Byline.Role.PHOTOGRAPHER]
    if article.byline_override:
        authors = [{"@type": "Organization", "name": article.byline_override}]
    elif writers:
        authors = [person(author) for author in writers]
    else:
        authors = [publisher()]
    data = {
        "@context": SCHEMA,
        "@type": "NewsArticle",
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "headline": article.headline,
        "description": article.description,
        "datePublished": iso(article.first_published_at or article.publish_at),
        "dateModified": iso(date_modified(article)),
        "author": authors,
        "publisher": publisher(),
        "articleSection": article.section.name,
        "inLanguage": settings.LANGUAGE_CODE,
        "isAccessibleForFree": True,
        "wordCount": len(article.body_text.split()),
        # The words of the body, as search reads them: tables, quotes and notes, no addresses.
        "articleBody": article.body_text,
    }
    if photographers:
        data["contributor"] = [person(author) for author in photographers]
    if article.lead_image:
        photo = share_image(article.lead_image)
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": absolute_url(photo.url),
                "width": photo.width,
                "height": photo.height,
                "caption": article.lead_caption or photo.alt_text,
                **({"creditText": photo.credit} if photo.credit else {}),
            }
        ]
    if tags := [tag.name for tag in article.tags.all()]:
        data["keywords"] = tags
    if article.dateline:
        data["locationCreated"] = {"@type": "Place", "name": article.dateline}
    corrections = [c for c in article.corrections.all() if c.kind == Correction.Kind.CORRECTION]
    if corrections:
        data["correction"] = [
            {"@type": "CorrectionComment", "text": c.text, "datePublished": iso(c.published_at)}
            for c in corrections
        ]
    return data


def describes_stories(describe):
    """
    Plug `describe(article, data)` into every story's JSON-LD: it returns the data to write,
    changed or not. Called by an app's ready(); runs no query of its own beyond what the
    app's part of the page fetches anyway.
    """
    _STORY_DESCRIPTIONS.append(describe)


def story_description(article):
    """A live story's JSON-LD: its NewsArticle, as the apps that plugged in describe it."""
    data = news_article(article)
    for describe in _STORY_DESCRIPTIONS:
        data = describe(article, data)
    return data


def website():
    """The home page: the WebSite, with its search, and the publisher."""
    home = absolute_url(reverse("articles:home"))
    search = absolute_url(reverse("articles:search"))
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": settings.NEWSROOM_PUBLICATION_NAME,
        "description": settings.NEWSROOM_PUBLICATION_TAGLINE,
        "url": home,
        "inLanguage": settings.LANGUAGE_CODE,
        "publisher": publisher(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def collection_page(section, articles):
    """A section front: a CollectionPage listing the stories on the page, in order."""
    url = absolute_url(section.get_absolute_url())
    return {
        "@context": SCHEMA,
        "@type": "CollectionPage",
        "name": section.name,
        "description": section.description or section.name,
        "url": url,
        "isPartOf": {
            "@type": "WebSite",
            "name": settings.NEWSROOM_PUBLICATION_NAME,
            "url": absolute_url(reverse("articles:home")),
        },
        "publisher": publisher(),
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": absolute_url(article.get_absolute_url()),
                    "name": article.headline,
                }
                for position, article in enumerate(articles, start=1)
            ],
        },
    }


def og_locale():
    """Open Graph's language_TERRITORY ("en_GB"), when the language code names a territory."""
    language, _dash, territory = settings.LANGUAGE_CODE.partition("-")
    return f"{language}_{territory.upper()}" if territory else ""


def _site_tags(*, kind, title, description, url):
    """The tags every page shares: what it is, its title, summary and address."""
    return [
        ("property", "og:type", kind),
        ("property", "og:site_name", settings.NEWSROOM_PUBLICATION_NAME),
        ("property", "og:title", title),
        ("property", "og:description", description),
        ("property", "og:url", url),
        ("property", "og:locale", og_locale()),
        ("name", "twitter:site", settings.NEWSROOM_TWITTER_SITE),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ]


def article_sharing(article):
    """Open Graph and Twitter card tags of a live story."""
    url = absolute_url(article.get_absolute_url())
    title = article.seo_title or article.headline
    tags = _site_tags(kind="article", title=title, description=article.description, url=url)
    tags += [
        ("property", "article:published_time", iso(article.publish_at)),
        ("property", "article:modified_time", iso(date_modified(article))),
        ("property", "article:section", article.section.name),
        *(("property", "article:tag", tag.name) for tag in article.tags.all()),
    ]
    if article.lead_image:
        photo = share_image(article.lead_image)
        image_url = absolute_url(photo.url)
        tags += [
            ("property", "og:image", image_url),
            ("property", "og:image:type", photo.mime_type),
            ("property", "og:image:width", str(photo.width)),
            ("property", "og:image:height", str(photo.height)),
            ("property", "og:image:alt", photo.alt_text),
            ("name", "twitter:card", "summary_large_image"),
            ("name", "twitter:image", image_url),
            ("name", "twitter:image:alt", photo.alt_text),
        ]
    else:
        tags += [("name", "twitter:card", "summary"), ("property", "og:image", logo_url())]
    return tags


def page_sharing(*, title, description, url):
    """Open Graph and Twitter card tags of a home or section page: the publisher's logo."""
    tags = _site_tags(kind="website", title=title, description=description, url=url)
    return [*tags, ("name", "twitter:card", "summary"), ("property", "og:image", logo_url())]
