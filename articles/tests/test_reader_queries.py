"""Every reader page runs the same number of queries with 3 stories as with 30."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import Byline

from .factories import (
    ArticleFactory,
    AuthorFactory,
    CorrectionFactory,
    SectionFactory,
    TagFactory,
)
from .queries import count_queries

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
    # each page one for the page cache's horizon (the next scheduled story or banner's end).
    assert queries_with_many <= (11 if page == "story" else 8)
    assert response.content.count(b"writer-") >= 1
