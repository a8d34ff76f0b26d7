from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.models import Article
from comments.models import Comment
from fronts.models import FrontChange
from live.models import LiveCoverage, LiveEntry

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


def test_demo_home_page_leads_with_an_editors_choice_not_the_newest_story(demo, client):
    front = client.get(reverse("articles:home")).context["front"]

    newest = Article.objects.live().newest_first().first()
    assert front.lead.slug.startswith("housing-bill-survives")
    assert front.lead != newest
    assert len(front.top) >= 3
    assert [title for title, _stories in front.blocks] == ["Editor’s picks", "Explainers"]


def test_demo_front_is_kept_when_the_demo_loads_again(demo):
    call_command("load_demo", stdout=StringIO())

    assert FrontChange.objects.count() == 1


def test_demo_has_a_live_story_with_a_dozen_entries_by_several_reporters(demo, client):
    coverage = LiveCoverage.objects.get()
    entries = LiveEntry.objects.filter(coverage=coverage)
    assert entries.count() >= 12
    assert entries.values("authors").distinct().count() >= 3
    assert entries.filter(is_pinned=True).count() == 1
    pinned = entries.get(is_pinned=True)

    page = client.get(coverage.article.get_absolute_url())

    assertContains(page, "Latest updates")
    content = page.content.decode()
    assert content.index(f'id="entry-{pinned.pk}"') < min(
        content.index(f'id="entry-{entry.pk}"') for entry in entries.exclude(pk=pinned.pk)
    )


def test_demo_live_story_loads_once(demo):
    before = LiveEntry.objects.count()

    call_command("load_demo", stdout=StringIO())

    assert LiveEntry.objects.count() == before
