"""
A reader's own comments that wait for a moderator, remembered in their session.

Only the person who posted a held comment sees it, marked "awaiting moderation", on the
story page. This is the one place that knows about it, so that a whole-page cache of the
story can leave it out of the shared page and fill it in per reader.
"""

from django.conf import settings

from .models import Comment

SESSION_KEY = "comments_awaiting"
REMEMBERED = 20


def remember(request, comment: Comment) -> None:
    """Note in the reader's session that `comment` is theirs and waits for a moderator."""
    entries = [entry for entry in request.session.get(SESSION_KEY, []) if entry[1] != comment.pk]
    entries.append([comment.article_id, comment.pk])
    request.session[SESSION_KEY] = entries[-REMEMBERED:]


def remembers(request, comment: Comment) -> bool:
    """Whether the reader's session remembers posting `comment` (no session is loaded if none)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return any(entry[1] == comment.pk for entry in request.session.get(SESSION_KEY, ()))


def holds_any(request) -> bool:
    """Whether the reader's session remembers a held comment of theirs, on any story."""
    return bool(request.session.get(SESSION_KEY))


def awaiting_on(request, article) -> list[Comment]:
    """
    The reader's own comments on `article` still waiting for a moderator. No query unless
    their session remembers a comment on this story, and no session is loaded for a reader
    without a session cookie (so the page stays the same for every such reader). Comments a
    moderator has decided on are forgotten.
    """
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return []
    entries = request.session.get(SESSION_KEY, ())
    ids = [pk for article_id, pk in entries if article_id == article.pk]
    if not ids:
        return []
    held = list(
        Comment.objects.awaiting_moderation()
        .filter(article=article, pk__in=ids)
        .select_related("parent")
        .order_by("submitted_at", "pk")
    )
    decided = set(ids) - {comment.pk for comment in held}
    if decided:
        request.session[SESSION_KEY] = [entry for entry in entries if entry[1] not in decided]
    return held
