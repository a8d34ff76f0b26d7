"""
The newsroom's five journeys, as its people make them in a browser: a journalist files a
story, an editor publishes it, a reader comments, a moderator approves the comment, and an
editor corrects one story and withdraws another.

Each journey runs twice: with the whole-page cache off, and on production-like settings
(DEBUG off, the page cache on), where readers who had a page open before a change see the
change when they reload it: the cache never hides a new story, a comment, a correction or a
withdrawal. (A browser may show its own copy of a page for up to NEWSROOM_HTTP_MAX_AGE
seconds when a reader follows a link back to it; a reload asks the site.)
"""

import re
import time
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image as PillowImage
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory
from comments.models import Comment, ModerationSettings
from newsroom import pagecache
from newsroom.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

Status = Article.Status
AWAITING = re.compile("awaiting moderation", re.IGNORECASE)
HEADLINE = "Harbour plan approved after decade of argument"


@pytest.fixture(params=["page-cache-off", "production-like"])
def site(request, settings):
    """The settings the journey runs on; the name says which."""
    settings.DEBUG = False
    settings.NEWSROOM_PAGE_CACHE = request.param == "production-like"
    return request.param


@pytest.fixture
def newsroom(roles):
    world = SectionFactory(name="World", slug="world")
    SectionFactory(name="Sport", slug="sport")
    TagFactory(name="Harbours", slug="harbours")
    journalist = UserFactory(username="journalist", role="Journalist", first_name="Ana")
    ana = AuthorFactory(name="Ana Ruiz", slug="ana-ruiz", user=journalist)
    editor = UserFactory(username="editor", role="Editor", first_name="Eve")
    moderator = UserFactory(username="moderator", role="Moderator", first_name="Mo")
    return {
        "world": world,
        "ana": ana,
        "journalist": journalist,
        "editor": editor,
        "moderator": moderator,
    }


def sign_in(page, username):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def choose(page, field, typed, option):
    """Pick `option` in the admin's autocomplete for `field` (a select2 box) by typing."""
    page.locator(f"{field} .select2-selection").click()
    page.keyboard.type(typed)
    page.get_by_role("option", name=option, exact=True).click()


def photo_file(tmp_path):
    path = tmp_path / "DSC_0042.jpg"
    PillowImage.new("RGB", (1200, 800), (40, 90, 140)).save(path, "JPEG", quality=85)
    return path


def settle():
    """
    Wait until the latest change is half a second old: a page rendered sooner after a change
    is served but not kept in the cache (pagecache.BUMP_MARGIN_NS), and a journey that shows the
    cache being made fresh needs the page kept first, as it is a moment after any change.
    """
    time.sleep(pagecache.BUMP_MARGIN_NS / 1e9 + 0.1)


def page_cache_of(response):
    return response.headers.get("x-page-cache")


