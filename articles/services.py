"""
The editorial workflow. Every change of a story's state goes through one of these functions,
whoever asks for it: the admin's change form, its bulk actions, a management command.

Each one checks that the person may make the change (PermissionDenied if not), that the
story is in a state that allows it (ValidationError if not), then makes it, writes an entry
in the story's workflow log and keeps a revision of the story.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime

import reversion
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from reversion.models import Version

from .formats import newsroom_time
from .models import Article, AuditEntry, Correction, StoryRevision
from .models.stories import PUBLISH_PERMISSION

# What "restore this revision" brings back: the story's text. Its state, times, address,
# bylines and corrections stay as they are now, so a live story stays live.
TEXT_FIELDS = (
    "kicker",
    "headline",
    "standfirst",
    "dateline",
    "body",
    "seo_title",
    "seo_description",
)

# The fields the workflow owns: no form edits them, only these functions do.
STATE_FIELDS = (
    "status",
    "publish_at",
    "first_published_at",
    "last_updated_at",
    "withdrawn_at",
    "withdrawal_note",
    "version",
)

Status = Article.Status
Action = AuditEntry.Action


def can_publish(user: AbstractBaseUser | None) -> bool:
    """
    Editors publish, schedule, withdraw, send back, mark updates and restore revisions.
    `None` is the newsroom itself acting on an operator's command on the server (a story
    imported with `import_story --publish`); the workflow log shows no person for it.
    """
    return user is None or user.has_perm(PUBLISH_PERMISSION)


# Checks: each raises PermissionDenied or ValidationError, and changes nothing. The admin
# calls them to offer only what a person may do, and to explain a refusal at the field.


def check_submit_for_review(*, article: Article, actor: AbstractBaseUser) -> None:
    """A journalist submits their own draft; an editor any draft."""
    if article.status != Status.DRAFT:
        raise ValidationError("Only a draft can be submitted for review.", code="state")
    if not article.can_be_edited_by(actor):
        raise PermissionDenied("You can submit only your own stories for review.")


def check_send_back(*, article: Article, actor: AbstractBaseUser, note: str) -> None:
    """An editor sends a story in review, or a scheduled one, back to draft, saying why."""
    if not can_publish(actor):
        raise PermissionDenied("Only an editor can send a story back to the writer.")
    if article.status != Status.REVIEW and not article.is_scheduled:
        raise ValidationError(
            "Only a story in review or a scheduled story can be sent back.", code="state"
        )
    if not note.strip():
        raise ValidationError("Tell the writer why the story goes back.", code="note")


def check_publish(
    *, article: Article, actor: AbstractBaseUser | None, at: datetime | None = None
) -> None:
    """An editor publishes a draft or a story in review now, or schedules it."""
    if not can_publish(actor):
        raise PermissionDenied("Only an editor can publish or schedule a story.")
    if article.is_withdrawn:
        raise ValidationError("A withdrawn story cannot be published again.", code="state")
    if article.is_live:
        raise ValidationError("This story is already live.", code="state")
    if at is not None and at <= timezone.now():
        raise ValidationError(
            "A scheduled time must be in the future; to publish now, use “Publish now”.",
            code="past",
        )


def check_withdraw(*, article: Article, actor: AbstractBaseUser, note: str) -> None:
    """An editor withdraws a live story, with a note readers will see."""
    if not can_publish(actor):
        raise PermissionDenied("Only an editor can withdraw a story.")
    if not article.is_live:
        raise ValidationError(
            "Only a live story can be withdrawn; send a scheduled story back to draft.",
            code="state",
        )
    if not note.strip():
        raise ValidationError(
            "Write the note readers will see at the story's address.", code="note"
        )


def check_mark_updated(*, article: Article, actor: AbstractBaseUser) -> None:
    """An editor marks an edit of a live story as an update."""
    if not can_publish(actor):
        raise PermissionDenied("Only an editor can mark a story as updated.")
    if not article.is_live:
        raise ValidationError("Only a live story can be marked as updated.", code="state")


def check_restore_revision(*, article: Article, actor: AbstractBaseUser, version: Version) -> None:
    """An editor restores the text of one of the story's own kept revisions."""
    if not can_publish(actor) or not article.can_be_edited_by(actor):
        raise PermissionDenied("Only an editor can restore a revision.")
    if version.content_type.model_class() is not Article or version.object_id != str(article.pk):
        raise ValidationError("This revision belongs to another story.", code="other")


TRANSITION_CHECKS = {
    "submit": lambda article, user: check_submit_for_review(article=article, actor=user),
    "publish": lambda article, user: check_publish(article=article, actor=user),
    "schedule": lambda article, user: check_publish(article=article, actor=user),
    "send_back": lambda article, user: check_send_back(article=article, actor=user, note="-"),
    "withdraw": lambda article, user: check_withdraw(article=article, actor=user, note="-"),
    "mark_updated": lambda article, user: check_mark_updated(article=article, actor=user),
}


def available_transitions(*, article: Article, user: AbstractBaseUser) -> list[str]:
    """The workflow steps `user` may take with `article` now, in the order they are offered."""
    allowed = []
    for name, check in TRANSITION_CHECKS.items():
        try:
            check(article, user)
        except (PermissionDenied, ValidationError):
            continue
        allowed.append(name)
    return allowed


# The transitions.


def submit_for_review(*, article: Article, actor: AbstractBaseUser, note: str = "") -> AuditEntry:
    """Move a draft into the review queue."""
    with _transition(article, actor=actor, action=Action.SUBMITTED, note=note) as change:
        check_submit_for_review(article=article, actor=actor)
        change.to(Status.REVIEW)
    return change.entry


