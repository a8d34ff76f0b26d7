import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from articles.models import Article, Author, Byline, Correction, Section, Tag
from comments.models import Comment
from demo.comments import load_demo_comments
from demo.fronts import load_demo_front
from demo.history import give_review_history
from demo.live import load_demo_live
from demo.photos import load_demo_photos
from live.models import LiveCoverage

DEMO_FILE = Path(__file__).resolve().parents[2] / "data" / "newsroom.json"

# One demo account per role. Their passwords are printed, so the command refuses to run
# with DEBUG off unless told it is on a machine nobody else can reach.
DEMO_ACCOUNTS = [
    ("Journalist", "journalist", "newsroom-journalist"),
    ("Editor", "editor", "newsroom-editor"),
    ("Moderator", "moderator", "newsroom-moderator"),
]

STATES = {
    "published": Article.Status.PUBLISHED,
    "scheduled": Article.Status.PUBLISHED,
    "review": Article.Status.REVIEW,
    "draft": Article.Status.DRAFT,
}


class Command(BaseCommand):
    help = (
        "Load the demo newsroom (sections, authors, stories) and one demo account per role. "
        "Safe to run again: what is already there is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off (the demo accounts have published passwords).",
        )

    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "load_demo creates accounts whose passwords are printed for anyone to read; "
                "it runs with DJANGO_DEBUG=true, or with --force on a machine nobody else "
                "can reach."
            )
        demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        with transaction.atomic():
            users = self.load_accounts()
            sections = self.load_sections(demo["sections"])
            authors = self.load_authors(demo["authors"], users)
            photos = load_demo_photos(demo["photos"], uploader=users["editor"])
            created = self.load_stories(demo["stories"], sections, authors, users, photos)
            load_demo_comments(moderator=users["moderator"])
            load_demo_front(demo["home_front"], editor=users["editor"])
            load_demo_live(users=users)

        stories = Article.objects.all()
        live = stories.live().count()
        with_photos = stories.live().filter(lead_image__isnull=False).count()
        scheduled = stories.scheduled().count()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo newsroom ready: {Section.objects.count()} sections, "
                f"{Author.objects.count()} authors, {stories.count()} stories ({created} new): "
                f"{live} live, {scheduled} scheduled, "
                f"{stories.filter(status=Article.Status.REVIEW).count()} in review, "
                f"{stories.filter(status=Article.Status.DRAFT).count()} drafts."
            )
        )
        comments = Comment.objects.all()
        self.stdout.write(
            f"Reader comments: {comments.visible().count()} published, "
            f"{comments.awaiting_moderation().count()} waiting in the moderation queue."
        )
        self.stdout.write(
            f"Photos: {len(photos)} in the library, leading {with_photos} live stories "
            "(demo/data/photos/LICENSES.md)."
        )
        self.stdout.write("Home page: arranged by an editor (Admin → Fronts → Home page).")
        for coverage in LiveCoverage.objects.select_related("article"):
            self.stdout.write(
                f"Live story: “{coverage.article.headline}”, "
                f"{coverage.entries.shown().count()} entries."
            )
        site = settings.NEWSROOM_SITE_URL
        self.stdout.write(f"\nReader site: {site}/\nAdmin: {site}/admin/ — sign in as:\n")
        self.stdout.write(f"  {'role':<12}{'username':<14}password")
        for role, username, password in DEMO_ACCOUNTS:
            self.stdout.write(f"  {role:<12}{username:<14}{password}")
        self.stdout.write("")

    def load_accounts(self):
        User = get_user_model()
        users = {}
        for role, username, password in DEMO_ACCOUNTS:
            user, _created = User.objects.get_or_create(
                username=username,
                defaults={"email": f"{username}@example.org", "first_name": role},
            )
            user.is_staff = True
            user.set_password(password)
            user.save()
            user.groups.add(Group.objects.get(name=role))
            users[username] = user
        return users

    def load_sections(self, rows):
        return {
            row["slug"]: Section.objects.update_or_create(
                slug=row["slug"],
                defaults={
                    "name": row["name"],
                    "description": row["description"],
                    "position": row["position"],
                },
            )[0]
            for row in rows
        }

    def load_authors(self, rows, users):
        authors = {}
        for row in rows:
            author, _created = Author.objects.update_or_create(
                slug=row["slug"], defaults={"name": row["name"], "bio": row["bio"]}
            )
            if row.get("user") and author.user_id is None:
                author.user = users[row["user"]]
                author.save(update_fields=["user"])
            authors[row["slug"]] = author
        return authors

    def load_stories(self, rows, sections, authors, users, photos):
        now = timezone.now()
        existing = set(Article.objects.values_list("slug", flat=True))
        created = 0
        for row in rows:
            if row["slug"] in existing:
                continue
            bylined = [authors[byline["author"]] for byline in row["bylines"]]
            owner = next((author.user for author in bylined if author.user_id), users["editor"])
            status = STATES[row["state"]]
            # A story in review gets there as a real one does, from a draft (demo/history.py).
            has_history = "history" in row
            publish_at = (
                now - timedelta(hours=row["hours_ago"])
                if status == Article.Status.PUBLISHED
                else None
            )
            article = Article.objects.create(
                headline=row["headline"],
                slug=row["slug"],
                kicker=row["kicker"],
                standfirst=row["standfirst"],
                dateline=row["dateline"],
                body=row["body"],
                section=sections[row["section"]],
                byline_override=row["byline_override"],
                comment_mode=row["comment_mode"],
                lead_image=photos.get(row.get("photo")),
                status=Article.Status.DRAFT if has_history else status,
                publish_at=publish_at,
                created_by=owner,
                modified_by=owner,
            )
            Byline.objects.bulk_create(
                Byline(
                    article=article,
                    author=authors[byline["author"]],
                    role=byline["role"],
                    position=position,
                )
                for position, byline in enumerate(row["bylines"])
            )
            article.tags.set(self.tag(name) for name in row["tags"])
            Correction.objects.bulk_create(
                Correction(
                    article=article,
                    kind=correction["kind"],
                    text=correction["text"],
                    published_at=now - timedelta(hours=correction["hours_ago"]),
                    created_by=users["editor"],
                )
                for correction in row["corrections"]
            )
            if has_history:
                give_review_history(article, row["history"], writer=owner, editor=users["editor"])
            created += 1
        return created

    def tag(self, name):
        tag = Tag.objects.filter(name__iexact=name).first()
        return tag or Tag.objects.create(name=name)
