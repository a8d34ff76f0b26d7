from django.conf import settings

from .models import Section


def newsroom(request):
    """The publication's name and the sections in the navigation, for every page."""
    return {
        "publication_name": settings.NEWSROOM_PUBLICATION_NAME,
        "publication_tagline": settings.NEWSROOM_PUBLICATION_TAGLINE,
        "nav_sections": Section.objects.filter(show_in_nav=True, parent=None),
    }
