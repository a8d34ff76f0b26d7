"""Comments on the reader site: the section under a story, and posting a comment."""

from datetime import timedelta

from django.contrib import messages
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.views import csrf
from django.views.decorators.http import require_GET, require_POST

from articles import caching
from articles.models import Article
from articles.views import render_article
from newsroom.security import client_ip

from . import awaiting, services
from .forms import CommentForm, issue_token
from .models import COMMENTS_PAGE_PARAM, MODERATE_PERMISSION, Comment, ModerationSettings
from .moderation import closing_reason

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
    if not closed and close_after and (first := article.first_published_at or article.publish_at):
        # The cached page must lose its form when comments close.
        caching.fresh_until(request, first + timedelta(days=close_after))
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


@require_POST
def post_comment(request, article_id):
    article = get_object_or_404(Article.objects.live().for_article_page(), pk=article_id)
    if comments_closed(article):
        return closed_response(request, article)

    form = CommentForm(request.POST, article=article)
    if not form.is_valid():
        form.focus_first_error()
        return render_article(request, article, extra_context={"comment_form": form})

    data = form.cleaned_data
    try:
        submission = services.submit_comment(
            article=article,
            parent=form.parent,
            name=data["name"],
            email=data["email"],
            website=data["website"],
            body=data["body"],
            ip_address=client_ip(request),
            user_agent=request.headers.get("User-Agent", ""),
            seconds_to_post=form.seconds_to_post,
            honeypot=data["subject"],
            exempt_from_flood=request.user.has_perm(MODERATE_PERMISSION),
        )
    except services.Flooding as flood:
        response = render(
            request,
            "comments/slow_down.html",
            {"article": article, "comment_form": form, "retry_after": flood.retry_after},
            status=429,
        )
        response["Retry-After"] = str(flood.retry_after)
        return response
    except services.CommentsClosed:
        return closed_response(request, article)

    comment = submission.comment
    if comment.status == Comment.Status.APPROVED:
        messages.success(request, f"Thank you, {comment.name}. Your comment is published.")
    else:
        messages.success(
            request,
            f"Thank you, {comment.name}. Your comment is awaiting moderation: it will appear "
            "once a moderator has approved it.",
        )
    if comment.status == Comment.Status.PENDING:
        awaiting.remember(request, comment)
    return redirect(reader_url(comment))


@require_GET
def form_token(request, article_id):
    """
    What a reader's browser needs to post the comment form of a cached story page: a CSRF
    token of their own (the response sets the CSRF cookie) and a fresh "started" note for
    the form's time checks. Never cached; no query.
    """
    response = JsonResponse(
        {"csrfmiddlewaretoken": get_token(request), "started": issue_token(article_id)}
    )
    response["Cache-Control"] = "private, no-store"
    return response


def csrf_failure(request, reason=""):
    """
    A post refused by the CSRF check (a page left open until its token's cookie expired, a
    browser without the form's script). A comment comes back on its story's page with
    everything the reader typed, a token that will work, and a word on what happened; the
    answer is still 403. Other posts get Django's own page.
    """
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if match is None or match.view_name != "comments:post":
        return csrf.csrf_failure(request, reason)
    article = (
        Article.objects.live().for_article_page().filter(pk=match.kwargs["article_id"]).first()
    )
    if article is None or comments_closed(article):
        return csrf.csrf_failure(request, reason)
    form = CommentForm(request.POST, article=article)
    form.is_valid()
    form.add_error(
        None,
        "We could not confirm that this comment was sent from our page, so it has not been "
        "posted yet. Everything you typed is still here: please post it again.",
    )
    response = render_article(request, article, extra_context={"comment_form": form})
    response.status_code = 403
    response["Cache-Control"] = "private, no-store"
    return response


def closed_response(request, article):
    """Comments closed while the reader was writing: say so, and hand back what they wrote."""
    written = request.POST.get("body", "").replace("\x00", "").strip()
    return render(
        request, "comments/closed.html", {"article": article, "written": written}, status=403
    )


def reader_url(comment) -> str:
    """Where the commenter lands after posting: their comment, wherever they can see it."""
    if comment.status == Comment.Status.APPROVED:
        return comment.get_absolute_url()
    url = comment.article.get_absolute_url()
    if comment.status == Comment.Status.PENDING:
        return f"{url}#comment-{comment.pk}"
    return f"{url}#comments"
