"""
What story, home and section pages tell search engines and link previews, read back the way
they read it: the page parsed as HTML, each JSON-LD block loaded as JSON.
"""

import json
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone
from PIL import Image as PillowImage

from articles.models import Byline, Correction
from articles.previews import preview_url
from articles.structured_data import json_ld_script
from photos.tests.factories import ImageFactory

from .factories import ArticleFactory, AuthorFactory, CorrectionFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


class Head(HTMLParser):
    """The JSON-LD blocks, meta tags and links of a page, as a browser's parser finds them."""

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.json_ld, self.meta, self.links, self.scripts = [], {}, {}, []
        self._in_json_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs)
            self._in_json_ld = attrs.get("type") == "application/ld+json"
            if self._in_json_ld:
                self.json_ld.append("")
        elif tag == "meta" and "content" in attrs:
            key = attrs.get("property") or attrs.get("name")
            self.meta.setdefault(key, []).append(attrs["content"])
        elif tag == "link":
            self.links.setdefault(attrs.get("rel"), []).append(attrs.get("href"))

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_json_ld = False

    def handle_data(self, data):
        if self._in_json_ld:
            self.json_ld[-1] += data

    def data(self):
        return [json.loads(block) for block in self.json_ld]


def head_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return Head(response.content.decode())


@pytest.fixture
def story(db):
    world = SectionFactory(name="World", slug="world")
    story = ArticleFactory(
        headline="Floods close the coast road",
        standfirst="Rain batters the north.",
        section=world,
        dateline="Lisbon",
        body="<p>One two three four five.</p>",
        lead_image=ImageFactory(size=(1600, 1000), alt_text="A flooded road", credit="Ana Ruiz"),
        lead_image_caption="The N109 under water.",
        tags=[TagFactory(name="Weather"), TagFactory(name="Transport")],
    )
    story.bylines.create(author=AuthorFactory(name="Ana Ruiz", slug="ana-ruiz"), position=0)
    story.bylines.create(
        author=AuthorFactory(name="Rui Costa", slug="rui-costa"),
        position=1,
        role=Byline.Role.PHOTOGRAPHER,
    )
    return story


def iso(moment):
    return timezone.localtime(moment).isoformat(timespec="seconds")


def test_a_story_page_describes_itself_as_a_news_article(client, story):
    correction = CorrectionFactory(
        article=story,
        text="An earlier version misnamed the road.",
        published_at=story.publish_at + timedelta(hours=2),
    )
    CorrectionFactory(article=story, kind=Correction.Kind.UPDATE, text="Road reopened.")
    url = f"http://testserver{story.get_absolute_url()}"

    [data] = head_of(client, story.get_absolute_url()).data()

    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == "Floods close the coast road"
    assert data["description"] == "Rain batters the north."
    assert data["url"] == url
    assert data["mainEntityOfPage"] == {"@type": "WebPage", "@id": url}
    assert data["datePublished"] == iso(story.first_published_at)
    assert data["dateModified"] == iso(correction.published_at)
    assert data["author"] == [
        {"@type": "Person", "name": "Ana Ruiz", "url": "http://testserver/author/ana-ruiz/"}
    ]
    assert data["contributor"] == [
        {"@type": "Person", "name": "Rui Costa", "url": "http://testserver/author/rui-costa/"}
    ]
    assert data["articleSection"] == "World"
    assert data["keywords"] == ["Transport", "Weather"]
    assert data["locationCreated"] == {"@type": "Place", "name": "Lisbon"}
    assert data["wordCount"] == 5
    assert data["correction"] == [
        {
            "@type": "CorrectionComment",
            "text": "An earlier version misnamed the road.",
            "datePublished": iso(correction.published_at),
        }
    ]


def test_the_publisher_is_a_news_organisation_with_its_logo(client, story):
    [data] = head_of(client, story.get_absolute_url()).data()

    assert data["publisher"] == {
        "@type": "NewsMediaOrganization",
        "name": "The Newsroom",
        "url": "http://testserver/",
        "logo": {
            "@type": "ImageObject",
            "url": "http://testserver/static/img/publisher-logo.png",
            "width": 600,
            "height": 60,
        },
    }
    with PillowImage.open(finders.find("img/publisher-logo.png")) as logo:
        assert (logo.format, logo.size) == ("PNG", (600, 60))


def test_the_lead_photo_is_the_articles_image_at_an_absolute_address(client, story):
    [data] = head_of(client, story.get_absolute_url()).data()

    [image] = data["image"]
    assert image["url"].startswith("http://testserver/images/")
    assert (image["width"], image["height"]) == (1280, 853)
    assert image["caption"] == "The N109 under water."
    assert image["creditText"] == "Ana Ruiz"


def test_a_byline_override_is_the_articles_author(client):
    story = ArticleFactory(byline_override="Staff and agencies")

    [data] = head_of(client, story.get_absolute_url()).data()

    assert data["author"] == [{"@type": "Organization", "name": "Staff and agencies"}]
    assert "image" not in data
    assert "locationCreated" not in data


