"""
What readers, and people signing in, can reach: a story that is not live shows on no reader
surface (its address, lists, search, feeds, sitemaps, structured data, an old address
leading to it); a preview link that is tampered with, expired, or in the wrong hands shows
nothing; and signing in never leads off the site, whatever `next` says.
"""

import html
import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Redirect
from articles.previews import PREVIEW_SALT, preview_token
from newsroom.tests.factories import PASSWORD, UserFactory

from .factories import HIDDEN_STATES, ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return SectionFactory(name="World", slug="world")


@pytest.fixture(params=HIDDEN_STATES)
def hidden(request, world):
    """A story readers may not see, with its own topic and writer, beside a live one."""
    tag, author = TagFactory(name="Secret topic"), AuthorFactory(slug="secret-writer")
    story = ArticleFactory(
        section=world,
        headline="Secret merger talks",
        slug="secret-merger-talks",
        tags=[tag],
        authors=[author],
        is_breaking=True,
        breaking_until=timezone.now() + timedelta(hours=1),
        **HIDDEN_STATES[request.param],
    )
    if story.publish_at is None:
        # Its address, had it been published: an old address can point at it all the same.
        story.publish_at = timezone.now()
    Redirect.objects.create(old_path="/2020/01/01/secret/", article=story)
    return story


@pytest.fixture
def live(world):
    tag = TagFactory(name="Harbours")
    author = AuthorFactory(slug="ana-ruiz")
    return ArticleFactory(
        section=world, headline="Harbour plan approved", tags=[tag], authors=[author]
    )


READER_SURFACES = [
    "/",
    "/world/",
    "/search/?q=secret+merger",
    "/search/?q=merger",
    "/feeds/latest/",
    "/feeds/latest/atom/",
    "/feeds/world/",
    "/feeds/world/atom/",
    "/sitemap.xml",
    "/sitemap-stories.xml",
    "/sitemap-topics.xml",
    "/sitemap-authors.xml",
    "/sitemap-sections.xml",
    "/sitemap-news.xml",
]


@pytest.mark.parametrize("url", READER_SURFACES)
def test_a_story_that_is_not_live_is_on_no_reader_surface(client, hidden, live, url):
    response = client.get(url)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Secret merger talks" not in content
    assert "secret-merger-talks" not in content
    assert "secret-topic" not in content
    assert "secret-writer" not in content


def test_a_story_that_is_not_live_is_not_among_a_live_storys_related_stories(client, hidden, live):
    content = client.get(live.get_absolute_url()).content.decode()

    assert "Secret merger talks" not in content
    assert "secret-merger-talks" not in content


def test_the_address_of_a_story_that_is_not_live_shows_nothing_of_it(client, hidden):
    response = client.get(hidden.get_absolute_url())

    assert response.status_code == (410 if hidden.is_withdrawn else 404)
    assert "Secret merger talks" not in response.content.decode()


def test_an_old_address_of_a_story_that_is_not_live_does_not_lead_to_it(client, hidden):
    response = client.get("/2020/01/01/secret/")

    assert response.status_code in (404, 410)
    assert "secret-merger-talks" not in response.get("Location", "")


def test_the_topic_and_writer_pages_of_a_story_that_is_not_live_show_nothing(client, hidden):
    tag_page = client.get(reverse("articles:tag", args=["secret-topic"]))
    author_page = client.get(reverse("articles:author", args=["secret-writer"]))

    assert tag_page.status_code == 404
    assert "Secret merger talks" not in author_page.content.decode()


def test_a_comment_cannot_be_posted_to_a_story_that_is_not_live(client, hidden):
    response = client.post(reverse("comments:post", args=[hidden.pk]), {"body": "Hello"})

    assert response.status_code == 404


# Preview links in the wrong hands -----------------------------------------------------------


@pytest.fixture
def draft(journalist):
    return ArticleFactory(draft=True, created_by=journalist, headline="Unpublished scoop")


def preview_answer(client, token):
    response = client.get(reverse("articles:preview", args=[token]))
    if response.status_code != 200:
        assert "Unpublished scoop" not in response.content.decode()
    return response.status_code


