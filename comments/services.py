"""
Everything that writes comments: a reader posting one, moderators deciding on them, and the
email that tells moderators what is waiting. The reader site, the admin and the management
command all call these functions, and nothing else writes a comment's state.
"""

import logging
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Article

from . import moderation
from .models import (
    MODERATE_PERMISSION,
    Comment,
    ModerationLog,
    ModerationSettings,
    TrustedCommenter,
)
from .text import clean_line

logger = logging.getLogger(__name__)

STATUS_FOR_VERDICT = {
    moderation.Verdict.APPROVE: Comment.Status.APPROVED,
    moderation.Verdict.HOLD: Comment.Status.PENDING,
    moderation.Verdict.SPAM: Comment.Status.SPAM,
}

DIGEST_LIMIT = 50


class CommentsClosed(Exception):
    """The story takes no new comments."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class Flooding(Exception):
    """The same email or IP address posted a comment moments ago."""

    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


@dataclass(frozen=True)
class Submission:
    comment: Comment
    created: bool


def submit_comment(
    *,
    article: Article,
    parent: Comment | None,
    name: str,
    email: str,
    website: str,
    body: str,
    ip_address: str | None,
    user_agent: str,
    seconds_to_post: float | None,
    honeypot: str = "",
    exempt_from_flood: bool = False,
    now: datetime | None = None,
) -> Submission:
    """
    Store a reader's comment with the moderation engine's decision.

    The same comment posted again (a double click, a resubmitted form) returns the first one
    and stores nothing. Otherwise a second comment from the same email or IP address within
    the flood interval raises Flooding, unless `exempt_from_flood` (moderators); a story that
    takes no comments raises CommentsClosed; a reply to a reply, or to a comment on another
    story, raises ValidationError. Then store() saves it.
    """
    now = now or timezone.now()
    if existing := already_posted(article=article, parent=parent, email=email, body=body):
        return Submission(comment=existing, created=False)

    rules_row = ModerationSettings.load()
    if not exempt_from_flood:
        check_flood(email=email, ip_address=ip_address, rules_row=rules_row, now=now)
    said = {"name": name, "email": email, "website": website, "body": body}
    candidate = moderation.Candidate(
        **said,
        ip_address=ip_address or "",
        comment_mode=article.comment_mode,
        first_published_at=article.first_live_at,
        honeypot=honeypot,
        seconds_to_post=seconds_to_post,
    )
    decision = moderation.decide(
        candidate, history=Comment.objects.history_of(email), rules=rules_row.rules(), now=now
    )
    if decision.verdict == moderation.Verdict.REJECT:
        raise CommentsClosed(decision.reason)

    comment = Comment(
        article=article,
        parent=parent,
        **said,
        ip_address=ip_address,
        user_agent=user_agent[:300],
        status=STATUS_FOR_VERDICT[decision.verdict],
        rule=decision.rule,
        reason=decision.reason[:200],
        submitted_at=now,
    )
    comment.clean()  # a reply goes under a top-level comment of the same story
    return store(comment)


def already_posted(*, article, parent, email, body) -> Comment | None:
    """The comment this post repeats (same story, parent, email and text), if any."""
    fingerprint = Comment.fingerprint_for(
        article_id=article.pk, parent_id=parent.pk if parent else None, email=email, body=body
    )
    return Comment.objects.filter(fingerprint=fingerprint).first()


def store(comment: Comment) -> Submission:
    """
    Save a new comment, or return the one the same post stored at the same moment. A held
    comment tells the moderators once the transaction commits.
    """
    try:
        with transaction.atomic():
            comment.save()
    except IntegrityError:
        # The same comment, posted twice at the same moment: the other request stored it.
        first = Comment.objects.get(fingerprint=comment.fingerprint)
        return Submission(comment=first, created=False)
    if comment.status == Comment.Status.PENDING:
        # robust: a mail server that is down must not turn a stored comment into an error page.
        transaction.on_commit(send_moderation_digest, robust=True)
    return Submission(comment=comment, created=True)


def check_flood(*, email: str, ip_address: str | None, rules_row, now: datetime) -> None:
    """Raise Flooding if this email or IP address posted within the flood interval."""
    last = Comment.objects.last_from(
        email=email, ip_address=ip_address, since=now - rules_row.flood_interval
    )
    if last is not None:
        waited = (now - last).total_seconds()
        raise Flooding(retry_after=max(1, round(rules_row.flood_interval_seconds - waited)))


def import_comments(*, comments: list[Comment], batch_size: int = 1000) -> list[Comment]:
    """
    Store comments moderated elsewhere (brought in by an importer) as they are: their status
    is kept and the moderation engine is not asked, nobody is emailed. What save() derives
    (the fingerprint) is derived here, and they are inserted in bulk; returns them with
    their ids. The caller leaves out comments whose fingerprint is already stored.
    """
    for comment in comments:
        comment.derive_fields()
    return Comment.objects.bulk_create(comments, batch_size=batch_size)


def update_imported_comments(
    *, comments: list[Comment], fields: list[str], batch_size: int = 1000
) -> None:
    """Write the changes an importer made to `fields` of stored comments, in bulk."""
    for comment in comments:
        comment.derive_fields()
    Comment.objects.bulk_update(comments, [*fields, "fingerprint"], batch_size=batch_size)


@dataclass(frozen=True)
class ModerationResult:
    changed: int
    unchanged: int
    trusted: int = 0


def moderate_comments(
    *,
    comments: QuerySet[Comment],
    status: Comment.Status,
    moderator: AbstractBaseUser,
    trust_commenters: bool = False,
) -> ModerationResult:
    """
    Move the selected comments to `status`, and log each change.

    Only a moderator (the `comments.moderate_comment` permission) may; anyone else gets
    PermissionDenied and nothing changes. A fixed number of queries, however many comments
    are selected: one to lock them, one INSERT … SELECT for the log, the UPDATE with the
    stories it shows approved comments on before and after (comments/freshness.py), and with
    `trust_commenters` a COUNT and an INSERT for the commenters' emails; once committed,
    three to find the pages that show the comments, which are then rendered again. Comments
    already in `status` are left alone and not logged, so approving twice, or two moderators
    approving at once, changes and logs each comment once.
    """
    if not moderator.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied("Only a moderator can approve, reject or mark comments as spam.")
    now = timezone.now()
    with transaction.atomic():
        selected = list(
            Comment.objects.select_for_update()
            .filter(pk__in=comments.order_by().values("pk"))
            .values_list("pk", "status", "email", "article_id")
        )
        changing = [pk for pk, current, _email, _article in selected if current != status]
        if changing:
            # One INSERT … SELECT whatever the number of comments (bulk_create would split a
            # large selection into several statements on SQLite).
            ModerationLog.objects.record(
                comment_ids=changing, to_status=status, moderator=moderator, at=now
            )
            Comment.objects.filter(pk__in=changing).update(
                status=status, moderated_by=moderator, moderated_at=now
            )
        trusted = 0
        if trust_commenters:
            emails = sorted({email for _pk, _status, email, _article in selected})
            before = TrustedCommenter.objects.filter(email__in=emails).count()
            TrustedCommenter.objects.bulk_create(
                [
                    TrustedCommenter(email=email, trusted_by=moderator, trusted_at=now)
                    for email in emails
                ],
                ignore_conflicts=True,
            )
            trusted = len(emails) - before
    return ModerationResult(
        changed=len(changing), unchanged=len(selected) - len(changing), trusted=trusted
    )


def approve_comments(*, comments, moderator) -> ModerationResult:
    """Publish the selected comments."""
    return moderate_comments(comments=comments, status=Comment.Status.APPROVED, moderator=moderator)


def reject_comments(*, comments, moderator) -> ModerationResult:
    """Take the selected comments off the story, or keep them off it."""
    return moderate_comments(comments=comments, status=Comment.Status.REJECTED, moderator=moderator)


def mark_spam(*, comments, moderator) -> ModerationResult:
    """File the selected comments as spam: their emails' next comments go to spam too."""
    return moderate_comments(comments=comments, status=Comment.Status.SPAM, moderator=moderator)


