"""
Hostile text in every field of a story and what it is filed under (kicker, headline,
standfirst, dateline, body, byline override, search title and description, correction,
section, author, tag, photo): it never runs, on the reader pages, in the JSON-LD, feeds and
sitemaps, in search results with their highlights, or in the admin.
"""

import html
import json
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
import reversion
from defusedxml import ElementTree
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from articles.models import Byline, Redirect
from articles.typography import smarten
from comments.tests.markup import assert_no_active_markup
from newsroom.tests.hostile import XSS_PAYLOADS
from photos.tests.factories import ImageFactory

from .factories import ArticleFactory, AuthorFactory, CorrectionFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db

# A word searched for: it sits in each hostile headline, so the highlights are made inside it.
WORD = "harbour"


def payload_id(payload):
    return " ".join(payload.split())[:40]


def shown(text):
    """Text as the page escapes it."""
    return str(escape(text))


def hostile_story(payload, *, n=0, section=None, **changes):
    """A live story with `payload` in every field, filed under hostile names."""
    section = section or SectionFactory(name=payload[:80], slug=f"hostile-{n}", description=payload)
    author = AuthorFactory(name=payload[:120], slug=f"hostile-writer-{n}", bio=payload)
    tag = TagFactory(name=f"{payload[:54]} #{n}", slug=f"hostile-topic-{n}")
    photo = ImageFactory(
        size=(96, 64),
        title=payload[:200],
        alt_text=payload[:300],
        caption=payload,
        credit=payload[:200],
    )
    fields = {
        "section": section,
        "kicker": payload[:60],
        "headline": f"{payload[:190]} {WORD}",
        "slug": f"hostile-story-{n}",
        "standfirst": payload,
        "dateline": payload[:80],
        "body": f"<p>{escape(payload)} {WORD}</p>{payload}<p>{WORD} again</p>",
        "lead_image": photo,
        "lead_image_caption": payload,
        "seo_title": payload[:70],
        "seo_description": payload[:160],
        "authors": [author],
        "tags": [tag],
        "is_breaking": True,
        "breaking_until": timezone.now() + timedelta(hours=2),
    }
    story = ArticleFactory(**(fields | changes))
    CorrectionFactory(article=story, text=payload)
    return story


def json_ld_blocks(html):
    return re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.DOTALL)


# Reader pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=payload_id)
def test_hostile_story_page_runs_nothing(client, payload):
    story = hostile_story(payload)
    overridden = hostile_story(payload, n=1, section=story.section, byline_override=payload)

    for url in [story.get_absolute_url(), overridden.get_absolute_url()]:
        response = client.get(url)
        assert response.status_code == 200
        assert_no_active_markup(response.content.decode())


@pytest.fixture
def hostile_archive():
    """A live story for every payload, in two sections: at most 30 in each section's feed."""
    sections = [SectionFactory(name=f"Desk {n}", slug=f"desk-{n}") for n in range(2)]
    return [
        hostile_story(payload, n=n, section=sections[n % 2], is_breaking=n < 3)
        for n, payload in enumerate(XSS_PAYLOADS)
    ]


def test_hostile_stories_show_as_text_on_every_list_page(client, hostile_archive):
    pages = ["/", "/desk-0/", "/desk-0/?page=2", "/desk-1/", "/desk-1/?page=2"]
    pages += [f"{reverse('articles:search')}?q={WORD}&page={page}" for page in (1, 2, 3)]
    for story in hostile_archive:
        pages += [
            story.tags.get().get_absolute_url(),
            story.authors.get().get_absolute_url(),
        ]
    shown_somewhere = set()

    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert_no_active_markup(html)
        # Lists set headlines with curly quotes and dashes (articles/typography.py).
        shown_somewhere |= {s.pk for s in hostile_archive if shown(smarten(s.headline)) in html}
    assert shown_somewhere == {story.pk for story in hostile_archive}


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=payload_id)
def test_hostile_story_page_shows_each_field_as_the_text_typed(client, payload):
    story = hostile_story(payload, byline_override=payload[:200])

    html = client.get(story.get_absolute_url()).content.decode()

    # The headline is set with curly quotes and dashes (articles/typography.py), as text.
    assert shown(smarten(story.headline)) in html
    for text in [
        story.kicker,
        story.standfirst,
        story.dateline,
        story.byline_override,
        story.lead_image_caption,
        story.lead_image.credit,
        story.corrections.get().text.replace("\n", "<br>"),
        story.section.name,
        story.tags.get().name,
        story.seo_title,
    ]:
        assert shown(text) in html, text
    assert f'content="{shown(story.seo_description)}"' in html


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=payload_id)
def test_hostile_headline_leaves_one_valid_json_ld_block(client, payload):
    story = hostile_story(payload)

    html = client.get(story.get_absolute_url()).content.decode()

    [block] = json_ld_blocks(html)
    data = json.loads(block)
    assert data["headline"] == story.headline
    assert data["locationCreated"]["name"] == story.dateline
    assert data["correction"][0]["text"] == payload
    assert data["keywords"] == [story.tags.get().name]


def test_hostile_section_leaves_one_valid_json_ld_block_on_its_front(client):
    payload = '</script><script>alert("XSS")</script><!--'
    story = hostile_story(payload)

    html = client.get(story.section.get_absolute_url()).content.decode()

    [block] = json_ld_blocks(html)
    data = json.loads(block)
    assert data["name"] == story.section.name
    assert data["mainEntity"]["itemListElement"][0]["name"] == story.headline


