"""
Properties of the pure parts of stories that take text from outside (the body sanitiser,
readers' search queries), checked on generated input: hostile HTML from a grammar, any text a
reader can type. The importers' own are in importers/tests/test_properties.py.
"""

import re
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from articles import body_shapes, embeds
from articles.models import Article, Section
from articles.sanitise import (
    BODY_ATTRIBUTES,
    BODY_CLASSES,
    BODY_TAGS,
    URL_SCHEMES,
    _body_cleaner,
    own_image_address,
    sanitise_body,
    text_of_body,
)
from articles.search import (
    MATCH_END,
    MATCH_START,
    MAX_QUERY_LENGTH,
    MAX_TERMS,
    clean_query,
    highlight,
    mark_matches,
    matching,
    parse,
    search,
)
from newsroom.tests import parsed
from newsroom.tests.strategies import body_html, hostile_html, queries

from .factories import ArticleFactory, SectionFactory

# The body sanitiser ---------------------------------------------------------------------

# Attributes the sanitiser adds beyond BODY_ATTRIBUTES: links' rel, figures' classes.
ADDED_ATTRIBUTES = {
    "a": {"rel"},
    "figure": {"class"},
    "figcaption": {"class"},
    "aside": {"class"},
    "div": {"class"},
}


def outside_the_allowlist(body):
    """
    What in `body`, parsed as a browser parses it, the allowlist does not allow: elements,
    comments, attributes (every on* handler among them), links to another scheme than the
    allowed ones (as the browser reads it: spaces and controls dropped, entities decoded,
    any case), images from anywhere but the library. [] when there is nothing.
    """
    found = []
    for node in parsed.elements(parsed.fragment(body)):
        if parsed.is_comment(node):
            found.append(f"<!--{node.text}-->")
            continue
        if node.tag not in BODY_TAGS:
            found.append(f"<{node.tag}>")
            continue
        allowed = BODY_ATTRIBUTES.get(node.tag, set()) | ADDED_ATTRIBUTES.get(node.tag, set())
        for name, value in node.attrib.items():
            if name.lower().startswith("on") or name not in allowed:
                found.append(f"<{node.tag} {name}={value!r}>")
            elif name == "href" and parsed.url_scheme(value) not in {"", *URL_SCHEMES}:
                found.append(f"<{node.tag} href={value!r}>")
            elif name == "src" and not own_image_address().match(value):
                found.append(f"<{node.tag} src={value!r}>")
            elif name == "class" and not set(value.split()) <= BODY_CLASSES[node.tag]:
                found.append(f"<{node.tag} class={value!r}>")
    return found


@given(hostile_html() | body_html())
@example('<p title="x" lang="en" dir="rtl">text</p>')
def test_no_generated_html_keeps_anything_outside_the_allowlist(html):
    assert outside_the_allowlist(sanitise_body(html)) == []


@given(hostile_html() | body_html())
@example("<h2><p></p></h2>")
@example("<figure><figure></figure></figure>")
@example("<h2><figure><h2>word</h2></figure></h2>")
@example('<p><marquee><figure class="figure"><img src="/media/images/a.jpg" alt="x"></figure></p>')
def test_sanitising_a_sanitised_body_changes_nothing(html):
    once = sanitise_body(html)

    assert sanitise_body(once) == once


@given(hostile_html() | body_html())
def test_the_text_of_a_body_is_the_text_a_browser_shows(html):
    body = sanitise_body(html)
    shown = parsed.text(parsed.fragment(body))
    # Spaces aside: the text adds one between blocks ("<p>one</p><p>two</p>" reads "one two").
    assert "".join(text_of_body(body).split()) == "".join(shown.split())


@given(
    st.lists(
        st.tuples(
            st.sampled_from(sorted(BODY_TAGS - {"br", "hr", "img"})),
            st.text(alphabet=st.characters(codec="utf-8", exclude_characters="<&"), max_size=20),
        ),
        max_size=6,
    )
)
def test_the_text_of_a_body_has_no_angle_bracket_from_its_markup(parts):
    body = sanitise_body("".join(f"<{tag}>{words}</{tag}>" for tag, words in parts))

    assert "<" not in text_of_body(body)


@given(hostile_html() | body_html())
@example('<img src="/media/images/a.jpg" alt="&quot;<script>&nbsp;&amp;">')
def test_the_shapes_read_and_write_the_allowlists_html_as_it_is(html):
    allowed = _body_cleaner.clean(html)

    tree = body_shapes.parse(allowed)

    assert "".join(body_shapes.serialise(node) for node in tree.children) == allowed


@given(hostile_html() | body_html())
@example('<figure class="embed" data-embed="https://www.youtube.com/watch?v=dQw4w9WgXcQ"></figure>')
def test_every_embed_kept_is_one_a_provider_answers_to_and_links_to_itself(html):
    for node in parsed.elements(parsed.fragment(sanitise_body(html))):
        if parsed.is_comment(node):
            continue
        address = node.attrib.get("data-embed")
        if node.tag != "figure" or address is None:
            continue
        assert node.attrib.get("class") == "embed"
        assert embeds.match(address) is not None
        links = [child for child in node if child.tag == "a"]
        assert [link.attrib.get("href") for link in links] == [address]


