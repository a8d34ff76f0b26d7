"""
`{% story_card article "tile" %}` and `{% lead_story article %}`: a story as a list shows it
(templates/articles/_story_card.html, _lead_story.html), kept rendered by each server process
until the story changes (newsroom/fragments.py). A kept card costs neither a template include
nor the story's data (`Article.objects.cards()`).
"""

from django import template
from django.utils.safestring import mark_safe

from newsroom.fragments import fragment

from ..freshness import story

register = template.Library()


def kept_card(context, name, template_name, article, **shown):
    def render():
        card = context.template.engine.get_template(template_name)
        return card.render(context.new({"article": article, **shown}))

    piece = (name, article.pk, *shown.values())
    return mark_safe(fragment(context.get("request"), piece, [story(article.pk)], render))


@register.simple_tag(takes_context=True)
def story_card(context, article, spec="card"):
    return kept_card(context, "card", "articles/_story_card.html", article, card_spec=spec)


@register.simple_tag(takes_context=True)
def lead_story(context, article):
    return kept_card(context, "lead", "articles/_lead_story.html", article)
