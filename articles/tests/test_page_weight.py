"""
A story page stays light: a long story with its bylines, topics, corrections and fifty reader
comments, without photos, is under 60 KB over the wire (HTML, CSS and JS, each gzipped, as a
server or CDN sends them), and everything that blocks its first paint comes from the site.
"""

import gzip
from html.parser import HTMLParser
from urllib.parse import urlsplit

import factory
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders

from articles.models import Byline
from comments.tests.factories import CommentFactory

from .factories import ArticleFactory, AuthorFactory, CorrectionFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

BUDGET = 60 * 1024

PARAGRAPH = (
    "<p>The council's planning committee voted seven to four on Tuesday evening to approve the "
    "redevelopment of the old docks, ending more than a decade of argument over what should "
    "replace the warehouses that have stood empty since the container port moved downriver. "
    "Residents who had campaigned for a park said they would consider a legal challenge, while "
    "the developer promised that the first homes would be ready within three years.</p>"
)


class Resources(HTMLParser):
    """The stylesheets and scripts a page asks the browser for."""

    def __init__(self, html):
        super().__init__()
        self.stylesheets, self.scripts = [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and "stylesheet" in (attrs.get("rel") or "").split():
            self.stylesheets.append(attrs["href"])
        elif tag == "script" and attrs.get("src"):
            self.scripts.append(attrs["src"])


def gzipped_size(content):
    return len(gzip.compress(content, compresslevel=6))


def static_file(url):
    assert url.startswith(settings.STATIC_URL), url
    path = finders.find(urlsplit(url).path.removeprefix(settings.STATIC_URL))
    assert path, f"{url} is not one of the site's static files"
    with open(path, "rb") as file:
        return file.read()


@pytest.fixture
def long_story(db):
    story = ArticleFactory(
        headline="Council approves the harbour plan after a decade of argument",
        kicker="Analysis",
        standfirst="The vote ends years of dispute over the old docks, but campaigners "
        "for a park say the fight is not over.",
        dateline="Bristol",
        section=SectionFactory(name="Politics", slug="politics"),
        body="".join(
            PARAGRAPH + (f"<h2>Part {n} of the story</h2>" if n % 4 == 3 else "") for n in range(24)
        ),
        tags=[TagFactory(name=f"Topic {n}") for n in range(6)],
    )
    for position, role in enumerate(Byline.Role.values):
        story.bylines.create(
            author=AuthorFactory(slug=f"writer-{position}"), role=role, position=position
        )
    CorrectionFactory.create_batch(2, article=story)
    # Fifty different comments of a few sentences each, which compress as real ones do.
    CommentFactory.create_batch(50, article=story, body=factory.Faker("paragraph", nb_sentences=5))
    return story


def test_a_long_story_with_fifty_comments_weighs_under_60_kb(client, long_story):
    response = client.get(long_story.get_absolute_url())
    html = response.content
    resources = Resources(html.decode())

    assert html.decode().count('class="comment-thread"') == 50
    assert len(resources.stylesheets) >= 1
    sizes = {"HTML": gzipped_size(html)}
    for url in resources.stylesheets + resources.scripts:
        sizes[url] = gzipped_size(static_file(url))
    assert sum(sizes.values()) < BUDGET, sizes


def test_nothing_that_blocks_the_page_comes_from_another_site(client, long_story):
    response = client.get(long_story.get_absolute_url())
    resources = Resources(response.content.decode())

    for url in resources.stylesheets + resources.scripts:
        parts = urlsplit(url)
        assert not parts.scheme, url
        assert not parts.netloc, url
