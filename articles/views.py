"""
The reader site. Every story readers see comes through Article.objects.live(); a withdrawn
story's address answers with its notice (410), and the preview is for staff with permission.
"""

from django.conf import settings
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.functional import cached_property

from newsroom import fragments, pagecache
from newsroom.site import absolute_url

from . import curation, freshness
from .forms import SearchForm
from .models import Article, Author, Section, Tag
from .previews import article_pk_from_token
from .redirects import answer_old_address, withdrawn_notice
from .search import highlight, search
from .sitemaps import SITEMAPS, news_stories

STORIES_PER_PAGE = 20
MORE_FROM_SECTION = 5


class ListPaginator(Paginator):
    """
    Pages of a list of stories, as deep as NEWSROOM_LIST_MAX_PAGES: the count stops there
    (a bounded count on the list's index, however large the archive), and so do the pages.
    Older stories are found through search, tags, authors and the sitemaps.
    """

    @cached_property
    def count(self):
        deepest = settings.NEWSROOM_LIST_MAX_PAGES * self.per_page
        return self.object_list.order_by().values("pk")[:deepest].count()

    def page(self, number):
        """
        The page's stories, found by their ids first (read from the index alone, however
        deep the page), then loaded: a deep page reads twenty stories, not all those above it.
        """
        number = self.validate_number(number)
        start = (number - 1) * self.per_page
        ids = list(self.object_list.values_list("pk", flat=True)[start : start + self.per_page])
        return self.page_of(ids, number)

    def page_of(self, ids, number):
        """Page `number`, holding the stories `ids` in the list's order."""
        return self._get_page(list(self.object_list.filter(pk__in=ids)), number, self)


class SearchPaginator(Paginator):
    """
    Pages of `SearchResults`, as deep as NEWSROOM_LIST_MAX_PAGES. On PostgreSQL the query that
    ranks a page counts the matches too (one pass over them instead of two): only a page past
    the last one needs a count of its own.
    """

    @cached_property
    def count(self):
        return self.object_list.count(at_most=settings.NEWSROOM_LIST_MAX_PAGES * self.per_page)

    def page(self, number):
        try:
            wanted = int(number)
        except (TypeError, ValueError):
            wanted = 0
        results = self.object_list
        # A page past the deepest one is never asked of the database (its offset may not
        # even be a number the database can hold): the count says it does not exist.
        in_one_pass = results.backend is not None and results.backend.counts_with_ranking
        deepest_page = settings.NEWSROOM_LIST_MAX_PAGES
        if in_one_pass and 1 <= wanted <= deepest_page and "count" not in self.__dict__:
            start = (wanted - 1) * self.per_page
            stories = results[start : start + self.per_page]
            if results.total:
                return self._get_page(stories, self.validate_number(number), self)
        return super().page(number)


class CardListPaginator(ListPaginator):
    """
    Pages of story cards (section, tag and author pages): each page's stories are loaded
    only if a card must be rendered, or only their headlines and addresses when the page
    needs no more (`Article.objects.cards()`).
    """

    def page_of(self, ids, number):
        cards = self.object_list.cards(ids)
        return self._get_page([cards[pk] for pk in ids], number, self)


def paginate(request, queryset, *, paginator_class=None):
    """The requested page of `queryset`; a page that does not exist is a 404."""
    paginator = (paginator_class or CardListPaginator)(queryset, STORIES_PER_PAGE)
    try:
        return paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404("No such page.") from None


def home(request):
    pagecache.depends_on(request, freshness.HOME)
    return render_home(request, curation.arrangement_of(None))


def render_home(request, arrangement, *, extra_context=None):
    """The home page with the stories editors chose (`arrangement`), filled by recency."""
    front = Article.objects.live().front_page(arrangement=arrangement)
    shows_cards_of(request, front.stories())
    return render(request, "articles/home.html", {"front": front} | (extra_context or {}))


def shows_cards_of(request, stories):
    """
    The page shows these stories' cards, which each server process keeps rendered until the
    story changes (newsroom/fragments.py): their versions are read at once.
    """
    fragments.will_show(request, {freshness.story(story.pk) for story in stories})


def section_front(request, section):
    section = Section.objects.front(section)
    if section is None:
        raise Http404("No such section.")
    pagecache.depends_on(request, freshness.section(section.pk))
    return render_section_front(request, section, curation.arrangement_of(section))


def render_section_front(request, section, arrangement, *, extra_context=None):
    """
    A section's front: on its first page the stories editors chose (`arrangement`), then,
    on every page, its other stories newest first.
    """
    stories = Article.objects.live().in_section(section)
    page = paginate(request, stories.exclude(pk__in=arrangement.story_ids()).for_list())
    chosen = Article.objects.live().chosen_for_front(arrangement) if page.number == 1 else None
    shows_cards_of(request, [*page.object_list, *(chosen.stories() if chosen else ())])
    context = {
        "section": section,
        "page": page,
        "chosen": chosen,
        "current_section": section.parent or section,
    }
    return render(request, "articles/section.html", context | (extra_context or {}))


