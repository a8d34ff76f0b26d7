"""Two moderators approving the same comments at the same moment (PostgreSQL row locks)."""

import threading

import pytest
from django.db import connection, connections

from comments import services
from comments.models import Comment, ModerationLog
from newsroom.tests.factories import UserFactory

from .factories import CommentFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one writer in at a time; PostgreSQL shows what the row locks do",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles"),
]


def test_moderators_acting_at_once_change_and_log_each_comment_once():
    first = UserFactory(username="first-moderator", role="Moderator")
    second = UserFactory(username="second-moderator", role="Moderator")
    ids = [comment.pk for comment in CommentFactory.create_batch(40, pending=True)]
    start = threading.Barrier(2)
    results = {}

    def approve(moderator):
        try:
            start.wait()
            results[moderator.username] = services.approve_comments(
                comments=Comment.objects.filter(pk__in=ids), moderator=moderator
            )
        finally:
            connections.close_all()

    workers = [threading.Thread(target=approve, args=(user,)) for user in (first, second)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sum(result.changed for result in results.values()) == 40
    assert ModerationLog.objects.filter(comment_id__in=ids).count() == 40
    assert Comment.objects.visible().filter(pk__in=ids).count() == 40
