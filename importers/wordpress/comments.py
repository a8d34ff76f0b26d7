"""
The comments stage: a post's WordPress comments planned (which to import, under which
thread, as what text) and then written a batch at a time, threads before replies, with
their import records. Imported comments go in as they were moderated in WordPress, not
through the moderation engine; the same comment twice is kept once.
"""

import re
from dataclasses import dataclass
from datetime import datetime
from html import unescape

from django.core.exceptions import ValidationError
from django.core.validators import validate_ipv46_address
from django.utils.html import strip_tags
from django.utils.text import Truncator

from comments.models import Comment
from comments.services import import_comments, update_imported_comments

from ..models import WordPressItem
from .common import Context, Kind, checksum, chunks, parse_date
from .wxr import Comment as WPComment
from .wxr import Item

COMMENT_STATUSES = {
    "1": Comment.Status.APPROVED,
    "approve": Comment.Status.APPROVED,
    "0": Comment.Status.PENDING,
    "hold": Comment.Status.PENDING,
    "spam": Comment.Status.SPAM,
}
COMMENT_FIELDS = [
    "article",
    "parent",
    "name",
    "email",
    "website",
    "body",
    "status",
    "reason",
    "ip_address",
    "user_agent",
    "submitted_at",
]
IMPORTED_REASON = "imported from WordPress"
HELD = "on a password-protected post: held for moderation"


@dataclass
class PlannedComment:
    wp: WPComment
    status: str
    submitted_at: datetime
    body: str
    website: str
    ip_address: str | None
    wp_parent: str  # the WordPress id of the comment it will hang under, or ""
    checksum: str = ""


def reason_to_skip(comment: WPComment) -> str:
    """Why a comment is not imported, or ""."""
    if comment.type in ("pingback", "trackback"):
        return comment.type
    if comment.type not in ("", "comment"):
        return f"type “{comment.type}”"
    if comment.approved in ("trash", "post-trashed"):
        return "in the trash"
    if comment.approved not in COMMENT_STATUSES and comment.approved:
        return f"status “{comment.approved}”"
    if not comment.wp_id:
        return "no comment id"
    if parse_date(comment.date, comment.date_gmt) is None:
        return "no date"
    return ""


def plan_comments(item: Item, summary, *, hold: bool = False) -> list[PlannedComment]:
    """
    The post's comments to import, each under its thread's first imported comment. With
    `hold` (a password-protected post), approved comments are held for a moderator.
    """
    by_id = {comment.wp_id: comment for comment in item.comments if comment.wp_id}
    imported: dict[str, WPComment] = {}
    for comment in item.comments:
        reason = reason_to_skip(comment)
        if reason:
            summary.skip("comments", reason, comment.wp_id if reason == "no date" else "")
        else:
            imported[comment.wp_id] = comment
    planned = []
    for comment in imported.values():
        top, depth, seen = "", 0, {comment.wp_id}
        current = by_id.get(comment.parent_id)
        while current is not None and current.wp_id not in seen:
            seen.add(current.wp_id)
            depth += 1
            if current.wp_id in imported:
                top = current.wp_id
            current = by_id.get(current.parent_id)
        if comment.parent_id not in ("", "0") and not top:
            summary.note(
                "comments", "reply to a comment not imported: shown as a comment", comment.wp_id
            )
        elif depth > 1 and top != comment.parent_id:
            summary.note("comments", "reply to a reply: attached to its thread", comment.wp_id)
        plan = plan_comment(comment, top, hold=hold)
        if not comment.approved:
            summary.note("comments", "no status in the export: held for moderation", comment.wp_id)
        elif hold and COMMENT_STATUSES[comment.approved] == Comment.Status.APPROVED:
            summary.note("comments", HELD, comment.wp_id)
        planned.append(plan)
    # Threads first, so that every reply's comment exists when the reply is written.
    planned.sort(key=lambda plan: bool(plan.wp_parent))
    return planned


def plan_comment(comment: WPComment, top: str, *, hold: bool = False) -> PlannedComment:
    website = comment.url if comment.url.startswith(("http://", "https://")) else ""
    ip_address = comment.ip or None
    if ip_address:
        try:
            validate_ipv46_address(ip_address)
        except ValidationError:
            ip_address = None
    # A comment whose status the export leaves out waits for a moderator.
    status = COMMENT_STATUSES.get(comment.approved, Comment.Status.PENDING)
    if hold and status == Comment.Status.APPROVED:
        status = Comment.Status.PENDING
    plan = PlannedComment(
        wp=comment,
        status=status,
        submitted_at=parse_date(comment.date, comment.date_gmt),
        body=comment_text(comment.content),
        website=website[:200],
        ip_address=ip_address,
        wp_parent=top,
    )
    plan.checksum = checksum(
        (
            plan.status,
            plan.submitted_at,
            plan.body,
            plan.website,
            plan.ip_address,
            top,
            comment.author,
            comment.email,
            comment.agent,
        )
    )
    return plan


