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

from .models import Byline, Correction
from .renditions import share_image

SCHEMA = "https://schema.org"
_SCRIPT_ESCAPES = {ord("<"): "\\u003c", ord(">"): "\\u003e", ord("&"): "\\u0026"}


def json_ld_script(data):
    """`data` as a JSON-LD <script> element, safe whatever text it holds."""
    text = json.dumps(data, ensure_ascii=False)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text.translate(_SCRIPT_ESCAPES)),
    )


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


def publisher(request):
    """The publication: a NewsMediaOrganization with its logo."""
    width, height = settings.NEWSROOM_PUBLISHER_LOGO_SIZE
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.NEWSROOM_PUBLICATION_NAME,
        "url": request.build_absolute_uri(reverse("articles:home")),
        "logo": {
            "@type": "ImageObject",
            "url": logo_url(request),
            "width": width,
            "height": height,
        },
    }


def logo_url(request):
    return request.build_absolute_uri(static(settings.NEWSROOM_PUBLISHER_LOGO))


def person(author, request):
    return {
        "@type": "Person",
        "name": author.name,
        "url": request.build_absolute_uri(author.get_absolute_url()),
    }


def date_modified(article):
    """The last change readers were told of: an update, or a correction, or publication."""
    times = [article.publish_at, article.last_updated_at]
    times += [correction.published_at for correction in article.corrections.all()]
    return max(time for time in times if time is not None)


def news_article(article, request):
    """schema.org NewsArticle of a live story (fetched with for_article_page())."""
    url = request.build_absolute_uri(article.get_absolute_url())
    bylines = list(article.bylines.all())
    writers = [b.author for b in bylines if b.role != Byline.Role.PHOTOGRAPHER]
    photographers = [b.author for b in bylines if b.role == Byline.Role.PHOTOGRAPHER]
    if article.byline_override:
        authors = [{"@type": "Organization", "name": article.byline_override}]
    elif writers:
        authors = [person(author, request) for author in writers]
    else:
        authors = [publisher(request)]
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
        "publisher": publisher(request),
        "articleSection": article.section.name,
        "inLanguage": settings.LANGUAGE_CODE,
        "isAccessibleForFree": True,
        "wordCount": len(article.body_text.split()),
    }
    if photographers:
        data["contributor"] = [person(author, request) for author in photographers]
    if article.lead_image:
        photo = share_image(article.lead_image)
        data["image"] = [
            {
                "@type": "ImageObject",
                "url": request.build_absolute_uri(photo.url),
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


def website(request):
    """The home page: the WebSite, with its search, and the publisher."""
    home = request.build_absolute_uri(reverse("articles:home"))
    search = request.build_absolute_uri(reverse("articles:search"))
    return {
        "@context": SCHEMA,
        "@type": "WebSite",
        "name": settings.NEWSROOM_PUBLICATION_NAME,
        "description": settings.NEWSROOM_PUBLICATION_TAGLINE,
        "url": home,
        "inLanguage": settings.LANGUAGE_CODE,
        "publisher": publisher(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {"@type": "EntryPoint", "urlTemplate": f"{search}?q={{search_term_string}}"},
            "query-input": "required name=search_term_string",
        },
    }


def collection_page(section, articles, request):
    """A section front: a CollectionPage listing the stories on the page, in order."""
    url = request.build_absolute_uri(section.get_absolute_url())
    return {
        "@context": SCHEMA,
        "@type": "CollectionPage",
        "name": section.name,
        "description": section.description or section.name,
        "url": url,
        "isPartOf": {
            "@type": "WebSite",
            "name": settings.NEWSROOM_PUBLICATION_NAME,
            "url": request.build_absolute_uri(reverse("articles:home")),
        },
        "publisher": publisher(request),
        "mainEntity": {
            "@type": "ItemList",
            "itemListElement": [
                {
                    "@type": "ListItem",
                    "position": position,
                    "url": request.build_absolute_uri(article.get_absolute_url()),
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


def article_sharing(article, request):
    """Open Graph and Twitter card tags of a live story."""
    url = request.build_absolute_uri(article.get_absolute_url())
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
        image_url = request.build_absolute_uri(photo.url)
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
        tags += [("name", "twitter:card", "summary"), ("property", "og:image", logo_url(request))]
    return tags


def page_sharing(request, *, title, description, url):
    """Open Graph and Twitter card tags of a home or section page: the publisher's logo."""
    tags = _site_tags(kind="website", title=title, description=description, url=url)
    return [*tags, ("name", "twitter:card", "summary"), ("property", "og:image", logo_url(request))]
