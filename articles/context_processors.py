from django.conf import settings

from .models import Article, Section

BREAKING_STORIES_SHOWN = 3


def newsroom(request):
    """
    The publication's name, the sections in the navigation and the breaking-news banner,
    for every page. The querysets are lazy: a page that shows neither runs no query.
    """
    return {
        "publication_name": settings.NEWSROOM_PUBLICATION_NAME,
        "publication_tagline": settings.NEWSROOM_PUBLICATION_TAGLINE,
        "nav_sections": Section.objects.filter(show_in_nav=True, parent=None),
        "breaking_news": Article.objects.live().breaking()[:BREAKING_STORIES_SHOWN],
    }
