"""
The moderation engine: from a candidate comment, the commenter's history and the moderators'
rules to a decision, with a reason a moderator can read at a glance.

Pure functions: no request, no database. The caller (comments/services.py) gathers the facts
and stores the outcome, so every rule can be tested with plain values.

The rules are checked in this order; the first that matches decides:

 1. comments closed (the story's comment mode, or older than the close-after days) → reject:
    nothing is stored and the reader is told comments are closed
 2. the honeypot field was filled in                              → spam
 3. posted sooner after loading the form than the minimum         → spam
 4. a spam term in the body, name, email, website or IP address   → spam
 5. earlier comments from this email marked spam, none approved   → spam
 6. moderators hold everything                                    → hold
 7. a trusted commenter                                           → approve
 8. a held term in the body, name, email, website or IP address   → hold
 9. more links in the body than the limit                         → hold
10. an earlier approved comment from this email (auto-approve on) → approve
11. anything else                                                 → hold

Signs of a robot (2–5) come first, so no history or trust can wash spam through. Holding
everything (6) is the moderators' emergency brake and beats trust. Trust (7) is what
"approve and trust this commenter" grants: that commenter's links and held terms no longer
need a moderator's eye.
"""

import enum
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.db import models

from articles.models import Article

from .text import strip_invisible


class Verdict(enum.StrEnum):
    APPROVE = "approve"
    HOLD = "hold"
    SPAM = "spam"
    REJECT = "reject"


class Rule(models.TextChoices):
    """Which rule decided: stored with the comment, so the queue can be filtered by it."""

    CLOSED = "closed", "Comments closed"
    HONEYPOT = "honeypot", "Honeypot filled"
    TOO_FAST = "too_fast", "Posted too fast"
    SPAM_TERM = "spam_term", "Spam term"
    SPAM_HISTORY = "spam_history", "Earlier spam"
    HOLD_ALL = "hold_all", "Holding everything"
    TRUSTED = "trusted", "Trusted commenter"
    HELD_TERM = "held_term", "Held term"
    LINKS = "links", "Too many links"
    KNOWN = "known", "Known commenter"
    FIRST = "first", "First comment"
    NOT_KNOWN = "not_known", "Auto-approval off"


# A story's comment mode: open, closed (existing comments shown) or disabled.
CommentMode = Article.CommentMode


@dataclass(frozen=True)
class Candidate:
    """A comment as posted, with the facts about the story and the form it came through."""

    body: str
    name: str
    email: str
    website: str = ""
    ip_address: str = ""
    comment_mode: str = CommentMode.OPEN
    first_published_at: datetime | None = None
    honeypot: str = ""
    seconds_to_post: float | None = None


@dataclass(frozen=True)
class History:
    """What moderators decided about the commenter's earlier comments (matched by email)."""

    approved: int = 0
    spam: int = 0
    trusted: bool = False


@dataclass(frozen=True)
class Rules:
    """The moderators' settings (ModerationSettings.rules()), with the engine's defaults."""

    hold_all: bool = False
    link_limit: int = 2
    hold_terms: str = ""
    spam_terms: str = ""
    auto_approve_known: bool = True
    close_after_days: int | None = 14
    min_seconds_to_post: int = 3


@dataclass(frozen=True)
class Decision:
    verdict: Verdict
    rule: Rule
    reason: str


def closes_at(*, first_published_at: datetime | None, close_after_days: int | None):
    """When a story's comments close by age (`close_after_days` after first publication)."""
    if not close_after_days or first_published_at is None:
        return None
    return first_published_at + timedelta(days=close_after_days)


def closing_reason(
    *,
    comment_mode: str,
    first_published_at: datetime | None,
    close_after_days: int | None,
    now: datetime,
) -> str | None:
    """Why a story takes no new comments, or None while it does: the one rule for it."""
    if comment_mode == CommentMode.DISABLED:
        return "comments are disabled on this story"
    if comment_mode == CommentMode.CLOSED:
        return "comments are closed on this story"
    closing = closes_at(first_published_at=first_published_at, close_after_days=close_after_days)
    if closing is not None and now >= closing:
        return f"comments close {plural(close_after_days, 'day')} after publication"
    return None


