"""
No lost edits: a story's change form carries the version it was opened at and a sealed copy
of the fields as they were then. A save made after a colleague's is refused (nothing is
saved); the person's text stays in the form, the colleague's changes they had not touched
are put into it, and where both changed the same field they see the two side by side and
choose, then save again: both changes are kept, never one silently written over the other.
"""

from dataclasses import dataclass

from django.core import signing
from django.utils.safestring import SafeString

from photos.models import Image

from .models import Article, Section, Tag
from .revisions import body_text, word_diff
from .sanitise import sanitise_body

# The change form's fields that are compared and merged, as the form names them.
TEXT_FIELDS = (
    "kicker",
    "headline",
    "slug",
    "standfirst",
    "dateline",
    "body",
    "lead_image_caption",
    "byline_override",
    "seo_title",
    "seo_description",
)
CHOSEN_FIELDS = ("section", "lead_image", "comment_mode")
MERGED_FIELDS = (*TEXT_FIELDS, *CHOSEN_FIELDS, "tags")

SALT = "articles.conflicts.opened-copy"


def text(value):
    return str(value or "").replace("\r\n", "\n").strip()


def copy_of_story(article):
    """The merged fields of a saved story, as comparable strings (one query, for the tags)."""
    copy = {name: text(getattr(article, name)) for name in TEXT_FIELDS}
    copy["section"] = str(article.section_id or "")
    copy["lead_image"] = str(article.lead_image_id or "")
    copy["comment_mode"] = text(article.comment_mode)
    copy["tags"] = sorted(str(pk) for pk in article.tags.values_list("pk", flat=True))
    return copy


def copy_of_form(cleaned):
    """The merged fields as a person typed them (a form's cleaned data), comparable."""
    copy = {name: text(cleaned.get(name)) for name in TEXT_FIELDS}
    copy["body"] = text(sanitise_body(cleaned.get("body") or ""))
    for name in ("section", "lead_image"):
        chosen = cleaned.get(name)
        copy[name] = str(chosen.pk) if chosen is not None else ""
    copy["comment_mode"] = text(cleaned.get("comment_mode"))
    copy["tags"] = sorted(str(tag.pk) for tag in cleaned.get("tags") or ())
    return copy


def seal(copy):
    return signing.dumps(copy, salt=SALT, compress=True)


def unseal(token):
    """The copy sealed into a form, or None for a missing or tampered one."""
    try:
        copy = signing.loads(token or "", salt=SALT)
    except signing.BadSignature:
        return None
    return copy if isinstance(copy, dict) else None


def merge(base, theirs, mine):
    """
    Which fields a colleague changed since `base` (the copy the form was opened with): those
    only they changed (`taken`: their value goes into the form), and those both changed to
    different values (`both`: the person chooses). Without a base, every field that differs
    is one to choose.
    """
    taken, both = [], []
    for name in MERGED_FIELDS:
        was = base.get(name) if base is not None else None
        if theirs[name] == mine[name] or (base is not None and theirs[name] == was):
            continue
        if base is not None and mine[name] == was:
            taken.append(name)
        else:
            both.append(name)
    return taken, both


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    theirs: SafeString  # their change, against the version the form was opened at
    yours: SafeString | None  # yours against theirs, when both changed the field
    taken: bool


def comparable(name, value, names):
    """A merged field's value as words: bodies as their text, choices by their names."""
    if name == "body":
        return body_text(value)
    if name == "tags":
        return ", ".join(names.get(("tags", pk), pk) for pk in value)
    if name in CHOSEN_FIELDS:
        return names.get((name, value), value) if value else "(none)"
    return value


def describe(*, base, theirs, mine, taken, both, labels, names):
    """What the refused person sees of each field changed by their colleague."""
    changes = []
    for name in [field for field in MERGED_FIELDS if field in taken or field in both]:
        old = comparable(name, (base or {}).get(name, ""), names)
        new = comparable(name, theirs[name], names)
        yours = comparable(name, mine[name], names) if name in both else None
        changes.append(
            FieldChange(
                name=name,
                label=labels.get(name, name),
                theirs=word_diff(old if base is not None else new, new),
                yours=word_diff(new, yours) if yours is not None else None,
                taken=name in taken,
            )
        )
    return changes


def names_for(copies):
    """The names of the sections, photos, tags and comment modes that `copies` hold, by id."""

    def ids(name):
        found = set()
        for copy in copies:
            value = copy.get(name) or ""
            found |= set(value) if isinstance(value, list) else {value}
        return [pk for pk in found if pk.isdigit()]

    names = {("comment_mode", value): str(label) for value, label in Article.CommentMode.choices}
    for name, model in (("section", Section), ("lead_image", Image), ("tags", Tag)):
        for obj in model.objects.filter(pk__in=ids(name)):
            names[(name, str(obj.pk))] = str(obj)
    return names
