"""
An editor arranges the home page in the admin (a lead, three top stories in the order they
choose, an "Editor's picks" block) and a reader who had the home page open sees it on reload,
at once, with the page cache on.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.tests.factories import ArticleFactory, SectionFactory
from fronts.models import FrontChange
from newsroom.tests.factories import UserFactory

from .test_newsroom_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)

HEADLINES = [
    "Newest story of the day",
    "Tram line opens in the old town",
    "Harbour plan approved after decade of argument",
    "Library saved by late funding deal",
    "Striker signs for the city club",
    "Flood defences finished a year early",
    "Museum returns carved doors to their village",
    "Ferry fares frozen for the winter",
]


@pytest.fixture
def newsroom(roles, settings):
    settings.DEBUG = False
    settings.NEWSROOM_PAGE_CACHE = True
    world = SectionFactory(name="World", slug="world")
    now = timezone.now()
    stories = {
        headline: ArticleFactory(
            headline=headline, section=world, publish_at=now - timedelta(hours=n + 1)
        )
        for n, headline in enumerate(HEADLINES)
    }
    UserFactory(username="editor", role="Editor", first_name="Eve", last_name="Stone")
    return stories


def add(page, typed, headline, where):
    search = page.get_by_label("Add a story")
    search.fill(typed)
    page.get_by_role("button", name=f"Add “{headline}” to {where}").click()
    search.fill("")


def test_an_editor_arranges_the_home_page_and_readers_see_it_at_once(
    newsroom, new_page, screenshot
):
    reader = new_page()
    reader.goto("/")
    expect(reader.locator(".lead-story-headline")).to_have_text(HEADLINES[0])
    screenshot(reader, "reader-before")

    editor = new_page()
    sign_in(editor, "editor")
    editor.goto("/admin/fronts/front/add/")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.get_by_role("heading", name="Arrange the home page")).to_be_visible()

    add(editor, "harbour", "Harbour plan approved after decade of argument", "Lead")
    add(editor, "library", "Library saved by late funding deal", "Top stories")
    add(editor, "flood", "Flood defences finished a year early", "Top stories")
    add(editor, "ferry", "Ferry fares frozen for the winter", "Top stories")
    # The ferry story moves up one place with the keyboard.
    editor.get_by_role("button", name="Move “Ferry fares frozen for the winter” up").focus()
    editor.keyboard.press("Enter")
    editor.get_by_role("button", name="Add a block").click()
    editor.get_by_label("Block title").fill("Editor's picks")
    add(editor, "museum", "Museum returns carved doors to their village", "Editor's picks")
    add(editor, "tram", "Tram line opens in the old town", "Editor's picks")
    # The tram story is dragged above the museum one.
    picks = editor.locator(".front-block .front-story")
    picks.nth(1).drag_to(picks.nth(0), target_position={"x": 20, "y": 2})
    expect(picks.nth(0)).to_contain_text("Tram line opens")
    screenshot(editor, "editor-arranging")

    with editor.context.expect_page() as opened:
        editor.get_by_role("button", name="Preview (opens in a new tab)").click()
    preview = opened.value
    expect(preview.locator(".preview-note")).to_contain_text("Preview of the front")
    expect(preview.locator(".lead-story-headline")).to_have_text(HEADLINES[2])
    screenshot(preview, "preview")
    reader.reload()
    expect(reader.locator(".lead-story-headline")).to_have_text(HEADLINES[0])

    editor.get_by_role("button", name="Save: readers see it at once").click()
    expect(editor.locator(".messagelist")).to_contain_text("readers see it now")
    expect(editor.locator(".front-log")).to_contain_text("added as lead")
    screenshot(editor, "editor-saved")

    reader.reload()
    expect(reader.locator(".lead-story-headline")).to_have_text(HEADLINES[2])
    top = reader.locator("#top-stories + .story-grid .story-card-headline")
    expect(top.nth(0)).to_have_text("Library saved by late funding deal")
    expect(top.nth(1)).to_have_text("Ferry fares frozen for the winter")
    expect(top.nth(2)).to_have_text("Flood defences finished a year early")
    # The fourth top slot is the newest story not chosen.
    expect(top.nth(3)).to_have_text(HEADLINES[0])
    picks_block = reader.locator(".front-block-chosen")
    expect(picks_block.locator(".block-heading")).to_have_text("Editor's picks")
    expect(picks_block.locator(".story-card-headline")).to_have_text(
        ["Tram line opens in the old town", "Museum returns carved doors to their village"]
    )
    screenshot(reader, "reader-after")
    assert FrontChange.objects.get().changed_by.username == "editor"


def test_leaving_the_arranging_page_with_moves_not_saved_asks_first(newsroom, new_page):
    editor = new_page()
    sign_in(editor, "editor")
    editor.goto("/admin/fronts/front/add/")
    editor.get_by_role("button", name="Save", exact=True).click()
    add(editor, "harbour", "Harbour plan approved after decade of argument", "Lead")
    editor.get_by_role("button", name="Save: readers see it at once").click()
    expect(editor.locator(".messagelist")).to_contain_text("readers see it now")
    asked = []
    editor.on("dialog", lambda dialog: asked.append(dialog.type) or dialog.dismiss())

    editor.reload()
    assert asked == []

    add(editor, "library", "Library saved by late funding deal", "Top stories")
    editor.get_by_role("button", name="Undo").first.click()
    expect(editor.get_by_role("heading", name="Arrange the home page")).to_be_visible()
    assert asked == ["beforeunload"]
    expect(editor.locator(".front-story")).to_contain_text(["Library saved by late funding deal"])
    assert FrontChange.objects.count() == 1


def test_the_arranging_page_works_on_a_phone_and_passes_axe(newsroom, new_page, screenshot):
    from .test_accessibility import blocking_violations

    editor = new_page(width=390, height=844)
    sign_in(editor, "editor")
    editor.goto("/admin/fronts/front/add/")
    editor.get_by_role("button", name="Save", exact=True).click()
    expect(editor.get_by_role("heading", name="Arrange the home page")).to_be_visible()
    add(editor, "harbour", "Harbour plan approved after decade of argument", "Lead")
    add(editor, "library", "Library saved by late funding deal", "Top stories")
    add(editor, "ferry", "Ferry fares frozen for the winter", "Top stories")
    editor.get_by_role("button", name="Move “Ferry fares frozen for the winter” up").click()
    screenshot(editor, "arranging-390")

    overflow = editor.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the page scrolls sideways by {overflow} px"
    save = editor.get_by_role("button", name="Save: readers see it at once")
    save.scroll_into_view_if_needed()
    box = save.bounding_box()
    assert box is not None
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= 390
    assert blocking_violations(editor) == []

    save.click()
    expect(editor.locator(".messagelist")).to_contain_text("readers see it now")
    assert FrontChange.objects.get().changed_by.username == "editor"
