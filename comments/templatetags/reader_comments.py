from django import template

from ..forms import fields_html
from ..sections import comment_section_context

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, article):
    """
    The comments under a story: count, approved threads, the reader's own held comments,
    and the form (the one with their errors, when the comment view put it in the context).
    A page that worked the section out already passes it as `comment_section`.
    """
    if "comment_section" in context:
        return context["comment_section"]
    return comment_section_context(context["request"], article, form=context.get("comment_form"))


@register.simple_tag
def comment_form_fields(form):
    """The comment form's fields (comments/_form.html writes the form around them)."""
    return fields_html(form)