# Readers' search queries -----------------------------------------------------------------

UNPRINTABLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ue000\ue001]")


@given(queries())
def test_a_query_is_cleaned_to_one_line_of_printable_text_within_the_limit(text):
    cleaned = clean_query(text)

    assert len(cleaned) <= MAX_QUERY_LENGTH
    assert not UNPRINTABLE.search(cleaned)
    assert cleaned == " ".join(cleaned.split())


@given(queries())
@example("harbour " * 30)
def test_cleaning_a_cleaned_query_changes_nothing(text):
    assert clean_query(clean_query(text)) == clean_query(text)


@given(queries(), st.booleans())
def test_any_query_parses_into_at_most_max_terms_taken_from_the_query(text, prefix):
    query = parse(text, prefix=prefix)
    terms = [term for alternative in query.alternatives for term in alternative]

    assert len(terms) <= MAX_TERMS
    for alternative in query.alternatives:
        assert any(not term.excluded for term in alternative)
    for term in terms:
        assert re.search(r"\w", term.text)
        assert term.text in clean_query(text)
        assert '"' not in term.text
        assert not UNPRINTABLE.search(term.text)
    if query:
        assert [t for t in terms if t.prefix] in ([], [query.alternatives[-1][-1]])


@given(queries())
def test_a_query_means_what_its_cleaned_text_means(text):
    assert parse(clean_query(text)) == parse(text)


# Text as the database returns it: anything a story may hold, without the two markers.
STORED_TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8",
        exclude_categories=["Cs"],
        exclude_characters=f"\x00\r{MATCH_START}{MATCH_END}",
    )
)


@given(STORED_TEXT, st.lists(st.tuples(STORED_TEXT, STORED_TEXT), max_size=3))
def test_each_match_is_marked_and_everything_else_shows_as_text(before, matches):
    marked = before + "".join(f"{MATCH_START}{word}{MATCH_END}{after}" for word, after in matches)

    tree = parsed.fragment(mark_matches(marked))

    marks = parsed.elements(tree)
    assert [(node.tag, node.attrib) for node in marks] == [("mark", {})] * len(matches)
    assert [parsed.text(node) for node in marks] == [word for word, _after in matches]
    assert parsed.text(tree) == before + "".join(word + after for word, after in matches)


@given(queries())
def test_stray_markers_never_make_markup(text):
    tree = parsed.fragment(mark_matches(text))

    assert {node.tag for node in parsed.elements(tree)} <= {"mark"}
    assert all(not node.attrib for node in parsed.elements(tree))
    assert MATCH_START not in parsed.text(tree)
    assert MATCH_END not in parsed.text(tree)


@pytest.fixture
def stories(db):
    """A few stories, live and not, for searches to run against."""
    world = SectionFactory(name="World", slug="world")
    ArticleFactory(headline="Harbour plan approved", section=world)
    ArticleFactory(headline="Votes counted in the harbour ward", body="<p>ハーバー 投票</p>")
    ArticleFactory(headline="Harbour draft", draft=True)
    ArticleFactory(headline="Harbour scheduled", scheduled=True)
    return set(Article.objects.live().values_list("pk", flat=True))


def only_marks(html):
    return {node.tag for node in parsed.elements(parsed.fragment(html))} <= {"mark"}


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=queries(),
    date_from=st.none() | st.dates(),
    # The last day of the calendar is left to its own test: it cannot be searched up to yet.
    date_to=st.none() | st.dates(max_value=date.max - timedelta(days=1)),
    in_section=st.booleans(),
)
def test_every_query_a_reader_can_type_runs_on_the_database(
    stories, text, date_from, date_to, in_section
):
    section = Section.objects.get(slug="world") if in_section else None

    found = list(search(text, section=section, date_from=date_from, date_to=date_to))

    assert {story.pk for story in found} <= stories
    for story in highlight(found, text):
        assert only_marks(story.highlighted_headline)
        assert only_marks(story.snippet)


def test_a_search_between_the_first_and_last_days_of_the_calendar_sets_no_bound(stories):
    everything = list(search("harbour"))

    assert everything != []
    assert list(search("harbour", date_to=date.max)) == everything
    assert list(search("harbour", date_from=date.min, date_to=date.max)) == everything


def test_a_search_from_the_first_day_of_the_calendar_east_of_utc_sets_no_bound(stories, settings):
    settings.TIME_ZONE = "Pacific/Auckland"

    assert list(search("harbour", date_from=date.min)) == list(search("harbour"))


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=queries())
def test_every_search_of_the_admin_runs_on_the_database(stories, text):
    assert matching(Article.objects.all(), text).count() <= Article.objects.count()
