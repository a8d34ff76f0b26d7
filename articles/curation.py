"""
Fronts arranged by editors: the interface through which an app above this one tells the home
page and the section fronts which stories editors chose, and where.

`articles` renders the fronts and fills them by recency; it never imports the app that keeps
the editors' choices. That app names a function with `arranged_by()` from its
`AppConfig.ready()`; the views ask `arrangement_of(section)` for the home page (`None`) or a
section's front, and get the chosen stories' ids, which they read through
`Article.objects.live()` like every other story (a chosen story withdrawn or not live yet
shows nowhere, and shows by itself once it is live).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Arrangement:
    """The stories editors chose for a front, by id: a lead, top stories and named blocks."""

    lead: int | None = None
    top: tuple[int, ...] = ()
    blocks: tuple[tuple[str, tuple[int, ...]], ...] = field(default=())

    def story_ids(self):
        """Every chosen story, once."""
        ids = [self.lead] if self.lead is not None else []
        ids += list(self.top)
        for _title, block_ids in self.blocks:
            ids += list(block_ids)
        return list(dict.fromkeys(ids))

    def __bool__(self):
        return bool(self.story_ids()) or bool(self.blocks)


NOTHING_CHOSEN = Arrangement()

_ARRANGERS = []


def arranged_by(arranger):
    """
    `arranger(section_id)` gives the Arrangement editors made for the home page (`None`) or
    a section's front, or None when they made none. Called by an app's ready().
    """
    _ARRANGERS.append(arranger)


def arrangement_of(section=None):
    """The stories editors chose for the home page (`None`) or `section`'s front."""
    section_id = getattr(section, "pk", section)
    for arranger in _ARRANGERS:
        found = arranger(section_id)
        if found is not None:
            return found
    return NOTHING_CHOSEN
