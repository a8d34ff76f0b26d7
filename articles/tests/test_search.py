"""
Readers' search and the admin's: ranking, highlighting, filters, the live gate, any query a
person can type, and the page. They run on the suite's database, so a run on SQLite tests
FTS5 and a run on PostgreSQL tests its full-text search.
"""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.forms import SearchForm
from articles.models import Article
from articles.search import Term, highlight, matching, parse, search
from newsroom.tests.queries import count_queries
from photos.models import Image
from photos.tests.factories import ImageFactory

from .factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

HOSTILE_QUERIES = [
    "",
    "   ",
    '"',
    '"unbalanced quote',
    "''",
    "*",
    "harbour*",
    "NEAR(harbour plan)",
    "harbour NEAR plan",
    "OR",
    "harbour OR",
    "OR OR OR",
    "-",
    "-harbour",
    "--harbour",
    "headline:harbour",
    ":",
    "^harbour",
    "harbour^2",
    "(harbour",
    "harbour)",
    "AND NOT",
    "!!!",
    "?&|<>",
    "\\",
    "%_",
    "'; DROP TABLE articles_article; --",
    "harbour\x00plan",
    "\x00",
    "\x07\x1b[31m",
    "\ue000harbour\ue001",
    "ハーバー",
    "x" * 5000,
    "harbour " * 500,
]


def headlines(stories):
    return [story.headline for story in stories]


# The query language ------------------------------------------------------------------------


def test_words_must_all_match():
    assert parse("harbour plan") == parse("harbour   plan")
    assert parse("harbour plan").alternatives == ((Term("harbour"), Term("plan")),)


def test_quotes_make_a_phrase_even_when_unbalanced():
    assert parse('"harbour plan" vote').alternatives == ((Term("harbour plan"), Term("vote")),)
    assert parse('vote "harbour plan').alternatives == ((Term("vote"), Term("harbour plan")),)


def test_minus_leaves_a_word_out_and_or_joins_alternatives():
    assert parse("harbour -ferry OR docks").alternatives == (
        (Term("harbour"), Term("ferry", excluded=True)),
        (Term("docks"),),
    )


def test_operators_and_punctuation_are_plain_text():
    assert parse("NEAR(a b) * : ^ !!!").alternatives == ((Term("NEAR(a"), Term("b)")),)
    assert not parse('* : ^ - OR !!! "')


def test_a_query_of_only_left_out_words_searches_nothing():
    assert not parse("-harbour -ferry")


# Ranking and highlighting ------------------------------------------------------------------


def test_a_headline_match_ranks_above_a_standfirst_match_above_a_body_match():
    now = timezone.now()
    in_body = ArticleFactory(
        headline="Council meets", standfirst="Members gather.", body="<p>The lighthouse.</p>"
    )
    in_standfirst = ArticleFactory(
        headline="Coast news", standfirst="A lighthouse closes.", body="<p>Nothing.</p>"
    )
    in_headline = ArticleFactory(
        headline="Lighthouse sold",
        standfirst="A buyer is found.",
        body="<p>Nothing.</p>",
        # The oldest: rank, not recency, puts it first.
        publish_at=now - timedelta(days=3),
    )

    assert list(search("lighthouse")) == [in_headline, in_standfirst, in_body]


def test_results_match_every_word_and_stems():
    ArticleFactory(
        headline="Councillors voted on the harbour", standfirst="", body="<p>Votes counted.</p>"
    )
    ArticleFactory(headline="Harbour reopens", standfirst="", body="<p>No election.</p>")

    assert headlines(search("harbour vote")) == ["Councillors voted on the harbour"]


def test_phrases_left_out_words_and_alternatives_narrow_the_results():
    ArticleFactory(headline="Harbour plan approved", body="<p>Ferry routes change.</p>")
    ArticleFactory(headline="Plan for the harbour", body="<p>Docks.</p>")

    assert headlines(search('"harbour plan"')) == ["Harbour plan approved"]
    assert headlines(search("harbour -ferry")) == ["Plan for the harbour"]
    assert set(headlines(search("ferry OR docks"))) == {
        "Harbour plan approved",
        "Plan for the harbour",
    }


def test_matched_words_are_highlighted_in_the_headline_and_snippet():
    ArticleFactory(
        headline="Lighthouse sold to museum",
        body="<p>The old keeper's cottage beside the lighthouse was sold with it.</p>",
    )

    [story] = highlight(search("lighthouse"), "lighthouse")

    assert story.highlighted_headline == "<mark>Lighthouse</mark> sold to museum"
    assert "<mark>lighthouse</mark> was sold with it" in story.snippet
    assert story.snippet_matches


