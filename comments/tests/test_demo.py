from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains

from comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())


def test_demo_newsroom_has_conversations_and_a_queue_to_work(demo):
    comments = Comment.objects.all()
    assert comments.visible().filter(parent__isnull=False).count() >= 3
    assert comments.awaiting_moderation().exclude(reason="").count() >= 3
    assert comments.filter(status=Comment.Status.SPAM).exists()


def test_demo_comments_load_once(demo):
    before = Comment.objects.count()

    call_command("load_demo", stdout=StringIO())

    assert Comment.objects.count() == before


def test_demo_moderator_can_work_the_queue(demo, client):
    signed_in = client.post(
        reverse("admin:login"), {"username": "moderator", "password": "newsroom-moderator"}
    )
    assert signed_in.status_code == 302
    held = list(Comment.objects.awaiting_moderation())

    queue = client.get(reverse("admin:comments_comment_changelist"))
    client.post(
        reverse("admin:comments_comment_changelist"),
        {"action": "approve", "_selected_action": [comment.pk for comment in held]},
    )

    assertContains(queue, held[0].reason)
    assert not Comment.objects.awaiting_moderation().exists()
