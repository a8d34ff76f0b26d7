"""Every reader page runs the same number of queries with 3 stories as with 30."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import Article, Author, Byline, Tag
from newsroom.tests.queries import count_queries

from .factories import ArticleFactory, AuthorFactory, CorrectionFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

SECTIONS = ["world", "politics", "business", "science", "culture", "sport"]


def fill(count):
    """`count` live stories in six sections, each with three bylines, four tags, a correction."""
    sections = [SectionFactory(name=slug.title(), slug=slug) for slug in SECTIONS]
    SectionFactory(name="Europe", slug="europe", parent=sections[0])
    authors = [AuthorFactory(slug=f"writer-{n}") for n in range(6)]
    tags = [TagFactory(name=f"Topic {n}") for n in range(6)]
    now = timezone.now()
    stories = []
    for n in range(count):
        story = ArticleFactory(
            section=sections[n % len(sections)],
            publish_at=now - timedelta(minutes=n + 1),
            dateline="Lisbon",
        )
        for position, role in enumerate(Byline.Role.values):
            story.bylines.create(
                author=authors[(n + position) % len(authors)], role=role, position=position
            )
        story.tags.set(tags[n % 3 : n % 3 + 4])
        CorrectionFactory(article=story)
        stories.append(story)
    return stories


def reader_urls(stories):
    return {
        "home": "/",
        "section front": "/world/",
        "story": stories[0].get_absolute_url(),
        "tag": "/tag/topic-3/",
        "author": "/author/writer-0/",
    }


@pytest.mark.parametrize("page", ["home", "section front", "story", "tag", "author"])
def test_reader_page_query_count_does_not_grow_with_the_newsroom(client, page):
    few = fill(3)
    _response, queries_with_few = count_queries(client, reader_urls(few)[page])

    many = fill(30)
    response, queries_with_many = count_queries(client, reader_urls(many)[page])

    assert queries_with_few == queries_with_many
    # The story page adds three for its comments: the close-after days, the count, the page;
    # each page one for the page cache's horizon (the next scheduled story or banner's end);
    # the home page and section fronts one for the stories editors chose (fronts/); a section
    # front one for its stories' headlines and addresses (its JSON-LD), read apart from the
    # cards, which the server keeps rendered (newsroom/fragments.py).
    assert queries_with_many <= {"story": 12, "section front": 10}.get(page, 9)
    assert response.content.count(b"writer-") >= 1


def seeded_urls():
    from comments.models import Comment

    busiest = Article.objects.live().order_by("-comment_count", "pk").first()
    threads = Comment.objects.visible().filter(article=busiest, parent__isnull=True).count()
    return {
        "home": "/",
        "section front": "/world/",
        "section page 2": "/world/?page=2",
        "story": busiest.get_absolute_url(),
        "story, last page of comments": (
            f"{busiest.get_absolute_url()}?comments-page={max(1, (threads + 49) // 50)}"
        ),
        "tag": Tag.objects.filter(articles__in=Article.objects.live()).first().get_absolute_url(),
        "author": Author.objects.filter(bylines__isnull=False).first().get_absolute_url(),
    }


@pytest.mark.parametrize(
    "page",
    [
        "home",
        "section front",
        "section page 2",
        "story",
        "story, last page of comments",
        "tag",
        "author",
    ],
)
def test_reader_page_query_count_is_the_same_for_a_small_and_a_large_seeded_archive(client, page):
    call_command("seed_scale", articles=80, comments=400, verbosity=0)
    _response, queries_small = count_queries(client, seeded_urls()[page])

    call_command("seed_scale", articles=400, comments=4000, seed=8, verbosity=0)
    response, queries_large = count_queries(client, seeded_urls()[page])

    assert queries_small == queries_large
    assert response.status_code == 200