def test_hostile_text_in_a_story_is_escaped_in_the_highlights():
    ArticleFactory(
        headline='<img src=x onerror="alert(1)"> Lighthouse',
        body="<p>&lt;script&gt;alert(1)&lt;/script&gt; lighthouse \ue001 \ue000 keeper</p>",
    )

    [story] = highlight(search("lighthouse"), "lighthouse")

    assert "<img" not in story.highlighted_headline
    assert story.highlighted_headline == (
        "&lt;img src=x onerror=&quot;alert(1)&quot;&gt; <mark>Lighthouse</mark>"
    )
    assert "<script>" not in story.snippet
    assert "<mark>lighthouse</mark>" in story.snippet
    assert story.snippet.count("<mark>") == story.snippet.count("</mark>") == 1
    assert "\ue000" not in story.snippet
    assert "\ue001" not in story.snippet


def test_a_story_matched_only_by_its_headline_has_a_snippet_without_highlights():
    ArticleFactory(headline="Lighthouse sold", body="<p>A buyer was found on Tuesday.</p>")

    [story] = highlight(search("lighthouse"), "lighthouse")

    assert not story.snippet_matches
    assert "<mark>" not in story.snippet


# Filters and the live gate -----------------------------------------------------------------


def test_the_section_filter_includes_its_subsections():
    world = SectionFactory(name="World", slug="world")
    europe = SectionFactory(name="Europe", slug="europe", parent=world)
    sport = SectionFactory(name="Sport", slug="sport")
    ArticleFactory(headline="Floods in World", section=world)
    ArticleFactory(headline="Floods in Europe", section=europe)
    ArticleFactory(headline="Floods stop play", section=sport)

    assert set(headlines(search("floods", section=world))) == {
        "Floods in World",
        "Floods in Europe",
    }
    assert headlines(search("floods", section=europe)) == ["Floods in Europe"]


def test_the_date_filter_includes_both_days_in_the_newsroom_time_zone(settings):
    settings.TIME_ZONE = "America/New_York"

    def at(day, hour):
        return timezone.make_aware(datetime(2026, 3, day, hour), timezone.get_current_timezone())

    ArticleFactory(headline="Floods day one early", publish_at=at(1, 0))
    ArticleFactory(headline="Floods day two late", publish_at=at(2, 23))
    ArticleFactory(headline="Floods day before", publish_at=at(1, 0) - timedelta(seconds=1))
    ArticleFactory(headline="Floods day after", publish_at=at(3, 0))

    assert set(
        headlines(search("floods", date_from=date(2026, 3, 1), date_to=date(2026, 3, 2)))
    ) == {
        "Floods day one early",
        "Floods day two late",
    }
    assert "Floods day after" in headlines(search("floods", date_from=date(2026, 3, 2)))
    assert "Floods day before" in headlines(search("floods", date_to=date(2026, 2, 28)))


@pytest.mark.parametrize(
    ("time_zone", "first"),
    [("UTC", date.min), ("America/New_York", date.min), ("Pacific/Auckland", date(1, 1, 2))],
)
def test_the_date_filters_reach_the_first_and_last_days_a_search_can_name(
    settings, time_zone, first
):
    settings.TIME_ZONE = time_zone
    ArticleFactory(headline="Floods in the archive")
    last = date(9999, 12, 30)

    form = SearchForm({"q": "floods", "date_from": first, "date_to": last})

    assert form.is_valid(), form.errors
    assert headlines(search("floods", date_from=first, date_to=last)) == ["Floods in the archive"]


@pytest.mark.parametrize(
    ("time_zone", "day", "first"),
    [
        ("UTC", "9999-12-31", "0001-01-01"),
        ("America/New_York", "9999-12-31", "0001-01-01"),
        ("Pacific/Auckland", "9999-12-31", "0001-01-02"),
        ("Pacific/Auckland", "0001-01-01", "0001-01-02"),
    ],
)
@pytest.mark.parametrize("field", ["date_from", "date_to"])
def test_a_day_beyond_what_a_search_can_name_is_a_field_error(
    settings, time_zone, day, first, field
):
    settings.TIME_ZONE = time_zone

    form = SearchForm({"q": "floods", field: day})

    assert not form.is_valid()
    assert form.errors == {field: [f"Enter a date from {first} to 9999-12-30."]}


