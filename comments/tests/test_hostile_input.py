"""
Hostile input on the comment form: script in every field, script and data addresses, null
bytes, invisible and direction-changing characters, oversized posts, forged and replayed
posts, floods. Each is refused with a clear answer or shown as plain text, never run, never
a server error.
"""

import time

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.asserts import assertContains

from articles.tests.factories import ArticleFactory, SectionFactory
from comments import services
from comments.forms import issue_token
from comments.models import Comment, ModerationSettings
from newsroom.tests.hostile import XSS_PAYLOADS

from .factories import CommentFactory
from .markup import assert_no_active_markup, texts_of_class

pytestmark = pytest.mark.django_db

KNOWN_EMAIL = "maria@example.org"


@pytest.fixture
def story():
    return ArticleFactory(
        section=SectionFactory(name="World", slug="world"),
        headline="Harbour plan approved",
        slug="harbour-plan-approved",
    )


@pytest.fixture
def known_commenter(story):
    """An earlier approved comment: this email's next comment is published at once."""
    return CommentFactory(article=story, email=KNOWN_EMAIL, name="Maria")


def post_url(article):
    return reverse("comments:post", args=[article.pk])


def form_data(article, **changes):
    data = {
        "body": "The council should have listened to the harbour residents years ago.",
        "name": "Maria Lopes",
        "email": KNOWN_EMAIL,
        "website": "",
        "reply_to": "",
        "subject": "",
        "started": issue_token(article.pk, at=time.time() - 60),
    }
    return data | changes


def post(client, article, remote_addr="203.0.113.5", **changes):
    return client.post(post_url(article), form_data(article, **changes), REMOTE_ADDR=remote_addr)


def csrf_token_of(client, article):
    """The token a reader's browser fetches for the story's comment form (and its cookie)."""
    response = client.get(reverse("comments:form_token", args=[article.pk]))
    return response.json()["csrfmiddlewaretoken"]


def shown(text):
    """Text as a page shows it: runs of whitespace (line breaks too) as one space."""
    return " ".join(text.split())


def payload_id(payload):
    return shown(payload)[:40]


# Script in every field --------------------------------------------------------------------


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=payload_id)
def test_script_typed_into_the_name_and_comment_shows_as_text_on_the_story(
    client, story, known_commenter, payload
):
    post(client, story, name=payload[:100], body=payload)
    assert Comment.objects.latest("pk").status == Comment.Status.APPROVED

    page = client.get(story.get_absolute_url()).content.decode()

    assert_no_active_markup(page)
    assert shown(payload) in texts_of_class(page, "comment-body")
    assert shown(payload[:100]) in texts_of_class(page, "comment-author")


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=payload_id)
def test_script_typed_into_a_refused_form_comes_back_as_text(client, story, payload):
    response = post(client, story, name=payload[:100], body=payload, email=payload, website=payload)

    assert response.status_code == 200
    assert_no_active_markup(response.content.decode())
    assertContains(response, "Please enter a valid email address")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("payload", XSS_PAYLOADS, ids=payload_id)
def test_script_in_a_comment_shows_as_text_to_moderators(
    moderator_client, moderator, story, payload
):
    held = CommentFactory(article=story, pending=True, name=payload[:100], body=payload)
    reply = CommentFactory(article=story, parent=held, pending=True, body=f"Re: {payload}")
    services.approve_comments(comments=Comment.objects.filter(pk=held.pk), moderator=moderator)
    pages = {
        reverse("admin:comments_comment_changelist"): "results",
        reverse("admin:comments_moderationlog_changelist"): "results",
        reverse("admin:comments_comment_change", args=[held.pk]): "field-body",
        reverse("admin:comments_comment_change", args=[reply.pk]): "field-body",
    }

    for url, where in pages.items():
        html = moderator_client.get(url).content.decode()
        assert_no_active_markup(html)
        assert shown(payload)[:50] in " ".join(texts_of_class(html, where)), url


