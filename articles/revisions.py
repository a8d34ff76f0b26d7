"""Readable differences between two kept revisions of a story."""

import html
import re
from dataclasses import dataclass
from difflib import SequenceMatcher

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.html import escape, strip_tags
from django.utils.safestring import SafeString, mark_safe
from reversion.models import Revision

from .models import Article, StoryRevision

COMPARED_FIELDS = [("headline", "Headline"), ("standfirst", "Standfirst"), ("body", "Body")]

# Block-level endings in the body become paragraph breaks in its plain text.
BLOCK_END = re.compile(r"</(p|h[1-6]|li|blockquote)>|<br\s*/?>", re.IGNORECASE)
TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass(frozen=True)
class FieldChange:
    label: str
    changed: bool
    diff: SafeString


def body_text(body):
    """A story body as plain text, paragraphs and headings separated by a blank line."""
    text = html.unescape(strip_tags(BLOCK_END.sub("\n", body or "")))
    return "\n\n".join(line.strip() for line in text.splitlines() if line.strip())


def word_diff(old, new):
    """
    `new` compared with `old` word by word: removed words in <del>, added ones in <ins>.
    Every piece of text is escaped, so whatever a headline holds shows as text.
    """
    old_tokens, new_tokens = TOKEN.findall(old), TOKEN.findall(new)
    pieces = []
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    for op, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed = escape("".join(old_tokens[old_start:old_end]))
        added = escape("".join(new_tokens[new_start:new_end]))
        if op == "equal":
            pieces.append(added)
            continue
        if removed:
            pieces.append(f"<del>{removed}</del>")
        if added:
            pieces.append(f"<ins>{added}</ins>")
    # Every piece is escaped above.
    return mark_safe("".join(pieces))


def compare_versions(older, newer):
    """The headline, standfirst and body of two versions of a story, with what changed."""
    changes = []
    for field, label in COMPARED_FIELDS:
        old = older.field_dict.get(field) or ""
        new = newer.field_dict.get(field) or ""
        if field == "body":
            old, new = body_text(old), body_text(new)
        changes.append(FieldChange(label=label, changed=old != new, diff=word_diff(old, new)))
    return changes


def prunable_revisions(*, before, keep):
    """
    Kept revisions of stories that may go: older than `before`, not among the newest `keep`
    of their story, and not kept while the story was published (what readers saw stays).
    """
    ranked = StoryRevision.objects.annotate(
        newest=Window(
            RowNumber(),
            partition_by=[F("article_id")],
            order_by=[F("revision__date_created").desc(), F("revision_id").desc()],
        )
    )
    doomed = (
        ranked.filter(newest__gt=keep, revision__date_created__lt=before)
        .exclude(status=Article.Status.PUBLISHED)
        .values_list("revision_id", flat=True)
    )
    return Revision.objects.filter(pk__in=list(doomed))
