"""Where old addresses lead: one lookup, used by the middleware and the story page."""

from django.db.models import Q
from django.shortcuts import redirect, render

from .models import Article, Redirect
from .models.workflow import normalise_query


def answer_old_address(request, *, with_query_only=False):
    """
    A 301 to the current address of the live story (or the section front) that `request`'s
    address used to lead to, 410 with the withdrawal notice if that story was withdrawn, or
    None. One query.

    An old address stored with this exact query string wins over one stored without.
    """
    if "\x00" in request.path:
        return None  # no address kept has one, and PostgreSQL refuses to look one up
    query = normalise_query(request.META.get("QUERY_STRING", ""))
    if (with_query_only and not query) or "\x00" in request.path + query:
        return None  # no old address has a NUL byte (and PostgreSQL refuses to compare one)
    queries = [query] if with_query_only else list(dict.fromkeys([query, ""]))
    readable = Article.objects.live() | Article.objects.withdrawn()
    found = (
        Redirect.objects.filter(old_path=request.path, old_query__in=queries)
        .filter(Q(article__in=readable) | Q(section__isnull=False))
        .select_related("article__section", "section")
        .order_by("-old_query")
        .first()
    )
    if found is None:
        return None
    if found.section is not None:
        return redirect(found.section.get_absolute_url(), permanent=True)
    if found.article.status == Article.Status.WITHDRAWN:
        return withdrawn_notice(request, found.article)
    return redirect(found.article.get_absolute_url(), permanent=True)


def withdrawn_notice(request, article):
    """A withdrawn story's address: 410 Gone, with the note the editor wrote."""
    return render(request, "articles/withdrawn.html", {"article": article}, status=410)
