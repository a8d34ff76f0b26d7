"""Changing a front: one write path for the admin's arranging page, undo, and the demo."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from articles.curation import Arrangement
from articles.models import Article

from . import arrangements
from .models import (
    CHANGE_PERMISSION,
    PROPOSE_PERMISSION,
    Front,
    FrontBlock,
    FrontChange,
    Placement,
    PlacementProposal,
)


class StaleFront(Exception):
    """The front was changed by someone else after the arrangement being saved was opened."""

    def __init__(self, front):
        super().__init__(f"{front} was changed after it was opened.")
        self.front = front


def placeable_stories():
    """Stories an editor may put on a front: live ones, and scheduled ones placed in advance."""
    return Article.objects.live() | Article.objects.scheduled().order_by()


def check_arrangement(arrangement):
    """
    Refuse an arrangement that places a story twice, an untitled block, or a story that is
    not published (a draft, a story in review, a withdrawn one); say which.
    """
    ids = [arrangement.lead] if arrangement.lead is not None else []
    ids += [*arrangement.top, *(pk for _title, block in arrangement.blocks for pk in block)]
    problems = []
    found = dict(placeable_stories().filter(pk__in=ids).values_list("pk", "headline"))
    others = dict(
        Article.objects.filter(pk__in=set(ids) - set(found)).values_list("pk", "headline")
    )
    seen = set()
    for pk in ids:
        if pk in others:
            problems.append(
                f"“{others[pk]}” is not published: only published stories go on a front "
                "(take it off)."
            )
        elif pk not in found:
            problems.append(f"There is no story {pk}.")
        elif pk in seen:
            problems.append(f"“{found[pk]}” is placed twice: a story has one place on a front.")
        seen.add(pk)
    titles = [title for title, _ids in arrangement.blocks]
    if any(not title.strip() for title in titles):
        problems.append("Give every block a title.")
    if len(set(titles)) != len(titles):
        problems.append("Two blocks have the same title.")
    if problems:
        raise ValidationError(list(dict.fromkeys(problems)))


def arrange_front(*, front, arrangement, actor, opened_version, summary=None):
    """
    Save `arrangement` as `front`'s stories, log the change (who, when, what moved, before
    and after) and make the front's cached pages stale once it commits (fronts/freshness.py).
    Refused with PermissionDenied for anyone but an editor, ValidationError for a bad
    arrangement, and StaleFront when the front changed since `opened_version`: a conditional
    UPDATE of the version, so two editors saving at once cannot both win.
    """
    if not actor.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied("Only editors change fronts.")
    return save_arrangement(
        front=front,
        arrangement=arrangement,
        actor=actor,
        opened_version=opened_version,
        summary=summary,
    )


def save_arrangement(*, front, arrangement, actor, opened_version, summary=None):
    """
    `arrange_front` without the editor's check, for writers that are not a person at the
    arranging page (an import run from the command line): checked, logged, made stale alike.
    """
    check_arrangement(arrangement)
    with transaction.atomic():
        saved = Front.objects.filter(pk=front.pk, version=opened_version).update(
            version=F("version") + 1, changed_at=timezone.now(), changed_by=actor
        )
        if not saved:
            raise StaleFront(front)
        front.refresh_from_db(fields=["version", "changed_at", "changed_by"])
        before = arrangements.current(front)
        write(front, arrangement)
        ids = set(before.story_ids()) | set(arrangement.story_ids())
        headlines = dict(Article.objects.filter(pk__in=ids).values_list("pk", "headline"))
        return FrontChange.objects.create(
            front=front,
            changed_by=actor,
            summary=summary or arrangements.describe(before, arrangement, headlines),
            before=arrangements.snapshot(before),
            after=arrangements.snapshot(arrangement),
        )


def place_first(*, front, story_ids, actor, summary):
    """
    Put `story_ids` (newest first) at the head of `front` without moving an editor's choice:
    the first into the lead when the lead is empty, the others after the chosen top stories.
    Stories already on the front, or that cannot be placed (a draft), are left out. Logged
    as one change (undoable like any other) summed up by `summary(placed_ids)`; None when
    there was nothing to place.
    """
    with transaction.atomic():
        front = Front.objects.select_for_update().get(pk=front.pk)
        before = arrangements.current(front)
        placeable = set(placeable_stories().filter(pk__in=story_ids).values_list("pk", flat=True))
        on_front = set(before.story_ids())
        placed = [pk for pk in dict.fromkeys(story_ids) if pk in placeable and pk not in on_front]
        if not placed:
            return None
        lead = before.lead if before.lead is not None else placed[0]
        top = (*before.top, *(pk for pk in placed if pk != lead))
        after = Arrangement(lead=lead, top=top, blocks=before.blocks)
        return save_arrangement(
            front=front,
            arrangement=after,
            actor=actor,
            opened_version=front.version,
            summary=summary(placed),
        )


def write(front, arrangement):
    """Replace the front's blocks and placements (each row saved, so its signals are sent)."""
    front.placements.all().delete()
    front.blocks.all().delete()
    if arrangement.lead is not None:
        Placement.objects.create(front=front, article_id=arrangement.lead, slot=Placement.Slot.LEAD)
    for position, pk in enumerate(arrangement.top):
        Placement.objects.create(
            front=front, article_id=pk, slot=Placement.Slot.TOP, position=position
        )
    for block_position, (title, ids) in enumerate(arrangement.blocks):
        block = FrontBlock.objects.create(front=front, title=title.strip(), position=block_position)
        for position, pk in enumerate(ids):
            Placement.objects.create(
                front=front,
                article_id=pk,
                slot=Placement.Slot.BLOCK,
                block=block,
                position=position,
            )


