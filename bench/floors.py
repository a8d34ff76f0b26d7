"""
The benchmark's two floors, served only with NEWSROOM_BENCH_FLOORS=1 (see serving.py):

- /bench/constant/: a constant response, through the same middleware as every page: the
  fastest any page can be served by this stack.
- /bench/story-template/: the story page's own template, rendered for a live story that was
  loaded once, with its comments, "more from" list, navigation and banner, all in memory:
  the story page with no database at all.
"""

from functools import cache

from django.http import HttpResponse
from django.template.loader import get_template
from django.test import RequestFactory
from django.urls import path

from articles.context_processors import newsroom
from articles.models import Article
from articles.views import article_page_context
from comments.views import comment_section_context

CONSTANT = b"<!doctype html><html lang=en><title>Floor</title><p>A constant response.</p>"


def constant(request):
    return HttpResponse(CONSTANT)


@cache
def story_context():
    """The story page's whole context, queried once: the most commented live story's."""
    article = Article.objects.live().for_article_page().order_by("-comment_count").first()
    request = RequestFactory().get(article.get_absolute_url())
    context = newsroom(request) | article_page_context(request, article)
    context["nav_sections"] = list(context["nav_sections"])
    context["breaking_news"] = list(context["breaking_news"])
    context["more_from_section"] = list(context["more_from_section"])
    context["comment_section"] = comment_section_context(request, article)
    return context


def story_template(request):
    context = story_context() | {"request": request}
    # Rendered without the request, so no context processor runs a query.
    return HttpResponse(get_template("articles/article.html").render(context))


urlpatterns = [
    path("constant/", constant),
    path("story-template/", story_template),
]