def test_only_live_stories_are_ever_found():
    ArticleFactory(headline="Embargo live")
    ArticleFactory(headline="Embargo draft", draft=True)
    ArticleFactory(headline="Embargo in review", in_review=True)
    ArticleFactory(headline="Embargo scheduled", scheduled=True)
    ArticleFactory(headline="Embargo withdrawn", withdrawn=True)

    assert headlines(search("embargo")) == ["Embargo live"]


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_any_query_searches_without_an_error(query):
    ArticleFactory(headline="Harbour plan approved")

    results = search(query)

    assert len(results) in (0, 1)
    highlight(results, query)


# The search page ---------------------------------------------------------------------------


@pytest.fixture
def culture(db):
    return SectionFactory(name="Culture", slug="culture")


def test_the_search_page_lists_results_with_highlights(client, culture):
    author = AuthorFactory(name="Ana Ruiz", slug="ana-ruiz")
    story = ArticleFactory(
        headline="Library campaign wins",
        section=culture,
        body="<p>The library will stay open.</p>",
        authors=[author],
    )

    response = client.get("/search/", {"q": "library"})

    assertContains(
        response,
        f'<a href="{story.get_absolute_url()}"><mark>Library</mark> campaign wins</a>',
        html=True,
    )
    assertContains(response, "The <mark>library</mark> will stay open.")
    assertContains(response, '<a href="/author/ana-ruiz/">Ana Ruiz</a>', html=True)
    assertContains(
        response,
        '<p class="search-summary">1 story matches <strong>library</strong>.</p>',
        html=True,
    )
    assertContains(response, '<meta name="robots" content="noindex, follow">', html=True)
    assertContains(response, 'value="library"')


def test_the_search_page_filters_by_section_and_keeps_the_choice(client, culture):
    ArticleFactory(headline="Library reopens", section=culture)
    ArticleFactory(headline="Library of the club", section=SectionFactory(name="Sport"))

    response = client.get("/search/", {"q": "library", "section": "culture"})

    assertContains(response, "<mark>Library</mark> reopens")
    assertNotContains(response, "of the club")
    assertContains(response, '<option value="culture" selected>Culture</option>', html=True)


def test_a_wrong_date_range_is_explained_at_the_field_and_kept(client, culture):
    ArticleFactory(headline="Library reopens", section=culture)

    response = client.get(
        "/search/", {"q": "library", "date_from": "2026-03-10", "date_to": "2026-03-01"}
    )

    assert response.status_code == 200
    assertContains(response, "This is before the “published from” date.")
    assertContains(response, 'value="2026-03-01"')
    assertContains(response, 'aria-invalid="true"')


def test_an_unreadable_date_is_explained_and_the_search_still_runs(client, culture):
    ArticleFactory(headline="Library reopens", section=culture)

    response = client.get("/search/", {"q": "library", "date_from": "next tuesday"})

    assertContains(response, "Enter a valid date.")
    assertContains(response, "<mark>Library</mark> reopens")


def test_the_last_day_of_the_calendar_is_explained_and_the_search_still_runs(client, culture):
    ArticleFactory(headline="Library reopens", section=culture)

    response = client.get("/search/", {"q": "library", "date_to": "9999-12-31"})

    assert response.status_code == 200
    assertContains(response, "Enter a date from 0001-01-01 to 9999-12-30.")
    assertContains(response, 'value="9999-12-31"')
    assertContains(response, "<mark>Library</mark> reopens")


def test_the_first_day_of_the_calendar_east_of_utc_is_explained_and_the_search_still_runs(
    client, culture, settings
):
    settings.TIME_ZONE = "Pacific/Auckland"
    ArticleFactory(headline="Library reopens", section=culture)

    response = client.get("/search/", {"q": "library", "date_from": "0001-01-01"})

    assert response.status_code == 200
    assertContains(response, "Enter a date from 0001-01-02 to 9999-12-30.")
    assertContains(response, 'value="0001-01-01"')
    assertContains(response, "<mark>Library</mark> reopens")


def test_an_empty_search_page_invites_a_query(client):
    response = client.get("/search/")

    assertContains(response, "Type a word or two to search")
    assertNotContains(response, "stories match")


def test_a_search_without_results_says_so(client):
    response = client.get("/search/", {"q": "zeppelin"})

    assertContains(
        response,
        '<p class="search-summary">No stories match <strong>zeppelin</strong>.</p>',
        html=True,
    )


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_the_search_page_answers_any_query(client, query):
    ArticleFactory(headline="Harbour plan approved")

    response = client.get("/search/", {"q": query, "section": "no-such-section"})

    assert response.status_code == 200
    assertContains(response, "<h1>Search</h1>", html=True)


