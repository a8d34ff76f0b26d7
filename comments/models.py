"""Reader comments, the moderators' settings and log, and the gate readers see comments through."""

import hashlib
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.core.validators import URLValidator, validate_email
from django.db import connection, models
from django.db.models import Case, Count, Exists, F, Min, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import Truncator

from articles.models import Article
from newsroom import pagecache
from newsroom.writes import WriteSignallingQuerySet

from . import moderation
from .text import render_body

# Moderators hold it: they approve, reject and mark spam, and their own comments skip the
# flood check.
MODERATE_PERMISSION = "comments.moderate_comment"

COMMENTS_PER_PAGE = 50
# The story page's query parameter for the page of comments (stories' lists use "page").
COMMENTS_PAGE_PARAM = "comments-page"

WEBSITE_SCHEMES = ["http", "https"]
validate_website = URLValidator(
    schemes=WEBSITE_SCHEMES,
    message="Enter a web address starting with http:// or https://.",
)


# The moderation queue's order: held comments first. Indexed as written, so the queue's
# first page is read from the index, not sorted from the whole table.
QUEUE_RANK = Case(When(status="pending", then=Value(0)), default=Value(1))


@dataclass(frozen=True)
class CommentThreads:
    """What a story page shows: the count, the page of threads, each with its replies."""

    total: int
    page: Page
    threads: list["Comment"]