def comment_text(content: str) -> str:
    """A WordPress comment's HTML as the plain text our comments are."""
    text = re.sub(r"<br\s*/?>", "\n", content or "", flags=re.IGNORECASE)
    text = re.sub(r"</p>\s*<p[^>]*>", "\n\n", text, flags=re.IGNORECASE)
    text = re.sub(
        r"<a\b[^>]*href=[\"']([^\"']+)[\"'][^>]*>(.*?)</a>",
        lambda match: (
            match.group(2)
            if strip_tags(match.group(2)).strip() == match.group(1)
            else f"{match.group(2)} ({match.group(1)})"
        ),
        text,
        flags=re.IGNORECASE | re.DOTALL,
    )
    text = unescape(strip_tags(text))
    lines = [" ".join(line.split()) for line in text.replace("\r\n", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class Comments:
    """Writes planned comments, a batch of posts at a time, with a fixed number of queries."""

    def __init__(self, context: Context):
        self.context = context
        self.summary = context.summary

    def write(self, plans: list[tuple[int, PlannedComment]]) -> None:
        """Write `plans`, each (the story's id, the planned comment)."""
        if not plans:
            return
        records = self.context.records(Kind.COMMENT, [plan.wp.wp_id for _article, plan in plans])
        existing = set()
        for part in chunks([record.object_id for record in records.values()]):
            existing.update(Comment.objects.filter(pk__in=part).values_list("pk", flat=True))
        # Only the comments that changed in WordPress are loaded whole, to be updated.
        changed = [
            records[plan.wp.wp_id].object_id
            for _article_id, plan in plans
            if plan.wp.wp_id in records
            and records[plan.wp.wp_id].object_id in existing
            and records[plan.wp.wp_id].checksum != plan.checksum
        ]
        stored = {}
        for part in chunks(changed):
            stored.update(Comment.objects.in_bulk(part))
        comment_ids = {
            wp_id: record.object_id
            for wp_id, record in records.items()
            if record.object_id in existing
        }
        # Threads first, then replies: a reply needs its thread's id.
        for replies in (False, True):
            wave = [(a, plan) for a, plan in plans if bool(plan.wp_parent) == replies]
            creating, updating = self.prepare_wave(wave, records, existing, stored, comment_ids)
            to_create, to_update, duplicates = self.without_duplicates(creating, updating)
            self.save_wave(to_create, to_update, duplicates, comment_ids)

    def prepare_wave(self, wave, records, existing_ids, stored, comment_ids):
        """The comments of a wave to create and to update, filled in: (plan, comment, record)."""
        creating, updating = [], []
        for article_id, plan in wave:
            record = records.get(plan.wp.wp_id)
            exists = record is not None and record.object_id in existing_ids
            parent_id = comment_ids.get(plan.wp_parent) if plan.wp_parent else None
            if plan.wp_parent and parent_id is None:
                self.summary.skip("comments", "its thread was not imported", plan.wp.wp_id)
                continue
            if exists and record.checksum == plan.checksum:
                self.summary.unchanged("comments")
                continue
            existing = stored.get(record.object_id) if exists else None
            comment = filled_comment(existing or Comment(), article_id, parent_id, plan)
            (updating if existing is not None else creating).append((plan, comment, record))
        return creating, updating

    def without_duplicates(self, creating, updating):
        """
        The same comment twice (same story, thread, email and words) is kept once, and
        replies to either hang under the one kept: returns what to create, what to update,
        and the duplicates as (WordPress id, the comment or id that holds it).
        """
        # Who holds each fingerprint already: a stored comment's id, or a comment of this wave.
        taken_by: dict[str, int | Comment] = {}
        candidates = [comment.fingerprint for _plan, comment, _record in creating + updating]
        for part in chunks(candidates):
            taken_by.update(
                Comment.objects.filter(fingerprint__in=part).values_list("fingerprint", "pk")
            )
        to_create, to_update, duplicates = [], [], []
        for plan, comment, record in creating:
            if comment.fingerprint in taken_by:
                self.summary.skip("comments", "duplicate of another comment", plan.wp.wp_id)
                duplicates.append((plan.wp.wp_id, taken_by[comment.fingerprint]))
                continue
            taken_by[comment.fingerprint] = comment
            to_create.append((plan, comment, record))
        for plan, comment, record in updating:
            owner = taken_by.get(comment.fingerprint, comment.pk)
            if owner != comment.pk and owner is not comment:
                self.summary.skip("comments", "duplicate of another comment", plan.wp.wp_id)
                continue
            taken_by[comment.fingerprint] = comment
            to_update.append((plan, comment, record))
        return to_create, to_update, duplicates

    def save_wave(self, to_create, to_update, duplicates, comment_ids) -> None:
        import_comments(comments=[comment for _plan, comment, _record in to_create])
        update_imported_comments(
            comments=[comment for _plan, comment, _record in to_update], fields=COMMENT_FIELDS
        )
        for wp_id, owner in duplicates:
            comment_ids[wp_id] = owner.pk if isinstance(owner, Comment) else owner
        new_records, changed_records = [], []
        for plan, comment, record in to_create + to_update:
            comment_ids[plan.wp.wp_id] = comment.pk
            if record is None:
                new_records.append(
                    self.context.record(Kind.COMMENT, plan.wp.wp_id, comment.pk, plan.checksum)
                )
            else:
                record.object_id, record.checksum = comment.pk, plan.checksum
                changed_records.append(record)
        self.summary.created("comments", len(to_create))
        self.summary.updated("comments", len(to_update))
        WordPressItem.objects.bulk_create(new_records, batch_size=1000)
        WordPressItem.objects.bulk_update(
            changed_records, ["object_id", "checksum"], batch_size=1000
        )


def filled_comment(comment: Comment, article_id, parent_id, plan: PlannedComment) -> Comment:
    """`comment` (new or stored) with what the plan says, its derived fields made again."""
    comment.article_id = article_id
    comment.parent_id = parent_id
    comment.name = Truncator(plan.wp.author or "Anonymous").chars(100)
    comment.email = plan.wp.email[:254]
    comment.website = plan.website
    comment.body = plan.body
    comment.status = plan.status
    comment.reason = IMPORTED_REASON
    comment.ip_address = plan.ip_address
    comment.user_agent = plan.wp.agent[:300]
    comment.submitted_at = plan.submitted_at
    comment.derive_fields()
    return comment