def test_script_in_a_name_shows_as_text_where_it_is_replied_to(client, story):
    payload = "<img src=x onerror=alert(1)>"
    parent = CommentFactory(article=story, name=payload, body=f"Said {payload}")

    page = client.get(f"{story.get_absolute_url()}?reply-to={parent.pk}").content.decode()

    assert_no_active_markup(page)
    assert f"Reply to {payload}" in texts_of_class(page, "comment-respond-heading")
    assert f"Said {payload}" in texts_of_class(page, "comment-replying-to")


def test_script_in_the_website_stays_inside_the_link_address(client, story, known_commenter):
    website = 'https://x.example/"onmouseover="alert(1)"><script>alert(1)</script>'

    post(client, story, website=website)
    page = client.get(story.get_absolute_url()).content.decode()

    assert Comment.objects.latest("pk").website == website
    assert_no_active_markup(page)
    assert 'href="https://x.example/&quot;onmouseover=&quot;alert(1)&quot;&gt;&lt;script' in page


def test_script_in_a_quoted_email_shows_as_text_to_moderators(client, moderator_client, story):
    email = '"<script>alert(1)</script>"@example.org'

    post(client, story, email=email)
    queue = moderator_client.get(reverse("admin:comments_comment_changelist")).content.decode()

    assert Comment.objects.get().email == email
    assert_no_active_markup(queue)
    assert '"<script>alert(1)</script>"@example.org' in texts_of_class(queue, "queue-card-email")[0]


# Addresses that run code ------------------------------------------------------------------


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "jav\tascript:alert(1)",
        "jav&#x09;ascript:alert(1)",
        " javascript:alert(1)",
        "javascript://x.example/%0Aalert(1)",
        "\x01javascript:alert(1)",
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
    ],
)
def test_website_that_is_not_a_web_address_is_refused_with_a_clear_message(client, story, website):
    response = post(client, story, website=website)

    assertContains(response, "Please enter a web address starting with http:// or https://.")
    assert_no_active_markup(response.content.decode())
    assert not Comment.objects.exists()


def test_stored_website_that_runs_code_is_never_linked(client, story):
    CommentFactory(article=story, name="Eve", website="javascript:alert(1)")

    page = client.get(story.get_absolute_url()).content.decode()

    assert_no_active_markup(page)
    assert texts_of_class(page, "comment-author") == ["Eve"]


# Null bytes and control characters --------------------------------------------------------


@pytest.mark.parametrize("field", ["name", "email", "website", "body"])
def test_null_byte_in_any_field_is_a_form_error(client, story, field):
    value = {"email": "maria\x00@example.org", "website": "https://x.example/\x00"}.get(
        field, "Maria\x00Lopes"
    )

    response = post(client, story, **{field: value})

    assertContains(response, "Null characters are not allowed.")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("field", ["reply_to", "started", "subject"])
def test_null_byte_in_a_hidden_field_is_no_server_error(client, story, field):
    response = post(client, story, **{field: "1\x00"})

    assert response.status_code == 200
    assert not Comment.objects.exists()


# Invisible and direction-changing characters ----------------------------------------------

BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"


@pytest.mark.parametrize("character", list(BIDI_CONTROLS + ZERO_WIDTH), ids=ascii)
def test_invisible_or_direction_changing_character_is_dropped_from_a_name(client, story, character):
    post(client, story, name=f"Mar{character}ia Lopes{character}")

    assert Comment.objects.get().name == "Maria Lopes"


def test_name_made_to_look_like_another_commenters_is_stored_as_that_name(client, story):
    CommentFactory(article=story, name="Maria Lopes", email="the.real.maria@example.org")

    post(client, story, name="\u200bMaria\u2060 \u202dLopes\ufeff", email="eve@example.org")

    assert Comment.objects.get(email="eve@example.org").name == "Maria Lopes"


def test_name_of_only_invisible_characters_counts_as_missing(client, story):
    response = post(client, story, name=f"{ZERO_WIDTH}\u3164{BIDI_CONTROLS}")

    assertContains(response, "Please enter your name here")
    assert not Comment.objects.exists()


