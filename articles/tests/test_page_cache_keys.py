"""
The page cache's keys: two requests share a stored page only when the view sees the same
thing. A value that smuggles `&` and `=` inside it, a parameter given twice, a Host header
with another letter case, port or a trailing dot: none of them may store a page that another
reader then gets for their own request.
"""

from urllib.parse import quote, urlencode

import pytest
from django.test import RequestFactory
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from comments.tests.factories import CommentFactory
from newsroom.pagecache import TRACKING_PARAMS, page_key

from .factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db

SEARCH_PARAMS = frozenset({"q", "section", "date_from", "date_to", "page"})


@pytest.fixture
def world():
    return SectionFactory(name="World", slug="world")


@pytest.fixture
def business():
    return SectionFactory(name="Business", slug="business")


def cache_outcome(response):
    return response["X-Page-Cache"]


def headlines(response):
    """The headlines of the search results the page was rendered with."""
    return [story.headline for story in response.context["page"]]


# Values that hide other parameters inside them.


def test_a_date_hiding_a_whole_search_does_not_answer_that_search(client, world):
    ArticleFactory(section=world, headline="Dock strike enters its second week")
    attack = client.get("/search/?date_from=%26date_to%3D%26q%3Dstrike%26section%3D")
    assert "Dock strike" not in attack.content.decode()

    search = client.get("/search/?q=strike&section=&date_from=&date_to=")

    assert cache_outcome(search) == "miss"
    assert headlines(search) == ["Dock strike enters its second week"]


def test_a_query_hiding_a_section_filter_does_not_answer_the_filtered_search(
    client, world, business
):
    ArticleFactory(section=world, headline="Port strike spreads north")
    ArticleFactory(section=business, headline="Strike costs shippers millions")
    client.get("/search/?q=strike%26section%3Dworld")

    filtered = client.get("/search/?q=strike&section=world")

    assert cache_outcome(filtered) == "miss"
    assert headlines(filtered) == ["Port strike spreads north"]


def test_a_comment_page_hiding_a_reply_does_not_answer_the_reply_form(client, world):
    story = ArticleFactory(section=world)
    thread = CommentFactory(article=story, name="Maria Lopes")
    url = story.get_absolute_url()
    client.get(f"{url}?comments-page=1%26reply-to%3D{thread.pk}")

    replying = client.get(f"{url}?comments-page=1&reply-to={thread.pk}")

    assert cache_outcome(replying) == "miss"
    assert "Reply to <bdi>Maria Lopes</bdi>" in replying.content.decode()


def test_a_parameter_given_twice_is_the_value_the_page_reads(client, world):
    ArticleFactory.create_batch(25, section=world)
    first = client.get("/world/?page=2&page=1")
    second = client.get("/world/?page=1&page=2")

    assert first.context["page"].number == 1
    assert cache_outcome(second) == "miss"
    assert second.context["page"].number == 2


def test_an_empty_parameter_is_the_same_page_as_none(client, world):
    ArticleFactory(section=world, headline="Dock strike enters its second week")
    client.get("/search/?q=strike")

    assert cache_outcome(client.get("/search/?q=strike&section=&date_to=")) == "hit"


# The Host header.

VARIANTS = ["TESTSERVER", "testserver.", "TestServer.:80", "testserver:80"]


@pytest.fixture
def elsewhere(settings):
    """The site's public address differs from the Host the test client sends."""
    settings.NEWSROOM_SITE_URL = "https://news.example.org"


def reader_addresses(story, section):
    return [
        "/",
        section.get_absolute_url(),
        story.get_absolute_url(),
        "/feeds/latest/",
        "/feeds/latest/atom/",
        f"/feeds/{section.slug}/",
        "/sitemap.xml",
        "/sitemap-stories.xml",
        "/sitemap-news.xml",
        "/robots.txt",
    ]


def test_every_absolute_address_is_on_the_site_address_whatever_host_was_sent(
    client, world, elsewhere
):
    story = ArticleFactory(section=world)
    for url in reader_addresses(story, world):
        for host in ["testserver", *VARIANTS]:
            body = client.get(url, HTTP_HOST=host).content.decode()
            assert "testserver" not in body.lower(), (url, host)
            assert "https://news.example.org/" in body, (url, host)


def test_host_variants_share_one_stored_page(client, world, elsewhere):
    story = ArticleFactory(section=world)
    for url in reader_addresses(story, world):
        client.get(url)
        for host in VARIANTS:
            assert cache_outcome(client.get(url, HTTP_HOST=host)) == "hit", (url, host)


def test_canonical_link_of_a_story_is_on_the_site_address(client, world, elsewhere):
    story = ArticleFactory(section=world)
    response = client.get(story.get_absolute_url(), HTTP_HOST="TESTSERVER.:80")

    assert (
        f'<link rel="canonical" href="https://news.example.org{story.get_absolute_url()}">'
        in response.content.decode()
    )


# Properties of the key itself.

NAMES = st.sampled_from([*sorted(SEARCH_PARAMS), "utm_source", "fbclid"])
VALUES = st.text(max_size=12) | st.sampled_from(["", "&", "=", "a&q=b", "%26", "1", "01"])
PAIRS = st.lists(st.tuples(NAMES, VALUES), max_size=6)


def request_for(path, pairs):
    return RequestFactory().get(f"{quote(path)}?{urlencode(pairs)}")


def what_the_view_reads(pairs):
    """The search page's parameters as the view reads them: the last value of each, if any."""
    read = {}
    for name, value in pairs:
        if name in SEARCH_PARAMS:
            read[name] = value
    return {name: value for name, value in read.items() if value}


@hypothesis_settings(max_examples=300, derandomize=True, deadline=None)
@given(first=PAIRS, second=PAIRS)
def test_two_requests_share_a_key_exactly_when_the_view_reads_the_same(first, second):
    same = what_the_view_reads(first) == what_the_view_reads(second)
    keys = (
        page_key(request_for("/search/", first), SEARCH_PARAMS),
        page_key(request_for("/search/", second), SEARCH_PARAMS),
    )
    assert (keys[0] == keys[1]) == same


@hypothesis_settings(max_examples=200, derandomize=True, deadline=None)
@given(pairs=PAIRS, data=st.data())
def test_the_order_of_distinct_parameters_does_not_change_the_key(pairs, data):
    last = dict(pairs)
    shuffled = data.draw(st.permutations(list(last.items())))
    assert page_key(request_for("/search/", list(last.items())), SEARCH_PARAMS) == page_key(
        request_for("/search/", shuffled), SEARCH_PARAMS
    )


SEGMENTS = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters="/"),
    min_size=1,
    max_size=8,
)


@hypothesis_settings(max_examples=200, derandomize=True, deadline=None)
@given(
    first=st.lists(SEGMENTS, min_size=1, max_size=3),
    second=st.lists(SEGMENTS, min_size=1, max_size=3),
    pairs=PAIRS,
)
def test_different_paths_never_share_a_key(first, second, pairs):
    paths = ["/" + "/".join(segments) + "/" for segments in (first, second)]
    keys = [page_key(request_for(path, pairs), SEARCH_PARAMS) for path in paths]
    assert (keys[0] == keys[1]) == (paths[0] == paths[1])


@hypothesis_settings(max_examples=100, derandomize=True, deadline=None)
@given(
    name=st.text(min_size=1, max_size=8).filter(
        lambda n: n not in SEARCH_PARAMS and not TRACKING_PARAMS.match(n)
    )
)
def test_a_parameter_the_page_does_not_read_is_never_stored(name):
    assert page_key(request_for("/search/", [(name, "x")]), SEARCH_PARAMS) is None
