"""
Derived state follows the data, whoever writes it: each story's comment count and the cached
pages are right after the comment services, the admin's moves (a moderator's and an editor's
bulk actions included), an importer, the demo loader, a command, a QuerySet's bulk writes or
a save in the shell, without any of them asking.
"""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from articles.models import Article, Byline, Tag
from articles.tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from comments import services
from comments.models import Comment, ModerationSettings
from importers.tests.wxr import comment, post, write_export

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


def shown_count(story):
    """The number of comments the story page shows, counted the page's own way."""
    return Comment.objects.for_article_page(story).total


def stored_count(story):
    story.refresh_from_db(fields=["comment_count"])
    return story.comment_count


def assert_every_story_counted():
    for story in Article.objects.all():
        assert stored_count(story) == shown_count(story), story.headline


@pytest.fixture
def world():
    return SectionFactory(name="World", slug="world")


@pytest.fixture
def story(world):
    return ArticleFactory(section=world, headline="Harbour plan approved")


# Counts.


def test_the_demo_newsroom_is_counted(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())

    assert_every_story_counted()
    assert Article.objects.filter(comment_count__gt=0).exists()


def test_an_imported_archive_is_counted(tmp_path):
    export = write_export(
        tmp_path,
        items=[
            post(
                101,
                comments=[
                    comment(1),
                    comment(2, email="rui@example.org"),
                    comment(3, parent=1, email="ines@example.org"),
                    comment(4, approved="0", email="held@example.org"),
                ],
            )
        ],
    )
    call_command("import_wordpress", str(export), stdout=io.StringIO())

    imported = Article.objects.get()
    assert stored_count(imported) == 3
    assert_every_story_counted()


def test_comments_approved_by_a_queryset_update_are_counted(story):
    CommentFactory.create_batch(3, article=story, pending=True)

    Comment.objects.filter(article=story).update(status=Comment.Status.APPROVED)

    assert stored_count(story) == 3


def test_comments_created_in_bulk_are_counted(story):
    comments = [
        Comment(article=story, name="A", email=f"{n}@example.org", body=f"Point {n}")
        for n in range(4)
    ]
    for made in comments:
        made.status = Comment.Status.APPROVED
        made.derive_fields()
    Comment.objects.bulk_create(comments)

    assert stored_count(story) == 4


def test_a_deleted_comment_and_its_hidden_replies_are_uncounted(story):
    thread = CommentFactory(article=story)
    CommentFactory(article=story, parent=thread)
    other = CommentFactory(article=story)
    assert stored_count(story) == 3

    Comment.objects.filter(pk=thread.pk).update(status=Comment.Status.REJECTED)
    assert stored_count(story) == 1
    other.delete()
    assert stored_count(story) == 0


def test_a_comment_moved_to_another_story_is_counted_there(story, world):
    other_story = ArticleFactory(section=world)
    moved = CommentFactory(article=story)

    moved.article = other_story
    moved.save()

    assert (stored_count(story), stored_count(other_story)) == (0, 1)


class TestAnySequenceOfWritesLeavesTheCountsRight(HypothesisTestCase):
    """Whatever mix of writes, in whatever order, the stored counts are the page's counts."""

    STATUSES = st.sampled_from(Comment.Status.values)
    STEP = st.one_of(
        st.tuples(st.just("post"), st.integers(0, 1), STATUSES),
        st.tuples(st.just("reply"), st.integers(0, 30), STATUSES),
        st.tuples(st.just("save"), st.integers(0, 30), STATUSES),
        st.tuples(st.just("update"), st.integers(0, 30), STATUSES),
        st.tuples(st.just("move"), st.integers(0, 30), st.integers(0, 1)),
        st.tuples(st.just("delete"), st.integers(0, 30), st.none()),
    )

    @hypothesis_settings(max_examples=25, derandomize=True, deadline=None)
    @given(steps=st.lists(STEP, max_size=14))
    def test_counts(self, steps):
        section = SectionFactory()
        stories = [ArticleFactory(section=section), ArticleFactory(section=section)]
        for number, (action, which, value) in enumerate(steps):
            comments = list(Comment.objects.order_by("pk"))
            target = comments[which % len(comments)] if comments else None
            if action == "post":
                CommentFactory(article=stories[which], status=value, body=f"Comment {number}")
            elif target is None:
                continue
            elif action == "reply" and target.parent_id is None:
                CommentFactory(
                    article=target.article, parent=target, status=value, body=f"Reply {number}"
                )
            elif action == "save":
                target.status = value
                target.save()
            elif action == "update":
                Comment.objects.filter(pk=target.pk).update(status=value)
            elif action == "move" and target.parent_id is None and not target.replies.exists():
                Comment.objects.filter(pk=target.pk).update(article=stories[value])
            elif action == "delete" and not target.replies.exists():
                target.delete()
            for shown in stories:
                assert stored_count(shown) == shown_count(shown), steps[: number + 1]


# Cached pages.


def served(client, url):
    response = client.get(url)
    return response.content.decode(), response["X-Page-Cache"]