def send_back(*, article: Article, actor: AbstractBaseUser, note: str) -> AuditEntry:
    """
    Return a story in review (or a scheduled one, which is unscheduled) to its writer as
    a draft, with a note saying what to change.
    """
    with _transition(article, actor=actor, action=Action.SENT_BACK, note=note) as change:
        check_send_back(article=article, actor=actor, note=note)
        article.publish_at = None
        article.first_published_at = None
        change.to(Status.DRAFT, "publish_at", "first_published_at")
    return change.entry


def publish(
    *,
    article: Article,
    actor: AbstractBaseUser | None,
    at: datetime | None = None,
    note: str = "",
) -> AuditEntry:
    """
    Publish a story now, or schedule it when `at` is in the future (it goes live by itself
    at that time: the `live()` gate decides). Rescheduling a scheduled story, or publishing
    it at once, goes through here too. The first publication time is set once, when the
    story first goes live.
    """
    action = Action.SCHEDULED if at is not None else Action.PUBLISHED
    with _transition(article, actor=actor, action=action, note=note) as change:
        check_publish(article=article, actor=actor, at=at)
        article.publish_at = at or timezone.now()
        change.entry.publish_at = article.publish_at
        change.to(Status.PUBLISHED, "publish_at", "first_published_at")
    return change.entry


def withdraw(*, article: Article, actor: AbstractBaseUser, note: str) -> AuditEntry:
    """
    Take a live story down. It leaves every list; its address answers 410 with `note`.
    The record stays.
    """
    with _transition(article, actor=actor, action=Action.WITHDRAWN, note=note) as change:
        check_withdraw(article=article, actor=actor, note=note)
        article.withdrawn_at = timezone.now()
        article.withdrawal_note = note.strip()
        change.to(Status.WITHDRAWN, "withdrawn_at", "withdrawal_note")
    return change.entry


def mark_updated(*, article: Article, actor: AbstractBaseUser, note: str = "") -> AuditEntry:
    """
    Mark the latest edit of a live story as an update: readers see "Updated <time>". With
    a note, an "Update" is added to the story's corrections and updates.
    """
    with _transition(article, actor=actor, action=Action.UPDATED, note=note) as change:
        check_mark_updated(article=article, actor=actor)
        now = timezone.now()
        article.last_updated_at = now
        if note.strip():
            Correction.objects.create(
                article=article,
                kind=Correction.Kind.UPDATE,
                text=note.strip(),
                published_at=now,
                created_by=actor,
            )
        change.to(Status.PUBLISHED, "last_updated_at")
    return change.entry


def restore_revision(*, article: Article, actor: AbstractBaseUser, version: Version) -> AuditEntry:
    """
    Bring back the text (headline, standfirst, body…) of a kept revision. The story keeps
    its state, times and address: a live story stays live.
    """
    kept_at = newsroom_time(version.revision.date_created)
    note = f"Restored the text of the revision kept on {kept_at}."
    with _transition(article, actor=actor, action=Action.RESTORED, note=note) as change:
        check_restore_revision(article=article, actor=actor, version=version)
        old = version.field_dict
        for field in TEXT_FIELDS:
            if field in old:
                setattr(article, field, old[field])
        # A change form opened before the restore would save over it: it is stale now.
        article.version += 1
        change.to(article.status, *TEXT_FIELDS, "version")
    return change.entry


class _Change:
    """The state change under way inside `_transition`."""

    def __init__(self, article, entry):
        self.article = article
        self.entry = entry
        self.fields = []

    def to(self, status, *fields):
        self.article.status = status
        self.entry.to_status = status
        self.fields = ["status", *fields]


@contextmanager
def _transition(article, *, actor, action, note) -> Iterator[_Change]:
    """
    Lock the story's row and read its current state, so two editors acting at once cannot
    both move it; then save what changed, log the step and keep a revision.
    """
    with transaction.atomic(), _revision(article, actor=actor, comment=action.label):
        current = Article.objects.select_for_update().only(*STATE_FIELDS).get(pk=article.pk)
        for field in STATE_FIELDS:
            setattr(article, field, getattr(current, field))
        entry = AuditEntry(
            article=article,
            action=action,
            from_status=article.status,
            actor=actor,
            note=note.strip(),
        )
        change = _Change(article, entry)
        yield change
        article.modified_by = actor
        article.save(update_fields=[*change.fields, "modified_by", "modified_at"])
        entry.save()


@contextmanager
def _revision(article, *, actor, comment) -> Iterator[None]:
    """
    Keep the changes made in this block as one revision of the story. Inside a block that
    is already keeping a revision (the admin's save of a whole form), the outer block
    describes and keeps the revision instead.
    """
    if reversion.is_active():
        yield
        return
    with reversion.create_revision():
        yield
        describe_revision(article=article, actor=actor, comment=comment)


def describe_revision(*, article: Article, actor: AbstractBaseUser, comment: str) -> None:
    """
    Inside a revision block, once, at its end: the story with its bylines and corrections
    as they are now, who changed it, what changed, and the status it has (a revision kept
    while the story was published is never pruned).
    """
    reversion.add_to_revision(article)
    for related in (*article.bylines.all(), *article.corrections.all()):
        reversion.add_to_revision(related)
    reversion.set_user(actor)
    reversion.set_comment(comment)
    reversion.add_meta(StoryRevision, article=article, status=article.status)
