from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from articles.tests.factories import ArticleFactory
from comments.models import Comment


class CommentFactory(DjangoModelFactory):
    class Meta:
        model = Comment

    article = factory.SubFactory(ArticleFactory)
    name = factory.Sequence(lambda n: f"Reader {n}")
    email = factory.Sequence(lambda n: f"reader{n}@example.org")
    body = factory.Sequence(lambda n: f"A thoughtful point about the harbour plan, number {n}.")
    status = Comment.Status.APPROVED
    ip_address = "198.51.100.7"
    # A day ago, a second apart in the order they were made: well outside the flood interval.
    submitted_at = factory.Sequence(
        lambda n: timezone.now() - timedelta(days=1) + timedelta(seconds=n)
    )

    class Params:
        pending = factory.Trait(
            status=Comment.Status.PENDING, reason="first comment from this email"
        )
        spam = factory.Trait(status=Comment.Status.SPAM)
        rejected = factory.Trait(status=Comment.Status.REJECTED)
