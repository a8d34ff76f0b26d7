from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from articles.tests.factories import ArticleFactory
from live.models import LiveCoverage, LiveEntry


class LiveCoverageFactory(DjangoModelFactory):
    class Meta:
        model = LiveCoverage

    article = factory.SubFactory(ArticleFactory)
    summary = "Polls have closed. Counting is under way in every district."
    started_at = factory.LazyFunction(lambda: timezone.now() - timedelta(hours=1))


class LiveEntryFactory(DjangoModelFactory):
    class Meta:
        model = LiveEntry
        skip_postgeneration_save = True

    coverage = factory.SubFactory(LiveCoverageFactory)
    headline = factory.Sequence(lambda n: f"Update {n}")
    body = factory.Sequence(lambda n: f"<p>The count in district {n} is complete.</p>")
    created_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def authors(entry, create, extracted, **kwargs):
        if create and extracted:
            entry.authors.set(extracted)
