"""Posting a comment under a story: what readers see and what the database keeps."""

import time
from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from articles.models import Article
from articles.tests.factories import ArticleFactory, SectionFactory
from comments.forms import issue_token
from comments.models import Comment, ModerationSettings
from newsroom.security import client_ip

from .factories import CommentFactory
from .markup import assert_no_active_markup

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return ArticleFactory(
        section=SectionFactory(name="World", slug="world"),
        headline="Harbour plan approved",
        slug="harbour-plan-approved",
    )


def post_url(article):
    return reverse("comments:post", args=[article.pk])


def form_data(article, *, loaded_seconds_ago=60, **changes):
    data = {
        "body": "The council should have listened to the harbour residents years ago.",
        "name": "Maria Lopes",
        "email": "maria@example.org",
        "website": "",
        "reply_to": "",
        "subject": "",
        "started": issue_token(article.pk, at=time.time() - loaded_seconds_ago),
    }
    return data | changes


def post(client, article, **changes):
    return client.post(post_url(article), form_data(article, **changes), REMOTE_ADDR="203.0.113.5")


def test_the_post_address_answers_only_post(client, story):
    assert client.get(post_url(story)).status_code == 405


def test_first_comment_waits_for_a_moderator(client, story):
    post(client, story)

    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.reason == "first comment from this email"
    assert comment.ip_address == "203.0.113.5"


def test_reader_lands_back_on_the_story_at_their_comment_with_a_message(client, story):
    response = post(client, story)

    comment = Comment.objects.get()
    assertRedirects(
        response,
        f"{story.get_absolute_url()}#comment-{comment.pk}",
        fetch_redirect_response=False,
    )
    page = client.get(story.get_absolute_url())
    assertContains(page, "Thank you, Maria Lopes. Your comment is awaiting moderation")


def test_reader_sees_their_own_pending_comment_marked_awaiting_moderation(client, story):
    post(client, story)

    page = client.get(story.get_absolute_url())
    comment = Comment.objects.get()
    assertContains(page, f'id="comment-{comment.pk}"')
    assertContains(page, '<strong class="comment-status">Awaiting moderation</strong>', html=True)
    assertContains(page, "should have listened to the harbour residents")


def test_another_reader_does_not_see_a_pending_comment(client, story):
    post(client, story)

    page = Client().get(story.get_absolute_url())
    assertNotContains(page, "should have listened to the harbour residents")
    assertNotContains(page, "Awaiting moderation")
    assertContains(page, "No comments yet")


def test_own_pending_comment_is_shown_only_on_its_own_story(client, story):
    other = ArticleFactory(section=story.section)
    post(client, story)

    assertNotContains(client.get(other.get_absolute_url()), "should have listened")


def test_comment_from_a_known_commenter_is_published_at_once(client, story):
    CommentFactory(article=story, email="maria@example.org")

    response = post(client, story)

    comment = Comment.objects.latest("pk")
    assert comment.status == Comment.Status.APPROVED
    assertRedirects(
        response,
        f"{story.get_absolute_url()}#comment-{comment.pk}",
        fetch_redirect_response=False,
    )
    page = client.get(story.get_absolute_url())
    assertContains(page, "Thank you, Maria Lopes. Your comment is published.")
    assertContains(page, "2 comments")


def test_published_comment_on_a_later_page_is_linked_on_that_page(client, story):
    CommentFactory.create_batch(50, article=story)
    CommentFactory(article=story, email="maria@example.org")

    response = post(client, story)

    comment = Comment.objects.latest("pk")
    assert response["Location"] == (
        f"{story.get_absolute_url()}?comments-page=2#comment-{comment.pk}"
    )


def test_missing_fields_are_marked_with_their_messages_and_what_was_typed_stays(client, story):
    response = post(client, story, body="  ", name="", website="https://maria.example")

    assert response.status_code == 200
    assert not Comment.objects.exists()
    assertContains(response, "Please enter your comment!")
    assertContains(response, "Please enter your name here")
    assertContains(response, 'value="maria@example.org"')
    assertContains(response, 'value="https://maria.example"')
    assertContains(response, "Your comment has not been posted yet")


def test_field_errors_are_tied_to_their_fields_for_screen_readers(client, story):
    response = post(client, story, body="")

    html = response.content.decode()
    assert 'aria-invalid="true"' in html
    assert 'aria-describedby="id_body_helptext id_body_error"' in html
    assert 'id="id_body_error"' in html
    assert "autofocus" in html


def test_typed_comment_is_kept_when_another_field_is_wrong(client, story):
    response = post(client, story, name="", body="Line one.\nLine two <b>bold</b>.")

    assertContains(response, "Line one.\nLine two &lt;b&gt;bold&lt;/b&gt;.</textarea>")