def test_a_name_is_shown_isolated_so_it_cannot_turn_the_rest_of_the_line_around(client, story):
    # Stored by an importer, say, without the form's cleaning.
    CommentFactory(article=story, name="\u202eairaM")

    page = client.get(story.get_absolute_url())

    assertContains(page, "<bdi>\u202eairaM</bdi>")


def test_comment_text_keeps_the_joiners_that_shape_emoji_and_scripts(
    client, story, known_commenter
):
    body = "Well done 👩\u200d💻 — می\u200cخواهم"

    post(client, story, body=body)

    assert Comment.objects.latest("pk").body == body


def test_invisible_characters_are_dropped_from_the_website(client, story):
    post(client, story, website="https://exa\u200bmple.org/\u2060")

    assert Comment.objects.get().website == "https://example.org/"


@pytest.mark.parametrize(
    "disguised",
    ["vi\u200bagra", "vi\u00adagra", "ｖｉａｇｒａ", "𝐯𝐢𝐚𝐠𝐫𝐚", "VIA\u2060GRA"],
    ids=ascii,
)
def test_spam_term_disguised_with_look_alike_or_invisible_characters_is_caught(
    client, story, disguised
):
    ModerationSettings.objects.update_or_create(pk=1, defaults={"spam_terms": "viagra"})

    post(client, story, body=f"Cheap {disguised} here")

    assert Comment.objects.get().status == Comment.Status.SPAM


# Oversized posts --------------------------------------------------------------------------


@pytest.mark.parametrize("field", ["body", "name"])
def test_a_field_far_over_its_length_is_refused_with_a_clear_message(client, story, field):
    response = post(client, story, **{field: "a" * 200_000})

    assert response.status_code == 200
    thing = {"body": "comment", "name": "name"}[field]
    assertContains(response, f"Please keep your {thing} to")
    assertContains(response, "(it has 200000)")
    assert not Comment.objects.exists()


@pytest.mark.parametrize("enforce_csrf_checks", [False, True])
def test_a_post_larger_than_the_server_takes_gets_the_too_large_page(
    story, settings, enforce_csrf_checks
):
    client = Client(enforce_csrf_checks=enforce_csrf_checks, raise_request_exception=False)
    token = csrf_token_of(client, story)

    response = post(
        client,
        story,
        body="a" * (settings.NEWSROOM_MAX_BODY_SIZE + 1),
        csrfmiddlewaretoken=token,
    )

    assert response.status_code == 413
    assertContains(response, "Nothing was saved.", status_code=413)
    assert b"Traceback" not in response.content
    assert not Comment.objects.exists()


def test_a_post_with_too_many_fields_gets_the_bad_request_page(story, settings):
    client = Client(raise_request_exception=False)
    data = form_data(story) | {
        f"extra{n}": "x" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS)
    }

    response = client.post(post_url(story), data)

    assert response.status_code == 400
    assert not Comment.objects.exists()


# Forged, replayed and misdirected posts ----------------------------------------------------


@pytest.fixture
def guarded_client():
    """A browser as the site sees one: the CSRF check applies."""
    return Client(enforce_csrf_checks=True)


def test_post_with_the_pages_csrf_token_is_accepted(guarded_client, story):
    token = csrf_token_of(guarded_client, story)

    response = post(guarded_client, story, csrfmiddlewaretoken=token)

    assert response.status_code == 302
    assert Comment.objects.count() == 1


def test_post_without_a_csrf_token_is_refused(guarded_client, story):
    csrf_token_of(guarded_client, story)

    response = post(guarded_client, story)

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_post_with_a_made_up_csrf_token_is_refused(guarded_client, story):
    csrf_token_of(guarded_client, story)

    response = post(guarded_client, story, csrfmiddlewaretoken="x" * 64)

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_post_with_another_visitors_csrf_token_is_refused(guarded_client, story):
    someone_else = Client(enforce_csrf_checks=True)
    token = csrf_token_of(someone_else, story)
    csrf_token_of(guarded_client, story)

    response = post(guarded_client, story, csrfmiddlewaretoken=token)

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_post_with_a_csrf_token_but_no_cookie_is_refused(guarded_client, story):
    token = csrf_token_of(Client(enforce_csrf_checks=True), story)

    response = post(guarded_client, story, csrfmiddlewaretoken=token)

    assert response.status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.parametrize("method", ["get", "head", "put", "patch", "delete", "options"])
