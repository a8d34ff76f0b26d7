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

        post_migrate.connect(install_search_triggers, sender=self)

        from newsroom import pagecache

        from . import freshness
        from .models import Article, Byline, Correction

        # A kept revision of a story holds its fields (tags included) with its bylines and
        # corrections as they were.
        reversion.register(Byline)
        reversion.register(Correction)
        reversion.register(Article, follow=["bylines", "corrections"])

        # Cached pages follow every write of stories and of what every page shows, and time:
        # a scheduled story coming due, a breaking banner coming down.
        freshness.connect()
        pagecache.changes_by_itself(
            "stories", Article.objects.next_change_at, keys=[freshness.STORIES]
        )
