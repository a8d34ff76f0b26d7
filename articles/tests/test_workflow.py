"""The life cycle as services: every step, who may take it, and the log it leaves."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from articles import services
from articles.models import Article, AuditEntry, Correction
from newsroom.tests.factories import UserFactory

from .factories import ArticleFactory, AuthorFactory

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def people(journalist, editor, moderator):
    return {"journalist": journalist, "editor": editor, "moderator": moderator}


def story_for(step, owner):
    """A story in the state `step` starts from, created by `owner`."""
    states = {
        "submit": {"draft": True},
        "publish": {"in_review": True},
        "schedule": {"in_review": True},
        "send_back": {"in_review": True},
        "withdraw": {},
        "mark_updated": {},
    }
    return ArticleFactory(created_by=owner, **states[step])


def take(step, article, actor):
    later = timezone.now() + timedelta(days=1)
    return {
        "submit": lambda: services.submit_for_review(article=article, actor=actor),
        "publish": lambda: services.publish(article=article, actor=actor),
        "schedule": lambda: services.publish(article=article, actor=actor, at=later),
        "send_back": lambda: services.send_back(article=article, actor=actor, note="Tighten it"),
        "withdraw": lambda: services.withdraw(article=article, actor=actor, note="Legal advice"),
        "mark_updated": lambda: services.mark_updated(article=article, actor=actor),
    }[step]()


# Who may take which step. The journalist's story is their own in every case, so a
# refusal is about the role, not about whose story it is.
MATRIX = [
    ("submit", "journalist", True),
    ("submit", "editor", True),
    ("submit", "moderator", False),
    ("publish", "journalist", False),
    ("publish", "editor", True),
    ("publish", "moderator", False),
    ("schedule", "journalist", False),
    ("schedule", "editor", True),
    ("schedule", "moderator", False),
    ("send_back", "journalist", False),
    ("send_back", "editor", True),
    ("send_back", "moderator", False),
    ("withdraw", "journalist", False),
    ("withdraw", "editor", True),
    ("withdraw", "moderator", False),
    ("mark_updated", "journalist", False),
    ("mark_updated", "editor", True),
    ("mark_updated", "moderator", False),
]


@pytest.mark.parametrize(("step", "role", "allowed"), MATRIX)
def test_each_role_may_take_only_its_own_workflow_steps(people, step, role, allowed):
    article = story_for(step, owner=people["journalist"])
    before = Article.objects.values().get(pk=article.pk)
    if allowed:
        entry = take(step, article, people[role])
        assert entry.actor == people[role]
        assert AuditEntry.objects.filter(article=article).count() == 1
    else:
        with pytest.raises(PermissionDenied):
            take(step, article, people[role])
        assert Article.objects.values().get(pk=article.pk) == before
        assert not AuditEntry.objects.exists()


def test_submitting_moves_a_draft_into_review_and_logs_it(journalist):
    article = ArticleFactory(draft=True, created_by=journalist)
    services.submit_for_review(article=article, actor=journalist)
    article.refresh_from_db()
    assert article.status == Status.REVIEW
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.from_status, entry.to_status) == ("submitted", "draft", "review")
    assert entry.actor == journalist


def test_journalist_submits_a_story_bylined_to_them(journalist):
    author = AuthorFactory(user=journalist)
    article = ArticleFactory(draft=True, authors=[author])
    services.submit_for_review(article=article, actor=journalist)
    article.refresh_from_db()
    assert article.status == Status.REVIEW


def test_journalist_cannot_submit_someone_elses_draft(journalist):
    article = ArticleFactory(draft=True, created_by=UserFactory(role="Journalist"))
    with pytest.raises(PermissionDenied):
        services.submit_for_review(article=article, actor=journalist)
    article.refresh_from_db()
    assert article.status == Status.DRAFT


def test_a_story_in_review_cannot_be_submitted_again(editor):
    article = ArticleFactory(in_review=True)
    with pytest.raises(ValidationError):
        services.submit_for_review(article=article, actor=editor)


def test_sending_back_needs_a_note_and_keeps_it_in_the_log(editor):
    article = ArticleFactory(in_review=True)
    with pytest.raises(ValidationError):
        services.send_back(article=article, actor=editor, note="  ")
    services.send_back(article=article, actor=editor, note="Needs a second source.")
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    entry = AuditEntry.objects.get()
    assert (entry.from_status, entry.to_status, entry.note) == (
        "review",
        "draft",
        "Needs a second source.",
    )


def test_sending_back_a_scheduled_story_unschedules_it(editor):
    article = ArticleFactory(scheduled=True)
    services.send_back(article=article, actor=editor, note="Hold for the minister's reply.")
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert article.publish_at is None
    assert article.first_published_at is None


def test_publishing_now_makes_the_story_live_and_sets_first_publication(editor):
    article = ArticleFactory(in_review=True)
    entry = services.publish(article=article, actor=editor)
    article.refresh_from_db()
    assert article.is_live
    assert article.first_published_at == article.publish_at
    assert (entry.action, entry.from_status, entry.to_status) == (
        "published",
        "review",
        "published",
    )


def test_first_publication_is_set_once(editor):
    article = ArticleFactory()
    first = article.first_published_at
    with pytest.raises(ValidationError):
        services.publish(article=article, actor=editor)
    services.mark_updated(article=article, actor=editor)
    article.refresh_from_db()
    assert article.first_published_at == first


def test_scheduled_story_turns_live_at_its_time_with_a_frozen_clock(editor, client):
    with time_machine.travel("2026-05-01 08:00:00+00:00", tick=False):
        article = ArticleFactory(in_review=True, headline="Budget embargo lifts")
        at = timezone.now() + timedelta(hours=2)
        entry = services.publish(article=article, actor=editor, at=at)
        article.refresh_from_db()
        assert entry.action == "scheduled"
        assert entry.publish_at == at
        assert article.is_scheduled
        assert not Article.objects.live().exists()
        assert "Budget embargo lifts" not in client.get("/").content.decode()
    with time_machine.travel("2026-05-01 09:59:59+00:00", tick=False):
        assert not Article.objects.live().exists()
    with time_machine.travel("2026-05-01 10:00:00+00:00", tick=False):
        assert list(Article.objects.live()) == [article]
        assert "Budget embargo lifts" in client.get("/").content.decode()
        assert client.get(article.get_absolute_url()).status_code == 200


def test_a_scheduled_time_in_the_past_is_refused(editor):
    article = ArticleFactory(in_review=True)
    with pytest.raises(ValidationError):
        services.publish(article=article, actor=editor, at=timezone.now() - timedelta(minutes=1))
    article.refresh_from_db()
    assert article.status == Status.REVIEW


def test_rescheduling_a_scheduled_story_moves_its_time(editor):
    article = ArticleFactory(scheduled=True)
    later = article.publish_at + timedelta(hours=6)
    services.publish(article=article, actor=editor, at=later)
    article.refresh_from_db()
    assert article.publish_at == later
    assert article.first_published_at == later


def test_withdrawing_keeps_the_record_and_the_note(editor):
    article = ArticleFactory(headline="Story taken down")
    services.withdraw(article=article, actor=editor, note="The claims could not be verified.")
    article.refresh_from_db()
    assert article.status == Status.WITHDRAWN
    assert article.withdrawal_note == "The claims could not be verified."
    assert article.withdrawn_at is not None
    assert not Article.objects.live().exists()
    assert Article.objects.filter(headline="Story taken down").exists()


def test_withdrawing_needs_a_note(editor):
    article = ArticleFactory()
    with pytest.raises(ValidationError):
        services.withdraw(article=article, actor=editor, note="")
    article.refresh_from_db()
    assert article.is_live


def test_a_withdrawn_story_cannot_be_published_again(editor):
    article = ArticleFactory(withdrawn=True)
    with pytest.raises(ValidationError):
        services.publish(article=article, actor=editor)


def test_marking_an_update_with_a_note_adds_an_update_to_the_story(editor):
    article = ArticleFactory()
    services.mark_updated(article=article, actor=editor, note="Adds the council's response.")
    article.refresh_from_db()
    assert article.was_updated
    update = Correction.objects.get(article=article)
    assert (update.kind, update.text, update.created_by) == (
        Correction.Kind.UPDATE,
        "Adds the council's response.",
        editor,
    )
    assert AuditEntry.objects.get().action == "updated"


def test_marking_an_update_without_a_note_adds_no_correction(editor):
    article = ArticleFactory()
    services.mark_updated(article=article, actor=editor)
    article.refresh_from_db()
    assert article.last_updated_at is not None
    assert not Correction.objects.exists()


def test_only_a_live_story_can_be_marked_as_updated(editor):
    with pytest.raises(ValidationError):
        services.mark_updated(article=ArticleFactory(draft=True), actor=editor)


def test_the_workflow_log_reads_in_order(journalist, editor):
    article = ArticleFactory(draft=True, created_by=journalist)
    services.submit_for_review(article=article, actor=journalist)
    services.send_back(article=article, actor=editor, note="Shorter, please.")
    services.submit_for_review(article=article, actor=journalist)
    services.publish(article=article, actor=editor)
    steps = [
        (entry.action, entry.actor.username)
        for entry in AuditEntry.objects.filter(article=article).order_by("at", "pk")
    ]
    assert steps == [
        ("submitted", "journalist"),
        ("sent_back", "editor"),
        ("submitted", "journalist"),
        ("published", "editor"),
    ]


def test_steps_on_offer_follow_role_and_state(journalist, editor, moderator):
    draft = ArticleFactory(draft=True, created_by=journalist)
    live = ArticleFactory()
    assert services.available_transitions(article=draft, user=journalist) == ["submit"]
    assert services.available_transitions(article=draft, user=moderator) == []
    assert services.available_transitions(article=draft, user=editor) == [
        "submit",
        "publish",
        "schedule",
    ]
    assert services.available_transitions(article=live, user=editor) == [
        "withdraw",
        "mark_updated",
    ]
    assert services.available_transitions(article=live, user=journalist) == []