@pytest.mark.parametrize(
    ("field", "length", "message"),
    [
        ("name", 101, "Please keep your name to 100 characters (it has 101)."),
        ("body", 5001, "Please keep your comment to 5000 characters (it has 5001)."),
        ("website", 201, "Please keep your web address to 200 characters (it has 201)."),
    ],
)
def test_over_long_fields_are_refused_with_a_clear_message(client, story, field, length, message):
    value = "https://e.example/" + "a" * (length - 18) if field == "website" else "a" * length

    response = post(client, story, **{field: value})

    assertContains(response, message)
    assert not Comment.objects.exists()


def test_over_long_email_is_refused(client, story):
    response = post(client, story, email="a" * 250 + "@example.org")

    assert response.status_code == 200
    assert not Comment.objects.exists()
    assert "email" in response.context["comment_form"].errors


@pytest.mark.parametrize(
    "website",
    [
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "ftp://files.example.org/",
        "file:///etc/passwd",
    ],
)
def test_website_accepts_only_http_and_https(client, story, website):
    response = post(client, story, website=website)

    assertContains(response, "Please enter a web address starting with http:// or https://.")
    assert not Comment.objects.exists()


def test_website_without_a_scheme_is_taken_as_https(client, story):
    post(client, story, website="maria.example")

    assert Comment.objects.get().website == "https://maria.example"


def test_email_is_stored_in_lower_case(client, story):
    post(client, story, email="Maria@Example.ORG")

    assert Comment.objects.get().email == "maria@example.org"


def test_null_byte_gets_a_form_error_not_a_server_error(client, story):
    response = post(client, story, body="Hello\x00world", name="Maria\x00")

    assert response.status_code == 200
    assertContains(response, "Null characters are not allowed.")
    assert not Comment.objects.exists()


def test_control_characters_are_dropped_and_line_breaks_kept(client, story):
    post(client, story, body="First line\r\nSecond\x1b[31m line\x07", name="Maria\r\nLopes\t")

    comment = Comment.objects.get()
    assert comment.body == "First line\nSecond[31m line"
    assert comment.name == "Maria Lopes"


def test_name_of_only_control_characters_counts_as_missing(client, story):
    response = post(client, story, name="\x07\x08")

    assertContains(response, "Please enter your name here")


def test_post_without_csrf_token_is_refused(story):
    client = Client(enforce_csrf_checks=True)

    response = client.post(post_url(story), form_data(story))

    assert response.status_code == 403
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    "state",
    [{"draft": True}, {"in_review": True}, {"scheduled": True}, {"withdrawn": True}],
)
def test_post_to_a_story_readers_cannot_see_is_not_found(client, state):
    hidden = ArticleFactory(**state)

    response = post(client, hidden)

    assert response.status_code == 404
    assert not Comment.objects.exists()


@pytest.mark.parametrize("mode", [Article.CommentMode.CLOSED, Article.CommentMode.DISABLED])
def test_post_to_a_story_not_taking_comments_is_refused(client, mode):
    closed = ArticleFactory(comment_mode=mode)

    response = post(client, closed)

    assert response.status_code == 403
    assertContains(response, "Comments are closed", status_code=403)
    assert not Comment.objects.exists()


def test_post_after_the_close_after_days_is_refused(client):
    old = ArticleFactory(publish_at=timezone.now() - timedelta(days=20))
    ModerationSettings.objects.update(close_after_days=14)

    response = post(client, old)

    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_second_comment_from_the_same_email_within_the_interval_is_refused(client, story):
    post(client, story)

    response = client.post(
        post_url(story),
        form_data(story, body="And another thing about the harbour."),
        REMOTE_ADDR="192.0.2.44",
    )

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 30
    assertContains(response, "Please wait a moment", status_code=429)
    assertContains(response, "And another thing about the harbour.</textarea>", status_code=429)
    assert Comment.objects.count() == 1


def test_second_comment_from_the_same_ip_address_within_the_interval_is_refused(client, story):
    post(client, story)

    response = post(client, story, email="someone.else@example.org", body="Different words.")

    assert response.status_code == 429
    assert Comment.objects.count() == 1


def test_second_comment_after_the_flood_interval_is_accepted(client, story):
    post(client, story)

    with time_machine.travel(timezone.now() + timedelta(seconds=31)):
        response = post(client, story, body="A second thought, a minute later.")

    assert response.status_code == 302
    assert Comment.objects.count() == 2


def test_moderators_are_not_held_back_by_the_flood_interval(moderator_client, story):
    post(moderator_client, story)
    response = post(moderator_client, story, body="A follow-up from the desk.")

    assert response.status_code == 302
    assert Comment.objects.count() == 2


def test_the_same_comment_posted_twice_is_stored_once(client, story):
    first = post(client, story)
    second = post(
        client,
        story,
        body="  the council should have listened to the HARBOUR residents years ago. ",
    )

    assert Comment.objects.count() == 1
    assert second.status_code == 302
    assert second["Location"] == first["Location"]


def test_filled_honeypot_goes_to_spam_and_is_shown_to_nobody(client, story):
    post(client, story, subject="Buy followers")

    comment = Comment.objects.get()
    assert (comment.status, comment.reason) == (Comment.Status.SPAM, "honeypot filled")
    assertNotContains(client.get(story.get_absolute_url()), "should have listened")


