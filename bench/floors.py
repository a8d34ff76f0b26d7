"""
The benchmark's two floors, served only with NEWSROOM_BENCH_FLOORS=1 (see serving.py):

- /bench/constant/: a constant response, through the same middleware as every page: the
  fastest any page can be served by this stack.
- /bench/story-template/: the story page's own template, rendered for a live story that was
  loaded once, with its comments, "more from" list, navigation and banner, all in memory:
  the story page with no database at all.
"""

from django.http import HttpResponse
from django.template.loader import get_template
from django.urls import path

from articles.context_processors import newsroom
from articles.models import Article
from articles.views import article_page_context
from comments.views import comment_section_context

CONSTANT = b"<!doctype html><html lang=en><title>Floor</title><p>A constant response.</p>"


def constant(request):
    return HttpResponse(CONSTANT)


CONTEXT = {}


def benchmark_story():
    """The story the benchmark loads: the newest live one with ten comments or more."""
    live = Article.objects.live()
    return live.filter(comment_count__gte=10).newest_first().first() or live.newest_first().first()


def story_context(request):
    """The benchmark story's page's whole context, queried once."""
    if not CONTEXT:
        article = Article.objects.for_article_page().get(pk=benchmark_story().pk)
        context = newsroom(request) | article_page_context(request, article)
        context["nav_sections"] = list(context["nav_sections"])
        context["breaking_news"] = list(context["breaking_news"])
        context["more_from_section"] = list(context["more_from_section"])
        context["comment_section"] = comment_section_context(request, article)
        CONTEXT.update(context)
    return CONTEXT


def story_template(request):
    context = story_context(request) | {"request": request}
    # Rendered without the request, so no context processor runs a query.
    return HttpResponse(get_template("articles/article.html").render(context))


urlpatterns = [
    path("constant/", constant),
    path("story-template/", story_template),
]