def test_a_preview_link_works_for_the_editor(editor_client, draft):
    assert preview_answer(editor_client, preview_token(draft)) == 200


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"), id="signature"),
        pytest.param(lambda token: token[:-10], id="truncated"),
        pytest.param(lambda token: "x" + token, id="payload"),
        pytest.param(lambda token: token.split(":")[0], id="unsigned"),
        pytest.param(lambda token: token.upper(), id="case"),
        pytest.param(lambda token: token.replace(":", "%3A"), id="escaped"),
    ],
)
def test_a_tampered_preview_link_is_not_found(editor_client, draft, tamper):
    assert preview_answer(editor_client, tamper(preview_token(draft))) == 404


def test_a_preview_link_signed_with_another_key_is_not_found(editor_client, draft):
    forged = signing.dumps({"article": draft.pk}, key="not-the-sites-key", salt=PREVIEW_SALT)

    assert preview_answer(editor_client, forged) == 404


@pytest.mark.parametrize("payload", [{"article": "1"}, {"article": [1]}, [1], "1", {"pk": 1}])
def test_a_preview_link_naming_a_story_oddly_is_not_found(editor_client, draft, payload):
    token = signing.dumps(payload, salt=PREVIEW_SALT)

    assert preview_answer(editor_client, token) == 404


def test_an_expired_preview_link_is_not_found(editor_client, draft, settings):
    token = preview_token(draft)

    with time_machine.travel(
        timezone.now() + timedelta(seconds=settings.NEWSROOM_PREVIEW_MAX_AGE + 1)
    ):
        assert preview_answer(editor_client, token) == 404


def test_a_preview_link_for_a_story_since_deleted_is_not_found(editor_client, draft):
    token = preview_token(draft)
    draft.delete()

    assert preview_answer(editor_client, token) == 404


@pytest.mark.parametrize(
    "who",
    ["anonymous", "reader account", "inactive journalist", "moderator", "another journalist"],
)
def test_a_preview_link_in_the_wrong_hands_is_not_found(draft, who, moderator):
    client = Client()
    user = {
        "anonymous": None,
        "reader account": UserFactory(username="reader", is_staff=False),
        "inactive journalist": UserFactory(username="gone", role="Journalist", is_active=False),
        "moderator": moderator,
        "another journalist": UserFactory(username="colleague", role="Journalist"),
    }[who]
    if user is not None:
        client.force_login(user)

    assert preview_answer(client, preview_token(draft)) == 404


# Signing in never leads off the site -------------------------------------------------------

OFF_SITE = [
    "//evil.example",
    "//evil.example/admin/",
    "http:\\\\evil.example",
    "http:/\\evil.example",
    "https://evil.example",
    "https://evil.example/admin/",
    "/\\evil.example",
    "\\\\evil.example",
    "%2F%2Fevil.example",
    "/%2F/evil.example",
    "///evil.example",
    " //evil.example",
    "\t//evil.example",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://testserver@evil.example/",
    "https://evil.example?testserver",
    "http://[::1]:80@evil.example/",
]


def sign_in(client, next_url):
    """Follow a link to the sign-in page with `next_url` in its query string, and sign in."""
    page = client.get(f"{reverse('admin:login')}?next={next_url}")
    carried = re.search(r'name="next" value="([^"]*)"', page.content.decode())
    return client.post(
        page.request["PATH_INFO"] + "?" + page.request["QUERY_STRING"],
        {"username": "editor", "password": PASSWORD, "next": html.unescape(carried[1])},
    )


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_signing_in_with_an_off_site_next_address_leads_to_the_desk(client, editor, next_url):
    response = sign_in(client, next_url)

    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_signing_in_with_a_next_address_on_the_site_leads_there(client, editor):
    response = sign_in(client, "/admin/articles/article/?status__exact=review")

    assert response["Location"] == "/admin/articles/article/?status__exact=review"


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_the_sign_in_page_of_someone_signed_in_leads_to_the_desk(editor_client, next_url):
    response = editor_client.get(reverse("admin:login"), {"next": next_url})

    assert response["Location"] == reverse("admin:index")


@pytest.mark.parametrize("next_url", OFF_SITE)
def test_signing_out_with_an_off_site_next_address_stays_on_the_site(editor_client, next_url):
    response = editor_client.post(f"{reverse('admin:logout')}?next={next_url}")

    assert "evil.example" not in response.get("Location", "")
    assert response.get("Location", "/").startswith("/")
