"""
The comments section under a story: what it shows a reader, and whether the story still takes
comments. The story page plugs it in with `{% comment_section article %}`
(templatetags/reader_comments.py); the comment view shows it again with a form's errors.
"""

from django.utils import timezone

from articles.models import Article
from newsroom import pagecache

from . import awaiting
from .forms import CommentForm
from .models import COMMENTS_PAGE_PARAM, Comment, ModerationSettings
from .moderation import closes_at, closing_reason

PAGE_PARAM = COMMENTS_PAGE_PARAM
REPLY_PARAM = "reply-to"


def comments_closed(article, *, close_after=None) -> str | None:
    """Why `article` takes no new comments, or None while it does."""
    return closing_reason(
        comment_mode=article.comment_mode,
        first_published_at=article.first_live_at,
        close_after_days=close_after
        if close_after is not None
        else ModerationSettings.close_after(),
        now=timezone.now(),
    )


def comment_section_context(request, article, *, form=None) -> dict:
    """
    What the comments section under a story shows. A fixed number of queries: the settings,
    the count and the page of comments (plus the reader's own held comments, if their
    session remembers one on this story).
    """
    if article.comment_mode == Article.CommentMode.DISABLED:
        return {"comments_shown": False}
    close_after = ModerationSettings.close_after()
    closed = comments_closed(article, close_after=close_after)
    if not closed:
        # The cached page must lose its form when comments close.
        pagecache.fresh_until(
            request,
            closes_at(first_published_at=article.first_live_at, close_after_days=close_after),
        )
    threads = Comment.objects.for_article_page(article, request.GET.get(PAGE_PARAM))
    # A preview shows where the comments will be, but no form that could not be posted.
    unpublished = not article.is_live
    if form is None and not closed and not unpublished:
        form = CommentForm(article=article, initial=reply_initial(request, threads))
    return {
        "comments_shown": True,
        "article": article,
        "closed": closed,
        "unpublished": unpublished,
        "threads": threads,
        "own_awaiting": awaiting.awaiting_on(request, article),
        "comment_form": form,
        "replying_to": replying_to(form, threads) if form else None,
        "page_param": PAGE_PARAM,
        "reply_param": REPLY_PARAM,
    }


def reply_initial(request, threads) -> dict:
    reply_to = request.GET.get(REPLY_PARAM, "")
    shown = {str(thread.pk) for thread in threads.threads}
    return {"reply_to": reply_to} if reply_to in shown else {}


def replying_to(form, threads):
    """The comment the form replies to: checked by the form, or one on this page."""
    if form.parent is not None:
        return form.parent
    wanted = form.initial.get("reply_to") if not form.is_bound else None
    return next((thread for thread in threads.threads if str(thread.pk) == wanted), None)