def test_1_journalist_writes_a_story_and_submits_it_for_review(
    site, newsroom, page, screenshot, tmp_path
):
    sign_in(page, "journalist")
    page.goto("/admin/articles/article/add/")

    page.get_by_label("Kicker").fill("Bristol")
    page.get_by_label("Headline").fill(HEADLINE)
    page.get_by_label("Standfirst").fill("Councillors back the dredging and new quay walls.")
    page.get_by_label("Dateline").fill("Bristol")
    body = page.locator(".field-body [contenteditable=true]")
    body.click()
    page.keyboard.type("The council voted on Tuesday to go ahead.")
    page.keyboard.press("Enter")
    page.keyboard.type("## What happens next")  # the editor turns "## " into a subheading
    page.keyboard.press("Enter")
    page.keyboard.type("Read the full plan at https://example.org/harbour-plan ")
    expect(body.locator("h2")).to_have_text("What happens next")
    expect(body.locator("a[href='https://example.org/harbour-plan']")).to_be_visible()

    choose(page, ".field-section", "Wor", "World")
    choose(page, ".field-tags", "Harb", "Harbours")
    choose(page, "#bylines-0 .field-author", "Ana", "Ana Ruiz")

    with page.expect_popup() as opened:
        page.locator("#add_id_lead_image").click()
    upload = opened.value
    upload.wait_for_load_state()
    upload.locator("input[type=file][name=upload]").set_input_files(photo_file(tmp_path))
    upload.get_by_label("Title").fill("Bristol harbour at dawn")
    upload.get_by_label("Alt text").fill("Fishing boats moored in Bristol harbour at dawn")
    upload.get_by_label("Credit").fill("Ana Ruiz")
    screenshot(upload, "lead-photo-upload")
    upload.get_by_role("button", name="Save", exact=True).click()
    upload.wait_for_event("close")
    expect(page.locator(".field-lead_image .select2-selection__rendered")).to_contain_text(
        "Bristol harbour at dawn"
    )
    screenshot(page, "story-written")

    expect(page.get_by_role("button", name="Publish now")).to_have_count(0)
    expect(page.get_by_role("button", name="Schedule")).to_have_count(0)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist")).to_contain_text("was submitted for review")
    screenshot(page, "submitted")

    story = Article.objects.get(headline=HEADLINE)
    assert story.status == Status.REVIEW
    assert story.dateline == "Bristol"
    assert [byline.author for byline in story.bylines.all()] == [newsroom["ana"]]
    assert list(story.tags.values_list("name", flat=True)) == ["Harbours"]
    assert story.lead_image.alt_text == "Fishing boats moored in Bristol harbour at dawn"
    assert "<h2>What happens next</h2>" in story.body
    assert 'href="https://example.org/harbour-plan"' in story.body

    # The journalist may still polish their story in review, but not publish it: the form
    # they have, posted with the publish button's value forged in, is refused and changes
    # nothing, the edit made with it included.
    forged = page.evaluate(
        """async () => {
          const form = document.querySelector("#article_form");
          const data = new FormData(form);
          data.set("headline", "Forged headline");
          data.set("_transition", "publish");
          const response = await fetch(location.href, {method: "POST", body: data});
          return {status: response.status, redirected: response.redirected,
                  text: await response.text()};
        }"""
    )
    assert (forged["status"], forged["redirected"]) == (200, False)
    assert "Only an editor can publish or schedule a story." in forged["text"]
    story.refresh_from_db()
    assert (story.status, story.headline, story.first_published_at) == (
        Status.REVIEW,
        HEADLINE,
        None,
    )


@pytest.fixture
def story_in_review(newsroom):
    story = ArticleFactory(
        draft=True,
        section=newsroom["world"],
        headline=HEADLINE,
        dateline="Bristol",
        standfirst="Councillors back the dredging and new quay walls.",
        body="<p>The council voted on Tuesday.</p><h2>What happens next</h2><p>Work starts.</p>",
        authors=[newsroom["ana"]],
        created_by=newsroom["journalist"],
    )
    Article.objects.filter(pk=story.pk).update(status=Status.REVIEW)
    story.refresh_from_db()
    return story


def test_2_editor_previews_schedules_then_publishes_from_the_desk(
    site, newsroom, story_in_review, new_page, screenshot
):
    reader = new_page()
    reader.goto("/")  # a reader's view of the home page before the story goes out
    expect(reader.get_by_role("link", name=HEADLINE)).to_have_count(0)

    editor = new_page()
    sign_in(editor, "editor")
    desk = editor.locator("#desk-review").locator("..")
    expect(desk).to_contain_text(HEADLINE)
    screenshot(editor, "desk")
    desk.get_by_role("link", name=HEADLINE).click()

    with editor.expect_popup() as opened:
        editor.evaluate("url => window.open(url)", editor.locator("#preview-link").input_value())
    preview = opened.value
    preview.wait_for_load_state()
    expect(preview.get_by_role("heading", level=1)).to_have_text(HEADLINE)
    expect(preview.get_by_text("Preview", exact=False).first).to_be_visible()
    screenshot(preview, "preview")
    preview.close()

    in_two_minutes = timezone.localtime() + timedelta(minutes=2)
    editor.locator("#id_schedule_for_0").fill(in_two_minutes.strftime("%Y-%m-%d"))
    editor.locator("#id_schedule_for_1").fill(in_two_minutes.strftime("%H:%M:%S"))
    editor.get_by_role("button", name="Schedule", exact=True).click()
    expect(editor.locator(".messagelist")).to_contain_text("is scheduled for")
    screenshot(editor, "scheduled")
    story_in_review.refresh_from_db()
    assert story_in_review.is_scheduled
    reader.reload()
    expect(reader.get_by_role("link", name=HEADLINE)).to_have_count(0)

    editor.get_by_role("button", name="Publish now").click()
    expect(editor.locator(".messagelist")).to_contain_text("is live")
    story_in_review.refresh_from_db()
    assert story_in_review.is_live

    home = reader.reload()
    if site == "production-like":
        assert page_cache_of(home) == "miss", "the home page was not made fresh by publishing"
    expect(reader.get_by_role("link", name=HEADLINE)).to_be_visible()
    screenshot(reader, "home")
    reader.get_by_role("navigation", name="Sections").get_by_role("link", name="World").click()
    expect(reader.get_by_role("link", name=HEADLINE)).to_be_visible()
    screenshot(reader, "section-front")


