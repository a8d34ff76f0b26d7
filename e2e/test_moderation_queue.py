"""
The moderators' queue in a browser: deciding by keyboard (j/k, a/r/s, u) and by button,
each decision made once, logged, counted and shown at once on the story page; the queue
accessible (axe-core) and usable on a 390 px phone; the desk's line about what waits.
"""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.tests.factories import ArticleFactory, SectionFactory
from comments.models import Comment, ModerationLog
from comments.tests.factories import CommentFactory
from newsroom import pagecache
from newsroom.tests.factories import PASSWORD, UserFactory

from .test_accessibility import blocking_violations

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE = "/admin/comments/comment/"
HEADLINE = "Harbour plan approved after decade of argument"


@pytest.fixture
def cached_site(settings):
    settings.DEBUG = False
    settings.NEWSROOM_PAGE_CACHE = True


@pytest.fixture
def queue(roles):
    """A live story with three comments waiting, oldest first, and one earlier spam."""
    UserFactory(username="moderator", role="Moderator", first_name="Mo")
    story = ArticleFactory(section=SectionFactory(name="World", slug="world"), headline=HEADLINE)
    now = timezone.now()
    first = CommentFactory(
        article=story,
        name="Maria Lopes",
        email="maria@example.org",
        body="Long overdue: the quay walls have been crumbling for years.\n\nAbout time.",
        pending=True,
        submitted_at=now - timedelta(hours=3),
    )
    second = CommentFactory(
        article=story,
        parent=CommentFactory(article=story, name="Tom Reid", body="The dredging comes first."),
        name="Sam Patel",
        body="Dredging without new walls would be money thrown in the harbour.",
        pending=True,
        reason="contains held term 'harbour'",
        submitted_at=now - timedelta(hours=2),
    )
    third = CommentFactory(
        article=story,
        name="Cheap Watches",
        email="watches@example.net",
        body="Great article! Visit my shop for cheap watches.",
        pending=True,
        reason="3 links (limit 2)",
        submitted_at=now - timedelta(hours=1),
    )
    CommentFactory(email="watches@example.net", spam=True, submitted_at=now - timedelta(days=2))
    return {"story": story, "comments": [first, second, third]}


def sign_in(page):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("moderator")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def settle():
    """Wait until the latest change is old enough for the page cache to keep a page."""
    time.sleep(pagecache.BUMP_MARGIN_NS / 1e9 + 0.1)


def cached_story(new_page, story):
    """A reader with the story open, the page stored in the cache and served from it."""
    settle()
    new_page().goto(story.get_absolute_url())
    reader = new_page()  # a browser of its own: the page comes from the server's cache
    response = reader.goto(story.get_absolute_url())
    assert response.headers.get("x-page-cache") == "hit"
    return reader


def card(page, comment):
    return page.locator(f"#queue-card-{comment.pk}")


def count(page, status):
    return page.locator(f'.queue-count[data-count="{status}"]')


def statuses(comments):
    return [Comment.objects.get(pk=comment.pk).status for comment in comments]


