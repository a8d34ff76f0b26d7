"""`|smart_typography`: curly quotes, dashes and ellipses in headlines (articles/typography.py)."""

from django import template

from articles.typography import smarten

register = template.Library()


@register.filter(is_safe=True)
def smart_typography(value):
    """A headline as a typesetter would set it; safe HTML (a search result's) stays safe."""
    return smarten(str(value)) if value else value