@pytest.fixture
def live_story(newsroom):
    return ArticleFactory(
        section=newsroom["world"],
        headline=HEADLINE,
        dateline="Bristol",
        body="<p>The council voted on Tuesday.</p><h2>What happens next</h2><p>Work starts.</p>",
        authors=[newsroom["ana"]],
    )


def post_comment(reader, *, body, name, email):
    reader.get_by_role("textbox", name="Comment").fill(body)
    reader.get_by_role("textbox", name="Name").fill(name)
    reader.get_by_role("textbox", name="Email").fill(email)
    rules = ModerationSettings.load()
    reader.wait_for_timeout(rules.min_seconds_to_post * 1000 + 200)  # the time a reader writes
    reader.get_by_role("button", name="Post comment").click()


def test_3_reader_comments_after_a_mistake_and_sees_it_awaiting_moderation(
    site, live_story, new_page, screenshot
):
    reader = new_page()
    reader.goto("/")
    reader.get_by_role("link", name=HEADLINE).click()
    expect(reader.get_by_role("heading", level=1)).to_have_text(HEADLINE)

    comment = "Long overdue: the quay walls have been crumbling for years."
    post_comment(reader, body=comment, name="", email="maria@example")
    expect(reader.get_by_text("Please enter your name here")).to_be_visible()
    expect(reader.get_by_text("Enter a valid email address")).to_be_visible()
    expect(reader.get_by_role("textbox", name="Comment")).to_have_value(comment)
    expect(reader.get_by_role("textbox", name="Email")).to_have_value("maria@example")
    screenshot(reader, "form-with-mistakes")
    assert not Comment.objects.exists()

    post_comment(reader, body=comment, name="Maria Lopes", email="maria@example.org")
    expect(reader.get_by_role("status")).to_contain_text("Thank you, Maria Lopes.")
    own = reader.locator(".comment", has_text=comment)
    expect(own).to_contain_text(AWAITING)
    screenshot(reader, "awaiting-moderation")

    held = Comment.objects.get()
    assert (held.name, held.status) == ("Maria Lopes", Comment.Status.PENDING)

    # Nobody else sees a comment awaiting moderation, from the cache or otherwise.
    stranger = new_page()
    stranger.goto(live_story.get_absolute_url())
    expect(stranger.get_by_text(comment)).to_have_count(0)


