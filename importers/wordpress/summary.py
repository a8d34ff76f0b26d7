"""What an import did, kind by kind: created, updated, unchanged, skipped, and why."""

from collections import Counter
from dataclasses import dataclass, field

# Audio and video files copied into media storage.
AUDIO_AND_VIDEO = "audio/video"
KINDS = (
    "sections",
    "tags",
    "authors",
    "users",
    "articles",
    "images",
    AUDIO_AND_VIDEO,
    "comments",
    "redirects",
)
EXAMPLES_KEPT = 3
# An item imported before items were keyed by their blog, taken over by this blog.
ADOPTED = "recognised from an import made before blogs were told apart"


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    notes: Counter = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)

    @property
    def skipped_total(self) -> int:
        return sum(self.skipped.values())


class Summary:
    """Counts per kind of record, with the reasons for skips and notes worth a look."""

    def __init__(self):
        self.tallies = {kind: Tally() for kind in KINDS}
        # What each post's content had that was converted or dropped: {wp_id: (headline, …)}.
        self.contents: dict[str, tuple[str, Counter]] = {}

    def content(self, wp_id: str, headline: str, report: Counter) -> None:
        """What the conversion of a post's content did (see content.py), for the report."""
        if report:
            self.contents[wp_id] = (headline, Counter(report))

    def created(self, kind: str, count: int = 1) -> None:
        self.tallies[kind].created += count

    def updated(self, kind: str, count: int = 1) -> None:
        self.tallies[kind].updated += count

    def unchanged(self, kind: str, count: int = 1) -> None:
        self.tallies[kind].unchanged += count

    def skip(self, kind: str, reason: str, example: str = "") -> None:
        self.tallies[kind].skipped[reason] += 1
        self.remember(kind, reason, example)

    def note(self, kind: str, what: str, example: str = "") -> None:
        """Something done that a person should know about (a slug renamed, a reply moved)."""
        self.tallies[kind].notes[what] += 1
        self.remember(kind, what, example)

    def remember(self, kind: str, key: str, example: str) -> None:
        if not example:
            return
        examples = self.tallies[kind].examples.setdefault(key, [])
        if len(examples) < EXAMPLES_KEPT:
            examples.append(example)

    def counts(self) -> dict[str, tuple[int, int, int, int]]:
        """{kind: (created, updated, unchanged, skipped)}, for comparing two runs."""
        return {
            kind: (tally.created, tally.updated, tally.unchanged, tally.skipped_total)
            for kind, tally in self.tallies.items()
        }

    def lines(self) -> list[str]:
        """The summary table, then skip reasons and notes, as lines of text."""
        header = f"{'':<11}{'created':>9}{'updated':>9}{'unchanged':>11}{'skipped':>9}"
        lines = [header, "-" * len(header)]
        for kind, tally in self.tallies.items():
            lines.append(
                f"{kind:<11}{tally.created:>9}{tally.updated:>9}{tally.unchanged:>11}"
                f"{tally.skipped_total:>9}"
            )
        for title, attribute in (("Skipped", "skipped"), ("Notes", "notes")):
            entries = [
                (kind, reason, count, tally.examples.get(reason, []))
                for kind, tally in self.tallies.items()
                for reason, count in sorted(getattr(tally, attribute).items())
            ]
            if not entries:
                continue
            lines += ["", f"{title}:"]
            for kind, reason, count, examples in entries:
                shown = f" (e.g. {', '.join(examples)})" if examples else ""
                lines.append(f"  {kind}: {count} {reason}{shown}")
        return lines + self.content_lines()

    def content_lines(self) -> list[str]:
        """What posts held that was converted or dropped: in all, then post by post."""
        if not self.contents:
            return []
        total = Counter()
        for _headline, report in self.contents.values():
            total.update(report)
        lines = ["", "Content converted or dropped, in all:"]
        lines += [f"  {what}: {count}" for what, count in sorted(total.items())]
        lines += ["", "Content converted or dropped, post by post:"]
        for wp_id, (headline, report) in self.contents.items():
            done = "; ".join(
                what if count == 1 else f"{what} ×{count}" for what, count in sorted(report.items())
            )
            lines.append(f"  {wp_id} “{headline}”: {done}")
        return lines