def test_results_are_paginated_and_pages_keep_the_query(client, culture):
    ArticleFactory.create_batch(25, headline="Library news", section=culture)

    first = client.get("/search/", {"q": "library", "section": "culture"})
    second = client.get("/search/", {"q": "library", "section": "culture", "page": 2})

    assert len(first.context["page"].object_list) == 20
    assertContains(
        first,
        '<a rel="next" href="?q=library&amp;section=culture&amp;page=2">More results</a>',
        html=True,
    )
    assert len(second.context["page"].object_list) == 5
    assert client.get("/search/", {"q": "library", "page": 9}).status_code == 404


def test_deep_search_pages_stop_where_the_lists_do(client, culture, settings):
    settings.NEWSROOM_LIST_MAX_PAGES = 2
    ArticleFactory.create_batch(45, headline="Library news", section=culture)

    second = client.get("/search/", {"q": "library", "page": 2})

    assert second.context["page"].paginator.num_pages == 2
    assert len(second.context["page"].object_list) == 20
    assert client.get("/search/", {"q": "library", "page": 3}).status_code == 404
    assert client.get("/search/", {"q": "library", "page": "x"}).status_code == 404


def test_postgresql_counts_the_results_as_it_ranks_them(client, culture):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's FTS5 counts the results in a query of their own")
    ArticleFactory.create_batch(25, headline="Library news", section=culture)

    with CaptureQueriesContext(connection) as queries:
        response = client.get("/search/", {"q": "library", "page": 2})

    assert response.context["page"].paginator.count == 25
    assert not [q["sql"] for q in queries if q["sql"].startswith("SELECT COUNT(*)")]


def test_postgresql_ranks_and_counts_from_the_search_documents_alone(culture):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's FTS5 table holds only text: its ranking joins the stories")
    ArticleFactory.create_batch(3, headline="Library news", section=culture)
    results = search("library", section=culture, date_from=date(2000, 1, 1))

    with CaptureQueriesContext(connection) as queries:
        stories = results[0:20]

    ranking, loading = (query["sql"] for query in queries[:2])
    assert "articles_postgressearchdocument" in ranking
    # The archive's size does not weigh on ranking: the article table is read only for the
    # page's own stories, by their ids.
    assert "articles_article" not in ranking
    assert "articles_article" in loading
    assert results.total == 3
    assert len(stories) == 3


def fill(count, *, start=0):
    """`count` live stories matching "floods", each with three bylines, three tags and a photo."""
    world = SectionFactory(name="World", slug="world")
    authors = [AuthorFactory(slug=f"writer-{n}") for n in range(3)]
    tags = [TagFactory(name=f"Topic {n}") for n in range(3)]
    photo = Image.objects.first() or ImageFactory(size=(320, 240))
    for n in range(start, start + count):
        story = ArticleFactory(
            headline=f"Floods reach town {n}", section=world, lead_image=photo, authors=authors
        )
        story.tags.set(tags)


def test_the_search_page_runs_the_same_queries_for_few_and_many_results(client):
    fill(3)
    _response, few = count_queries(client, "/search/", q="floods", section="world")
    fill(20, start=3)
    response, many = count_queries(client, "/search/", q="floods", section="world")

    assert response.context["page"].paginator.count == 23
    assert few == many


def test_the_masthead_has_a_labelled_search_box(client):
    response = client.get("/")

    assertContains(
        response,
        '<label class="visually-hidden" for="masthead-q">Search stories</label>',
        html=True,
    )
    assertContains(response, 'action="/search/"')


# The admin's search ------------------------------------------------------------------------


def test_the_admin_finds_stories_of_any_status_by_their_text(editor_client):
    ArticleFactory(headline="Draft about the tunnel", draft=True, body="<p>Boring machine.</p>")
    ArticleFactory(headline="Live about the bridge", body="<p>Cables.</p>")

    response = editor_client.get("/admin/articles/article/", {"q": "machine"})

    assertContains(response, "Draft about the tunnel")
    assertNotContains(response, "Live about the bridge")


def test_the_admin_search_matches_a_word_still_being_typed(editor_client):
    ArticleFactory(headline="Tunnel boring resumes")

    assert matching(Article.objects.all(), "tunn").count() == 1
    response = editor_client.get("/admin/articles/article/", {"q": "tunn"})

    assertContains(response, "Tunnel boring resumes")


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_the_admin_answers_any_search(editor_client, query):
    ArticleFactory(headline="Harbour plan approved")

    response = editor_client.get("/admin/articles/article/", {"q": query})

    assert response.status_code == 200
