"""Moderators hear about held comments by email: batched, and safe from header injection."""

import time
from datetime import timedelta
from email import message_from_bytes
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from articles.tests.factories import ArticleFactory
from comments import services
from comments.forms import issue_token
from comments.models import Comment, ModerationSettings

from .factories import CommentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def recipients():
    ModerationSettings.objects.update(
        notify_emails="desk@example.org\nnight@example.org", notify_interval_minutes=15
    )


def submit(n, **changes):
    fields = {
        "article": ArticleFactory(),
        "parent": None,
        "name": f"Reader {n}",
        "email": f"reader{n}@example.org",
        "website": "",
        "body": f"First time commenting, point number {n}.",
        "ip_address": f"198.51.100.{n}",
        "user_agent": "",
        "seconds_to_post": 30,
    }
    return services.submit_comment(**(fields | changes))


def test_held_comment_emails_the_moderators_once_it_is_stored(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(1)

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["desk@example.org", "night@example.org"]
    assert message.subject == "[The Newsroom] 1 comment awaiting moderation"
    assert "first comment from this email" in message.body
    assert "/admin/comments/comment/?status__exact=pending" in message.body


def test_a_flood_of_held_comments_sends_one_email(django_capture_on_commit_callbacks):
    for n in range(25):
        with django_capture_on_commit_callbacks(execute=True):
            submit(n)

    assert len(mail.outbox) == 1
    assert Comment.objects.awaiting_moderation().count() == 25


def test_comments_held_within_the_interval_go_in_the_next_email(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(1)
    for n in range(2, 6):
        with django_capture_on_commit_callbacks(execute=True):
            submit(n)

    with time_machine.travel(timezone.now() + timedelta(minutes=16)):
        call_command("send_moderation_digest", stdout=StringIO())

    assert len(mail.outbox) == 2
    assert mail.outbox[1].subject == "[The Newsroom] 4 comments awaiting moderation"
    assert "Reader 1 " not in mail.outbox[1].body
    assert "Reader 5 " in mail.outbox[1].body


def test_the_command_waits_for_the_interval_unless_told_now():
    CommentFactory(pending=True)
    call_command("send_moderation_digest", stdout=StringIO())
    CommentFactory(pending=True)

    out = StringIO()
    call_command("send_moderation_digest", stdout=out)
    assert "Nothing to send." in out.getvalue()
    call_command("send_moderation_digest", "--now", stdout=StringIO())

    assert len(mail.outbox) == 2


def test_nothing_is_sent_without_recipients(django_capture_on_commit_callbacks):
    ModerationSettings.objects.update(notify_emails="")

    with django_capture_on_commit_callbacks(execute=True):
        submit(1)

    assert mail.outbox == []


def test_published_and_spam_comments_send_no_email(django_capture_on_commit_callbacks):
    CommentFactory(email="known@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        submit(1, email="known@example.org")
        submit(2, name="x", body="bot", seconds_to_post=0.5)

    assert mail.outbox == []


def test_email_that_fails_to_send_does_not_lose_the_comment(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = 9  # nothing listens: the connection is refused

    with django_capture_on_commit_callbacks(execute=True):
        submission = submit(1)

    assert Comment.objects.filter(pk=submission.comment.pk).exists()


INJECTIONS = {
    "name": "Maria\r\nBcc: victim@example.org\r\nSubject: pwned",
    "email": "maria@example.org\r\nBcc: victim@example.org",
    "website": "https://x.example/\r\nBcc: victim@example.org",
    "body": "Hi\r\n\r\nBcc: victim@example.org\r\nContent-Type: text/html\r\n\r\n<b>x</b>",
}


def test_line_breaks_in_any_comment_field_cannot_add_email_headers():
    CommentFactory(pending=True, reason="first comment from this email", **INJECTIONS)

    services.send_moderation_digest()

    assert len(mail.outbox) == 1
    parsed = message_from_bytes(mail.outbox[0].message().as_bytes())
    assert sorted(parsed.keys()) == sorted(
        [
            "Content-Type",
            "MIME-Version",
            "Content-Transfer-Encoding",
            "Subject",
            "From",
            "To",
            "Date",
            "Message-ID",
        ]
    )
    assert parsed["Subject"] == "[The Newsroom] 1 comment awaiting moderation"
    assert "victim" not in parsed["To"]
    assert mail.outbox[0].bcc == []
    assert "From Maria Bcc: victim@example.org Subject: pwned <maria@example.org Bcc:" in (
        mail.outbox[0].body
    )


LINE_BREAKS = ["\r\n", "\n", "\r", "\x85", "\u2028", "\u2029", "\x0b", "\x0c"]


@pytest.mark.parametrize("line_break", LINE_BREAKS, ids=ascii)
def test_line_breaks_posted_through_the_form_cannot_add_email_headers(
    client, django_capture_on_commit_callbacks, line_break
):
    story = ArticleFactory()
    injected = f"{line_break}Bcc: victim@example.org{line_break}Subject: pwned"
    data = {
        "name": f"Maria{injected}",
        "email": "maria@example.org",
        "website": "",
        "body": f"Hello{injected}",
        "reply_to": "",
        "subject": "",
        "started": issue_token(story.pk, at=time.time() - 60),
    }
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments:post", args=[story.pk]), data)

    assert Comment.objects.get().name.startswith("Maria")
    assert len(mail.outbox) == 1
    parsed = message_from_bytes(mail.outbox[0].message().as_bytes())
    assert "Bcc" not in parsed
    assert parsed["Subject"] == "[The Newsroom] 1 comment awaiting moderation"
    assert parsed["To"] == "desk@example.org, night@example.org"
    assert mail.outbox[0].recipients() == ["desk@example.org", "night@example.org"]


@pytest.mark.parametrize("field", ["email", "website"])
@pytest.mark.parametrize("line_break", LINE_BREAKS, ids=ascii)
def test_line_breaks_in_an_address_are_refused_by_the_form(client, field, line_break):
    story = ArticleFactory()
    value = {"email": "maria@example.org", "website": "https://x.example/"}[field]
    data = {
        "name": "Maria",
        "email": "maria@example.org",
        "website": "",
        "body": "Hello",
        "started": issue_token(story.pk, at=time.time() - 60),
        field: f"{value}{line_break}Bcc: victim@example.org",
    }

    response = client.post(reverse("comments:post", args=[story.pk]), data)

    assert response.status_code == 200
    assert not Comment.objects.exists()


def test_notification_addresses_with_a_header_in_them_are_refused(moderator_client):
    url = reverse("admin:comments_moderationsettings_change", args=[1])
    form = {
        field.name: field.value_from_object(ModerationSettings.load())
        for field in ModerationSettings._meta.concrete_fields
        if field.editable and field.name not in {"id", "modified_at"}
    }
    form = {name: "" if value is None else value for name, value in form.items()}

    response = moderator_client.post(
        url, form | {"notify_emails": "desk@example.org\r\nBcc: victim@example.org"}
    )

    assert response.status_code == 200
    assert "Not an email address" in response.content.decode()
    assert ModerationSettings.load().recipients() == ["desk@example.org", "night@example.org"]
