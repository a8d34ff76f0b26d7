from django import template

from ..addresses import entry_url
from ..sections import live_section_context, stamp

register = template.Library()


@register.inclusion_tag("live/section.html", takes_context=True)
def live_coverage(context, article):
    """
    The live section of a story: its summary, key events and entries when the story is a live
    story, nothing otherwise. The page depends on the story's live key either way, so that
    starting coverage shows at once.
    """
    return live_section_context(context["request"], article)


@register.simple_tag
def entry_permalink(entry, article):
    """An entry's own address (it lands on the entry, on its story's page)."""
    return entry_url(entry, article)


@register.filter
def live_stamp(moment):
    """A moment as the updates' stamps write it (microseconds since the epoch)."""
    return stamp(moment)
