"""
A reader's own comments that wait for a moderator, remembered in their session.

Only the person who posted a held comment sees it, marked "awaiting moderation", on the
story page. This is the one place that knows about it, so that a whole-page cache of the
story can leave it out of the shared page and fill it in per reader.
"""

from .models import Comment

SESSION_KEY = "comments_awaiting"
REMEMBERED = 20


def remember(request, comment: Comment) -> None:
    """Note in the reader's session that `comment` is theirs and waits for a moderator."""
    entries = [entry for entry in request.session.get(SESSION_KEY, []) if entry[1] != comment.pk]
    entries.append([comment.article_id, comment.pk])
    request.session[SESSION_KEY] = entries[-REMEMBERED:]


def awaiting_on(request, article) -> list[Comment]:
    """
    The reader's own comments on `article` still waiting for a moderator. No query unless
    their session remembers a comment on this story.
    """
    ids = [
        pk for article_id, pk in request.session.get(SESSION_KEY, ()) if article_id == article.pk
    ]
    if not ids:
        return []
    return list(
        Comment.objects.awaiting_moderation()
        .filter(article=article, pk__in=ids)
        .select_related("parent")
        .order_by("submitted_at", "pk")
    )
