from django.conf import settings
from django.utils.functional import SimpleLazyObject

from newsroom import pagecache

from .models import Article, Section

BREAKING_STORIES_SHOWN = 3


def newsroom(request):
    """
    The publication's name, the sections in the navigation and the breaking-news banner,
    for every page. Both lists are kept in the cache until the site changes (or a banner
    comes down, or a breaking story comes due), and looked up only by a page that shows them.
    """
    return {
        "publication_name": settings.NEWSROOM_PUBLICATION_NAME,
        "publication_tagline": settings.NEWSROOM_PUBLICATION_TAGLINE,
        "nav_sections": SimpleLazyObject(navigation),
        "breaking_news": SimpleLazyObject(breaking_news),
    }


def navigation():
    return pagecache.remembered(
        "navigation", lambda: list(Section.objects.filter(show_in_nav=True, parent=None))
    )


def breaking_news():
    return pagecache.remembered(
        "breaking",
        lambda: list(Article.objects.live().breaking()[:BREAKING_STORIES_SHOWN]),
        until=lambda _stories: pagecache.horizon(),
    )