def test_moderator_works_the_queue_by_keyboard(cached_site, queue, new_page, screenshot):
    first, second, third = queue["comments"]
    reader = cached_story(new_page, queue["story"])
    page = new_page()
    sign_in(page)
    page.goto(QUEUE)
    expect(count(page, "pending")).to_have_text("3")

    # Typing in the search field decides nothing.
    page.locator("#searchbar").type("a rs")
    page.keyboard.press("j")
    page.locator("#searchbar").fill("")
    assert statuses(queue["comments"]) == ["pending"] * 3

    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("j")
    expect(card(page, first)).to_be_focused()
    page.keyboard.press("a")
    expect(card(page, first).locator("[data-card-status]")).to_have_text("Approved")
    expect(card(page, second)).to_be_focused()
    expect(page.locator("#queue-announcer")).to_have_text(
        "Approved the comment from Maria Lopes. Press u to undo."
    )
    expect(count(page, "pending")).to_have_text("2")
    expect(count(page, "approved")).to_have_text("2")

    page.keyboard.press("r")
    expect(card(page, second).locator("[data-card-status]")).to_have_text("Rejected")
    expect(card(page, third)).to_be_focused()
    page.keyboard.press("s")
    expect(card(page, third).locator("[data-card-status]")).to_have_text("Spam")
    expect(count(page, "spam")).to_have_text("2")
    screenshot(page, "decided-by-keyboard")

    page.keyboard.press("u")
    expect(card(page, third).locator("[data-card-status]")).to_have_text("Awaiting moderation")
    expect(page.locator("#queue-announcer")).to_contain_text("awaiting moderation again")
    expect(card(page, third)).to_be_focused()
    expect(count(page, "pending")).to_have_text("1")
    expect(count(page, "spam")).to_have_text("1")
    page.keyboard.press("k")
    expect(card(page, second)).to_be_focused()

    assert statuses(queue["comments"]) == ["approved", "rejected", "pending"]
    logged = ModerationLog.objects.order_by("pk").values_list("comment_id", "to_status")
    assert list(logged) == [
        (first.pk, "approved"),
        (second.pk, "rejected"),
        (third.pk, "spam"),
        (third.pk, "pending"),
    ]

    reader.reload()
    expect(reader.locator(".comment", has_text="quay walls have been crumbling")).to_be_visible()
    expect(reader.get_by_text("money thrown in the harbour")).to_have_count(0)
    expect(reader.get_by_text("cheap watches")).to_have_count(0)


def test_moderator_decides_by_button_once_however_often_clicked(
    cached_site, queue, new_page, screenshot
):
    first, second, _third = queue["comments"]
    reader = cached_story(new_page, queue["story"])
    page = new_page()
    sign_in(page)
    page.goto(QUEUE)

    approve = card(page, first).get_by_role("button", name="Approve", exact=True)
    approve.dblclick()
    expect(card(page, first).locator("[data-card-status]")).to_have_text("Approved")
    expect(card(page, second)).to_be_focused()
    approve.click()
    expect(page.locator("#queue-announcer")).to_have_text(
        "The comment from Maria Lopes already was approved."
    )
    expect(count(page, "pending")).to_have_text("2")

    card(page, second).get_by_role("button", name="Spam").click()
    expect(card(page, second).locator("[data-card-status]")).to_have_text("Spam")
    screenshot(page, "decided-by-button")

    assert ModerationLog.objects.filter(comment=first).count() == 1
    assert ModerationLog.objects.filter(comment=second).count() == 1
    assert statuses([first, second]) == ["approved", "spam"]
    reader.reload()
    expect(reader.locator(".comment", has_text="quay walls have been crumbling")).to_be_visible()
    expect(reader.locator("#comments-heading")).to_have_text("2 comments")


def test_the_queue_is_accessible_and_fits_a_phone(queue, new_page, screenshot):
    for width in (1280, 390):
        page = new_page(width=width, height=900 if width > 400 else 844)
        sign_in(page)
        page.goto(QUEUE)
        expect(page.get_by_role("heading", level=1)).to_have_text("Moderation queue")
        page.get_by_text("Keyboard shortcuts").click()
        expect(page.get_by_text("undo the last decision")).to_be_visible()

        assert blocking_violations(page) == [], f"the queue at {width}px"
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        for comment in queue["comments"]:
            buttons = card(page, comment).locator(".queue-card-actions .button")
            for index in range(buttons.count()):
                box = buttons.nth(index).bounding_box()
                assert box["x"] >= 0, (width, box)
                assert box["x"] + box["width"] <= width, (width, box)
        status = card(page, queue["comments"][0]).locator("[data-card-status]").bounding_box()
        assert status["x"] + status["width"] <= width
        screenshot(page, f"queue-{width}")


def test_the_desk_says_how_many_comments_wait_and_for_how_long(queue, new_page, screenshot):
    page = new_page()
    sign_in(page)

    panel = page.locator(".newsroom-desk-comments")
    expect(panel).to_contain_text("3 waiting, oldest 3 h")
    screenshot(page, "desk")
    panel.get_by_role("link", name="3 waiting, oldest 3 h").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Moderation queue")
    expect(page.locator(".queue-card")).to_have_count(3)
