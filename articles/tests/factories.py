from datetime import timedelta

import factory
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from articles.models import Article, Author, Byline, Correction, Section, Tag


class SectionFactory(DjangoModelFactory):
    class Meta:
        model = Section
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Section {n}")
    slug = factory.LazyAttribute(lambda section: slugify(section.name))
    position = factory.Sequence(lambda n: n)


class AuthorFactory(DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ["slug"]

    name = factory.Faker("name")
    slug = factory.Sequence(lambda n: f"author-{n}")


class TagFactory(DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ["name"]

    name = factory.Sequence(lambda n: f"Topic {n}")


def an_hour_ago():
    return timezone.now() - timedelta(hours=1)


class ArticleFactory(DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    headline = factory.Sequence(lambda n: f"Council approves harbour plan, part {n}")
    slug = factory.Sequence(lambda n: f"council-approves-harbour-plan-{n}")
    standfirst = "The vote ends a decade of argument over the old docks."
    body = factory.LazyFunction(
        lambda: "<p>The council voted on Tuesday.</p><h2>What happens next</h2><p>Work starts.</p>"
    )
    section = factory.SubFactory(SectionFactory)
    status = Article.Status.PUBLISHED
    publish_at = factory.LazyFunction(an_hour_ago)

    class Params:
        draft = factory.Trait(status=Article.Status.DRAFT, publish_at=None)
        in_review = factory.Trait(status=Article.Status.REVIEW, publish_at=None)
        scheduled = factory.Trait(
            publish_at=factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
        )
        withdrawn = factory.Trait(status=Article.Status.WITHDRAWN)

    @factory.post_generation
    def authors(article, create, extracted, **kwargs):
        """ArticleFactory(authors=[a, b]) bylines them as reporters, in that order."""
        if create and extracted:
            for position, author in enumerate(extracted):
                Byline.objects.create(article=article, author=author, position=position)

    @factory.post_generation
    def tags(article, create, extracted, **kwargs):
        if create and extracted:
            article.tags.set(extracted)


# The states in which readers never see a story, as ArticleFactory traits.
HIDDEN_STATES = {
    "draft": {"draft": True},
    "in review": {"in_review": True},
    "scheduled": {"scheduled": True},
    "withdrawn": {"withdrawn": True},
}


class BylineFactory(DjangoModelFactory):
    class Meta:
        model = Byline

    article = factory.SubFactory(ArticleFactory)
    author = factory.SubFactory(AuthorFactory)


class CorrectionFactory(DjangoModelFactory):
    class Meta:
        model = Correction

    article = factory.SubFactory(ArticleFactory)
    text = "An earlier version of this story gave the wrong date for the vote."