def undo_change(*, change, actor):
    """
    Put the front back as it was before `change`, as a new change of its own (so that the
    undo is logged and can be undone in turn). Stories that cannot be placed any more (a
    withdrawn one) are left out.
    """
    wanted = arrangements.from_snapshot(change.before)
    placeable = set(
        placeable_stories().filter(pk__in=wanted.story_ids()).values_list("pk", flat=True)
    )
    wanted = Arrangement(
        lead=wanted.lead if wanted.lead in placeable else None,
        top=tuple(pk for pk in wanted.top if pk in placeable),
        blocks=tuple(
            (title, tuple(pk for pk in ids if pk in placeable)) for title, ids in wanted.blocks
        ),
    )
    front = Front.objects.get(pk=change.front_id)
    undone = arrange_front(
        front=front, arrangement=wanted, actor=actor, opened_version=front.version
    )
    undone.summary = f"Undid the change of {change.changed_at:%d %b %Y %H:%M}: {undone.summary}"
    undone.save(update_fields=["summary"])
    return undone


def propose_placement(*, front, article, slot, block_title, note, proposer):
    """
    Propose `article` for `front` (its lead, its top stories or the block titled
    `block_title`) with a short note for the editors. Refused with PermissionDenied for anyone
    who may not propose, ValidationError for a story that is not published, a block without
    a title, or a story already proposed for this front and not yet placed or dismissed.
    """
    if not proposer.has_perm(PROPOSE_PERMISSION):
        raise PermissionDenied("Only journalists and editors propose stories for a front.")
    proposal = PlacementProposal(
        front=front,
        article=article,
        slot=slot,
        block_title=block_title.strip() if slot == Placement.Slot.BLOCK else "",
        note=note.strip(),
        proposed_by=proposer,
    )
    # clean() says what is wrong; the constraint only repeats the duplicate's message.
    proposal.full_clean(validate_constraints=False)
    proposal.save()
    return proposal


def close_proposal(proposal, *, state, actor):
    proposal.state = state
    proposal.closed_by = actor
    proposal.closed_at = timezone.now()
    proposal.save(update_fields=["state", "closed_by", "closed_at"])


def dismiss_proposal(*, proposal, actor):
    """Close `proposal` without placing its story, recording who dismissed it and when."""
    if not actor.has_perm(CHANGE_PERMISSION):
        raise PermissionDenied("Only editors change fronts.")
    if proposal.state != PlacementProposal.State.OPEN:
        raise ValidationError("This proposal has already been placed or dismissed.")
    close_proposal(proposal, state=PlacementProposal.State.DISMISSED, actor=actor)


def with_story_placed(arrangement, pk, *, slot, block_title):
    """`arrangement` with story `pk` moved to `slot`: a lead it displaces opens the top stories."""
    top = [story for story in arrangement.top if story != pk]
    blocks = [(title, [story for story in ids if story != pk]) for title, ids in arrangement.blocks]
    lead = None if arrangement.lead == pk else arrangement.lead
    if slot == Placement.Slot.LEAD:
        if lead is not None:
            top.insert(0, lead)
        lead = pk
    elif slot == Placement.Slot.TOP:
        top.append(pk)
    else:
        titles = [title for title, _ids in blocks]
        if block_title not in titles:
            blocks.append((block_title, []))
            titles.append(block_title)
        blocks[titles.index(block_title)][1].append(pk)
    return Arrangement(
        lead=lead, top=tuple(top), blocks=tuple((title, tuple(ids)) for title, ids in blocks)
    )


def place_proposal(*, proposal, actor, opened_version):
    """
    Place `proposal`'s story where it was proposed, through `arrange_front` (so the change is
    logged and can be undone), and close the proposal as placed. Refused as `arrange_front`
    refuses, and with ValidationError for a proposal no longer open or a story no longer
    published.
    """
    if proposal.state != PlacementProposal.State.OPEN:
        raise ValidationError("This proposal has already been placed or dismissed.")
    front = proposal.front
    wanted = with_story_placed(
        arrangements.current(front),
        proposal.article_id,
        slot=proposal.slot,
        block_title=proposal.block_title,
    )
    with transaction.atomic():
        change = arrange_front(
            front=front,
            arrangement=wanted,
            actor=actor,
            opened_version=opened_version,
        )
        change.summary = f"Placed a proposal: {change.summary}"
        change.save(update_fields=["summary"])
        close_proposal(proposal, state=PlacementProposal.State.PLACED, actor=actor)
    return change
