"""
A front's arrangement, read from its rows for the reader pages (one query) and written as a
plain snapshot (ids and titles) into the front's log.
"""

from articles.curation import Arrangement

from .models import Placement


def arrangement_for(section_id):
    """
    What editors chose for the home page (`section_id` None) or a section's front, or None
    when nothing was chosen there. One query, whatever the number of stories.
    """
    rows = (
        Placement.objects.filter(front__section_id=section_id)
        .order_by("block__position", "block_id", "position", "pk")
        .values_list("slot", "block_id", "block__title", "article_id")
    )
    return arrangement_of_rows(rows)


def arrangement_of_rows(rows):
    lead, top, blocks = None, [], {}
    for slot, block_id, title, article_id in rows:
        if slot == Placement.Slot.LEAD:
            lead = article_id
        elif slot == Placement.Slot.TOP:
            top.append(article_id)
        else:
            blocks.setdefault(block_id, (title, []))[1].append(article_id)
    if lead is None and not top and not blocks:
        return None
    return Arrangement(
        lead=lead,
        top=tuple(top),
        blocks=tuple((title, tuple(ids)) for title, ids in blocks.values()),
    )


def current(front):
    """The front's arrangement as saved now, empty blocks included."""
    blocks = {block.pk: (block.title, []) for block in front.blocks.order_by("position", "pk")}
    lead, top = None, []
    for slot, block_id, article_id in front.placements.order_by("position", "pk").values_list(
        "slot", "block_id", "article_id"
    ):
        if slot == Placement.Slot.LEAD:
            lead = article_id
        elif slot == Placement.Slot.TOP:
            top.append(article_id)
        elif block_id in blocks:
            blocks[block_id][1].append(article_id)
    return Arrangement(
        lead=lead,
        top=tuple(top),
        blocks=tuple((title, tuple(ids)) for title, ids in blocks.values()),
    )


def snapshot(arrangement):
    """An arrangement as JSON data, for the log."""
    return {
        "lead": arrangement.lead,
        "top": list(arrangement.top),
        "blocks": [{"title": title, "stories": list(ids)} for title, ids in arrangement.blocks],
    }


def from_snapshot(data):
    return Arrangement(
        lead=data.get("lead"),
        top=tuple(data.get("top", ())),
        blocks=tuple((block["title"], tuple(block["stories"])) for block in data.get("blocks", ())),
    )


def places(arrangement):
    """Where each story stands: {id: "lead" | "top story 2" | "Editor's picks, 1"}."""
    where = {}
    if arrangement.lead is not None:
        where[arrangement.lead] = "lead"
    for number, pk in enumerate(arrangement.top, start=1):
        where[pk] = f"top story {number}"
    for title, ids in arrangement.blocks:
        for number, pk in enumerate(ids, start=1):
            where[pk] = f"{title}, {number}"
    return where


def describe(before, after, headlines):
    """What moved between two arrangements, in words, one line per story moved."""
    was, now = places(before), places(after)
    lines = []
    for pk in [*now, *(pk for pk in was if pk not in now)]:
        name = f"“{headlines.get(pk, f'story {pk}')}”"
        if pk not in was:
            lines.append(f"{name} added as {now[pk]}")
        elif pk not in now:
            lines.append(f"{name} taken off ({was[pk]})")
        elif was[pk] != now[pk]:
            lines.append(f"{name} moved from {was[pk]} to {now[pk]}")
    old_titles = [title for title, _ids in before.blocks]
    new_titles = [title for title, _ids in after.blocks]
    lines += [f"block “{title}” added" for title in new_titles if title not in old_titles]
    lines += [f"block “{title}” removed" for title in old_titles if title not in new_titles]
    return "; ".join(lines) or "No story moved."
