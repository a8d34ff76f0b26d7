"""
`{% querystring request.GET|keeping:"q,section" page=2 %}`: a link to another page of the same
list, with only the parameters the page reads. Pages are stored and shared whatever tracking
tags (utm_*, fbclid…) their first reader came with, so their links must not carry them.
"""

from django import template
from django.http import QueryDict

register = template.Library()


@register.filter
def keeping(query, names):
    """`query` (a QueryDict) with only the parameters `names` (comma-separated), in that order."""
    kept = QueryDict(mutable=True)
    for name in filter(None, names.split(",")):
        if name in query:
            kept.setlist(name, query.getlist(name))
    return kept
