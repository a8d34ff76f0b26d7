"""
`{% article_metadata article %}`, `{% home_metadata %}` and `{% section_metadata section
stories %}`: a page's JSON-LD and link-preview tags, made by articles/structured_data.py.
"""

from django import template
from django.conf import settings
from django.urls import reverse

from .. import structured_data

register = template.Library()


@register.simple_tag(takes_context=True)
def article_metadata(context, article):
    request = context["request"]
    return structured_data.head_elements(
        structured_data.news_article(article, request),
        structured_data.article_sharing(article, request),
    )


@register.simple_tag(takes_context=True)
def home_metadata(context):
    request = context["request"]
    sharing = structured_data.page_sharing(
        request,
        title=settings.NEWSROOM_PUBLICATION_NAME,
        description=settings.NEWSROOM_PUBLICATION_TAGLINE,
        url=request.build_absolute_uri(reverse("articles:home")),
    )
    return structured_data.head_elements(structured_data.website(request), sharing)


@register.simple_tag(takes_context=True)
def section_metadata(context, section, stories):
    request = context["request"]
    sharing = structured_data.page_sharing(
        request,
        title=f"{section.name} | {settings.NEWSROOM_PUBLICATION_NAME}",
        description=section.description or section.name,
        url=request.build_absolute_uri(section.get_absolute_url()),
    )
    return structured_data.head_elements(
        structured_data.collection_page(section, stories, request), sharing
    )
