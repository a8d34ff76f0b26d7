"""
Fill the database with an archive the size of a big newsroom's, fast, to measure how the site
behaves at scale: `manage.py seed_scale --articles 100000 --comments 1000000`.

The text is the demo newsroom's own (its headlines, standfirsts, paragraphs and readers'
comments, recombined), so pages look and weigh like real ones. Rows go in with bulk inserts
in batches; what the models derive in save() is derived here the same way: the sanitised
body, unique slugs, first publication times, comment fingerprints, and the stories' counts of
visible comments.
"""

import ipaddress
import json
import random
import re
import time
from datetime import timedelta
from itertools import islice

from django.core.management.base import BaseCommand, CommandError
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, Author, Byline, Correction, Section, Tag
from articles.sanitise import sanitise_body
from comments.models import Comment
from demo.comments import DEMO_FILE as DEMO_COMMENTS_FILE
from demo.management.commands.load_demo import DEMO_FILE

Status = Article.Status

# Twelve sections: the demo's six, and six subsections whose stories also fill their parent's
# front. The weights make the World front (with Europe and Americas) hold about a third of
# the archive, so a deep page of a section front exists even in a small seed.
SECTIONS = [
    # slug, name, parent, weight
    ("world", "World", None, 12),
    ("europe", "Europe", "world", 10),
    ("americas", "Americas", "world", 8),
    ("politics", "Politics", None, 10),
    ("elections", "Elections", "politics", 4),
    ("business", "Business", None, 10),
    ("markets", "Markets", "business", 6),
    ("science", "Science", None, 8),
    ("health", "Health", "science", 6),
    ("culture", "Culture", None, 10),
    ("sport", "Sport", None, 10),
    ("football", "Football", "sport", 6),
]
# A story's state: most are live; some scheduled, withdrawn, in review or drafts.
STATES = [
    (Status.PUBLISHED, 950),
    ("scheduled", 10),
    (Status.WITHDRAWN, 10),
    (Status.REVIEW, 15),
    (Status.DRAFT, 15),
]
COMMENT_STATUSES = [
    Comment.Status.APPROVED,
    Comment.Status.PENDING,
    Comment.Status.REJECTED,
    Comment.Status.SPAM,
]
COMMENT_WEIGHTS = [85, 7, 4, 4]
# Foreign keys, named as the rows below name them.
FK_NAMES = {
    "article": "article_id",
    "author": "author_id",
    "tag": "tag_id",
    "section": "section_id",
    "parent": "parent_id",
}
FIRST_NAMES = [
    "Ana",
    "Amara",
    "Ben",
    "Carmen",
    "Chloe",
    "Daniel",
    "Dev",
    "Elena",
    "Farah",
    "Femi",
    "Grace",
    "Hana",
    "Hugo",
    "Ines",
    "Isaac",
    "Jonas",
    "Kai",
    "Lara",
    "Leo",
    "Lina",
    "Maria",
    "Mateo",
    "Mei",
    "Nadia",
    "Noah",
    "Omar",
    "Pete",
    "Priya",
    "Rosa",
    "Sam",
    "Sara",
    "Tomas",
    "Yusuf",
    "Zoe",
]
SURNAMES = [
    "Abbott",
    "Adeyemi",
    "Bianchi",
    "Byrne",
    "Costa",
    "Dahl",
    "Evans",
    "Ferreira",
    "Garcia",
    "Hughes",
    "Ibáñez",
    "Jensen",
    "Khan",
    "Kowalski",
    "Lopes",
    "Marchetti",
    "Moreau",
    "Nwosu",
    "Okafor",
    "Patel",
    "Quinn",
    "Raghunathan",
    "Rossi",
    "Silva",
    "Smith",
    "Tanaka",
    "Walsh",
    "Wright",
    "Yilmaz",
    "Zhou",
]
USER_AGENT = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131"
BLOCK = re.compile(r"<(p|h2|h3|blockquote|ul|ol)\b[^>]*>.*?</\1>", re.DOTALL)


def batched(iterable, size):
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


class Progress:
    """A progress bar on a terminal; a line now and then elsewhere."""

    def __init__(self, out, label, total, *, shown=True):
        self.out, self.label, self.total = out, label, max(total, 1)
        self.done, self.started, self.shown = 0, time.monotonic(), -1
        self.tty, self.quiet = out.isatty(), not shown

    def advance(self, count):
        self.done += count
        if self.quiet:
            return
        percent = self.done * 100 // self.total
        if percent == self.shown or (not self.tty and percent % 10):
            return
        self.shown = percent
        filled = percent * 30 // 100
        line = (
            f"{self.label:<12} [{'#' * filled}{'.' * (30 - filled)}] {percent:3d}% "
            f"{self.done:,}/{self.total:,} {time.monotonic() - self.started:6.1f}s"
        )
        self.out.write(f"\r{line}" if self.tty else line, ending="" if self.tty else "\n")
        self.out.flush()

    def finish(self):
        if self.tty and not self.quiet:
            self.out.write("")


