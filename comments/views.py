"""Comments on the reader site: posting a comment, and the form's token on cached pages."""

from django.contrib import messages
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import Resolver404, resolve
from django.views import csrf
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from articles.views import render_article
from newsroom.availability import DATABASE_ERRORS, unavailable
from newsroom.security import client_ip

from . import awaiting, services
from .forms import CommentForm, issue_token
from .models import MODERATE_PERMISSION, Comment
from .sections import comments_closed


@require_POST
def post_comment(request, article_id):
    """
    A reader's comment, checked and kept; with the database out of reach, a 503 that hands
    back everything the reader typed in a form that posts it again.
    """
    try:
        return submit(request, article_id)
    except DATABASE_ERRORS as error:
        written = {
            name: request.POST.get(name, "").replace("\x00", "")
            for name in ("body", "name", "email", "website", "reply_to", "started")
        }
        context = {"written": written, "action": request.path, "csrf_token": get_token(request)}
        return unavailable("comments/unavailable.html", context, error=error)


def submit(request, article_id):
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
    if not submission.created and not awaiting.remembers(request, comment):
        # The same words from the same email were posted before, from another browser: say
        # so, without showing that comment's name or, if it waits, the comment itself.
        messages.info(request, "This comment has already been posted.")
        return redirect(f"{comment.article.get_absolute_url()}#comments")
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
