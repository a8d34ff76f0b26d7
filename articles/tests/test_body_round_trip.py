"""
Each element of the body's vocabulary, filed through the admin form, as readers get it: on
the story page, in the feeds, in search and in the story's structured data.
"""

import json
import re

import feedparser
import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from articles.search import search
from newsroom.site import absolute_url

from .factories import SectionFactory
from .test_admin import story_form
from .test_body_vocabulary import VOCABULARY, YOUTUBE

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")


@pytest.fixture
def filed(editor_client):
    """A story holding every element, filed and published by an editor in the admin."""
    section = SectionFactory(name="Politics", slug="politics")
    body = "<p>The count ended at dawn.</p>" + "".join(VOCABULARY.values())
    response = editor_client.post(ADD_URL, story_form(section, body=body, _transition="publish"))
    assert response.status_code == 302, response.content
    return Article.objects.get()


def test_every_element_is_stored_as_written(filed):
    for element, html in VOCABULARY.items():
        assert html in filed.body, element


def test_the_story_page_shows_every_element(client, filed):
    response = client.get(filed.get_absolute_url())
    page = response.content.decode()
    assert '<figure class="table" tabindex="0"><table><caption>Results in the north ward' in page
    assert '<pre tabindex="0"><code>if turnout &lt; 50:' in page
    for html in (
        VOCABULARY["quote"],
        VOCABULARY["pull quote"],
        VOCABULARY["note"],
        VOCABULARY["lists"],
    ):
        assertContains(response, html, html=True)
    assert "<hr>" in page


def test_an_embed_is_a_placeholder_that_loads_nothing_from_the_provider(client, filed):
    response = client.get(filed.get_absolute_url())
    page = response.content.decode()
    assertContains(
        response,
        '<p class="embed-title"><a href="https://www.youtube.com/watch?v=dQw4w9WgXcQ">'
        "The declaration</a></p>",
        html=True,
    )
    assertContains(response, '<p class="embed-provider">YouTube</p>', html=True)
    assert 'data-embed-frame="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page
    assert "<iframe" not in page
    assert not re.search(r'\bsrc="https?://(?!testserver)', page)
    assertContains(response, '<script src="/static/js/embeds.js" defer></script>', html=True)


def test_a_story_without_embeds_loads_no_embed_script(client, editor_client):
    section = SectionFactory()
    editor_client.post(
        ADD_URL, story_form(section, body=VOCABULARY["table"], _transition="publish")
    )
    assertNotContains(client.get(Article.objects.get().get_absolute_url()), "embeds.js")


@pytest.mark.parametrize("url", ["/feeds/latest/", "/feeds/latest/atom/"])
def test_feeds_carry_every_element_with_the_embed_as_a_link(client, filed, url):
    feed = feedparser.parse(client.get(url).content)
    content = feed.entries[0].content[0].value
    assert "<caption>Results in the north ward</caption>" in content
    assert "<code>if turnout &lt; 50:" in content
    assert "<figcaption>The returning officer</figcaption>" in content
    assert "Every ballot was counted twice." in content
    assert "figures are provisional" in content
    assert f'<p><a href="{YOUTUBE}" rel="noopener noreferrer">The declaration</a></p>' in content
    assert f'src="{absolute_url("/media/images/a.jpg")}"' in content
    assert "data-embed" not in content
    assert "<iframe" not in content


def test_search_finds_table_quote_and_note_text_but_not_embed_addresses(filed):
    assert list(search("Ana Ruiz")) == [filed]
    assert list(search("returning officer")) == [filed]
    assert list(search("provisional")) == [filed]
    assert list(search("dQw4w9WgXcQ")) == []
    assert "youtube" not in filed.body_text.lower()


def test_structured_data_carries_the_body_as_plain_text(client, filed):
    page = client.get(filed.get_absolute_url()).content.decode()
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    article = next(item for item in data.get("@graph", [data]) if item["@type"] == "NewsArticle")
    assert "Ana Ruiz 4,312" in article["articleBody"]
    assert "The returning officer" in article["articleBody"]
    assert "<figure" not in article["articleBody"]
    assert "youtube.com" not in article["articleBody"]


@pytest.mark.parametrize(
    "address",
    [
        "javascript:alert(1)",
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "http://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://example.org/some/page",
    ],
)
def test_an_address_that_cannot_be_embedded_is_a_form_error_keeping_the_text(
    editor_client, address
):
    section = SectionFactory()
    body = (
        "<p>Words the journalist typed.</p>"
        f'<figure class="embed" data-embed="{address}"><a href="{address}">Clip</a></figure>'
    )
    response = editor_client.post(ADD_URL, story_form(section, body=body))
    assert response.status_code == 200
    assertContains(response, "This address cannot be embedded")
    assertContains(response, "YouTube, Vimeo")
    assertContains(response, "Words the journalist typed.")
    assert not Article.objects.exists()


def test_a_provider_address_pasted_with_http_is_saved_with_https(editor_client):
    pasted = YOUTUBE.replace("https://", "http://")
    body = f'<figure class="embed" data-embed="{pasted}"><a href="{pasted}">The count</a></figure>'
    response = editor_client.post(ADD_URL, story_form(SectionFactory(), body=body))
    assert response.status_code == 302, response.content
    assert Article.objects.get().body == (
        f'<figure class="embed" data-embed="{YOUTUBE}">'
        f'<a href="{YOUTUBE}" rel="noopener noreferrer">The count</a></figure>'
    )


def test_our_own_audio_is_played_by_the_readers_browser_after_the_click(
    client, editor_client, settings
):
    settings.NEWSROOM_SITE_URL = "https://news.example.org"
    audio = "https://news.example.org/media/audio/2026/count.mp3"
    section = SectionFactory()
    body = f'<figure class="embed" data-embed="{audio}"><a href="{audio}">The count</a></figure>'
    response = editor_client.post(ADD_URL, story_form(section, body=body, _transition="publish"))
    assert response.status_code == 302

    page = client.get(Article.objects.get().get_absolute_url())

    assertContains(page, '<p class="embed-provider">Audio</p>', html=True)
    assertContains(page, f'data-embed-frame="{audio}"')
    assertContains(page, 'data-embed-kind="audio"')
    assertNotContains(page, "<audio")
    assertNotContains(page, "embed-notice")


@pytest.mark.parametrize(
    "body",
    [
        '<figure class="table"><table><tbody><tr><td>1</td></tr></tbody></table></figure>',
        "<pre><code>x</code></pre>",
    ],
)
def test_boxes_that_scroll_sideways_can_be_scrolled_from_the_keyboard(client, editor_client, body):
    editor_client.post(ADD_URL, story_form(SectionFactory(), body=body, _transition="publish"))
    page = client.get(Article.objects.get().get_absolute_url()).content.decode()
    assert body.replace(">", ' tabindex="0">', 1) in page
