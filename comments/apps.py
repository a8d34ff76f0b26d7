from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate, pre_migrate

from . import counts


def remove_count_triggers(using, **kwargs):
    """
    Before every migrate, on SQLite: a migration that rebuilds the story table renames its new
    copy into place, and SQLite refuses the rename while a trigger elsewhere names the table
    (the comment counts' do). They are put back, and every count checked, after it.
    """
    connection = connections[using]
    if connection.vendor == "sqlite" and counts.is_migrated(connection):
        counts.remove_triggers(connection)


def install_count_triggers(using, **kwargs):
    """
    After every migrate: SQLite drops a table's triggers when a migration rebuilds it, and
    they were taken off for the migrations anyway, so the comment counts' triggers are put
    back and, on SQLite, every story counted again (see counts.py).
    """
    connection = connections[using]
    if counts.is_migrated(connection):
        counts.install_triggers(connection)
        if connection.vendor == "sqlite":
            counts.recount(connection)


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Reader comments"

    def ready(self):
        from newsroom import pagecache

        from . import awaiting, freshness

        pre_migrate.connect(remove_count_triggers, sender=self)
        post_migrate.connect(install_count_triggers, sender=self)
        # Cached pages follow every write of comments; a reader's own held comments make the
        # story page theirs, never shared.
        freshness.connect()
        pagecache.personal_when(awaiting.holds_any)