def warm(client, *urls):
    for url in urls:
        client.get(url)
        assert served(client, url)[1] == "hit", url


def test_a_story_changed_by_a_later_wordpress_import_is_fresh_at_once(
    client, tmp_path, django_capture_on_commit_callbacks
):
    first = write_export(tmp_path, items=[post(101, "Harbour plan approved")])
    call_command("import_wordpress", str(first), stdout=io.StringIO())
    url = Article.objects.get().get_absolute_url()
    warm(client, url, "/")

    again = write_export(tmp_path, items=[post(101, "Harbour plan approved after a recount")])
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_wordpress", str(again), stdout=io.StringIO())

    for page in (url, "/"):
        assert "after a recount" in served(client, page)[0], page


def test_a_story_published_from_the_command_line_is_on_the_home_page_at_once(
    client, tmp_path, world, django_capture_on_commit_callbacks
):
    ArticleFactory(section=world, headline="Yesterday's news")
    warm(client, "/", "/world/")
    wire = tmp_path / "story.txt"
    wire.write_text("Storm closes the harbour\n\nWashington : Boats stayed in.\n")

    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "import_story", str(wire), "--section", "world", "--publish", stdout=io.StringIO()
        )

    for page in ("/", "/world/"):
        assert "Storm closes the harbour" in served(client, page)[0], page


def test_the_demo_loader_leaves_no_stale_page(client, settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    story = Article.objects.live().filter(comment_count__gt=0).first()
    warm(client, "/", story.get_absolute_url())
    Comment.objects.filter(article=story, parent__isnull=False).delete()
    Comment.objects.filter(article=story).delete()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())

    assert served(client, story.get_absolute_url())[1] == "miss"


def test_a_story_changed_by_a_queryset_update_is_fresh_at_once(
    client, story, django_capture_on_commit_callbacks
):
    warm(client, story.get_absolute_url(), "/", "/world/", "/feeds/latest/")

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.filter(pk=story.pk).update(headline="Harbour plan shelved")

    for page in (story.get_absolute_url(), "/", "/world/", "/feeds/latest/"):
        assert "Harbour plan shelved" in served(client, page)[0], page


def test_stories_changed_in_bulk_leave_their_old_section_at_once(
    client, story, django_capture_on_commit_callbacks
):
    business = SectionFactory(name="Business", slug="business")
    warm(client, "/world/", "/business/")
    story.section = business

    with django_capture_on_commit_callbacks(execute=True):
        Article.objects.bulk_update([story], ["section"])

    assert "Harbour plan approved" not in served(client, "/world/")[0]
    assert "Harbour plan approved" in served(client, "/business/")[0]


def test_bylines_removed_in_bulk_take_the_story_off_the_authors_page(
    client, world, django_capture_on_commit_callbacks
):
    writer = AuthorFactory(name="Ana Ruiz", slug="ana-ruiz")
    ArticleFactory(section=world, headline="Harbour plan approved", authors=[writer])
    warm(client, "/author/ana-ruiz/")

    with django_capture_on_commit_callbacks(execute=True):
        Byline.objects.filter(author=writer).delete()

    assert "Harbour plan approved" not in served(client, "/author/ana-ruiz/")[0]


