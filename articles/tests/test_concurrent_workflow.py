"""Two editors taking the same step at the same moment (PostgreSQL row locks)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections

from articles import services
from articles.models import Article, AuditEntry
from newsroom.tests.factories import UserFactory

from .factories import ArticleFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one writer in at a time; PostgreSQL shows what the row locks do",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles"),
]


def test_editors_publishing_at_once_publish_the_story_once():
    editors = [UserFactory(username=f"editor-{n}", role="Editor") for n in range(2)]
    story = ArticleFactory(in_review=True)
    start = threading.Barrier(2)
    outcomes = []

    def publish(editor):
        try:
            start.wait()
            article = Article.objects.get(pk=story.pk)
            services.publish(article=article, actor=editor)
            outcomes.append("published")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connections.close_all()

    workers = [threading.Thread(target=publish, args=(editor,)) for editor in editors]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(outcomes) == ["published", "refused"]
    assert AuditEntry.objects.filter(article=story, action="published").count() == 1