class Command(BaseCommand):
    help = (
        "Fill the database with a large archive (stories with bylines, tags and corrections, "
        "and reader comments in every state) to measure the site at scale. Adds to what is "
        "there; keep it away from a real newsroom's database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, default=100_000)
        parser.add_argument("--comments", type=int, default=1_000_000)
        parser.add_argument("--batch-size", type=int, default=2_000)
        parser.add_argument("--seed", type=int, default=7, help="For the same archive again.")

    def handle(self, *args, articles, comments, batch_size, seed, **options):
        if articles < 1 or comments < 0:
            raise CommandError("Give at least one story and no negative number of comments.")
        self.random = random.Random(seed)
        self.batch_size = batch_size
        self.verbosity = options["verbosity"]
        started = time.monotonic()
        self.load_text()
        self.tune_connection()
        with transaction.atomic():
            sections = self.make_sections()
            authors = self.make_authors(max(20, articles // 500))
            tags = self.make_tags()
        live = self.make_stories(articles, sections, authors, tags)
        self.make_comments(comments, live)
        self.analyse()
        self.stdout.write(
            self.style.SUCCESS(
                f"Seeded {articles:,} stories and {comments:,} comments in "
                f"{time.monotonic() - started:.1f} s on {connection.vendor}."
            )
        )

    def tune_connection(self):
        """
        On SQLite, a page cache large enough for the indexes being filled (a comment's
        fingerprint lands anywhere in its unique index): the default 2 MB makes every
        insert read pages from disk.
        """
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -262144")  # 256 MB

    # Text from the demo newsroom.

    def load_text(self):
        demo = json.loads(DEMO_FILE.read_text(encoding="utf-8"))
        stories = demo["stories"]
        self.headlines = [story["headline"] for story in stories]
        self.kickers = [story["kicker"] for story in stories if story["kicker"]]
        self.standfirsts = [story["standfirst"] for story in stories if story["standfirst"]]
        self.datelines = [story["dateline"] for story in stories]
        self.tag_names = sorted({tag for story in stories for tag in story["tags"]})
        self.corrections = [
            (correction["kind"], correction["text"])
            for story in stories
            for correction in story["corrections"]
        ]
        # Sanitised once: a body made of sanitised blocks is what save() would store.
        blocks = [block.group(0) for story in stories for block in BLOCK.finditer(story["body"])]
        self.paragraphs = [sanitise_body(block) for block in blocks if block.startswith("<p")]
        self.subheads = [sanitise_body(block) for block in blocks if block.startswith("<h2")]
        comments = json.loads(DEMO_COMMENTS_FILE.read_text(encoding="utf-8"))["comments"]
        bodies = [row["body"] for row in comments] + [
            reply["body"] for row in comments for reply in row.get("replies", [])
        ]
        self.comment_sentences = [
            sentence.strip()
            for body in bodies
            for sentence in re.split(r"(?<=[.!?])\s+", body)
            if sentence.strip()
        ]

    def body(self):
        paragraphs = self.random.sample(self.paragraphs, self.random.randint(4, 9))
        if self.random.random() < 0.5:
            paragraphs.insert(len(paragraphs) // 2, self.random.choice(self.subheads))
        return "".join(paragraphs)

    # Sections, authors, tags.

    def make_sections(self):
        sections = {}
        for position, (slug, name, parent, _weight) in enumerate(SECTIONS, start=1):
            sections[slug], _created = Section.objects.get_or_create(
                slug=slug,
                defaults={
                    "name": name,
                    "parent": sections.get(parent),
                    "position": position,
                    "show_in_nav": parent is None,
                },
            )
        return [(sections[slug], weight) for slug, _name, _parent, weight in SECTIONS]

    def make_authors(self, count):
        taken = set(Author.objects.values_list("slug", flat=True))
        new = []
        for first in FIRST_NAMES:
            for surname in SURNAMES:
                slug = slugify(f"{first} {surname}")
                if slug not in taken:
                    new.append(Author(name=f"{first} {surname}", slug=slug))
                    taken.add(slug)
        self.random.shuffle(new)
        Author.objects.bulk_create(new[:count], batch_size=self.batch_size)
        return list(Author.objects.values_list("pk", flat=True))

    def make_tags(self):
        names = set(self.tag_names)
        places = sorted({dateline for dateline in self.datelines if dateline})
        names |= {f"{place} {topic.lower()}" for place in places for topic in self.tag_names[:8]}
        existing = {name.casefold() for name in Tag.objects.values_list("name", flat=True)}
        taken = set(Tag.objects.values_list("slug", flat=True))
        new = []
        for name in sorted(names):
            slug = slugify(name)
            if name.casefold() not in existing and slug not in taken:
                new.append(Tag(name=name, slug=slug))
                taken.add(slug)
        Tag.objects.bulk_create(new, batch_size=self.batch_size)
        return list(Tag.objects.values_list("pk", flat=True))

    # Stories.

    def make_stories(self, count, sections, authors, tags):
        """Stories, newest first back through the years; returns the live ones' (id, time)."""
        now = timezone.now()
        taken = set(Article.objects.values_list("slug", flat=True))
        section_choices = self.random.choices(
            [section for section, _weight in sections],
            weights=[weight for _section, weight in sections],
            k=count,
        )
        state_choices = self.random.choices(
            [state for state, _weight in STATES], weights=[w for _s, w in STATES], k=count
        )
        stories, bylines = Rows(Article), Rows(Byline)
        tagged, corrections = Rows(Article.tags.through), Rows(Correction)
        progress = Progress(self.stdout, "stories", count, shown=self.verbosity > 0)
        live, when, number = [], now - timedelta(minutes=5), 0
        for batch in batched(zip(section_choices, state_choices, strict=True), self.batch_size):
            for section, state in batch:
                number += 1
                when -= timedelta(minutes=self.random.randint(5, 90))
                story = self.story(section, state, when, now, taken, number)
                story["id"] = stories.add(story)
                self.link_story(story, authors, tags, bylines, tagged, corrections)
                unsaved = Article(status=story["status"], publish_at=story.get("publish_at"))
                if unsaved.is_published_by(now):
                    live.append((story["id"], story["publish_at"]))
            with transaction.atomic():
                for rows in (stories, bylines, tagged, corrections):
                    rows.write()
            progress.advance(len(batch))
        progress.finish()
        return live

    def story(self, section, state, when, now, taken, number):
        headline = self.random.choice(self.headlines)
        slug = base = slugify(headline)[:190]
        while slug in taken:
            slug = f"{base}-{number}"
            number += len(taken)
        taken.add(slug)
        story = {
            "headline": headline,
            "slug": slug,
            "kicker": self.random.choice(self.kickers) if self.random.random() < 0.4 else "",
            "standfirst": self.random.choice(self.standfirsts),
            "dateline": self.random.choice(self.datelines),
            "body": self.body(),
            "section": section.pk,
            "status": state,
            "comment_mode": self.random.choices(Article.CommentMode.values, weights=[90, 7, 3])[0],
            "created_at": when - timedelta(hours=2),
            "modified_at": when,
        }
        if state in (Status.PUBLISHED, Status.WITHDRAWN, "scheduled"):
            story["status"] = Status.WITHDRAWN if state == Status.WITHDRAWN else Status.PUBLISHED
            if state == "scheduled":
                when = now + timedelta(minutes=self.random.randint(30, 7 * 24 * 60))
                story["created_at"] = story["modified_at"] = now - timedelta(hours=1)
            story["publish_at"] = story["first_published_at"] = when
            if state == Status.WITHDRAWN:
                story["withdrawn_at"] = min(now, when + timedelta(days=self.random.randint(1, 30)))
                story["withdrawal_note"] = (
                    "This story was withdrawn because it relied on a source we could not verify."
                )
            elif state == Status.PUBLISHED and self.random.random() < 0.05:
                story["last_updated_at"] = min(
                    now, when + timedelta(hours=self.random.randint(1, 48))
                )
        return story

    def link_story(self, story, authors, tags, bylines, tagged, corrections):
        """Bylines (one to three), tags (one to four) and, now and then, a correction."""
        roles = [Byline.Role.REPORTER] * self.random.randint(1, 2)
        if self.random.random() < 0.2:
            roles.append(Byline.Role.PHOTOGRAPHER)
        chosen = self.random.sample(authors, len(roles))
        for position, (role, author_id) in enumerate(zip(roles, chosen, strict=True)):
            bylines.add(
                {"article": story["id"], "author": author_id, "role": role, "position": position}
            )
        for tag_id in self.random.sample(tags, self.random.randint(1, 4)):
            tagged.add({"article": story["id"], "tag": tag_id})
        if story.get("publish_at") and self.random.random() < 0.04 and self.corrections:
            kind, text = self.random.choice(self.corrections)
            corrections.add(
                {
                    "article": story["id"],
                    "kind": kind,
                    "text": text,
                    "published_at": story["publish_at"] + timedelta(hours=6),
                }
            )

    # Comments.

    def make_comments(self, count, live):
        """
        `count` comments on live stories, most on a few (as readers comment), in every
        state; about a third are replies to an earlier comment on the same story.
        """
        if not count or not live:
            return
        weights = [1 / (rank + 10) for rank in range(len(live))]
        self.random.shuffle(weights)
        per_story = {}
        for index in self.random.choices(range(len(live)), weights=weights, k=count):
            per_story[index] = per_story.get(index, 0) + 1
        self.commenters = [self.commenter() for _n in range(max(1000, count // 20))]
        self.addresses = [
            str(ipaddress.IPv4Address(self.random.randint(0x0B000000, 0xDF000000)))
            for _n in range(5000)
        ]
        comments = Rows(Comment)
        progress = Progress(self.stdout, "comments", count, shown=self.verbosity > 0)
        now, seen = timezone.now(), set()
        for index, number in per_story.items():
            article_id, published = live[index]
            threads = []
            for reply in [False] * (number - number // 3) + [True] * (number // 3):
                parent = self.random.choice(threads) if reply and threads else None
                comment = None
                while comment is None:  # the same words twice: draw again
                    comment = self.comment(article_id, published, parent, now, seen)
                comment["id"] = comments.add(comment)
                if parent is None:
                    threads.append(comment)
            if len(comments) >= self.batch_size * 5:
                progress.advance(comments.write_in_transaction())
        progress.advance(comments.write_in_transaction())
        progress.finish()

    def commenter(self):
        first, surname = self.random.choice(FIRST_NAMES), self.random.choice(SURNAMES)
        number = self.random.randint(1, 2000)
        return f"{first} {surname}", f"{slugify(first)}.{slugify(surname)}{number}@example.org"

    def comment(self, article_id, published, parent, now, seen):
        """A comment's row, with its fingerprint; None for one already made (same words)."""
        name, email = self.random.choice(self.commenters)
        body = " ".join(self.random.sample(self.comment_sentences, self.random.randint(1, 4)))
        parent_id = parent["id"] if parent else None
        fingerprint = Comment.fingerprint_for(
            article_id=article_id, parent_id=parent_id, email=email, body=body
        )
        if fingerprint in seen:
            return None
        seen.add(fingerprint)
        status = self.random.choices(COMMENT_STATUSES, weights=COMMENT_WEIGHTS)[0]
        after = parent["submitted_at"] if parent else published
        submitted = min(
            after + timedelta(minutes=self.random.randint(1, 3 * 24 * 60)),
            now - timedelta(seconds=1),
        )
        held = status == Comment.Status.PENDING
        return {
            "article": article_id,
            "parent": parent_id,
            "name": name,
            "email": email,
            "body": body,
            "status": status,
            "rule": "first" if held else "",
            "reason": "first comment from this email" if held else "",
            "ip_address": self.random.choice(self.addresses),
            "user_agent": USER_AGENT,
            "fingerprint": fingerprint,
            "submitted_at": submitted,
            "moderated_at": None if held else submitted + timedelta(minutes=20),
            "notified_at": submitted if held else None,
        }

    def analyse(self):
        """
        Fresh planner statistics, so that the first pages are planned for the new sizes (and
        on PostgreSQL the visibility map that index-only scans need, as autovacuum would).
        """
        with connection.cursor() as cursor:
            vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
            cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


class Rows:
    """
    Rows of one table, written in bulk with ids of their own (so that rows made later can
    point to them before they are written): COPY on PostgreSQL, a prepared INSERT run for
    every row on SQLite. The table's id sequence is moved past them at each write.
    """

    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.defaults = {field.attname: field.get_default() for field in self.fields}
        self.datetimes = [
            index
            for index, field in enumerate(self.fields)
            if field.get_internal_type() == "DateTimeField"
        ]
        self.next_id = (model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self.rows = []

    def __len__(self):
        return len(self.rows)

    def add(self, values):
        """Queue a row (field names to values; foreign keys by id) and return its id."""
        row_id = values.get("id") or self.next_id
        self.next_id = max(self.next_id, row_id + 1)
        values = {FK_NAMES.get(name, name): value for name, value in values.items()}
        values = self.defaults | values
        row = [values.get(field.attname) for field in self.fields]
        row[0] = row_id
        for index in self.datetimes:
            if row[index] is not None:
                row[index] = connection.ops.adapt_datetimefield_value(row[index])
        self.rows.append(row)
        return row_id

    def write_in_transaction(self):
        with transaction.atomic():
            return self.write()

    def write(self):
        rows, self.rows = self.rows, []
        if not rows:
            return 0
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(field.column) for field in self.fields)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
                for sql in connection.ops.sequence_reset_sql(no_style(), [self.model]):
                    cursor.execute(sql)
            else:
                marks = ", ".join(["%s"] * len(self.fields))
                insert = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
                cursor.executemany(insert, rows)
        return len(rows)