def test_4_moderator_approves_and_the_reader_sees_the_comment_counted(
    site, live_story, new_page, screenshot
):
    comment = "Long overdue: the quay walls have been crumbling for years."
    settle()
    reader = new_page()
    reader.goto(live_story.get_absolute_url())
    post_comment(reader, body=comment, name="Maria Lopes", email="maria@example.org")
    expect(reader.locator(".comment", has_text=comment)).to_contain_text(AWAITING)

    # Another reader has the home page and the story open from before the approval.
    other_home = new_page()
    other_home.goto("/")
    other = other_home.context.new_page()
    before = other.goto(live_story.get_absolute_url())
    expect(other.locator("#comments-heading")).to_have_text("Comments")
    if site == "production-like":
        assert page_cache_of(before) == "hit", "the story page was not served from the cache"

    moderator = new_page()
    sign_in(moderator, "moderator")
    moderator.goto("/admin/comments/comment/?status__exact=pending")
    row = moderator.locator("#result_list tbody tr", has_text="Long overdue")
    expect(row).to_contain_text("first comment from this email")
    screenshot(moderator, "queue")
    row.locator("input[name=_selected_action]").check()
    moderator.locator("select[name=action]").select_option(label="Approve selected comments")
    moderator.get_by_role("button", name="Go").click()
    expect(moderator.locator(".messagelist")).to_contain_text("Approved 1 comment")
    screenshot(moderator, "approved")

    reader.reload()
    approved = reader.locator(".comment", has_text=comment)
    expect(approved).to_be_visible()
    expect(approved).not_to_contain_text(AWAITING)
    expect(reader.locator("#comments-heading")).to_have_text("1 comment")
    screenshot(reader, "comment-published")

    fresh = other.reload()
    if site == "production-like":
        assert page_cache_of(fresh) == "miss", "approving did not make the story page fresh"
    expect(other.locator(".comment", has_text=comment)).to_be_visible()
    expect(other.locator("#comments-heading")).to_have_text("1 comment")
    other_home.reload()
    expect(other_home.locator(".lead-story .story-comments")).to_have_text("1 comment")


def test_5_editor_corrects_one_story_and_withdraws_another(
    site, newsroom, live_story, new_page, screenshot
):
    recalled = ArticleFactory(
        section=newsroom["world"],
        headline="Ferry company to close its Bristol route",
        authors=[newsroom["ana"]],
    )
    # A reader has the home page and both stories open in tabs.
    settle()
    home = new_page()
    home.goto("/")
    expect(home.get_by_role("link", name=recalled.headline)).to_be_visible()
    reader = home.context.new_page()
    reader.goto(live_story.get_absolute_url())
    recalled_tab = home.context.new_page()
    recalled_tab.goto(recalled.get_absolute_url())

    editor = new_page()
    editor.on("dialog", lambda dialog: dialog.accept())  # "Withdraw this story?"
    sign_in(editor, "editor")
    editor.goto(f"/admin/articles/article/{live_story.pk}/change/")
    editor.get_by_role("button", name=re.compile("add another correction", re.IGNORECASE)).click()
    correction = editor.locator("#corrections-0")
    correction.get_by_label("Kind").select_option(label="Correction")
    correction.get_by_label("Text").fill(
        "An earlier version of this story said the vote was on Monday. It was on Tuesday."
    )
    screenshot(editor, "correction")
    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")

    editor.goto(f"/admin/articles/article/{recalled.pk}/change/")
    editor.get_by_text("Withdraw…").click()
    editor.get_by_label("Note to readers").fill(
        "This story said the ferry route would close. The company has not decided; we have "
        "withdrawn the story."
    )
    screenshot(editor, "withdraw")
    editor.get_by_role("button", name="Withdraw this story").click()
    expect(editor.locator(".messagelist")).to_contain_text("was withdrawn")

    corrected = reader.reload()
    if site == "production-like":
        assert (corrected.status, page_cache_of(corrected)) == (200, "miss")
    corrections = reader.get_by_role("region", name="Corrections and updates")
    expect(corrections).to_contain_text("It was on Tuesday.")
    screenshot(reader, "correction-on-the-story")

    gone = recalled_tab.reload()
    assert gone.status == 410
    expect(recalled_tab.get_by_role("heading", level=1)).to_have_text(
        "This story has been withdrawn"
    )
    expect(recalled_tab.get_by_text("The company has not decided")).to_be_visible()
    screenshot(recalled_tab, "withdrawn-notice")
    home.reload()
    expect(home.get_by_role("link", name=recalled.headline)).to_have_count(0)
    recalled.refresh_from_db()
    assert recalled.status == Status.WITHDRAWN