class TextOf(HTMLParser):
    """The text inside each <mark> and each search result headline."""

    def __init__(self):
        super().__init__()
        self.in_mark = False
        self.marked = []

    def handle_starttag(self, tag, attrs):
        if tag == "mark":
            self.in_mark = True
            self.marked.append("")

    def handle_endtag(self, tag):
        if tag == "mark":
            self.in_mark = False

    def handle_data(self, data):
        if self.in_mark:
            self.marked[-1] += data


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=payload_id)
def test_search_highlights_only_the_words_searched_for_in_a_hostile_story(client, payload):
    hostile_story(payload)

    response = client.get(reverse("articles:search"), {"q": f"{WORD} alert script"})

    parser = TextOf()
    parser.feed(response.content.decode())
    assert_no_active_markup(response.content.decode())
    assert {marked.casefold() for marked in parser.marked} <= {WORD, "alert", "script"}


def test_searching_for_markup_shows_the_query_as_text(client):
    hostile_story("<b>bold</b>")
    query = '"><script>alert(1)</script> harbour'

    response = client.get(reverse("articles:search"), {"q": query})

    assert_no_active_markup(response.content.decode())
    assert shown(query) in response.content.decode()


def test_withdrawal_note_is_shown_as_text(client):
    payload = "<img src=x onerror=alert(1)>"
    story = hostile_story(payload, status="withdrawn", withdrawal_note=payload)

    response = client.get(story.get_absolute_url())

    assert response.status_code == 410
    assert_no_active_markup(response.content.decode())
    assert shown(payload) in response.content.decode()


# Feeds and sitemaps -----------------------------------------------------------------------


def parse_xml(response):
    assert response.status_code == 200
    return ElementTree.fromstring(response.content)


def test_feeds_of_hostile_stories_are_valid_xml_carrying_the_text(client, hostile_archive):
    headlines = {story.headline for story in hostile_archive}
    found = set()
    for section in ("desk-0", "desk-1"):
        rss = parse_xml(client.get(reverse("articles:section-feed", args=[section])))
        atom = parse_xml(client.get(reverse("articles:section-feed-atom", args=[section])))
        rss_titles = {item.findtext("title") for item in rss.iter("item")}
        atom_titles = {
            entry.findtext("{http://www.w3.org/2005/Atom}title")
            for entry in atom.iter("{http://www.w3.org/2005/Atom}entry")
        }
        assert rss_titles == atom_titles
        found |= rss_titles
    assert found == headlines
    # A description is HTML to a feed reader: the story's description in it is escaped, so it
    # reads as the text typed.
    latest = parse_xml(client.get(reverse("articles:feed")))
    for description in (item.findtext("description") for item in latest.iter("item")):
        assert_no_active_markup(description)
        assert any(payload.startswith(html.unescape(description)) for payload in XSS_PAYLOADS)


def test_sitemaps_of_hostile_stories_are_valid_xml(client, hostile_archive):
    index = parse_xml(client.get(reverse("articles:sitemap")))
    parts = [loc.text for loc in index.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert parts
    for part in parts:
        parse_xml(client.get(part.removeprefix("http://testserver")))
    news = parse_xml(client.get(reverse("articles:news-sitemap")))
    titles = {
        title.text for title in news.iter("{http://www.google.com/schemas/sitemap-news/0.9}title")
    }
    assert titles == {story.headline for story in hostile_archive}


# The admin --------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=payload_id)
def test_hostile_story_shows_as_text_on_its_admin_pages(editor_client, payload):
    story = hostile_story(payload, status="review", publish_at=None)
    story_page = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))
    photo_page = editor_client.get(reverse("admin:photos_image_change", args=[story.lead_image.pk]))

    for response in (story_page, photo_page):
        assert response.status_code == 200
        assert_no_active_markup(response.content.decode())
    # The headline is written in a box that wraps (a textarea): its text, escaped.
    assert f">\n{shown(story.headline)}</textarea>" in story_page.content.decode()
    assert f'value="{shown(story.lead_image.credit)}"' in photo_page.content.decode()


def test_hostile_stories_show_as_text_in_every_admin_list(editor_client, hostile_archive):
    for story in hostile_archive:
        Redirect.objects.create(old_path=f"/old/{story.standfirst}", article=story)
    lists = [
        "admin:articles_article_changelist",
        "admin:photos_image_changelist",
        "admin:articles_redirect_changelist",
        "admin:articles_section_changelist",
        "admin:articles_author_changelist",
        "admin:articles_tag_changelist",
    ]
    pages = [reverse("admin:index")]
    pages += [f"{reverse(name)}?{query}" for name in lists for query in ("p=1", "p=2")]
    pages.append(f"{reverse('admin:photos_image_picker')}?CKEditorFuncNum=1&p=1")
    pages.append(f"{reverse('admin:photos_image_picker')}?CKEditorFuncNum=1&p=2")
    pages.append(f"{reverse('admin:photos_image_picker')}?CKEditorFuncNum=1&q=alert")

    for url in pages:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert_no_active_markup(response.content.decode())


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=payload_id)
def test_hostile_edits_show_as_text_in_the_history_and_revision_diff(editor_client, payload):
    story = hostile_story(payload, status="draft", publish_at=None)
    with reversion.create_revision():
        story.save()
    story.headline = f"{payload[::-1][:190]} {WORD}"
    story.standfirst = payload[::-1]
    with reversion.create_revision():
        story.save()

    for url in [
        reverse("admin:articles_article_revisions", args=[story.pk]),
        reverse("admin:articles_article_history", args=[story.pk]),
    ]:
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert_no_active_markup(response.content.decode())


def test_hostile_byline_author_shows_as_text_in_the_byline_inline(editor_client):
    payload = '"><img src=x onerror=alert(1)>'
    story = hostile_story(payload, status="draft", publish_at=None)
    Byline.objects.create(article=story, author=AuthorFactory(name=payload, slug="second"))

    response = editor_client.get(reverse("admin:articles_article_change", args=[story.pk]))

    assert_no_active_markup(response.content.decode())
