from django import template

from ..views import comment_section_context

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