def test_comment_posted_seconds_after_loading_the_form_goes_to_spam(client, story):
    post(client, story, loaded_seconds_ago=1.2)

    comment = Comment.objects.get()
    assert (comment.status, comment.reason) == (
        Comment.Status.SPAM,
        "posted 1 s after loading the form",
    )


def test_form_open_for_over_two_hours_asks_to_post_again_keeping_the_text(client, story):
    response = post(client, story, loaded_seconds_ago=2 * 60 * 60 + 5)

    assert response.status_code == 200
    assertContains(response, "This page was open for more than two hours")
    assertContains(response, "should have listened to the harbour residents")
    assert not Comment.objects.exists()
    renewed = response.context["comment_form"].data["started"]
    assert renewed != form_data(story)["started"]


def test_forged_form_token_is_refused_keeping_the_text(client, story):
    response = post(client, story, started="eyJhIjoxLCJ0IjoxfQ:1abc:forged")

    assertContains(response, "We could not check where this comment came from")
    assertContains(response, "should have listened to the harbour residents")
    assert not Comment.objects.exists()


def test_form_token_from_another_story_is_refused(client, story):
    other = ArticleFactory(section=story.section)

    response = post(client, story, started=issue_token(other.pk, at=time.time() - 60))

    assertContains(response, "We could not check where this comment came from")
    assert not Comment.objects.exists()


def test_reply_is_stored_under_its_comment(client, story):
    parent = CommentFactory(article=story)

    post(client, story, reply_to=str(parent.pk))

    assert Comment.objects.latest("pk").parent == parent


@pytest.mark.parametrize(
    "target", ["a reply", "a pending comment", "another story", "nonsense", "a superscript two"]
)
def test_reply_to_a_comment_that_cannot_take_one_is_refused(client, story, target):
    parent = CommentFactory(article=story)
    reply_to = {
        "a reply": lambda: CommentFactory(article=story, parent=parent).pk,
        "a pending comment": lambda: CommentFactory(article=story, pending=True).pk,
        "another story": lambda: CommentFactory().pk,
        "nonsense": lambda: "1 OR 1=1",
        "a superscript two": lambda: "²",
    }[target]()
    before = Comment.objects.count()

    response = post(client, story, reply_to=str(reply_to))

    assertContains(response, "The comment you were replying to is no longer shown")
    assertContains(response, "should have listened to the harbour residents")
    assert Comment.objects.count() == before


XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_markup_typed_into_any_field_is_shown_as_text(client, story):
    CommentFactory(article=story, email="maria@example.org")

    post(
        client,
        story,
        name=f"Maria {XSS}",
        body=f'Look {XSS} https://x.example/"onmouseover=alert(1)',
    )
    page = client.get(story.get_absolute_url())

    assert_no_active_markup(page.content.decode())
    assertContains(page, "Maria &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;")


def test_markup_in_own_pending_comment_is_shown_as_text(client, story):
    post(client, story, name=f"Maria {XSS}", body=f"Look {XSS}")

    html = client.get(story.get_absolute_url()).content.decode()
    assert_no_active_markup(html)
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_markup_in_a_rejected_form_is_shown_as_text(client, story):
    response = post(client, story, name=f"{XSS}" * 20, body=XSS, website=XSS)

    assert_no_active_markup(response.content.decode())


def test_user_agent_is_stored(client, story):
    client.post(post_url(story), form_data(story), HTTP_USER_AGENT="Mozilla/5.0 (X11)")

    assert Comment.objects.get().user_agent == "Mozilla/5.0 (X11)"


def test_client_ip_is_the_connection_address_by_default(rf, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = 0
    request = rf.post("/", REMOTE_ADDR="198.51.100.1", HTTP_X_FORWARDED_FOR="6.6.6.6")
    assert client_ip(request) == "198.51.100.1"


def test_client_ip_behind_a_proxy_is_the_address_the_proxy_saw(rf, settings):
    settings.NEWSROOM_TRUSTED_PROXIES = 1
    request = rf.post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9")
    assert client_ip(request) == "198.51.100.9"


def test_client_ip_that_is_not_an_address_is_none(rf):
    assert client_ip(rf.post("/", REMOTE_ADDR="not-an-ip")) is None


def test_the_same_comment_from_another_browser_does_not_show_the_first_readers_held_comment(
    story,
):
    first_reader, second_reader = Client(), Client()
    post(first_reader, story, name="Maria Lopes")

    response = post(second_reader, story, name="Someone Else")
    page = second_reader.get(story.get_absolute_url())

    assert Comment.objects.count() == 1
    assert response["Location"] == f"{story.get_absolute_url()}#comments"
    assertContains(page, "This comment has already been posted.")
    assertNotContains(page, "Maria Lopes")
    assertNotContains(page, "should have listened")
    assertContains(first_reader.get(story.get_absolute_url()), "should have listened")
