"""
The moderators' queue as they work it: a decision on one comment from its card (a button or
a key) answered in JSON, undoing the last one, the counts per state, and the desk's line
about what waits. Every decision goes through the moderation services, which check the
permission, log the change and make the story's pages fresh; nothing here writes a comment.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.utils import timezone

from newsroom.admin import BoundedCountPaginator

from . import services
from .models import MODERATE_PERMISSION, Comment, TrustedCommenter

COUNT_LIMIT = BoundedCountPaginator.COUNT_LIMIT

# A decision from a card: what the moderator sees done, and the service that does it.
DECISIONS = {
    "approve": ("Approved the comment from {name}.", services.approve_comments),
    "reject": ("Rejected the comment from {name}.", services.reject_comments),
    "spam": ("Marked the comment from {name} as spam.", services.mark_spam),
    "trust": ("Approved the comment from {name} and trusted them.", services.approve_and_trust),
}


class Refused(Exception):
    """A decision that cannot be made as asked: the status says why (400, 409)."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class Outcome:
    """What one decision did to one comment, as the queue's card shows it."""

    comment: Comment
    previous: str
    changed: bool
    trusted: bool
    trust_changed: bool
    message: str

    def as_json(self) -> dict:
        counts = status_counts()
        return {
            "comment": self.comment.pk,
            "status": self.comment.status,
            "status_label": self.comment.get_status_display(),
            "previous": self.previous,
            "changed": self.changed,
            "trusted": self.trusted,
            "trust_changed": self.trust_changed,
            "message": self.message,
            "counts": {row["status"]: row["count"] for row in counts},
            "counts_shown": {row["status"]: row["shown"] for row in counts},
        }


def shown_count(count: int) -> str:
    """A bounded count as the queue shows it: past the limit, "more than 10,000"."""
    if count > COUNT_LIMIT:
        return f"more than {COUNT_LIMIT:,}"
    return f"{count:,}"


def status_counts() -> list[dict]:
    """The number of comments in each state, pending first, for the queue's tabs."""
    counts = Comment.objects.count_by_status(limit=COUNT_LIMIT)
    return [
        {
            "status": status,
            "label": label,
            "count": counts[status],
            "shown": shown_count(counts[status]),
        }
        for status, label in Comment.Status.choices
    ]


def waited(since: datetime, now: datetime) -> str:
    """How long since `since`, in the fewest words: "under a minute", "12 min", "3 h", "2 d"."""
    minutes = int((now - since).total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    if minutes < 60:
        return f"{minutes} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h"
    return f"{minutes // (24 * 60)} d"


def moderator_desk(request):
    """What waits for a moderator, on the desk of those who moderate (None for the rest)."""
    if not request.user.has_perm(MODERATE_PERMISSION):
        return None
    waiting = Comment.objects.awaiting_moderation().order_by().values("pk")[: COUNT_LIMIT + 1]
    count = waiting.count()
    oldest = Comment.objects.oldest_waiting_since() if count else None
    return {
        "waiting": count,
        "waiting_shown": shown_count(count),
        "oldest": oldest,
        "oldest_wait": waited(oldest, timezone.now()) if oldest else "",
    }


def decide(*, comment: Comment, form, moderator: AbstractBaseUser) -> Outcome:
    """
    Make the decision named by `form["decision"]` on `comment`: approve, reject, spam, trust
    (approve and trust the commenter), untrust, or undo (see `undo`). Raises Refused for a
    decision it does not know; the services raise PermissionDenied for anyone who may not.
    """
    decision = form.get("decision", "")
    previous = comment.status
    if decision == "undo":
        return undo(comment=comment, form=form, moderator=moderator)
    if decision == "untrust":
        changed = services.set_trusted(email=comment.email, trusted=False, moderator=moderator)
        return Outcome(
            comment=comment,
            previous=previous,
            changed=False,
            trusted=False,
            trust_changed=changed,
            message=f"Stopped trusting {comment.name}: their comments go through every rule.",
        )
    if decision not in DECISIONS:
        raise Refused("Choose approve, reject, spam, trust, untrust or undo.")
    done, service = DECISIONS[decision]
    result = service(comments=Comment.objects.filter(pk=comment.pk), moderator=moderator)
    comment.refresh_from_db(fields=["status"])
    message = done.format(name=comment.name)
    if not result.changed and not result.trusted:
        state = comment.get_status_display().lower()
        message = f"The comment from {comment.name} already was {state}."
    return Outcome(
        comment=comment,
        previous=previous,
        changed=bool(result.changed),
        trusted=is_trusted(comment.email),
        trust_changed=bool(result.trusted),
        message=message,
    )


def undo(*, comment: Comment, form, moderator: AbstractBaseUser) -> Outcome:
    """
    Put `comment` back in `form["status"]`, the state it had before the decision that left
    it in `form["from"]`, through the same services (so the step back is logged), and give
    back or take back the trust that decision changed (`form["trust"]`: "add" or "remove").
    Undoing twice changes it once; a comment another moderator has moved since is left
    alone (Refused, 409).
    """
    restore, left = form.get("status", ""), form.get("from", "")
    if restore not in Comment.Status.values or left not in Comment.Status.values:
        raise Refused("Say which state to restore and which the comment is in.")
    previous = comment.status
    if previous not in (restore, left):
        raise Refused(
            f"Another moderator has since marked this comment "
            f"{comment.get_status_display().lower()}: it was left as it is.",
            status=409,
        )
    result = services.moderate_comments(
        comments=Comment.objects.filter(pk=comment.pk, status=left),
        status=restore,
        moderator=moderator,
    )
    trust_changed = False
    if form.get("trust") in ("add", "remove"):
        trust_changed = services.set_trusted(
            email=comment.email, trusted=form["trust"] == "add", moderator=moderator
        )
    comment.refresh_from_db(fields=["status"])
    return Outcome(
        comment=comment,
        previous=previous,
        changed=bool(result.changed),
        trusted=is_trusted(comment.email),
        trust_changed=trust_changed,
        message=f"Undone: the comment from {comment.name} is "
        f"{comment.get_status_display().lower()} again.",
    )


def is_trusted(email: str) -> bool:
    return TrustedCommenter.objects.filter(email=email).exists()
