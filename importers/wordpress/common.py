"""
What every stage of a WordPress import shares: the run's context (the survey, the summary,
the ids of what the taxonomy became, the import records), and small text and date helpers.
"""

import hashlib
import html
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import unquote
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.html import strip_tags
from django.utils.text import slugify

from ..models import WordPressItem
from .summary import ADOPTED, Summary
from .survey import Survey

LOOKUP_CHUNK = 500

Kind = WordPressItem.Kind


def checksum(value) -> str:
    return hashlib.blake2b(repr(value).encode(), digest_size=16).hexdigest()


def chunks(values: list, size: int = LOOKUP_CHUNK) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def parse_date(value: str, value_gmt: str) -> datetime | None:
    """
    A WordPress date: the GMT one when it is set, otherwise the local one read in the
    newsroom's time zone (drafts have no GMT date: "0000-00-00 00:00:00").
    """
    for text, zone in ((value_gmt, ZoneInfo("UTC")), (value, ZoneInfo(settings.TIME_ZONE))):
        if not text or text.startswith("0000-00-00"):
            continue
        try:
            parsed = datetime.fromisoformat(text.strip())
        except ValueError:
            continue
        return parsed.replace(tzinfo=zone)
    return None


def plain(text: str) -> str:
    return " ".join(html.unescape(strip_tags(text or "")).split())


def clean_slug(nicename: str, *fallbacks: str, max_length: int) -> str:
    """A WordPress nicename (URL-encoded when not ASCII) as a slug our addresses accept."""
    for text in (unquote(nicename), *fallbacks):
        slug = slugify(text)[:max_length].strip("-")
        if slug:
            return slug
    return ""


def free_slug(slug: str, *, taken: set[str], max_length: int = 80) -> str:
    """`slug`, or `slug-2`, `slug-3`… if it is taken."""
    candidate, number = slug, 1
    while candidate in taken:
        number += 1
        suffix = f"-{number}"
        candidate = f"{slug[: max_length - len(suffix)].rstrip('-')}{suffix}"
    return candidate


@dataclass
class Ids:
    """What the taxonomy became here, by WordPress slug, term id or login."""

    sections: dict[str, int] = field(default_factory=dict)
    sections_by_term_id: dict[str, int] = field(default_factory=dict)
    tags: dict[str, int] = field(default_factory=dict)
    authors: dict[str, int] = field(default_factory=dict)


@dataclass
class Context:
    """
    One run of an import, as every stage sees it: the export's survey, the summary being
    written, the blog's key in the import records and the ids the taxonomy stage found.
    """

    survey: Survey
    summary: Summary
    ids: Ids = field(default_factory=Ids)

    @property
    def site(self) -> str:
        return self.survey.site_key

    def records(self, kind: str, wp_ids: list[str]) -> dict[str, WordPressItem]:
        """
        The import records of this blog's items of `kind` among `wp_ids`, by id. A record
        kept under the key imports used before blogs were told apart (the network's address)
        is taken over by this blog, when it has none of its own for that id.
        """
        keys = list(dict.fromkeys([self.site, self.survey.legacy_site_key]))
        found, adopted = {}, []
        for part in chunks(wp_ids):
            for record in WordPressItem.objects.filter(site__in=keys, kind=kind, wp_id__in=part):
                if record.site == self.site or record.wp_id not in found:
                    found[record.wp_id] = record
        for record in found.values():
            if record.site != self.site:
                record.site = self.site
                adopted.append(record)
        if adopted:
            WordPressItem.objects.bulk_update(adopted, ["site"], batch_size=500)
            for record in adopted:
                self.summary.note(f"{kind}s", ADOPTED, record.wp_id)
        return found

    def record(self, kind, wp_id, object_id, value_checksum) -> WordPressItem:
        """A new (unsaved) import record of this blog."""
        return WordPressItem(
            site=self.site, kind=kind, wp_id=wp_id, object_id=object_id, checksum=value_checksum
        )