class CommentQuerySet(WriteSignallingQuerySet):
    def visible(self):
        """
        The comments a reader may see: approved ones. The one gate for every reader-facing
        path (story pages, counts); pending, rejected and spam comments never pass.
        """
        return self.filter(status=Comment.Status.APPROVED)

    def awaiting_moderation(self):
        """Comments held for a moderator's decision."""
        return self.filter(status=Comment.Status.PENDING)

    def for_article_page(self, article, page_number=1) -> CommentThreads:
        """
        The approved comments on `article` as its page shows them: threads (top-level
        comments, oldest first, COMMENTS_PER_PAGE a page) with their approved replies under
        them, and the count of everything shown. Two queries, whatever the number; one when
        there are none.

        A reply counts and shows only under an approved top-level comment.
        """
        visible = self.visible().filter(article=article)
        top_level = visible.filter(parent__isnull=True)
        counts = visible.filter(
            Q(parent__isnull=True) | Q(parent__in=top_level.values("pk"))
        ).aggregate(total=Count("pk"), threads=Count("pk", filter=Q(parent__isnull=True)))
        page = Paginator(range(counts["threads"]), COMMENTS_PER_PAGE).get_page(page_number)
        if not counts["threads"]:
            return CommentThreads(total=0, page=page, threads=[])
        start = (page.number - 1) * COMMENTS_PER_PAGE
        on_page = top_level.order_by("submitted_at", "pk").values("pk")[
            start : start + COMMENTS_PER_PAGE
        ]
        threads, replies = [], {}
        for comment in visible.filter(Q(pk__in=on_page) | Q(parent__in=on_page)).order_by(
            "submitted_at", "pk"
        ):
            if comment.parent_id is None:
                threads.append(comment)
            else:
                replies.setdefault(comment.parent_id, []).append(comment)
        for thread in threads:
            thread.shown_replies = replies.get(thread.pk, [])
        return CommentThreads(total=counts["total"], page=page, threads=threads)

    def thread_page_of(self, comment) -> int:
        """The page of its story's comments on which an approved `comment` appears."""
        thread = comment.parent or comment
        earlier = (
            self.visible()
            .filter(article_id=comment.article_id, parent__isnull=True)
            .filter(
                Q(submitted_at__lt=thread.submitted_at)
                | Q(submitted_at=thread.submitted_at, pk__lt=thread.pk)
            )
            .count()
        )
        return earlier // COMMENTS_PER_PAGE + 1

    def history_of(self, email: str) -> moderation.History:
        """What moderators decided about earlier comments from `email`, for the engine."""
        counts = self.filter(email=email).aggregate(
            approved=Count("pk", filter=Q(status=Comment.Status.APPROVED)),
            spam=Count("pk", filter=Q(status=Comment.Status.SPAM)),
        )
        return moderation.History(
            approved=counts["approved"],
            spam=counts["spam"],
            trusted=TrustedCommenter.objects.filter(email=email).exists(),
        )

    def last_from(self, *, email: str, ip_address: str | None, since):
        """When the latest comment from this email or IP address since `since` came in."""
        sender = Q(email=email)
        if ip_address:
            sender |= Q(ip_address=ip_address)
        return (
            self.filter(sender, submitted_at__gt=since)
            .order_by("-submitted_at")
            .values_list("submitted_at", flat=True)
            .first()
        )

    def count_by_status(self, *, limit: int) -> dict[str, int]:
        """
        How many comments are in each state, each counted up to `limit` + 1 on the status
        index (a count past `limit` means "more than `limit`"): four bounded reads, however
        many comments there are.
        """
        return {
            status: self.filter(status=status).order_by().values("pk")[: limit + 1].count()
            for status in Comment.Status.values
        }

    def oldest_waiting_since(self):
        """When the comment that has waited longest for a moderator came in, or None."""
        return self.awaiting_moderation().aggregate(oldest=Min("submitted_at"))["oldest"]

    def for_moderation_queue(self):
        """
        The moderators' queue: pending comments first, then oldest first, each with its
        story, section and parent, the commenter's counts of earlier approved, rejected and
        spam comments and whether they are trusted, all in the one query.
        """
        earlier = (
            Comment.objects.filter(
                email=OuterRef("email"), submitted_at__lt=OuterRef("submitted_at")
            )
            .order_by()
            .values("email")
        )

        def earlier_count(status):
            counted = earlier.filter(status=status).annotate(n=Count("pk")).values("n")
            return Coalesce(Subquery(counted), Value(0))

        return (
            self.select_related("article__section", "parent")
            .annotate(
                queue_rank=QUEUE_RANK,
                earlier_approved=earlier_count(Comment.Status.APPROVED),
                earlier_rejected=earlier_count(Comment.Status.REJECTED),
                earlier_spam=earlier_count(Comment.Status.SPAM),
                commenter_trusted=Exists(TrustedCommenter.objects.filter(email=OuterRef("email"))),
            )
            .order_by("queue_rank", "submitted_at", "pk")
        )


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting moderation"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SPAM = "spam", "Spam"

    article = models.ForeignKey(
        Article, on_delete=models.PROTECT, related_name="comments", verbose_name="story"
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
        help_text="The comment this one replies to. Replies go one level deep.",
    )
    name = models.CharField(max_length=100)
    email = models.EmailField(max_length=254)
    website = models.CharField(max_length=200, blank=True, validators=[validate_website])
    body = models.TextField("comment", max_length=5000)

    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    rule = models.CharField(
        "engine rule", max_length=14, choices=moderation.Rule.choices, blank=True
    )
    reason = models.CharField(
        max_length=200, blank=True, help_text="Why the moderation engine decided as it did."
    )
    ip_address = models.GenericIPAddressField("IP address", null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    fingerprint = models.CharField(max_length=64, editable=False)
    submitted_at = models.DateTimeField("submitted", default=timezone.now)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    moderated_at = models.DateTimeField(null=True, blank=True, editable=False)
    notified_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When moderators were emailed about this held comment.",
    )

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "pk"]
        permissions = [("moderate_comment", "Can approve, reject and mark comments as spam")]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint"],
                name="comment_posted_once",
                violation_error_message="This comment has already been posted.",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "approved", "rejected", "spam"]),
                name="comment_status_known",
                violation_error_message="Unknown comment status.",
            ),
            models.CheckConstraint(
                condition=Q(parent__isnull=True) | ~Q(parent=F("pk")),
                name="comment_not_its_own_parent",
                violation_error_message="A comment cannot reply to itself.",
            ),
        ]
        indexes = [
            # The story page: approved threads and replies of one story, oldest first.
            models.Index(
                fields=["article", "status", "parent", "submitted_at"],
                name="comment_article_page_idx",
            ),
            # The moderation queue (pending first, then oldest first) and its status and
            # date filters.
            models.Index(QUEUE_RANK, "submitted_at", "id", name="comment_queue_order_idx"),
            models.Index(fields=["status", "submitted_at"], name="comment_queue_idx"),
            models.Index(
                "article", QUEUE_RANK, "submitted_at", "id", name="comment_story_queue_idx"
            ),
            models.Index(fields=["submitted_at"], name="comment_submitted_idx"),
            models.Index(fields=["rule", "submitted_at"], name="comment_rule_idx"),
            # The commenter's history and flood checks.
            models.Index(fields=["email", "status", "submitted_at"], name="comment_email_idx"),
            models.Index(fields=["ip_address", "submitted_at"], name="comment_ip_idx"),
        ]

    def __str__(self):
        return f"{self.name}: {Truncator(self.body).chars(60)}"

    def save(self, *args, **kwargs):
        self.derive_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """The comment where readers see it: on its story, on the right page of comments."""
        url = self.article.get_absolute_url()
        page = Comment.objects.thread_page_of(self)
        if page > 1:
            url += "?" + urlencode({COMMENTS_PAGE_PARAM: page})
        return f"{url}#comment-{self.pk}"

    def derive_fields(self):
        """What every save derives: the fingerprint. Bulk writes call it before bulk_create()."""
        self.fingerprint = self.fingerprint_for(
            article_id=self.article_id, parent_id=self.parent_id, email=self.email, body=self.body
        )

    def clean(self):
        errors = {}
        if self.parent_id is not None:
            if self.parent.parent_id is not None:
                errors["parent"] = "Replies go one level deep: reply to the first comment."
            elif self.parent.article_id != self.article_id:
                errors["parent"] = "A reply must be on the same story as its comment."
            elif self.pk is not None and self.parent_id == self.pk:
                errors["parent"] = "A comment cannot reply to itself."
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def fingerprint_for(*, article_id, parent_id, email, body) -> str:
        """
        The same comment posted twice (same story, thread, email and words, whatever the
        spacing or case) has the same fingerprint, and the database keeps one.
        """
        words = " ".join(body.casefold().split())
        text = f"{article_id}\n{parent_id or ''}\n{email.casefold()}\n{words}"
        return hashlib.sha256(text.encode()).hexdigest()

    @property
    def is_visible(self):
        return self.status == self.Status.APPROVED

    def body_html(self):
        return render_body(self.body)

    def website_url(self):
        """The commenter's website, only if it is a plain http(s) address."""
        try:
            validate_website(self.website)
        except ValidationError:
            return ""
        return self.website