def test_a_tag_renamed_in_bulk_is_renamed_on_every_page(
    client, world, django_capture_on_commit_callbacks
):
    topic = TagFactory(name="Harbours", slug="harbours")
    story = ArticleFactory(section=world, tags=[topic])
    warm(client, story.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        Tag.objects.filter(pk=topic.pk).update(name="Ports and harbours")

    assert "Ports and harbours" in served(client, story.get_absolute_url())[0]


def test_untagging_from_the_tags_side_takes_the_story_off_the_tag_page(
    client, world, django_capture_on_commit_callbacks
):
    topic = TagFactory(name="Harbours", slug="harbours")
    ArticleFactory(section=world, headline="Harbour plan approved", tags=[topic])
    ArticleFactory(section=world, headline="Ferry timetable", tags=[topic])
    warm(client, "/tag/harbours/")

    with django_capture_on_commit_callbacks(execute=True):
        topic.articles.remove(Article.objects.get(headline="Harbour plan approved"))

    assert "Harbour plan approved" not in served(client, "/tag/harbours/")[0]


def test_comments_approved_by_a_queryset_update_show_at_once(
    client, story, django_capture_on_commit_callbacks
):
    held = CommentFactory(article=story, pending=True, body="The residents were right.")
    warm(client, story.get_absolute_url(), "/world/")

    with django_capture_on_commit_callbacks(execute=True):
        Comment.objects.filter(pk=held.pk).update(status=Comment.Status.APPROVED)

    assert "The residents were right." in served(client, story.get_absolute_url())[0]
    assert "1 comment" in served(client, "/world/")[0]


def test_a_comment_approved_in_the_shell_shows_at_once(
    client, story, django_capture_on_commit_callbacks
):
    held = CommentFactory(article=story, pending=True, body="The residents were right.")
    warm(client, story.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        held.status = Comment.Status.APPROVED
        held.save()

    assert "The residents were right." in served(client, story.get_absolute_url())[0]


def test_a_held_comment_written_in_bulk_leaves_the_page_stored(
    client, story, django_capture_on_commit_callbacks
):
    warm(client, story.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        CommentFactory(article=story, pending=True)
        Comment.objects.filter(article=story).update(notified_at=story.publish_at)

    assert served(client, story.get_absolute_url())[1] == "hit"


def test_comments_closed_by_a_queryset_update_take_the_form_off_the_story_page(
    client, world, django_capture_on_commit_callbacks
):
    story = ArticleFactory(section=world, publish_at=timezone.now() - timedelta(days=3))
    warm(client, story.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        ModerationSettings.objects.update(close_after_days=2)

    assert "Comments are closed." in served(client, story.get_absolute_url())[0]


def test_the_moderators_digest_leaves_the_pages_stored(
    client, story, django_capture_on_commit_callbacks
):
    ModerationSettings.objects.update(notify_emails="desk@example.org")
    CommentFactory(article=story, pending=True)
    warm(client, story.get_absolute_url(), "/")

    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_moderation_digest() == 1

    for page in (story.get_absolute_url(), "/"):
        assert served(client, page)[1] == "hit", page


# The admin's bulk actions, as a moderator and an editor take them from the lists.

MODERATION_QUEUE = reverse("admin:comments_comment_changelist")
STORY_LIST = reverse("admin:articles_article_changelist")


def moderate(moderator_client, action, comments):
    """`action` on `comments`, ticked in the moderation queue showing every state."""
    response = moderator_client.post(
        f"{MODERATION_QUEUE}?status__exact=all",
        {"action": action, "_selected_action": [comment.pk for comment in comments]},
    )
    assert response.status_code == 302
    return response


@pytest.mark.parametrize("action", ["approve", "approve_and_trust"])
def test_comments_approved_from_the_moderation_queue_are_counted_and_shown_at_once(
    moderator_client, story, action, django_capture_on_commit_callbacks
):
    CommentFactory(article=story, body="Already under the story.")
    held = [
        CommentFactory(article=story, pending=True, body="The residents were right."),
        CommentFactory(article=story, pending=True, body="Ask the ferry crews."),
    ]
    reader = Client()
    warm(reader, story.get_absolute_url(), "/world/")

    with django_capture_on_commit_callbacks(execute=True):
        moderate(moderator_client, action, held)

    assert {comment.status for comment in Comment.objects.filter(article=story)} == {
        Comment.Status.APPROVED
    }
    assert stored_count(story) == shown_count(story) == 3
    page = served(reader, story.get_absolute_url())[0]
    assert "The residents were right." in page
    assert "Ask the ferry crews." in page
    assert "3 comments" in served(reader, "/world/")[0]


@pytest.mark.parametrize(
    ("action", "status"),
    [("reject", Comment.Status.REJECTED), ("mark_spam", Comment.Status.SPAM)],
)
def test_comments_rejected_or_marked_spam_from_the_queue_leave_the_story_at_once(
    moderator_client, story, action, status, django_capture_on_commit_callbacks
):
    CommentFactory(article=story, body="Already under the story.")
    thread = CommentFactory(article=story, body="Buy cheap ferry tickets here.")
    CommentFactory(article=story, parent=thread, body="Is this a real offer?")
    reader = Client()
    warm(reader, story.get_absolute_url(), "/world/")
    assert stored_count(story) == 3

    with django_capture_on_commit_callbacks(execute=True):
        moderate(moderator_client, action, [thread])

    thread.refresh_from_db(fields=["status"])
    assert thread.status == status
    # Its reply goes with it: readers never see a reply without the comment it answers.
    assert stored_count(story) == shown_count(story) == 1
    page = served(reader, story.get_absolute_url())[0]
    assert "Buy cheap ferry tickets here." not in page
    assert "Is this a real offer?" not in page
    assert "Already under the story." in page
    assert "1 comment<" in served(reader, "/world/")[0]


def test_stories_published_from_the_story_list_are_on_the_fronts_at_once(
    editor_client, world, django_capture_on_commit_callbacks
):
    ArticleFactory(section=world, headline="Yesterday's harbour meeting")
    waiting = [
        ArticleFactory(section=world, in_review=True, headline="Storm closes the harbour"),
        ArticleFactory(section=world, in_review=True, headline="Ferries resume on Monday"),
    ]
    reader = Client()
    warm(reader, "/", "/world/")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            STORY_LIST,
            {"action": "publish_selected_now", "_selected_action": [s.pk for s in waiting]},
        )

    assert response.status_code == 302
    assert Article.objects.live().filter(pk__in=[s.pk for s in waiting]).count() == 2
    for page in ("/", "/world/"):
        shown = served(reader, page)[0]
        assert "Storm closes the harbour" in shown, page
        assert "Ferries resume on Monday" in shown, page
