from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from articles import search_index


class Command(BaseCommand):
    help = (
        "Index every story again and put the search index's triggers back. The index follows "
        "every write by itself; this is for a database restored from a dump without them."
    )

    def add_arguments(self, parser):
        parser.add_argument("--database", default=DEFAULT_DB_ALIAS)

    def handle(self, *args, database, **options):
        connection = connections[database]
        with transaction.atomic(using=database):
            search_index.rebuild(connection)
        self.stdout.write(self.style.SUCCESS("The search index was rebuilt."))
