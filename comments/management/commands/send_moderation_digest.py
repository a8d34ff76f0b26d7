from django.core.management.base import BaseCommand

from comments.services import send_moderation_digest


class Command(BaseCommand):
    help = (
        "Email moderators the comments held for review since the last email. Run it from cron "
        "every few minutes: it sends at most one email per notification interval."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            action="store_true",
            help="Send what is waiting even if the last email went out within the interval.",
        )

    def handle(self, *args, now, **options):
        count = send_moderation_digest(force=now)
        if count:
            self.stdout.write(
                f"Told moderators about {count} held comment{'s' if count != 1 else ''}."
            )
        else:
            self.stdout.write("Nothing to send.")