def test_a_story_page_has_open_graph_and_twitter_cards(client, story):
    head = head_of(client, story.get_absolute_url())
    url = f"http://testserver{story.get_absolute_url()}"

    assert head.links["canonical"] == [url]
    assert head.meta["og:type"] == ["article"]
    assert head.meta["og:title"] == ["Floods close the coast road"]
    assert head.meta["og:description"] == ["Rain batters the north."]
    assert head.meta["og:url"] == [url]
    assert head.meta["og:site_name"] == ["The Newsroom"]
    assert head.meta["og:image"][0].startswith("http://testserver/images/")
    assert head.meta["og:image:alt"] == ["A flooded road"]
    assert head.meta["article:section"] == ["World"]
    assert head.meta["article:tag"] == ["Transport", "Weather"]
    assert head.meta["twitter:card"] == ["summary_large_image"]
    assert head.meta["twitter:image"] == head.meta["og:image"]


def test_a_story_without_a_photo_shares_a_summary_card_with_the_logo(client):
    story = ArticleFactory()

    head = head_of(client, story.get_absolute_url())

    assert head.meta["twitter:card"] == ["summary"]
    assert head.meta["og:image"] == ["http://testserver/static/img/publisher-logo.png"]


HOSTILE = '</script><script>alert(1)</script><!-- & "quotes" \u2028'


def test_a_hostile_headline_cannot_break_out_of_the_json_ld(client):
    story = ArticleFactory(
        headline=f"Breaking {HOSTILE}", standfirst=HOSTILE, dateline="</SCRIPT >x"
    )

    head = head_of(client, story.get_absolute_url())

    # The one inline script element is the JSON-LD; any other is a file of our own.
    inline = [script for script in head.scripts if "src" not in script]
    assert [script.get("type") for script in inline] == ["application/ld+json"]
    assert all(s["src"].startswith("/static/") for s in head.scripts if "src" in s)
    [data] = head.data()
    assert data["headline"] == f"Breaking {HOSTILE}"
    assert data["description"] == HOSTILE
    assert data["locationCreated"]["name"] == "</SCRIPT >x"
    assert head.meta["og:title"] == [f"Breaking {HOSTILE}"]


def test_json_ld_escapes_everything_that_could_end_the_script_element():
    script = json_ld_script({"text": "</script><!--<script>&"})

    assert "</script><" not in script[: -len("</script>")]
    assert "<!--" not in script
    assert json.loads(script[len('<script type="application/ld+json">') : -9]) == {
        "text": "</script><!--<script>&"
    }


def test_a_preview_is_not_indexed_and_points_nowhere(editor_client):
    story = ArticleFactory(headline="Embargoed report", scheduled=True)

    response = editor_client.get(preview_url(story))
    head = Head(response.content.decode())

    assert head.meta["robots"] == ["noindex"]
    assert "canonical" not in head.links
    assert head.json_ld == []
    assert "og:url" not in head.meta


def test_a_preview_of_a_live_story_is_not_indexed_either(editor_client):
    story = ArticleFactory(headline="Live report")

    head = Head(editor_client.get(preview_url(story)).content.decode())

    assert head.meta["robots"] == ["noindex"]
    assert "canonical" not in head.links


def test_the_home_page_describes_the_website_and_its_search(client):
    ArticleFactory()

    head = head_of(client, "/")
    [data] = head.data()

    assert data["@type"] == "WebSite"
    assert data["url"] == "http://testserver/"
    assert data["name"] == "The Newsroom"
    assert data["publisher"]["@type"] == "NewsMediaOrganization"
    assert data["potentialAction"] == {
        "@type": "SearchAction",
        "target": {
            "@type": "EntryPoint",
            "urlTemplate": "http://testserver/search/?q={search_term_string}",
        },
        "query-input": "required name=search_term_string",
    }
    assert head.links["canonical"] == ["http://testserver/"]
    assert head.meta["og:type"] == ["website"]


def test_a_section_page_lists_its_stories_as_a_collection(client):
    world = SectionFactory(name="World", slug="world", description="News from abroad.")
    now = timezone.now()
    newer = ArticleFactory(section=world, headline="Newer", publish_at=now - timedelta(hours=1))
    older = ArticleFactory(section=world, headline="Older", publish_at=now - timedelta(hours=2))

    head = head_of(client, "/world/")
    [data] = head.data()

    assert data["@type"] == "CollectionPage"
    assert data["name"] == "World"
    assert data["description"] == "News from abroad."
    assert data["url"] == "http://testserver/world/"
    assert data["mainEntity"]["@type"] == "ItemList"
    assert data["mainEntity"]["itemListElement"] == [
        {
            "@type": "ListItem",
            "position": 1,
            "url": f"http://testserver{newer.get_absolute_url()}",
            "name": "Newer",
        },
        {
            "@type": "ListItem",
            "position": 2,
            "url": f"http://testserver{older.get_absolute_url()}",
            "name": "Older",
        },
    ]
    assert head.links["canonical"] == ["http://testserver/world/"]