class ModerationSettings(models.Model):
    """The moderators' rules: one row, edited on one admin page."""

    hold_all = models.BooleanField(
        "hold every comment for review",
        default=False,
        help_text="No comment appears until a moderator approves it.",
    )
    link_limit = models.PositiveSmallIntegerField(
        "link limit",
        default=2,
        help_text="Hold a comment with more links than this.",
    )
    hold_terms = models.TextField(
        "hold for review",
        blank=True,
        help_text="One word or phrase per line. A comment whose text, name, email, website or "
        "IP address contains one (whole words, any case) waits for a moderator.",
    )
    spam_terms = models.TextField(
        "mark as spam",
        blank=True,
        help_text="One word or phrase per line, matched the same way. A comment containing "
        "one goes straight to spam.",
    )
    auto_approve_known = models.BooleanField(
        "approve known commenters",
        default=True,
        help_text="Publish at once a comment from an email with an earlier approved comment, "
        "unless another rule holds it.",
    )
    close_after_days = models.PositiveSmallIntegerField(
        "close comments after (days)",
        null=True,
        blank=True,
        default=14,
        help_text="Days after first publication. Leave empty to keep comments open.",
    )
    min_seconds_to_post = models.PositiveSmallIntegerField(
        "minimum seconds to write",
        default=3,
        help_text="A comment posted sooner than this after the form loaded is treated as spam.",
    )
    flood_interval_seconds = models.PositiveSmallIntegerField(
        "flood interval (seconds)",
        default=30,
        help_text="A second comment from the same email or IP address within this time is refused.",
    )
    notify_emails = models.TextField(
        "notify moderators at",
        blank=True,
        help_text="Email addresses, one per line, told when comments are held for review.",
    )
    notify_interval_minutes = models.PositiveSmallIntegerField(
        "notification interval (minutes)",
        default=15,
        help_text="At most one email per interval, listing every comment held since the last.",
    )
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)
    modified_at = models.DateTimeField(auto_now=True)
    modified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    objects = WriteSignallingQuerySet.as_manager()

    class Meta:
        verbose_name = "moderation settings"
        verbose_name_plural = "moderation settings"
        constraints = [
            models.CheckConstraint(
                condition=Q(id=1),
                name="moderation_settings_one_row",
                violation_error_message="There is only one set of moderation settings.",
            ),
        ]

    def __str__(self):
        return "Moderation settings"

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)

    @classmethod
    def load(cls):
        """The settings row, created with the defaults the first time it is asked for."""
        return cls.objects.get_or_create(pk=1)[0]

    @classmethod
    def close_after(cls) -> int | None:
        """
        Just the close-after days, for story pages: no need to read the term lists (which
        may run to thousands of lines) on every page view.
        """

        def days():
            rows = list(cls.objects.filter(pk=1).values_list("close_after_days", flat=True))
            return rows[0] if rows else cls._meta.get_field("close_after_days").default

        # Saving the settings bumps `site` (see apps.py).
        return pagecache.remembered("close-after-days", days)

    def clean(self):
        bad = []
        for address in self.recipients():
            try:
                validate_email(address)
            except ValidationError:
                bad.append(address)
        if bad:
            raise ValidationError({"notify_emails": f"Not an email address: {', '.join(bad)}."})

    def rules(self) -> moderation.Rules:
        return moderation.Rules(
            hold_all=self.hold_all,
            link_limit=self.link_limit,
            hold_terms=self.hold_terms,
            spam_terms=self.spam_terms,
            auto_approve_known=self.auto_approve_known,
            close_after_days=self.close_after_days,
            min_seconds_to_post=self.min_seconds_to_post,
        )

    def recipients(self) -> list[str]:
        return [
            line.strip()
            for line in self.notify_emails.replace(",", "\n").splitlines()
            if line.strip()
        ]

    @property
    def flood_interval(self):
        return timedelta(seconds=self.flood_interval_seconds)

    @property
    def notify_interval(self):
        return timedelta(minutes=self.notify_interval_minutes)


