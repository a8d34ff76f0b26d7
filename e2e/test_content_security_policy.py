"""
The content security policy in a real browser: the reader site and the admin work under it
(the prose editor with its import map and photo picker, the focal-point picker, autocomplete,
the workflow panel) without a single violation, and the policy does refuse an inline script
slipped into a reader page.
"""

import json
import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, Byline
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CorrectionFactory,
    SectionFactory,
    TagFactory,
)
from comments.tests.factories import CommentFactory
from newsroom.tests.factories import PASSWORD, UserFactory
from photos.tests.factories import ImageFactory

pytestmark = pytest.mark.django_db(transaction=True)

# Every violation the browser reports, kept on the window of each page.
WATCH_FOR_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `in ${event.sourceFile}:${event.lineNumber} ${event.sample}`
  );
});
"""


@pytest.fixture
def watched(page):
    """The page, reporting every policy violation and every console error on it."""
    page.context.add_init_script(WATCH_FOR_VIOLATIONS)
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    return page


def violations(page):
    found = page.evaluate("window.cspViolations")
    found += [text for text in page.console_errors if "Content Security Policy" in text]
    return found


@pytest.fixture
def newsroom(db):
    world = SectionFactory(name="World", slug="world", description="News from abroad.")
    ana = AuthorFactory(name="Ana Ruiz", slug="ana-ruiz", bio="Ana covers the coast.")
    harbours = TagFactory(name="Harbours", slug="harbours")
    photo = ImageFactory(size=(800, 533), alt_text="Fishing boats in the harbour at dawn")
    story = ArticleFactory(
        section=world,
        headline="Harbour plan approved after decade of argument",
        kicker="Bristol",
        dateline="Bristol",
        lead_image=photo,
        authors=[ana],
        tags=[harbours],
        body="<p>The council voted on Tuesday.</p><h2>What happens next</h2><p>Work starts.</p>",
    )
    CorrectionFactory(article=story)
    CommentFactory(article=story, name="Maria", body="Long overdue. https://example.org/plan")
    return {"world": world, "ana": ana, "harbours": harbours, "photo": photo, "story": story}


def test_reader_pages_work_under_the_policy_without_a_violation(watched, newsroom, screenshot):
    story = newsroom["story"]
    pages = {
        "home": "/",
        "section": "/world/",
        "story": story.get_absolute_url(),
        "search": "/search/?q=harbour",
        "topic": newsroom["harbours"].get_absolute_url(),
        "author": newsroom["ana"].get_absolute_url(),
        "not-found": "/no-such-page/",
    }

    for name, url in pages.items():
        response = watched.goto(url)
        assert "script-src 'self'" in response.headers["content-security-policy"], name
        expect(watched.locator("main")).to_be_visible()
        assert violations(watched) == [], name
        screenshot(watched, name)


def test_the_story_pages_structured_data_is_left_alone_by_the_policy(watched, newsroom):
    watched.goto(newsroom["story"].get_absolute_url())

    data = json.loads(watched.locator('script[type="application/ld+json"]').text_content())

    assert data["headline"] == newsroom["story"].headline
    assert violations(watched) == []


def test_the_comment_form_posts_under_the_policy(watched, newsroom):
    watched.goto(newsroom["story"].get_absolute_url())
    watched.locator("#id_body").fill("A fair decision, and a long time coming.")
    watched.locator("#id_name").fill("Tom")
    watched.locator("#id_email").fill("tom@example.org")
    watched.wait_for_timeout(3100)  # the moderators' minimum time to write

    watched.get_by_role("button", name="Post comment").click()

    expect(watched.get_by_text("awaiting moderation").first).to_be_visible()
    assert violations(watched) == []


def test_an_inline_script_slipped_into_a_reader_page_is_refused(watched, newsroom):
    url = newsroom["story"].get_absolute_url()

    def slip_in_a_script(route):
        response = route.fetch()
        body = response.text().replace(
            "</main>",
            '<script>window.inlineRan = true</script><img src="/static/none.png" '
            'onerror="window.handlerRan = true"></main>',
        )
        route.fulfill(response=response, body=body)

    watched.route(re.compile(re.escape(url) + "$"), slip_in_a_script)
    watched.goto(url)
    watched.wait_for_timeout(300)

    assert watched.evaluate("window.inlineRan") is None
    assert watched.evaluate("window.handlerRan") is None
    assert any(v.startswith("script-src-elem") for v in violations(watched))
    assert any(v.startswith("script-src-attr") for v in violations(watched))


@pytest.fixture
def editor(db):
    """Someone who sees every admin page (roles are tested in articles/tests/test_admin_access.py;
    a browser test's database is emptied between tests, the groups with it)."""
    return UserFactory(username="editor", is_superuser=True)


def sign_in(page, username):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def test_the_admin_works_under_the_policy_without_a_violation(
    watched, newsroom, editor, screenshot
):
    sign_in(watched, "editor")
    assert violations(watched) == []
    story = newsroom["story"]
    pages = {
        "desk": "/admin/",
        "stories": "/admin/articles/article/",
        "story": f"/admin/articles/article/{story.pk}/change/",
        "revisions": f"/admin/articles/article/{story.pk}/revisions/",
        "photos": "/admin/photos/image/",
        "photo": f"/admin/photos/image/{newsroom['photo'].pk}/change/",
        "sections": "/admin/articles/section/",
        "redirects": "/admin/articles/redirect/",
    }
    for name, url in pages.items():
        response = watched.goto(url)
        assert "'unsafe-inline'" not in response.headers["content-security-policy"], name
        expect(watched.locator("#content")).to_be_visible()
        assert violations(watched) == [], name
    screenshot(watched, "redirects")


def test_the_story_editor_works_under_the_policy(watched, newsroom, editor, screenshot):
    sign_in(watched, "editor")
    watched.goto("/admin/articles/article/add/")

    watched.get_by_label("Headline").fill("Ferry timetable changes")
    body = watched.locator(".field-body [contenteditable=true]")
    body.click()
    watched.keyboard.type("The ferry leaves earlier from Monday. ")
    watched.keyboard.press("Control+b")
    watched.keyboard.type("Check the new times.")
    expect(body.locator("strong")).to_have_text("Check the new times.")

    watched.locator(".field-section .select2-selection").click()
    watched.keyboard.type("Wor")
    watched.get_by_role("option", name="World").click()

    watched.locator(".field-body button[title=figure]").click()
    with watched.expect_popup() as opened:
        watched.get_by_role("button", name="Browse...").click()
    picker = opened.value
    picker.wait_for_load_state()
    picker.add_init_script(WATCH_FOR_VIOLATIONS)
    assert picker.evaluate("window.cspViolations || []") == []
    picker.get_by_role("button", name=re.compile("Fishing boats")).click()
    expect(watched.get_by_label("Alternative Text")).to_have_value(
        "Fishing boats in the harbour at dawn"
    )
    screenshot(watched, "figure-from-the-library")
    watched.get_by_role("button", name="Insert", exact=True).click()
    expect(body.locator("figure img")).to_be_visible()

    watched.get_by_role("button", name="Save and continue editing").click()
    expect(watched.locator(".messagelist")).to_contain_text("was added successfully")
    saved = Article.objects.get(headline="Ferry timetable changes")
    assert "<strong>Check the new times.</strong>" in saved.body
    assert "<figure" in saved.body
    assert saved.section == newsroom["world"]
    assert violations(watched) == []


def test_the_focal_point_picker_works_under_the_policy(watched, newsroom, editor):
    sign_in(watched, "editor")
    watched.goto(f"/admin/photos/image/{newsroom['photo'].pk}/change/")

    watched.locator(".focal-frame img").click(position={"x": 40, "y": 30})

    assert float(watched.locator("#id_focal_x").input_value()) < 0.2
    expect(watched.locator(".focal-marker")).to_be_visible()
    assert violations(watched) == []


def test_the_workflow_panel_works_under_the_policy(watched, newsroom, editor):
    draft = ArticleFactory(section=newsroom["world"], draft=True, headline="A draft to publish")
    Byline.objects.create(article=draft, author=newsroom["ana"])
    sign_in(watched, "editor")
    watched.goto(f"/admin/articles/article/{draft.pk}/change/")

    watched.get_by_role("button", name="Copy link").click()
    expect(watched.locator(".workflow-copied")).not_to_be_empty()
    watched.get_by_role("button", name="Publish now").click()

    expect(watched.locator(".messagelist")).to_contain_text("is live")
    draft.refresh_from_db()
    assert draft.is_live
    assert violations(watched) == []


def test_the_moderation_queue_works_under_the_policy(watched, newsroom, editor):
    held = CommentFactory(article=newsroom["story"], pending=True, body="Held for a look.")
    other = CommentFactory(article=newsroom["story"], pending=True, name="Sam", body="Another.")
    sign_in(watched, "editor")
    watched.goto("/admin/comments/comment/")

    watched.locator(f"input[name=_selected_action][value='{held.pk}']").check()
    watched.locator("select[name=action]").select_option("approve")
    watched.get_by_role("button", name="Go").click()

    expect(watched.locator(".messagelist")).to_contain_text("Approved 1 comment")
    # A card's own button decides through the queue's script, under the same policy.
    watched.locator(f"#queue-card-{other.pk}").get_by_role("button", name="Reject").click()
    expect(watched.locator("#queue-announcer")).to_contain_text("Rejected the comment from Sam")
    assert violations(watched) == []
