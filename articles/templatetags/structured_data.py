"""
`{% article_metadata article %}`, `{% home_metadata %}` and `{% section_metadata section
stories %}`: a page's JSON-LD and link-preview tags, made by articles/structured_data.py;
`{% absolute_url path %}`: a path on the site's public address.
"""

from django import template
from django.conf import settings
from django.urls import reverse

from newsroom.site import absolute_url

from .. import structured_data

register = template.Library()

# `{% absolute_url path %}`: a path on the site's public address (canonical links, sitemaps).
register.simple_tag(absolute_url, name="absolute_url")


@register.simple_tag
def article_metadata(article):
    return structured_data.head_elements(
        structured_data.story_description(article),
        structured_data.article_sharing(article),
    )


@register.simple_tag
def home_metadata():
    sharing = structured_data.page_sharing(
        title=settings.NEWSROOM_PUBLICATION_NAME,
        description=settings.NEWSROOM_PUBLICATION_TAGLINE,
        url=absolute_url(reverse("articles:home")),
    )
    return structured_data.head_elements(structured_data.website(), sharing)


@register.simple_tag
def section_metadata(section, stories):
    sharing = structured_data.page_sharing(
        title=f"{section.name} | {settings.NEWSROOM_PUBLICATION_NAME}",
        description=section.description or section.name,
        url=absolute_url(section.get_absolute_url()),
    )
    return structured_data.head_elements(structured_data.collection_page(section, stories), sharing)