def article_detail(request, section, year, month, day, slug):
    article = Article.objects.live().for_article_page().filter(slug=slug).first()
    if article is None:
        withdrawn = Article.objects.withdrawn().filter(slug=slug).first()
        if withdrawn is None:
            raise Http404("No such story.")
        pagecache.depends_on(request, freshness.story(withdrawn.pk))
        return withdrawn_notice(request, withdrawn)

    canonical = article.get_absolute_url()
    if request.path != canonical:
        # An old address kept for another story (whose slug this one took later) wins.
        return answer_old_address(request) or redirect(canonical, permanent=True)
    pagecache.depends_on(
        request, freshness.story(article.pk), freshness.section(article.section_id)
    )
    return render_article(request, article)


def render_article(request, article, *, extra_context=None):
    """
    The page of a live story (fetched with for_article_page()). Also answers for views that
    post to a story and show it again, such as a comment form with errors to correct.
    """
    context = article_page_context(request, article) | (extra_context or {})
    return render(request, "articles/article.html", context)


def article_page_context(request, article):
    """What the story page shows: the same for readers and for a preview."""
    more = Article.objects.live().more_from_section(article)[:MORE_FROM_SECTION]
    return {
        "article": article,
        # Only a live story has a canonical address: a preview of one not live yet points
        # nowhere (it is not indexed either).
        "canonical_url": (absolute_url(article.get_absolute_url()) if article.is_live else None),
        "more_from_section": more,
        "current_section": article.section.parent or article.section,
    }


def preview(request, token):
    """
    A story as readers will see it, before it is live, for staff who may preview it (an
    editor, or the journalist whose story it is). Anything else is a 404: a bad or expired
    token, an anonymous visitor, someone without permission. Never cached, never indexed.
    """
    pk = article_pk_from_token(token)
    if pk is None or not request.user.is_authenticated:
        raise Http404("No such preview.")
    article = Article.objects.for_article_page().filter(pk=pk).first()
    if article is None or not article.can_be_previewed_by(request.user):
        raise Http404("No such preview.")
    context = article_page_context(request, article) | {"preview": True}
    response = render(request, "articles/article.html", context)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


def tag_page(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    pagecache.depends_on(request, freshness.tag(tag.pk))
    page = paginate(request, Article.objects.live().filter(tags=tag).for_list())
    if not page.object_list:
        raise Http404("No stories with this tag.")
    shows_cards_of(request, page.object_list)
    return render(request, "articles/tag.html", {"tag": tag, "page": page})


def author_page(request, slug):
    author = get_object_or_404(
        Author.objects.select_related("photo").prefetch_related("photo__renditions"), slug=slug
    )
    pagecache.depends_on(request, freshness.author(author.pk))
    page = paginate(request, Article.objects.live().filter(bylines__author=author).for_list())
    shows_cards_of(request, page.object_list)
    return render(request, "articles/author.html", {"author": author, "page": page})


def search_page(request):
    """
    Search over live stories: ranked results with the matched words highlighted, filtered by
    section and publication dates. Any query answers a page; a wrong filter is shown at its
    field and searches without it.
    """
    form = SearchForm(request.GET)
    form.is_valid()
    wanted = form.cleaned_data
    query = wanted.get("q", "")
    page = None
    if query:
        results = search(
            query,
            section=wanted.get("section"),
            date_from=wanted.get("date_from"),
            date_to=wanted.get("date_to"),
        )
        page = paginate(request, results, paginator_class=SearchPaginator)
        page.object_list = highlight(page.object_list, query)
    return render(request, "articles/search.html", {"form": form, "query": query, "page": page})


@x_robots_tag
def sitemap_index(request):
    """
    `/sitemap.xml`: every page of every sitemap, each with its last change, on the site's
    public address (Django's own index writes the Host the request sent).
    """
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        url = absolute_url(reverse("articles:sitemap-part", kwargs={"section": name}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(url, lastmod))
        entries += [
            SitemapIndexItem(f"{url}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )


def news_sitemap(request):
    """The Google News sitemap: live stories of the last 48 hours, newest first."""
    return render(
        request,
        "articles/sitemap_news.xml",
        {
            "stories": news_stories(),
            "publication_name": settings.NEWSROOM_PUBLICATION_NAME,
            "language": settings.NEWSROOM_NEWS_LANGUAGE,
        },
        content_type="application/xml; charset=utf-8",
    )


def robots_txt(request):
    """Where crawlers may go, and where the sitemaps are (absolute addresses)."""
    sitemaps = [
        absolute_url(reverse(name)) for name in ("articles:sitemap", "articles:news-sitemap")
    ]
    return render(
        request,
        "articles/robots.txt",
        {"sitemaps": sitemaps},
        content_type="text/plain; charset=utf-8",
    )
