"""
Everything done to live coverage, for the admin and any other writer: posting, editing,
correcting, pinning and deleting entries (each leaving a record), and ending coverage.
Each function checks the actor's permission itself, so no path can skip the rule.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .models import MANAGE_PERMISSION, EntryRecord, LiveCoverage, LiveEntry


def check_can_post(*, coverage: LiveCoverage, actor) -> None:
    if not actor.has_perm("live.add_liveentry"):
        raise PermissionDenied("You may not post live entries.")
    if coverage.has_ended:
        raise ValidationError(
            "This coverage has ended: no more entries can be posted to it.", code="ended"
        )


def check_can_manage(*, actor) -> None:
    if not actor.has_perm(MANAGE_PERMISSION):
        raise PermissionDenied("Only an editor pins, corrects and deletes entries.")


@transaction.atomic
def post_entry(
    *,
    coverage: LiveCoverage,
    actor,
    body: str,
    authors=(),
    headline: str = "",
    is_key_event: bool = False,
    is_pinned: bool = False,
) -> LiveEntry:
    """Post a new entry to a running coverage. Only an editor posts it pinned."""
    check_can_post(coverage=coverage, actor=actor)
    if is_pinned:
        check_can_manage(actor=actor)
    entry = LiveEntry(
        coverage=coverage,
        headline=headline,
        body=body,
        is_key_event=is_key_event,
        is_pinned=is_pinned,
        posted_by=actor,
    )
    entry.full_clean(exclude=["coverage"])
    entry.save()
    entry.authors.set(authors)
    EntryRecord.objects.create(entry=entry, action=EntryRecord.Action.POSTED, by=actor)
    return entry


def record_change(*, entry: LiveEntry, actor, before: LiveEntry, note: str = "") -> None:
    """
    Keep a record of an edit made to `entry` (saved by the admin's form): pinned or unpinned
    when that changed (editors only), and a correction when it carries a note for readers,
    which only an editor adds, else a plain edit.
    """
    if not entry.can_be_edited_by(actor):
        raise PermissionDenied("You may not change this entry.")
    if entry.is_pinned != before.is_pinned:
        check_can_manage(actor=actor)
        pinned = EntryRecord.Action.PINNED if entry.is_pinned else EntryRecord.Action.UNPINNED
        EntryRecord.objects.create(entry=entry, action=pinned, by=actor)
        if (entry.headline, entry.body) == (before.headline, before.body) and not note:
            return
    action = EntryRecord.Action.EDITED
    if note:
        check_can_manage(actor=actor)
        action = EntryRecord.Action.CORRECTED
    EntryRecord.objects.create(
        entry=entry,
        action=action,
        by=actor,
        note=note,
        headline_before=before.headline,
        body_before=before.body,
    )


@transaction.atomic
def correct_entry(*, entry: LiveEntry, actor, note: str, headline=None, body=None) -> LiveEntry:
    """
    Correct an entry: its new words, and a note readers see under it ("Corrected at 10:42:
    …"). The words it had before are kept in its record. Editors only.
    """
    check_can_manage(actor=actor)
    if not note.strip():
        raise ValidationError("Say what was corrected: readers see this note.", code="note")
    before = LiveEntry(headline=entry.headline, body=entry.body, is_pinned=entry.is_pinned)
    if headline is not None:
        entry.headline = headline
    if body is not None:
        entry.body = body
    entry.corrected_at = timezone.now()
    entry.correction_note = note.strip()
    entry.save()
    record_change(entry=entry, actor=actor, before=before, note=entry.correction_note)
    return entry


@transaction.atomic
def set_pinned(*, entry: LiveEntry, actor, pinned: bool) -> LiveEntry:
    """Pin an entry to the top of the page, or unpin it. Editors only."""
    check_can_manage(actor=actor)
    if entry.is_pinned != pinned:
        entry.is_pinned = pinned
        entry.save(update_fields=["is_pinned", "updated_at"])
        action = EntryRecord.Action.PINNED if pinned else EntryRecord.Action.UNPINNED
        EntryRecord.objects.create(entry=entry, action=action, by=actor)
    return entry


@transaction.atomic
def delete_entry(*, entry: LiveEntry, actor, note: str = "") -> LiveEntry:
    """
    Take an entry off the page. It is kept, with its words, and the record says who deleted
    it, when and why. Editors only.
    """
    check_can_manage(actor=actor)
    if entry.deleted_at is None:
        entry.deleted_at = timezone.now()
        entry.is_pinned = False
        entry.save(update_fields=["deleted_at", "is_pinned", "updated_at"])
        EntryRecord.objects.create(
            entry=entry,
            action=EntryRecord.Action.DELETED,
            by=actor,
            note=note,
            headline_before=entry.headline,
            body_before=entry.body,
        )
    return entry


@transaction.atomic
def end_coverage(*, coverage: LiveCoverage, actor) -> LiveCoverage:
    """End a coverage: the page says so, shows its entries oldest first, and takes no more."""
    check_can_manage(actor=actor)
    if coverage.ended_at is None:
        coverage.ended_at = timezone.now()
        coverage.ended_by = actor
        coverage.save(update_fields=["ended_at", "ended_by"])
    return coverage
