"""Smart typography in headlines: examples, then properties on any text, HTML included."""

import re

import pytest
from django.template import Context, Template
from django.utils.safestring import mark_safe
from hypothesis import given, seed, settings
from hypothesis import strategies as st

from articles.typography import smarten

from .factories import ArticleFactory, TagFactory


@pytest.mark.parametrize(
    ("typed", "typeset"),
    [
        ('Minister says "no deal" on rents', "Minister says “no deal” on rents"),
        ("Okafor's late header", "Okafor’s late header"),
        ("A 'quiet' revolt", "A ‘quiet’ revolt"),
        ("Back to the '90s", "Back to the ’90s"),
        ("Renters' bill", "Renters’ bill"),
        ("Stocks fall -- and fall again", "Stocks fall – and fall again"),
        ("2010--2012", "2010–2012"),
        ("Wait --- what?", "Wait — what?"),
        ("And then...", "And then…"),
        ('("Quoted")', "(“Quoted”)"),
        ("Already “curly” and ’90s – fine…", "Already “curly” and ’90s – fine…"),
    ],
)
def test_typewriter_punctuation_becomes_a_typesetters(typed, typeset):
    assert smarten(typed) == typeset


def test_quotes_inside_tags_and_entities_are_left_alone():
    html = '<mark class="a">"Fair"</mark> &quot;x&quot; &#39;y&#39; AT&T\'s <a title="it\'s">'

    assert smarten(html) == (
        '<mark class="a">“Fair”</mark> &quot;x&quot; &#39;y&#39; AT&T’s <a title="it\'s">'
    )


def test_a_quote_at_the_start_of_a_paragraph_opens():
    assert smarten('<p>It ended.</p><p>"We are here"</p>') == (
        "<p>It ended.</p><p>“We are here”</p>"
    )


def test_a_quote_after_inline_markup_closes():
    assert smarten('He said "<em>no</em>"') == "He said “<em>no</em>”"


def test_the_filter_escapes_plain_text_and_keeps_safe_html_safe():
    template = Template(
        "{% load typography %}{{ plain|smart_typography }} {{ safe|smart_typography }}"
    )

    rendered = template.render(
        Context({"plain": 'Tom & "Jerry" <b>', "safe": mark_safe('<mark>"Votes"</mark>')})
    )

    assert rendered == "Tom &amp; “Jerry” &lt;b&gt; <mark>“Votes”</mark>"


# Text with the characters that matter, markup and entities among ordinary words.
pieces = st.one_of(
    st.sampled_from(["'", '"', "-", "--", "---", ".", "...", " ", "(", "<p>", "</p>", "<br>"]),
    st.sampled_from(['<a href="x">', "</a>", '<img alt="it\'s">', "&amp;", "&#39;", "&quot;"]),
    st.sampled_from(["<", ">", "&", ";", "’", "“", "—", "…"]),
    st.text(max_size=8),
)
texts = st.lists(pieces, max_size=30).map("".join)

MARKUP = re.compile(r"<[^<>]*>|&(?:#[0-9]+|#[xX][0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
TYPOGRAPHY = re.compile(r"[-'\"‘’“”–—.…]")


@seed(20261202)
@settings(max_examples=300, deadline=None)
@given(texts)
def test_smartening_twice_changes_nothing_more(text):
    once = smarten(text)

    assert smarten(once) == once


@seed(20261202)
@settings(max_examples=300, deadline=None)
@given(texts)
def test_smartening_keeps_markup_and_every_other_character(text):
    typeset = smarten(text)

    assert MARKUP.findall(typeset) == MARKUP.findall(text)
    assert TYPOGRAPHY.sub("", typeset) == TYPOGRAPHY.sub("", text)
    assert "'" not in MARKUP.sub("", typeset)
    assert '"' not in MARKUP.sub("", typeset)


@seed(20261202)
@settings(max_examples=300, deadline=None)
@given(st.text(max_size=200))
def test_smartening_never_raises_and_leaves_plain_words_alone(text):
    typeset = smarten(text)

    if not TYPOGRAPHY.search(text):
        assert typeset == text


@pytest.mark.django_db
def test_readers_see_typeset_headlines_on_the_story_its_section_and_its_topic(client):
    story = ArticleFactory(headline='Minister says "no" -- again', tags=[TagFactory(name="Rents")])

    for path in [story.get_absolute_url(), story.section.get_absolute_url(), "/tag/rents/"]:
        content = client.get(path).content.decode()
        assert "Minister says “no” – again" in content, path
