from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse

from articles import services
from articles.models import Article, Author, Byline, Section
from importers.story_text import StoryTextError, decode_story, parse_story

DEFAULT_SECTION = "news"


class Command(BaseCommand):
    help = (
        "Import a plain-text story: the first line is the headline, a leading “Place :” is the "
        "dateline, short unpunctuated lines are subheadings. Imports a draft unless --publish."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="The story, as UTF-8 text.")
        parser.add_argument(
            "--section",
            help=f"Slug or name of the section (default: “{DEFAULT_SECTION}”, created if missing).",
        )
        parser.add_argument("--author", help="Slug or name of the author to byline.")
        parser.add_argument("--publish", action="store_true", help="Publish the story now.")

    def handle(self, *args, file, section, author, publish, **options):
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {file}: {error.strerror}.") from None
        try:
            story = parse_story(decode_story(data))
        except StoryTextError as error:
            raise CommandError(f"{file}: {error}") from None

        byline_author = self.find_author(author) if author else None
        with transaction.atomic():
            article = Article(
                headline=story.headline,
                dateline=story.dateline,
                body=story.body,
                section=self.find_section(section),
            )
            article.save()
            if byline_author:
                Byline.objects.create(article=article, author=byline_author)
            if publish:
                services.publish(article=article, actor=None, note=f"Imported from {file.name}.")

        if publish:
            where = article.get_absolute_url()
            state = "Published"
        else:
            where = reverse("admin:articles_article_change", args=[article.pk])
            state = "Imported the draft"
        self.stdout.write(
            self.style.SUCCESS(f"{state} “{article.headline}” in {article.section}: {where}")
        )
        if story.dateline:
            self.stdout.write(f"  dateline: {story.dateline}")
        if story.subheadings:
            self.stdout.write(f"  subheadings: {len(story.subheadings)}")

    def find_section(self, name):
        if name is None:
            section, _created = Section.objects.get_or_create(
                slug=DEFAULT_SECTION, defaults={"name": DEFAULT_SECTION.title()}
            )
            return section
        section = Section.objects.filter(Q(slug=name) | Q(name__iexact=name)).first()
        if section is None:
            known = ", ".join(Section.objects.values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"No section “{name}”. Sections: {known}.")
        return section

    def find_author(self, name):
        author = Author.objects.filter(Q(slug=name) | Q(name__iexact=name)).first()
        if author is None:
            raise CommandError(f"No author “{name}”. Add the author in the admin first.")
        return author
