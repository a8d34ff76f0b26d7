"""
Stories as lists show them, and their addresses: a list page holds `StoryOnCard` stand-ins
for its stories and loads them (`ArticleQuerySet.for_cards()`) only when a card must be
rendered, each server process keeping the cards it rendered (newsroom/fragments.py).
"""

import functools

from django.db import models
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from newsroom import pagecache

from .taxonomy import Section


class CardBatch:
    """
    The stories of one list, loaded together (`for_cards`) the first time one is needed,
    or only their headlines and addresses (`listed()`), when that is all a page needs.
    """

    def __init__(self, queryset, ids):
        self.queryset, self.ids = queryset, ids
        self.loaded = self.listing = None

    def story(self, pk):
        if self.loaded is None:
            self.loaded = self.queryset.for_cards(self.ids)
        try:
            return self.loaded[pk]
        except KeyError:
            # Withdrawn or deleted since the list was read: its card shows nothing of it.
            raise AttributeError(f"story {pk} is no longer live") from None

    def listed(self, pk):
        """The story's headline and address: one light query for the list, if not loaded."""
        if self.loaded is not None and pk in self.loaded:
            story = self.loaded[pk]
            return story.headline, story.get_absolute_url()
        if self.listing is None:
            rows = self.queryset.filter(pk__in=self.ids).values_list(
                "pk", "headline", "slug", "publish_at", "section__slug"
            )
            self.listing = {
                row_pk: (headline, story_address(section, publish_at, slug))
                for row_pk, headline, slug, publish_at, section in rows
            }
        # A story withdrawn or deleted since the list was read shows nothing of itself.
        return self.listing.get(pk, ("", ""))


class StoryOnCard:
    """
    A story a list shows as a card, standing in for it until its card must be rendered:
    a card each server process keeps (newsroom/fragments.py) needs nothing but the story's
    id. The first card rendered loads every story of its list at once (three queries).
    """

    __slots__ = ("_batch", "pk")

    def __init__(self, pk, batch):
        self.pk, self._batch = pk, batch

    def __getattr__(self, name):
        return getattr(self._batch.story(self.pk), name)

    @property
    def headline(self):
        return self._batch.listed(self.pk)[0]

    def get_absolute_url(self):
        return self._batch.listed(self.pk)[1]

    def __eq__(self, other):
        """The same as the story it stands for."""
        if isinstance(other, StoryOnCard) or (
            isinstance(other, models.Model) and other._meta.label == "articles.Article"
        ):
            return self.pk == other.pk
        return NotImplemented

    def __hash__(self):
        return hash(self.pk)

    def __repr__(self):
        return f"<StoryOnCard {self.pk}>"


def sections_by_id():
    """Every section by id, remembered until one changes: the home page's headings."""
    return pagecache.remembered("sections", lambda: Section.objects.in_bulk())


def story_address(section_slug, publish_at, slug):
    """The address of a story (Article.get_absolute_url): None until it is scheduled."""
    if publish_at is None:
        return None
    day = timezone.localdate(publish_at)
    return story_path(section_slug, day, slug, get_script_prefix(), get_urlconf())


@functools.lru_cache(maxsize=20_000)
def story_path(section, day, slug, _prefix, _urlconf):
    """
    A story's address (Article.get_absolute_url), worked out once for each story by each
    process: a list page asks for dozens. The script prefix and URLconf in force are part
    of the key, as they are of the address.
    """
    return reverse(
        "articles:article",
        kwargs={
            "section": section,
            "year": day.year,
            "month": day.month,
            "day": day.day,
            "slug": slug,
        },
    )
