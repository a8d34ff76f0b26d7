"""Comments under a story, as readers see them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles.models import Article
from articles.tests.factories import ArticleFactory
from comments.models import Comment, ModerationSettings
from comments.text import render_body
from newsroom.tests.queries import count_queries

from .factories import CommentFactory
from .markup import assert_no_active_markup

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    return ArticleFactory()


def page(client, story, **params):
    return client.get(story.get_absolute_url(), params)


def test_approved_comment_is_shown_with_its_author_and_time(client, story):
    CommentFactory(article=story, name="Maria Lopes", body="Well reported.")

    response = page(client, story)

    assertContains(
        response, '<span class="comment-author"><bdi>Maria Lopes</bdi></span>', html=True
    )
    assertContains(response, "<p>Well reported.</p>", html=True)
    assertContains(response, "1 comment")


@pytest.mark.parametrize("trait", ["pending", "rejected", "spam"])
def test_comment_not_approved_is_never_shown_or_counted(client, story, trait):
    CommentFactory(article=story, body="Approved words.")
    CommentFactory(article=story, body="Unapproved words.", **{trait: True})

    response = page(client, story)

    assertNotContains(response, "Unapproved words.")
    assertContains(response, "1 comment")
    assertNotContains(response, "2 comments")


@pytest.mark.parametrize("trait", ["pending", "rejected", "spam"])
def test_approved_reply_under_an_unapproved_comment_is_not_shown_or_counted(client, story, trait):
    hidden = CommentFactory(article=story, body="Unapproved parent.", **{trait: True})
    CommentFactory(article=story, parent=hidden, body="Orphaned reply.")

    response = page(client, story)

    assertNotContains(response, "Orphaned reply.")
    assertNotContains(response, "Unapproved parent.")
    assertContains(response, "No comments yet")


def test_comments_on_other_stories_are_not_shown(client, story):
    CommentFactory(body="Elsewhere.")

    assertNotContains(page(client, story), "Elsewhere.")


def test_comments_are_shown_oldest_first(client, story):
    CommentFactory(article=story, body="First in.")
    CommentFactory(article=story, body="Second in.")

    html = page(client, story).content.decode()

    assert html.index("First in.") < html.index("Second in.")


def test_replies_are_shown_under_their_comment(client, story):
    parent = CommentFactory(article=story, name="Maria", body="The parent.")
    CommentFactory(article=story, body="A later thread.")
    CommentFactory(article=story, parent=parent, body="The reply.")

    response = page(client, story)

    html = response.content.decode()
    assert html.index("The parent.") < html.index("The reply.") < html.index("A later thread.")
    assertContains(response, '<ol class="comment-replies" aria-label="Replies to Maria">')
    assertContains(response, "3 comments")


def test_only_top_level_comments_offer_a_reply_link(client, story):
    parent = CommentFactory(article=story)
    reply = CommentFactory(article=story, parent=parent)

    response = page(client, story)

    assertContains(response, f"?reply-to={parent.pk}#respond")
    assertNotContains(response, f"?reply-to={reply.pk}#respond")


def test_reply_link_sets_up_the_form_to_reply(client, story):
    parent = CommentFactory(article=story, name="Maria", body="Tell me more.")

    response = page(client, story, **{"reply-to": parent.pk})

    assertContains(response, "Reply to <bdi>Maria</bdi>")
    assertContains(
        response,
        f'<input type="hidden" name="reply_to" value="{parent.pk}" id="id_reply_to">',
        html=True,
    )
    assertContains(response, "Cancel reply")


def test_reply_link_to_a_comment_not_shown_is_ignored(client, story):
    pending = CommentFactory(article=story, pending=True, name="Hidden Person")

    response = page(client, story, **{"reply-to": pending.pk})

    assertContains(response, "Leave a comment")
    assertNotContains(response, "Hidden Person")


def test_comments_are_paginated_past_fifty_threads(client, story):
    comments = CommentFactory.create_batch(51, article=story)
    CommentFactory(article=story, parent=comments[0])

    first = page(client, story)
    second = page(client, story, **{"comments-page": 2})

    assertContains(first, "52 comments")
    assertContains(first, f'id="comment-{comments[49].pk}"')
    assertNotContains(first, f'id="comment-{comments[50].pk}"')
    assertContains(
        first, '<a rel="next" href="?comments-page=2#comments">Later comments</a>', html=True
    )
    assertContains(second, f'id="comment-{comments[50].pk}"')
    assertNotContains(second, f'id="comment-{comments[0].pk}"')
    assertContains(second, "Comments page 2 of 2")


def test_comments_page_out_of_range_shows_the_last_page(client, story):
    comments = CommentFactory.create_batch(51, article=story)

    response = page(client, story, **{"comments-page": "99"})

    assertContains(response, f'id="comment-{comments[50].pk}"')


def test_story_list_page_parameter_is_not_the_comments_page(client, story):
    CommentFactory(article=story, body="On page one.")

    assertContains(page(client, story, page=2), "On page one.")


def test_closed_story_shows_its_comments_and_says_comments_are_closed(client):
    story = ArticleFactory(comment_mode=Article.CommentMode.CLOSED)
    CommentFactory(article=story, body="Said before closing.")

    response = page(client, story)

    assertContains(response, "Said before closing.")
    assertContains(response, '<p class="comments-closed">Comments are closed.</p>', html=True)
    assertNotContains(response, 'id="comment-form"')
    assertNotContains(response, "reply-to=")


def test_story_older_than_the_close_after_days_is_closed(client):
    story = ArticleFactory(publish_at=timezone.now() - timedelta(days=15))
    ModerationSettings.objects.update(close_after_days=14)

    response = page(client, story)

    assertContains(response, "Comments are closed.")
    assertNotContains(response, 'id="comment-form"')


def test_story_with_comments_disabled_shows_nothing_about_comments(client):
    story = ArticleFactory(comment_mode=Article.CommentMode.DISABLED)
    CommentFactory(article=story, body="From before they were disabled.")

    response = page(client, story)

    assertNotContains(response, 'id="comments"')
    assertNotContains(response, "From before they were disabled.")
    assertNotContains(response, "Comments are closed")


def test_open_story_without_comments_invites_the_first(client, story):
    response = page(client, story)

    assertContains(response, "No comments yet. Start the conversation.")
    assertContains(response, 'id="comment-form"', count=1)


def test_commenter_website_links_their_name_without_passing_ranking(client, story):
    CommentFactory(article=story, name="Maria", website="https://maria.example/")

    assertContains(
        page(client, story),
        '<a href="https://maria.example/" rel="nofollow ugc noopener"><bdi>Maria</bdi></a>',
        html=True,
    )


def test_stored_website_with_another_scheme_is_not_linked(client, story):
    Comment.objects.filter(pk=CommentFactory(article=story, name="Eve").pk).update(
        website="javascript:alert(1)"
    )

    response = page(client, story)

    assertContains(response, '<span class="comment-author"><bdi>Eve</bdi></span>', html=True)
    assert_no_active_markup(response.content.decode())


def test_comment_body_keeps_line_breaks_and_links_addresses(client, story):
    CommentFactory(
        article=story, body="First line\nsecond line\n\nNew paragraph: https://ons.example/data"
    )

    assertContains(
        page(client, story),
        '<div class="comment-body"><p>First line<br>second line</p><p>New paragraph: '
        '<a href="https://ons.example/data" rel="nofollow ugc noopener">https://ons.example/data</a>'
        "</p></div>",
        html=True,
    )


XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">click</a>',
    "javascript:alert(1)",
    "<svg onload=alert(1)>",
    'https://x.example/"onmouseover="alert(1)',
    "https://x.example/<script>alert(1)</script>",
    "<iframe src=https://evil.example></iframe>",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markup_in_a_comment_body_stays_text(payload):
    assert_no_active_markup(str(render_body(payload)))


@pytest.mark.parametrize(
    ("body", "shown"),
    [
        ("<b>bold?</b> & more", "&lt;b&gt;bold?&lt;/b&gt; &amp; more"),
        ("I <3 this <script>x</script>", "I &lt;3 this &lt;script&gt;x&lt;/script&gt;"),
        ("Already &lt;escaped&gt;", "Already &amp;lt;escaped&amp;gt;"),
    ],
)
def test_what_a_commenter_typed_is_shown_escaped_as_they_typed_it(body, shown):
    assert str(render_body(body)) == f"<p>{shown}</p>"


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markup_in_any_comment_field_stays_text_on_the_story_page(client, story, payload):
    parent = CommentFactory(
        article=story, name=payload, email=f"x{payload}@example.org", body=payload
    )
    CommentFactory(article=story, parent=parent, name=payload, body=payload)

    response = page(client, story, **{"reply-to": parent.pk})

    assert_no_active_markup(response.content.decode())


def test_every_link_in_a_body_gets_nofollow_ugc_noopener():
    html = str(render_body("a http://one.example b www.two.example c three.com"))
    assert html.count('rel="nofollow ugc noopener"') == 3


def fill(story, threads, replies_each=0):
    """`threads` approved comments with `replies_each` approved replies, plus held ones."""
    for _ in range(threads):
        parent = CommentFactory(article=story)
        CommentFactory.create_batch(replies_each, article=story, parent=parent)
    CommentFactory.create_batch(3, article=story, pending=True)


def test_story_page_runs_as_many_queries_with_300_comments_as_with_one(client):
    empty = ArticleFactory()
    single = ArticleFactory(section=empty.section)
    fill(single, 1)
    busy = ArticleFactory(section=empty.section)
    fill(busy, 100, replies_each=2)  # 300 approved comments
    assert Comment.objects.visible().filter(article=busy).count() == 300

    _response, with_none = count_queries(client, empty.get_absolute_url())
    _response, with_one = count_queries(client, single.get_absolute_url())
    response, with_300 = count_queries(client, busy.get_absolute_url())

    assertContains(response, "300 comments")
    assert with_300 == with_one
    # With none, the count says so and the comments are not asked for.
    assert with_none == with_one - 1


def test_comments_page_two_runs_as_many_queries_as_page_one(client, story):
    fill(story, 120)

    _response, first = count_queries(client, story.get_absolute_url())
    _response, third = count_queries(client, story.get_absolute_url(), **{"comments-page": 3})

    assert first == third


@pytest.mark.parametrize(
    "text",
    [
        "Plain words & <b>markup</b>, \"quotes\" and 'apostrophes'.\n\nA second paragraph.",
        "Tabs\tand  double  spaces, a full stop.Then more; example dot com is not a link.",
        "Ünïcödé — dashes… and a line\nbreak",
    ],
)
def test_a_comment_without_addresses_reads_as_urlize_would_make_it(text):
    from django.utils.html import linebreaks, urlize

    from comments.text import _comment_cleaner

    by_urlize = _comment_cleaner.clean(
        linebreaks(urlize(text, trim_url_limit=60, autoescape=True), autoescape=False)
    )

    assert str(render_body(text)) == by_urlize
