"""Where old addresses of stories lead: one lookup, used by the middleware and the story page."""

from django.shortcuts import redirect, render

from .models import Article
from .models.workflow import normalise_query


def answer_old_address(request, *, with_query_only=False):
    """
    A 301 to the current address of the live story that `request`'s address used to lead
    to (410 with the withdrawal notice if that story was withdrawn), or None.

    An old address stored with this exact query string wins over one stored without.
    """
    if "\x00" in request.path:
        return None  # no address kept has one, and PostgreSQL refuses to look one up
    query = normalise_query(request.META.get("QUERY_STRING", ""))
    if with_query_only and not query:
        return None
    queries = [query] if with_query_only else list(dict.fromkeys([query, ""]))
    at_old_address = {"redirects__old_path": request.path, "redirects__old_query__in": queries}
    article = (
        (Article.objects.live() | Article.objects.withdrawn())
        .filter(**at_old_address)
        .select_related("section")
        .order_by("-redirects__old_query", "status")
        .first()
    )
    if article is None:
        return None
    if article.status == Article.Status.WITHDRAWN:
        return withdrawn_notice(request, article)
    return redirect(article.get_absolute_url(), permanent=True)


def withdrawn_notice(request, article):
    """A withdrawn story's address: 410 Gone, with the note the editor wrote."""
    return render(request, "articles/withdrawn.html", {"article": article}, status=410)
