from django import template
from django.utils.safestring import mark_safe

from ..forms import fields_html
from ..sections import comment_section_html

register = template.Library()

SECTION_TEMPLATE = "comments/section.html"


@register.simple_tag(takes_context=True)
def comment_section(context, article):
    """
    The comments under a story: count, approved threads, the reader's own held comments,
    and the form (the one with their errors, when the comment view put it in the context).
    A page that worked the section out already passes it as `comment_section`.
    """

    def render(section):
        shown = context.new(section)
        if "csrf_token" in context:
            shown["csrf_token"] = context["csrf_token"]
        return context.template.engine.get_template(SECTION_TEMPLATE).render(shown)

    if "comment_section" in context:
        return mark_safe(render(context["comment_section"]))
    html = comment_section_html(
        context["request"], article, render, form=context.get("comment_form")
    )
    return mark_safe(html)


@register.simple_tag
def comment_form_fields(form):
    """The comment form's fields (comments/_form.html writes the form around them)."""
    return fields_html(form)
