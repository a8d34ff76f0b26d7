"""The addresses of a live story's own pages, under the story's address."""

from django.urls import reverse
from django.utils import timezone


def story_kwargs(article):
    day = timezone.localdate(article.publish_at)
    return {
        "section": article.section.slug,
        "year": day.year,
        "month": day.month,
        "day": day.day,
        "slug": article.slug,
    }


def updates_url(article):
    return reverse("live:updates", kwargs=story_kwargs(article))


def feed_url(article):
    return reverse("live:feed", kwargs=story_kwargs(article))


def entry_url(entry, article):
    return reverse("live:entry", kwargs=story_kwargs(article) | {"entry_id": entry.pk})
