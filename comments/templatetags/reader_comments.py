from django import template

from ..views import comment_section_context

register = template.Library()


@register.inclusion_tag("comments/section.html", takes_context=True)
def comment_section(context, article):
    """
    The comments under a story: count, approved threads, the reader's own held comments,
    and the form (the one with their errors, when the comment view put it in the context).
    """
    return comment_section_context(context["request"], article, form=context.get("comment_form"))
