"""
`for_readers`: the (sanitised) body as readers get it. Each embed is a light placeholder: the
title, the provider and a link to the post, with a button that loads the provider's player
only when the reader asks for it (static/js/embeds.js). Nothing from the provider is fetched
before that click; without JavaScript the link still works. A table's box and a code block,
which scroll sideways on a narrow screen, can be scrolled from the keyboard.
"""

import re
from html import unescape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .. import embeds

register = template.Library()

EMBED = re.compile(
    r'<figure class="embed" data-embed="(?P<url>[^"]*)"><a href="[^"]*"[^>]*>(?P<title>.*?)</a>'
    r"</figure>",
    re.DOTALL,
)

ACTIONS = {"frame": "Load {name}", "audio": "Play the audio here", "video": "Play the video here"}


def placeholder(match):
    url = unescape(match["url"])
    found = embeds.match(url)
    title = mark_safe(match["title"])
    if found is None:
        return format_html('<p><a href="{}">{}</a></p>', url, title)
    provider = found.provider
    action = ACTIONS[found.kind].format(name=provider.name)
    notice = (
        format_html(
            '<p class="embed-notice">Loading it connects to {} and lets it set cookies.</p>',
            provider.name,
        )
        if found.kind == "frame"
        else ""
    )
    return format_html(
        '<figure class="embed embed-{slug}" data-embed-kind="{kind}" data-embed-frame="{frame}"'
        ' data-embed-title="{plain_title}">'
        '<div class="embed-placeholder">'
        '<p class="embed-provider">{name}</p>'
        '<p class="embed-title"><a href="{url}">{title}</a></p>'
        '<button type="button" class="button embed-load" hidden>{action}'
        '<span class="visually-hidden">: {plain_title}</span></button>'
        "{notice}"
        "</div></figure>",
        slug=provider.slug,
        kind=found.kind,
        frame=found.frame_url,
        plain_title=unescape(re.sub(r"<[^>]*>", "", match["title"])),
        name=provider.name,
        url=url,
        title=title,
        action=action,
        notice=notice,
    )


SCROLLING = re.compile(r'<figure class="table">|<pre>')


def focusable(match):
    return match[0][:-1] + ' tabindex="0">'


@register.filter
def for_readers(body):
    """The body with each embed as its placeholder (see the module's docstring)."""
    body = SCROLLING.sub(focusable, body)
    if 'class="embed"' in body:
        body = EMBED.sub(placeholder, body)
    return mark_safe(body)