def approve_and_trust(*, comments, moderator) -> ModerationResult:
    """Publish the selected comments and trust their commenters from now on."""
    return moderate_comments(
        comments=comments,
        status=Comment.Status.APPROVED,
        moderator=moderator,
        trust_commenters=True,
    )


def set_trusted(*, email: str, trusted: bool, moderator: AbstractBaseUser) -> bool:
    """
    Trust the commenter with `email` from now on, or stop trusting them, and return whether
    that changed anything (trusting twice, or two moderators at once, trusts once). Only a
    moderator may, as for every decision on comments.
    """
    if not moderator.has_perm(MODERATE_PERMISSION):
        raise PermissionDenied("Only a moderator can trust or stop trusting a commenter.")
    if not trusted:
        deleted, _by_model = TrustedCommenter.objects.filter(email=email).delete()
        return deleted > 0
    _row, created = TrustedCommenter.objects.get_or_create(
        email=email, defaults={"trusted_by": moderator, "trusted_at": timezone.now()}
    )
    return created


def send_moderation_digest(*, force: bool = False, now: datetime | None = None) -> int:
    """
    Email the moderators the held comments they have not yet been told about, and return
    how many the email listed.

    At most one email per notification interval, whatever the number of held comments and
    of processes sending: the right to send is claimed with one conditional UPDATE of the
    settings row. `force` (the management command's --now) sends whatever the interval.
    Nothing a commenter typed goes into a header: the subject is a count, the recipients and
    sender come from the settings.
    """
    now = now or timezone.now()
    rules_row = ModerationSettings.load()
    recipients = rules_row.recipients()
    waiting = Comment.objects.awaiting_moderation().filter(notified_at__isnull=True)
    if not recipients or not waiting.exists():
        return 0
    claim = ModerationSettings.objects.filter(pk=rules_row.pk)
    if not force:
        claim = claim.filter(
            Q(last_digest_at__isnull=True) | Q(last_digest_at__lte=now - rules_row.notify_interval)
        )
    if not claim.update(last_digest_at=now):
        return 0

    held = list(waiting.select_related("article").order_by("submitted_at", "pk"))
    count = len(held)
    subject = (
        f"[{settings.NEWSROOM_PUBLICATION_NAME}] "
        f"{count} comment{'s' if count != 1 else ''} awaiting moderation"
    )
    send_mail(
        subject,
        digest_text(held, count),
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )
    Comment.objects.filter(pk__in=[comment.pk for comment in held]).update(notified_at=now)
    logger.info("Moderation digest: %d held comments, sent to %d", count, len(recipients))
    return count


def digest_text(held: list[Comment], count: int) -> str:
    queue = settings.NEWSROOM_SITE_URL + reverse("admin:comments_comment_changelist")
    lines = [
        f"{count} comment{'s are' if count != 1 else ' is'} waiting for a moderator.",
        f"The queue: {queue}?status__exact=pending",
        "",
    ]
    for comment in held[:DIGEST_LIMIT]:
        sender = f"{clean_line(comment.name)} <{clean_line(comment.email)}>"
        lines += [
            f"On “{comment.article.headline}”",
            f"From {sender}, held: {comment.reason}",
            Truncator(" ".join(comment.body.split())).chars(300),
            "",
        ]
    if count > DIGEST_LIMIT:
        lines.append(f"… and {count - DIGEST_LIMIT} more in the queue.")
    return "\n".join(lines)