def decide(candidate: Candidate, *, history: History, rules: Rules, now: datetime) -> Decision:
    """The engine's decision on `candidate`: the first of the module's rules that matches."""
    closed = closing_reason(
        comment_mode=candidate.comment_mode,
        first_published_at=candidate.first_published_at,
        close_after_days=rules.close_after_days,
        now=now,
    )
    if closed:
        return Decision(Verdict.REJECT, Rule.CLOSED, closed)
    if candidate.honeypot.strip():
        return Decision(Verdict.SPAM, Rule.HONEYPOT, "honeypot filled")
    seconds = candidate.seconds_to_post
    if seconds is not None and seconds < rules.min_seconds_to_post:
        shown = max(int(seconds), 0)
        return Decision(Verdict.SPAM, Rule.TOO_FAST, f"posted {shown} s after loading the form")

    fields = tuple(words(text) for text in searchable_fields(candidate))
    if term := term_list(rules.spam_terms).first_match(fields):
        return Decision(Verdict.SPAM, Rule.SPAM_TERM, f"contains spam term '{term}'")
    if history.spam and not history.approved:
        earlier = plural(history.spam, "earlier comment")
        return Decision(Verdict.SPAM, Rule.SPAM_HISTORY, f"{earlier} from this email marked spam")

    if rules.hold_all:
        return Decision(Verdict.HOLD, Rule.HOLD_ALL, "all comments are held for review")
    if history.trusted:
        return Decision(Verdict.APPROVE, Rule.TRUSTED, "trusted commenter")
    if term := term_list(rules.hold_terms).first_match(fields):
        return Decision(Verdict.HOLD, Rule.HELD_TERM, f"contains held term '{term}'")
    links = count_links(candidate.body)
    if links > rules.link_limit:
        return Decision(
            Verdict.HOLD,
            Rule.LINKS,
            f"{plural(links, 'link')} (limit {rules.link_limit})",
        )

    if history.approved:
        if rules.auto_approve_known:
            return Decision(Verdict.APPROVE, Rule.KNOWN, "earlier approved comment from this email")
        return Decision(Verdict.HOLD, Rule.NOT_KNOWN, "known commenters are not auto-approved")
    return Decision(Verdict.HOLD, Rule.FIRST, "first comment from this email")


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def searchable_fields(candidate: Candidate) -> tuple[str, ...]:
    """The fields terms are matched in, in the order a match is reported from; each is split
    into words once, for both term lists."""
    return (
        candidate.body,
        candidate.name,
        candidate.email,
        candidate.website,
        candidate.ip_address,
    )


# Links: what readers will see as a link (Django's urlize: a scheme, www., or a bare domain
# under a common top-level domain) and pasted HTML anchors, which spammers still try.
LINK = re.compile(
    r"""(?:https?|ftp)://[^\s<>"]+"""
    r"""|\bwww\.[^\s<>"]+"""
    r"""|<a\s[^>]*>"""
    r"""|(?<![@\w.-])[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|info|biz|edu|gov|int|mil)\b""",
    re.IGNORECASE,
)


def count_links(text: str) -> int:
    return len(LINK.findall(text))


WORD = re.compile(r"\w+")


def words(text: str) -> list[str]:
    """
    Text as matched against terms: casefolded words, punctuation and spacing ignored. Look-
    alike forms count as the letters they stand for (full-width and mathematical letters,
    ligatures: NFKC), and invisible characters inside a word do not split it, so neither
    hides a term.
    """
    return WORD.findall(unicodedata.normalize("NFKC", strip_invisible(text)).casefold())


@dataclass(frozen=True)
class TermList:
    """
    Held or spam terms, ready to match whole words in constant time per word of text.

    One-word terms sit in a dict looked up once per word of the text; a phrase
    ("payday loan", an email address, an IP address) is filed under its first word and
    compared only where that word occurs. Thousands of terms cost no more per comment
    than a handful.
    """

    single: dict[str, str]
    phrases: dict[str, tuple[tuple[tuple[str, ...], str], ...]]

    def first_match(self, fields: tuple[list[str], ...]) -> str | None:
        """
        The first term (as the moderators wrote it) found in `fields`, each a field's text
        already split by words(), or None.
        """
        if not self.single and not self.phrases:
            return None
        for found in fields:
            for position, word in enumerate(found):
                if word in self.single:
                    return self.single[word]
                for phrase, term in self.phrases.get(word, ()):
                    if tuple(found[position : position + len(phrase)]) == phrase:
                        return term
        return None


TERM_SEPARATOR = re.compile(r"[\n,]")


@lru_cache(maxsize=16)
def term_list(text: str) -> TermList:
    """
    The terms in `text` (one per line or comma-separated), compiled once: the cache is keyed
    by the text itself, so a change to the settings compiles the new list on first use.
    """
    single: dict[str, str] = {}
    phrases: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for raw in TERM_SEPARATOR.split(text):
        term = " ".join(raw.split())
        term_words = tuple(words(term))
        if not term_words:
            continue
        if len(term_words) == 1:
            single.setdefault(term_words[0], term)
        else:
            phrases.setdefault(term_words[0], []).append((term_words, term))
    return TermList(
        single=single,
        phrases={first: tuple(entries) for first, entries in phrases.items()},
    )