class ModerationLogQuerySet(models.QuerySet):
    def record(self, *, comment_ids, to_status, moderator, at):
        """
        Log each of `comment_ids` leaving its present state for `to_status`: one
        INSERT … SELECT, whatever the number of comments. Call it inside the transaction
        that holds the comments' row locks, before they change.
        """
        if not comment_ids:
            return
        log = ModerationLog._meta
        quote = connection.ops.quote_name
        columns = ", ".join(
            quote(log.get_field(name).column)
            for name in ("comment", "moderator", "from_status", "to_status", "at")
        )
        rows = (
            Comment.objects.filter(pk__in=comment_ids)
            .order_by()
            .values_list(
                "pk",
                Value(moderator.pk if moderator else None, output_field=models.BigIntegerField()),
                "status",
                Value(to_status, output_field=models.CharField()),
                Value(at, output_field=models.DateTimeField()),
            )
        )
        select, params = rows.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {quote(log.db_table)} ({columns}) {select}", params)


class ModerationLog(models.Model):
    """Who moved which comment from which state to which, and when."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="moderation_log")
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_status = models.CharField("from", max_length=10, choices=Comment.Status.choices)
    to_status = models.CharField("to", max_length=10, choices=Comment.Status.choices)
    at = models.DateTimeField(default=timezone.now)

    objects = ModerationLogQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "moderation log entry"
        verbose_name_plural = "moderation log"
        indexes = [models.Index(fields=["-at"], name="moderationlog_at_idx")]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class TrustedCommenter(models.Model):
    """An email whose comments skip the held-term and link rules (see comments.moderation)."""

    email = models.EmailField(max_length=254, unique=True)
    trusted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    trusted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]

    def __str__(self):
        return self.email
