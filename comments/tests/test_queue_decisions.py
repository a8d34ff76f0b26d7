"""Deciding on one comment from its card in the queue: the JSON answer, undo, and who may."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_django.asserts import assertContains, assertNotContains

from articles.tests.factories import ArticleFactory
from comments.models import Comment, ModerationLog, TrustedCommenter
from comments.moderation_queue import waited
from newsroom.tests.factories import UserFactory

from .factories import CommentFactory

pytestmark = pytest.mark.django_db

JSON = {"Accept": "application/json"}
QUEUE = reverse("admin:comments_comment_changelist")


def decide_url(comment_or_id):
    pk = getattr(comment_or_id, "pk", comment_or_id)
    return reverse("admin:comments_comment_decide", args=[pk])


def decide(client, comment, decision, **fields):
    return client.post(decide_url(comment), {"decision": decision, **fields}, headers=JSON)


def status_of(comment):
    return Comment.objects.get(pk=comment.pk).status


def log_of(comment):
    return list(
        ModerationLog.objects.filter(comment=comment)
        .order_by("pk")
        .values_list("from_status", "to_status")
    )


@pytest.mark.parametrize(
    ("decision", "status"),
    [("approve", "approved"), ("reject", "rejected"), ("spam", "spam"), ("trust", "approved")],
)
def test_each_decision_moves_the_comment_logs_it_and_answers_in_json(
    moderator_client, moderator, decision, status
):
    comment = CommentFactory(pending=True, name="Maria Lopes")

    response = decide(moderator_client, comment, decision)

    assert response.status_code == 200
    answer = response.json()
    assert (answer["comment"], answer["status"], answer["previous"]) == (
        comment.pk,
        status,
        "pending",
    )
    assert answer["changed"] is True
    assert "Maria Lopes" in answer["message"]
    assert status_of(comment) == status
    assert log_of(comment) == [("pending", status)]
    assert ModerationLog.objects.get().moderator == moderator


def test_trust_approves_and_trusts_the_commenter_and_untrust_stops(moderator_client):
    comment = CommentFactory(pending=True, email="maria@example.org")

    trusted = decide(moderator_client, comment, "trust").json()
    untrusted = decide(moderator_client, comment, "untrust").json()

    assert (trusted["trusted"], trusted["trust_changed"]) == (True, True)
    assert (untrusted["trusted"], untrusted["trust_changed"]) == (False, True)
    assert not TrustedCommenter.objects.exists()
    assert status_of(comment) == "approved"


def test_counts_per_state_in_the_answer_follow_the_decision(moderator_client):
    comments = CommentFactory.create_batch(3, pending=True)
    CommentFactory(spam=True)

    answer = decide(moderator_client, comments[0], "spam").json()

    assert answer["counts"] == {"pending": 2, "approved": 0, "rejected": 0, "spam": 2}
    assert answer["counts_shown"]["pending"] == "2"


def test_the_queue_shows_the_counts_per_state(moderator_client):
    CommentFactory.create_batch(3, pending=True)
    CommentFactory(spam=True)

    response = moderator_client.get(QUEUE)

    assertContains(response, '<span class="queue-count" data-count="pending">3</span>', html=True)
    assertContains(response, '<span class="queue-count" data-count="spam">1</span>', html=True)
    assertContains(response, '<span class="queue-count" data-count="rejected">0</span>', html=True)


def test_a_repeated_decision_is_made_once_logged_once_and_counted_once(moderator_client):
    comment = CommentFactory(pending=True)
    CommentFactory(pending=True)

    first = decide(moderator_client, comment, "approve").json()
    again = decide(moderator_client, comment, "approve").json()

    assert first["changed"] is True
    assert again["changed"] is False
    assert "already was approved" in again["message"]
    assert log_of(comment) == [("pending", "approved")]
    assert again["counts"]["approved"] == first["counts"]["approved"] == 1
    assert again["counts"]["pending"] == 1


def test_undo_restores_the_previous_state_through_the_log(moderator_client):
    comment = CommentFactory(pending=True)
    decide(moderator_client, comment, "spam")

    answer = decide(moderator_client, comment, "undo", status="pending", **{"from": "spam"})

    assert answer.status_code == 200
    assert answer.json()["status"] == "pending"
    assert answer.json()["counts"]["spam"] == 0
    assert "awaiting moderation again" in answer.json()["message"]
    assert status_of(comment) == "pending"
    assert log_of(comment) == [("pending", "spam"), ("spam", "pending")]


def test_undoing_twice_steps_back_once(moderator_client):
    comment = CommentFactory(pending=True)
    decide(moderator_client, comment, "approve")
    undo = {"status": "pending", "from": "approved"}

    decide(moderator_client, comment, "undo", **undo)
    again = decide(moderator_client, comment, "undo", **undo)

    assert again.status_code == 200
    assert again.json()["changed"] is False
    assert log_of(comment) == [("pending", "approved"), ("approved", "pending")]


def test_undo_of_a_trust_takes_the_trust_back(moderator_client):
    comment = CommentFactory(pending=True, email="maria@example.org")
    decide(moderator_client, comment, "trust")

    decide(
        moderator_client, comment, "undo", status="pending", trust="remove", **{"from": "approved"}
    )

    assert status_of(comment) == "pending"
    assert not TrustedCommenter.objects.filter(email="maria@example.org").exists()


def test_undo_leaves_alone_a_comment_another_moderator_moved_since(moderator_client):
    comment = CommentFactory(pending=True)
    decide(moderator_client, comment, "approve")
    other = Client()
    other.force_login(UserFactory(username="second-moderator", role="Moderator"))
    decide(other, comment, "spam")

    response = decide(moderator_client, comment, "undo", status="pending", **{"from": "approved"})

    assert response.status_code == 409
    assert "Another moderator" in response.json()["error"]
    assert status_of(comment) == "spam"


@pytest.mark.parametrize(
    "fields",
    [
        {"decision": "publish"},
        {"decision": ""},
        {},
        {"decision": "undo", "status": "gone", "from": "approved"},
        {"decision": "undo", "status": "pending"},
    ],
)
def test_an_unknown_decision_is_refused_with_a_message(moderator_client, fields):
    comment = CommentFactory(pending=True)

    response = moderator_client.post(decide_url(comment), fields, headers=JSON)

    assert response.status_code == 400
    assert response.json()["error"]
    assert status_of(comment) == "pending"
    assert not ModerationLog.objects.exists()


@pytest.mark.parametrize(
    "object_id", ["999999", "abc", "1.5", "99999999999999999999999", "-1", "\u0661"]
)
def test_a_decision_on_a_comment_that_does_not_exist_is_a_404(moderator_client, object_id):
    response = moderator_client.post(
        f"{QUEUE}{object_id}/decide/", {"decision": "approve"}, headers=JSON
    )

    assert response.status_code == 404
    assert response.json() == {"error": "There is no such comment."}


def test_a_get_decides_nothing(moderator_client):
    comment = CommentFactory(pending=True)

    response = moderator_client.get(decide_url(comment), {"decision": "approve"})

    assert response.status_code == 405
    assert status_of(comment) == "pending"


@pytest.mark.parametrize("role", ["editor_client", "journalist_client"])
def test_editors_and_journalists_get_403_and_change_nothing(request, role):
    client = request.getfixturevalue(role)
    comment = CommentFactory(pending=True)

    response = decide(client, comment, "approve")
    untrust = decide(client, comment, "trust")

    assert (response.status_code, untrust.status_code) == (403, 403)
    assert status_of(comment) == "pending"
    assert not ModerationLog.objects.exists()
    assert not TrustedCommenter.objects.exists()


def test_staff_who_may_view_comments_but_not_moderate_get_403(client):
    viewer = UserFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_comment"))
    client.force_login(viewer)
    comment = CommentFactory(pending=True)

    queue = client.get(QUEUE)
    response = decide(client, comment, "approve")

    assertContains(queue, f'id="queue-card-{comment.pk}"')
    assertNotContains(queue, 'name="decision"')
    assertNotContains(queue, "data-decide-url")
    assert response.status_code == 403
    assert status_of(comment) == "pending"


def test_anonymous_is_sent_to_sign_in_and_changes_nothing(client):
    comment = CommentFactory(pending=True)

    response = decide(client, comment, "approve")

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert status_of(comment) == "pending"


def test_a_decision_without_the_csrf_token_is_refused(moderator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    comment = CommentFactory(pending=True)

    response = decide(client, comment, "approve")

    assert response.status_code == 403
    assert status_of(comment) == "pending"


def test_a_decision_with_the_queue_pages_csrf_token_is_made(moderator):
    client = Client(enforce_csrf_checks=True)
    client.force_login(moderator)
    comment = CommentFactory(pending=True)
    queue = client.get(QUEUE)
    token = queue.context["csrf_token"]

    response = client.post(
        decide_url(comment), {"decision": "approve"}, headers={**JSON, "X-CSRFToken": str(token)}
    )

    assert response.status_code == 200
    assert status_of(comment) == "approved"


def test_without_script_a_card_button_decides_and_comes_back_to_the_queue(moderator_client):
    comment = CommentFactory(pending=True, name="Maria Lopes")

    response = moderator_client.post(
        decide_url(comment),
        {"decision": "reject", "_changelist_filters": "status__exact=pending"},
        follow=True,
    )

    assert response.redirect_chain[-1][0] == f"{QUEUE}?status__exact=pending"
    assertContains(response, "Rejected the comment from Maria Lopes.")
    assert status_of(comment) == "rejected"


def test_the_queue_form_carries_its_filters_for_the_way_back(moderator_client):
    CommentFactory(pending=True)

    response = moderator_client.get(QUEUE, {"status__exact": "all", "q": "harbour"})

    assertContains(
        response,
        '<input type="hidden" name="_changelist_filters" value="status__exact=all&amp;q=harbour">',
        html=True,
    )


@pytest.mark.parametrize(
    "filters", ["https://elsewhere.example/", "\r\nLocation: https://x.example", "//x.example"]
)
def test_the_way_back_to_the_queue_never_leads_elsewhere(moderator_client, filters):
    comment = CommentFactory(pending=True)

    response = moderator_client.post(
        decide_url(comment), {"decision": "reject", "_changelist_filters": filters}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(f"{QUEUE}?")


def test_the_story_page_shows_a_comment_approved_from_the_queue(
    moderator_client, django_capture_on_commit_callbacks
):
    story = ArticleFactory()
    comment = CommentFactory(article=story, pending=True, body="The quay walls need work first.")
    reader = Client()
    assertNotContains(reader.get(story.get_absolute_url()), "The quay walls need work first.")

    with django_capture_on_commit_callbacks(execute=True):
        decide(moderator_client, comment, "approve")

    assertContains(reader.get(story.get_absolute_url()), "The quay walls need work first.")


def test_the_story_page_drops_a_comment_marked_spam_from_the_queue(
    moderator_client, django_capture_on_commit_callbacks
):
    story = ArticleFactory()
    comment = CommentFactory(article=story, body="Buy cheap watches here.")
    reader = Client()
    assertContains(reader.get(story.get_absolute_url()), "Buy cheap watches here.")

    with django_capture_on_commit_callbacks(execute=True):
        decide(moderator_client, comment, "spam")

    assertNotContains(reader.get(story.get_absolute_url()), "Buy cheap watches here.")


def test_the_desk_shows_how_many_wait_and_the_oldest_wait(moderator_client):
    now = timezone.now()
    CommentFactory(pending=True, submitted_at=now - timedelta(hours=3, minutes=10))
    CommentFactory.create_batch(11, pending=True, submitted_at=now - timedelta(minutes=5))
    CommentFactory(spam=True, submitted_at=now - timedelta(days=3))

    response = moderator_client.get(reverse("admin:index"))

    assertContains(response, "12 waiting, oldest 3 h")


def test_the_desk_says_when_nothing_waits(moderator_client):
    CommentFactory()

    response = moderator_client.get(reverse("admin:index"))

    assertContains(response, "Nothing waiting for a moderator.")


@pytest.mark.parametrize("role", ["editor_client", "journalist_client"])
def test_the_desk_of_other_roles_has_no_comments_panel(request, role):
    CommentFactory(pending=True)

    response = request.getfixturevalue(role).get(reverse("admin:index"))

    assertNotContains(response, "waiting, oldest")
    assertNotContains(response, 'id="desk-comments"')


@pytest.mark.parametrize(
    ("minutes", "words"),
    [
        (0, "under a minute"),
        (12, "12 min"),
        (59, "59 min"),
        (60, "1 h"),
        (47 * 60, "47 h"),
        (48 * 60, "2 d"),
    ],
)
def test_the_wait_is_said_in_the_fewest_words(minutes, words):
    now = timezone.now()

    assert waited(now - timedelta(minutes=minutes, seconds=30), now) == words


FIELD_VALUES = st.one_of(
    st.sampled_from(
        ["approve", "reject", "spam", "trust", "untrust", "undo", *Comment.Status.values, "add"]
    ),
    st.text(max_size=30),
)


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    posts=st.lists(
        st.dictionaries(
            st.sampled_from(["decision", "status", "from", "trust", "_changelist_filters"]),
            FIELD_VALUES,
            max_size=5,
        ),
        min_size=1,
        max_size=4,
    ),
    wants_json=st.booleans(),
)
def test_whatever_is_posted_a_decision_is_never_a_server_error_and_every_change_is_logged(
    moderator_client, posts, wants_json
):
    comment = CommentFactory(pending=True)
    headers = JSON if wants_json else {}
    changes = 0
    for fields in posts:
        before = status_of(comment)

        response = moderator_client.post(decide_url(comment), fields, headers=headers)

        assert response.status_code in ({200, 400, 409} if wants_json else {302}), fields
        changes += status_of(comment) != before
        assert ModerationLog.objects.filter(comment=comment).count() == changes


@pytest.mark.parametrize(
    "params",
    [{"_facets": "True"}, {"status__exact": "nonsense"}, {"status__exact": ""}, {"p": "2"}],
)
def test_the_queue_answers_any_status_filter_without_a_server_error(moderator_client, params):
    CommentFactory(pending=True)

    response = moderator_client.get(QUEUE, params)

    assert response.status_code in (200, 302)
