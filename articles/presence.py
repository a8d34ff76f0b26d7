"""
Who else has a story open: each change form says it is still open every few seconds, and
colleagues see "Ana Ruiz is editing this story, since 10:42", on the form and in the list
of stories. Nobody is blocked (a stale save is refused anyway, articles/conflicts.py); an
editor can take a story over, and the person it was taken from is told. A presence not heard
from for a minute is over by itself: a closed browser leaves nothing behind.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Article, EditingPresence
from .models.presence import EXPIRES_AFTER
from .services import can_publish


def person_name(user):
    return user.get_full_name() or user.get_username()


def clock(moment):
    """A time of today as the newsroom reads it: 10:42."""
    return timezone.localtime(moment).strftime("%H:%M")


def heartbeat(*, article: Article, user, opening: bool = False) -> EditingPresence:
    """
    `user` has `article`'s change form open (just opened, when `opening`). Presences of the
    story that are over are cleared on the way.
    """
    now = timezone.now()
    try:
        with transaction.atomic():
            presence, created = EditingPresence.objects.get_or_create(
                article=article, user=user, defaults={"opened_at": now, "seen_at": now}
            )
    except IntegrityError:
        # The same person's other tab made it at the same moment.
        presence, created = EditingPresence.objects.get(article=article, user=user), False
    if not created:
        was_over = presence.seen_at < now - EXPIRES_AFTER
        if opening or was_over:
            presence.opened_at = now
            presence.taken_over_by = None
            presence.taken_over_at = None
        presence.seen_at = now
        presence.save(update_fields=["opened_at", "seen_at", "taken_over_by", "taken_over_at"])
    EditingPresence.objects.filter(article=article, seen_at__lt=now - EXPIRES_AFTER).delete()
    return presence


def others_editing(*, article: Article, user):
    """The colleagues with the story open now, first opened first."""
    return (
        EditingPresence.objects.active()
        .filter(article=article)
        .exclude(user=user)
        .select_related("user")
    )


def leave(*, article: Article, user) -> None:
    """`user` closed the story's form."""
    EditingPresence.objects.filter(article=article, user=user).delete()


def take_over(*, article: Article, actor) -> list[str]:
    """
    An editor takes the story over: the colleagues who had it open are told, and no longer
    shown as editing it. Returns their names.
    """
    if not can_publish(actor) or not article.can_be_edited_by(actor):
        raise PermissionDenied("Only an editor who may edit the story takes it over.")
    others = list(others_editing(article=article, user=actor))
    EditingPresence.objects.filter(pk__in=[presence.pk for presence in others]).update(
        taken_over_by=actor, taken_over_at=timezone.now()
    )
    heartbeat(article=article, user=actor, opening=True)
    return [person_name(presence.user) for presence in others]


def state_for(*, article: Article, user) -> dict:
    """What the change form of `user` shows: who else is editing, and whether it was taken."""
    mine = (
        EditingPresence.objects.filter(article=article, user=user)
        .select_related("taken_over_by")
        .first()
    )
    taken = None
    if mine is not None and mine.taken_over_by_id is not None:
        taken = {"name": person_name(mine.taken_over_by), "at": clock(mine.taken_over_at)}
    return {
        "others": [
            {"name": person_name(presence.user), "since": clock(presence.opened_at)}
            for presence in others_editing(article=article, user=user)
        ],
        "taken_over_by": taken,
    }
