from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def install_search_triggers(using, **kwargs):
    """
    After every migrate: SQLite drops a table's triggers when a migration rebuilds it, so
    the search index's triggers are put back (see search_index.py).
    """
    from . import search_index

    connection = connections[using]
    if search_index.is_migrated(connection):
        search_index.install_triggers(connection)


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = "Stories"

    def ready(self):
        import reversion
        from django.db.models.signals import post_delete, post_save

        post_migrate.connect(install_search_triggers, sender=self)

        from . import caching
        from .models import Article, Author, Byline, Correction, Image, Section, Tag

        # A kept revision of a story holds its fields (tags included) with its bylines and
        # corrections as they were.
        reversion.register(Byline)
        reversion.register(Correction)
        reversion.register(Article, follow=["bylines", "corrections"])

        # What every page shows: the navigation, bylines, tags, photos.
        for model in (Section, Author, Tag, Image):
            post_save.connect(caching.site_changed, sender=model, dispatch_uid=f"pages-{model}")
            post_delete.connect(caching.site_changed, sender=model, dispatch_uid=f"pages-{model}")
