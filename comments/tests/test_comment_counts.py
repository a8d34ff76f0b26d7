"""Each story keeps the count of comments readers see, for the cards on lists."""

import pytest
from django.core.management import call_command
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from articles.tests.factories import ArticleFactory, SectionFactory
from comments import services
from comments.models import Comment

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return ArticleFactory(section=SectionFactory(name="World", slug="world"))


def count_of(story):
    story.refresh_from_db()
    return story.comment_count


def test_approving_comments_counts_them(story, moderator):
    held = [CommentFactory(article=story, pending=True) for _n in range(3)]

    services.approve_comments(
        comments=Comment.objects.filter(pk__in=[c.pk for c in held]), moderator=moderator
    )

    assert count_of(story) == 3


def test_rejecting_a_comment_uncounts_it_and_its_replies(story, moderator):
    thread = CommentFactory(article=story)
    CommentFactory(article=story, parent=thread)
    CommentFactory(article=story)
    assert count_of(story) == 3

    services.reject_comments(comments=Comment.objects.filter(pk=thread.pk), moderator=moderator)

    assert count_of(story) == 1
    assert count_of(story) == Comment.objects.for_article_page(story).total


def test_a_comment_published_at_once_is_counted(story):
    CommentFactory(article=story, email="known@example.org")
    services.submit_comment(
        article=story,
        parent=None,
        name="Known reader",
        email="known@example.org",
        website="",
        body="Back again with another thought on the harbour.",
        ip_address="203.0.113.9",
        user_agent="",
        seconds_to_post=60,
    )

    assert count_of(story) == 2


def test_the_card_shows_the_count_and_links_to_the_comments(client, story):
    Article.objects.filter(pk=story.pk).update(comment_count=12)

    response = client.get("/world/")

    assertContains(
        response,
        f'<a class="story-comments" href="{story.get_absolute_url()}#comments">12 comments</a>',
        html=True,
    )


def test_no_count_on_the_card_of_a_story_without_comments(client):
    ArticleFactory(
        section=SectionFactory(name="World", slug="world"),
        comment_mode=Article.CommentMode.DISABLED,
        comment_count=4,
    )

    assertNotContains(client.get("/world/"), "story-comments")


def test_the_home_pages_lead_story_shows_its_count(client, story):
    Article.objects.filter(pk=story.pk).update(comment_count=1)

    response = client.get("/")

    assertContains(
        response,
        f'<a class="story-comments" href="{story.get_absolute_url()}#comments">1 comment</a>',
        html=True,
    )


@pytest.mark.django_db(transaction=True)
def test_a_migration_rebuilding_the_story_table_keeps_the_counts_kept(roles):
    """
    On SQLite a migration that adds a column rebuilds the story table, and the rename that
    ends the rebuild fails while the counts' triggers name it: migrate takes them off first.
    """
    call_command("migrate", "articles", "0014", verbosity=0)
    call_command("migrate", verbosity=0)
    story = ArticleFactory()

    CommentFactory(article=story, status=Comment.Status.APPROVED)

    story.refresh_from_db()
    assert story.comment_count == 1
