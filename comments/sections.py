"""
The comments section under a story: what it shows a reader, and whether the story still takes
comments. The story page plugs it in with `{% comment_section article %}`
(templatetags/reader_comments.py); the comment view shows it again with a form's errors.
"""

import secrets

from django.utils import timezone

from articles.freshness import story
from articles.models import Article
from newsroom import pagecache
from newsroom.fragments import fragment

from . import awaiting
from .forms import CommentForm, issue_token
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


def comment_section_context(request, article, *, form=None, started=None) -> dict:
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
        initial = reply_initial(request, threads) | ({"started": started} if started else {})
        form = CommentForm(article=article, initial=initial)
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


def comment_section_html(request, article, render, *, form=None) -> str:
    """
    The comments section, made into HTML by `render(context)`. As every reader of a live story
    sees it (no form sent back, no reply chosen, no held comment of their own), it is kept by
    the server process until a comment shown there or the rules change, or comments close
    (newsroom/fragments.py).
    """
    if (
        form is not None
        or not article.is_live
        or article.comment_mode == Article.CommentMode.DISABLED
        or REPLY_PARAM in request.GET
        or awaiting.awaiting_on(request, article)
    ):
        return render(comment_section_context(request, article, form=form))
    closing = closes_at(
        first_published_at=article.first_live_at,
        close_after_days=ModerationSettings.close_after(),
    )
    if closing is not None and closing <= timezone.now():
        closing = None  # closed already, until the rules or the story change
    pagecache.fresh_until(request, closing)
    html = fragment(
        request,
        ("comments", article.pk, request.GET.get(PAGE_PARAM, "")),
        [story(article.pk)],
        lambda: render(comment_section_context(request, article, started=_STARTED)),
        until=closing.timestamp() if closing is not None else None,
    )
    # The form's "started" note is the moment it is served, not the one it was kept.
    return html.replace(_STARTED, issue_token(article.pk))


# Where the kept comments section's form holds its "started" note, filled in when it is
# served: no reader can write it in a comment.
_STARTED = secrets.token_hex(16)


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
