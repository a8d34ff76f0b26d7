"""
Old addresses, all in one place: the `Redirect` table (a story's address before a change of
slug, section or date, and an earlier site's addresses), keeping a story's old address when
it moves, the one lookup that answers an old address, and the middleware that asks it when
nothing else answers.
"""

import re
from urllib.parse import parse_qsl, urlencode

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from .models.stories import Article


def split_old_address(address):
    """
    "/2024/01/04/slug/" or "/?p=123" as stored by a redirect: the path, and the query
    string with its parameters in a fixed order (so "?b=2&a=1" and "?a=1&b=2" match).
    """
    path, _mark, query = address.strip().partition("?")
    return path, normalise_query(query)


def normalise_query(query):
    return urlencode(sorted(parse_qsl(query, keep_blank_values=True)))


class Redirect(models.Model):
    """
    An old address of a story (its URL before a change, or a page of an earlier site) that
    answers 301 with the story's current address, or an earlier site's address of a
    section (a WordPress category page) that answers 301 with the section front. Old
    addresses are looked up only when nothing else answers them, so a redirect never hides
    a live page.
    """

    old_path = models.CharField(
        max_length=400,
        db_index=True,
        help_text="The old address, starting with a slash, e.g. /2024/01/04/harbour-plan/.",
    )
    old_query = models.CharField(
        max_length=400,
        blank=True,
        help_text="The old query string without the “?”, e.g. p=123; usually empty.",
    )
    article = models.ForeignKey(
        Article,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="redirects",
        verbose_name="story",
        help_text="The story the old address leads to; leave empty for a section's page.",
    )
    section = models.ForeignKey(
        "articles.Section",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="redirects",
        help_text="For an old address of a section's page; leave empty for a story's.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["old_path", "old_query"]
        constraints = [
            models.UniqueConstraint(
                fields=["old_path", "old_query"],
                name="redirect_old_address_unique",
                violation_error_message="This old address already points to a story.",
            ),
            models.CheckConstraint(
                condition=Q(old_path__startswith="/"),
                name="redirect_old_path_is_absolute",
                violation_error_message="An old address starts with a slash.",
            ),
            models.CheckConstraint(
                condition=Q(article__isnull=False, section__isnull=True)
                | Q(article__isnull=True, section__isnull=False),
                name="redirect_leads_to_a_story_or_a_section",
                violation_error_message="An old address leads to a story or to a section.",
            ),
        ]

    def __str__(self):
        return self.old_address

    @property
    def old_address(self):
        return f"{self.old_path}?{self.old_query}" if self.old_query else self.old_path

    def clean(self):
        if self.old_path and not self.old_path.startswith("/"):
            raise ValidationError({"old_path": "An old address starts with a slash."})
        if (self.article_id is None) == (self.section_id is None):
            raise ValidationError(
                {"article": "Choose the story the old address leads to, or a section: one of them."}
            )
        if "?" in self.old_path:
            self.old_path, query = split_old_address(self.old_path)
            self.old_query = self.old_query or query
        self.old_query = normalise_query(self.old_query.lstrip("?"))


def keep_old_address(*, article: Article, old_url: str | None) -> Redirect | None:
    """
    After a change to a story's slug, section or date: if readers may have seen it at
    `old_url`, keep that address answering 301 with the story's current one. Every earlier
    address points at the story itself, so no reader ever follows a chain.
    """
    new_url = article.get_absolute_url()
    # A redirect at the story's own (new) address would never be reached; drop it.
    if new_url:
        Redirect.objects.filter(old_path=new_url, old_query="").delete()
    was_public = (
        article.first_published_at is not None and article.first_published_at <= timezone.now()
    )
    if not old_url or old_url == new_url or not was_public:
        return None
    path, query = split_old_address(old_url)
    kept, _created = Redirect.objects.update_or_create(
        old_path=path, old_query=query, defaults={"article": article}
    )
    return kept


# The query parameters WordPress itself reads from an address: anything else (utm_source,
# fbclid, a share button's ref…) is left out when an old address is looked up.
WORDPRESS_QUERY_VARS = frozenset(
    {"p", "page_id", "cat", "tag", "author", "m", "page", "paged", "attachment_id", "feed"}
)
# An earlier site's feed: /feed/, /feed/atom/, /category/local/feed/, a story's /slug/feed/.
FEED_PATH = re.compile(r"^(?P<base>.*/)feed/(?:(?P<kind>rss2|rss|rdf|atom)/)?$")


def find_old_address(path, query_string="", *, with_query_only=False):
    """
    The Redirect that answers an old address, or None. One query. Its path is tried as it
    is and with or without its trailing slash; its query string as it is, with WordPress's
    own parameters only, and then (unless `with_query_only`) without any: the first found
    of these, in this order, wins.
    """
    if "\x00" in path + query_string:
        return None  # no address kept has one, and PostgreSQL refuses to look one up
    full = normalise_query(query_string)
    own = urlencode(
        sorted(
            (name, value)
            for name, value in parse_qsl(query_string, keep_blank_values=True)
            if name in WORDPRESS_QUERY_VARS
        )
    )
    queries = [full, own] if with_query_only else [full, own, ""]
    queries = [query for query in dict.fromkeys(queries) if query or not with_query_only]
    other = path[:-1] if path.endswith("/") else f"{path}/"
    paths = [path, other] if len(other) > 1 else [path]
    if not queries:
        return None
    readable = Article.objects.live() | Article.objects.withdrawn()
    found = (
        Redirect.objects.filter(old_path__in=paths, old_query__in=queries)
        .filter(Q(article__in=readable) | Q(section__isnull=False))
        .select_related("article__section", "section")
    )
    return min(
        found,
        key=lambda kept: (paths.index(kept.old_path), queries.index(kept.old_query)),
        default=None,
    )


def answer_old_address(request, *, with_query_only=False):
    """
    A 301 to the current address of the live story (or the section front) that `request`'s
    address used to lead to, 410 with the withdrawal notice if that story was withdrawn, or
    None. An earlier site's feed addresses lead to our feeds. One query, two for a feed.
    """
    query = request.META.get("QUERY_STRING", "")
    found = find_old_address(request.path, query, with_query_only=with_query_only)
    if found is None:
        return answer_old_feed(request.path, query)
    if found.section is not None:
        return redirect(found.section.get_absolute_url(), permanent=True)
    if found.article.status == Article.Status.WITHDRAWN:
        return withdrawn_notice(request, found.article)
    return redirect(found.article.get_absolute_url(), permanent=True)


def answer_old_feed(path, query_string):
    """
    A 301 to our feed for an earlier site's: /feed/ (or /?feed=rss2) to the latest stories,
    /category/<slug>/feed/ (or /?cat=5&feed=rss2) to that section's feed, a story's own
    comment feed to the story. None for any other address.
    """
    parameters = parse_qsl(query_string, keep_blank_values=True)
    matched = FEED_PATH.match(path if path.endswith("/") else f"{path}/")
    if matched is not None:
        base, kind, rest = matched["base"], matched["kind"], ""
    elif path == "/" and "feed" in dict(parameters):
        base, kind = "/", dict(parameters)["feed"]
        rest = urlencode([(name, value) for name, value in parameters if name != "feed"])
    else:
        return None
    atom = kind == "atom"
    if base == "/" and not rest:
        return redirect(reverse("articles:feed-atom" if atom else "articles:feed"), permanent=True)
    found = find_old_address(base, rest, with_query_only=bool(rest))
    if found is None:
        return None
    if found.section is not None:
        name = "articles:section-feed-atom" if atom else "articles:section-feed"
        return redirect(reverse(name, kwargs={"section": found.section.slug}), permanent=True)
    return redirect(found.article.get_absolute_url(), permanent=True)


def withdrawn_notice(request, article):
    """A withdrawn story's address: 410 Gone, with the note the editor wrote."""
    return render(request, "articles/withdrawn.html", {"article": article}, status=410)


class RedirectFallbackMiddleware:
    """
    Old addresses of stories answer 301 with the story's current address.

    Like django.contrib.redirects, the table is consulted only when the site has nothing
    at the address (a 404), so a redirect never hides a page. One exception: the home page
    with a query string (an earlier site's "/?p=123") is looked up before the page, since
    the home page ignores query strings it doesn't know.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path == "/"
            and request.method in ("GET", "HEAD")
            and request.META.get("QUERY_STRING")
        ):
            response = answer_old_address(request, with_query_only=True)
            if response is not None:
                return response
        response = self.get_response(request)
        if response.status_code == 404 and request.method in ("GET", "HEAD"):
            return answer_old_address(request) or response
        return response