def test_the_post_address_answers_only_post(client, story, method):
    response = getattr(client, method)(post_url(story))

    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert not Comment.objects.exists()


@pytest.mark.parametrize("article_id", ["999999", "0", "99999999999999999999999"])
def test_post_for_a_story_that_does_not_exist_is_not_found(client, story, article_id):
    response = client.post(f"/comments/post/{article_id}/", form_data(story))

    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("article_id", ["abc", "-1", "1.0", "1e3", "%00", "1%20", "0x1"])
def test_post_for_a_story_id_that_is_not_a_number_is_not_found(client, story, article_id):
    response = client.post(f"/comments/post/{article_id}/", form_data(story))

    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_form_for_one_story_posted_to_another_is_refused_keeping_the_text(client, story):
    other = ArticleFactory(section=story.section)
    data = form_data(story)

    response = client.post(post_url(other), data, REMOTE_ADDR="203.0.113.5")

    assertContains(response, "We could not check where this comment came from.")
    assertContains(response, data["body"])
    assert not Comment.objects.exists()


def test_the_same_signed_form_posted_again_stores_one_comment(client, story):
    data = form_data(story)

    responses = [client.post(post_url(story), data, REMOTE_ADDR="203.0.113.5") for _ in range(3)]

    assert [response.status_code for response in responses] == [302, 302, 302]
    assert Comment.objects.count() == 1


def test_the_same_form_replayed_from_elsewhere_stores_one_comment(story):
    data = form_data(story)

    for address in ("203.0.113.5", "198.51.100.77", "192.0.2.1"):
        Client().post(post_url(story), data, REMOTE_ADDR=address)

    assert Comment.objects.count() == 1


# Floods -----------------------------------------------------------------------------------


def assert_slowed_down(response):
    assert response.status_code == 429
    interval = ModerationSettings.load().flood_interval_seconds
    assert 1 <= int(response["Retry-After"]) <= interval
    assertContains(response, "Please wait a moment", status_code=429)


def test_a_flood_from_one_address_under_many_names_gets_429(client, story):
    responses = [
        post(client, story, email=f"sock{n}@example.org", body=f"Point number {n}.")
        for n in range(10)
    ]

    assert responses[0].status_code == 302
    for response in responses[1:]:
        assert_slowed_down(response)
    assert Comment.objects.count() == 1


def test_a_flood_from_one_email_at_many_addresses_gets_429(client, story):
    responses = [
        post(client, story, remote_addr=f"198.51.100.{n}", body=f"Point number {n}.")
        for n in range(1, 11)
    ]

    for response in responses[1:]:
        assert_slowed_down(response)
    assert Comment.objects.count() == 1


def test_a_forged_forwarded_for_header_does_not_dodge_the_flood_check(client, story, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = 0
    responses = [
        client.post(
            post_url(story),
            form_data(story, email=f"sock{n}@example.org", body=f"Point number {n}."),
            REMOTE_ADDR="203.0.113.5",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}",
        )
        for n in range(1, 6)
    ]

    for response in responses[1:]:
        assert_slowed_down(response)
    assert Comment.objects.count() == 1


def test_behind_a_proxy_forged_entries_before_the_proxys_do_not_dodge_the_flood_check(
    client, story, settings
):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    responses = [
        client.post(
            post_url(story),
            form_data(story, email=f"sock{n}@example.org", body=f"Point number {n}."),
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{n}, 203.0.113.5",
        )
        for n in range(1, 6)
    ]

    for response in responses[1:]:
        assert_slowed_down(response)
    assert Comment.objects.get().ip_address == "203.0.113.5"
