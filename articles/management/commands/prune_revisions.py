from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.revisions import prunable_revisions


class Command(BaseCommand):
    help = (
        "Delete old kept revisions of stories. Keeps every revision newer than --days, the "
        "newest --keep of each story, and every revision kept while the story was published."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, default=90, help="Keep every revision newer than this (90)."
        )
        parser.add_argument(
            "--keep", type=int, default=10, help="Keep this many newest revisions per story (10)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Say how many would go; delete nothing."
        )

    def handle(self, *args, days, keep, dry_run, **options):
        if days < 0 or keep < 1:
            raise CommandError("--days must be 0 or more and --keep at least 1.")
        before = timezone.now() - timedelta(days=days)
        with transaction.atomic():
            doomed = prunable_revisions(before=before, keep=keep)
            count = doomed.count()
            if not dry_run:
                doomed.delete()
        verb = "Would delete" if dry_run else "Deleted"
        self.stdout.write(f"{verb} {count} revision{'s' if count != 1 else ''}.")
