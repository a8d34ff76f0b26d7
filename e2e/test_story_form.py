"""
The story form, the story list and the desk as journalists and editors see them: on a laptop
(1280×800) the workflow panel is in view beside the writing without scrolling; on a phone
(390 px) the form is one column that fits the screen; bylines are put in order by dragging
or from the keyboard, and saved in that order; axe-core finds no serious or critical
violation on the add and change forms. Screenshots of each at both widths are kept under
e2e/screenshots/<test>/.
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Byline
from articles.tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from e2e.conftest import SCREENSHOTS
from e2e.test_accessibility import blocking_violations
from newsroom.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
LONG_HEADLINE = (
    "Council tax revaluation would raise bills for two in five homes and cut them for the "
    "rest, analysis finds"
)


@pytest.fixture
def newsroom(roles):
    section = SectionFactory(name="Politics", slug="politics")
    journalist = UserFactory(username="journalist", role="Journalist", first_name="Ana")
    UserFactory(username="editor", role="Editor", first_name="Eve")
    ana = AuthorFactory(name="Ana Ruiz", slug="ana-ruiz", user=journalist)
    ben = AuthorFactory(name="Ben Okafor", slug="ben-okafor")
    cy = AuthorFactory(name="Cy Lindqvist", slug="cy-lindqvist")
    AuthorFactory(name="Dee Mensah", slug="dee-mensah")
    in_review = ArticleFactory(
        in_review=True,
        section=section,
        headline=LONG_HEADLINE,
        kicker="Local government",
        standfirst="Property values would be updated for the first time in three decades.",
        body="<p>Two in five households would pay more.</p><h2>Winners</h2><p>The rest.</p>",
        authors=[ana, ben, cy],
        created_by=journalist,
    )
    ArticleFactory(
        draft=True, section=section, headline="Ferry timetable cut", created_by=journalist
    )
    now = timezone.now()
    ArticleFactory(section=section, headline="Budget passes", publish_at=now + timedelta(hours=3))
    ArticleFactory(
        section=section, headline="Mayor re-elected", publish_at=now - timedelta(hours=2)
    )
    return {"story": in_review, "ana": ana, "ben": ben, "cy": cy, "section": section}


@pytest.fixture
def signed_in(new_page):
    def open_as(username, viewport):
        page = new_page(**viewport)
        page.goto("/admin/login/")
        page.get_by_label("Username").fill(username)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page.locator("#site-name")).to_be_visible()
        return page

    return open_as


@pytest.fixture
def in_view(request):
    """`in_view(page, step)`: what the screen shows, without scrolling, beside the full pages."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")

    def take(page, step):
        folder.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(folder / f"view-{step}.png"))

    return take


def change_url(story):
    return f"/admin/articles/article/{story.pk}/change/"


def wider_than_the_screen(page):
    """What is wider than the window (a sideways scroll, a field cut off at the edge): []."""
    return page.evaluate(
        """() => {
          const width = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll("#container *")]
            .filter((e) => e.getClientRects().length && e.getBoundingClientRect().right > width + 1)
            .map((e) => e.tagName + "." + e.className);
          if (document.documentElement.scrollWidth > width) wide.push("the page scrolls sideways");
          return wide;
        }"""
    )


def test_at_1280_the_workflow_panel_is_beside_the_writing_and_in_view(
    newsroom, signed_in, screenshot, in_view
):
    journalist = signed_in("journalist", LAPTOP)
    journalist.goto("/admin/articles/article/add/")
    submit = journalist.get_by_role("button", name="Submit for review")
    expect(submit).to_be_in_viewport()
    expect(journalist.get_by_role("button", name="Save", exact=True)).to_be_in_viewport()
    headline = journalist.get_by_label("Headline")
    panel = journalist.locator(".story-panel").bounding_box()
    writing = headline.bounding_box()
    assert panel["x"] >= writing["x"] + writing["width"]
    assert writing["width"] >= 600
    # The journalist's own byline is there already; no corrections on a story not yet out.
    expect(journalist.locator("#id_bylines-0-author option:checked")).to_have_text("Ana Ruiz")
    expect(journalist.get_by_text("Corrections and updates")).to_have_count(0)
    headline.fill("A" * 75)
    expect(journalist.locator(".headline-count")).to_contain_text("5 over the 70")
    headline.fill("Ferry timetable cut")
    expect(journalist.locator(".headline-count")).to_have_text(
        "19 of 70 characters search engines show"
    )
    in_view(journalist, "add-form-journalist-1280")
    screenshot(journalist, "add-form-journalist-1280")

    editor = signed_in("editor", LAPTOP)
    editor.goto(change_url(newsroom["story"]))
    expect(editor.get_by_role("button", name="Publish now")).to_be_in_viewport()
    expect(editor.get_by_role("button", name="Schedule", exact=True)).to_be_in_viewport()
    expect(editor.locator(".workflow-status")).to_contain_text("Status: In review")
    expect(editor.get_by_text("Status:", exact=False)).to_have_count(1)
    # The long headline is read whole in its box.
    box = editor.get_by_label("Headline")
    assert box.evaluate("e => e.scrollHeight <= e.clientHeight + 1")
    in_view(editor, "change-form-in-review-editor-1280")
    screenshot(editor, "change-form-in-review-editor-1280")


def test_at_390_the_form_is_one_column_that_fits_and_its_buttons_work(
    newsroom, signed_in, screenshot, in_view
):
    journalist = signed_in("journalist", PHONE)
    journalist.goto("/admin/articles/article/add/")
    assert wider_than_the_screen(journalist) == []
    headline = journalist.get_by_label("Headline").bounding_box()
    panel = journalist.locator(".story-panel").bounding_box()
    assert panel["y"] > headline["y"] + headline["height"]
    assert abs(panel["x"] - headline["x"]) < 40
    submit = journalist.get_by_role("button", name="Submit for review")
    submit.scroll_into_view_if_needed()
    expect(submit).to_be_in_viewport()
    in_view(journalist, "add-form-journalist-390")
    screenshot(journalist, "add-form-journalist-390")

    editor = signed_in("editor", PHONE)
    editor.goto(change_url(newsroom["story"]))
    assert wider_than_the_screen(editor) == []
    save = editor.get_by_role("button", name="Save and continue editing")
    save.scroll_into_view_if_needed()
    expect(save).to_be_in_viewport()
    screenshot(editor, "change-form-in-review-editor-390")
    save.click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    expect(editor.get_by_role("button", name="Publish now")).to_be_attached()


def bylines_shown(page):
    return page.locator(".byline-list > li .field-author option:checked").all_text_contents()


def saved_bylines(story):
    return list(
        Byline.objects.filter(article=story)
        .order_by("position")
        .values_list("author__name", flat=True)
    )


def test_bylines_are_put_in_order_by_dragging_and_from_the_keyboard(
    newsroom, signed_in, screenshot
):
    story = newsroom["story"]
    editor = signed_in("editor", LAPTOP)
    editor.goto(change_url(story))
    assert bylines_shown(editor) == ["Ana Ruiz", "Ben Okafor", "Cy Lindqvist"]
    expect(editor.locator(".story-bylines")).not_to_contain_text("Position")

    # Drag Cy by the handle to the top.
    rows = editor.locator(".byline-list > li")
    rows.nth(2).scroll_into_view_if_needed()
    handle = rows.nth(2).locator("[data-byline-handle]").bounding_box()
    top = rows.nth(0).bounding_box()
    editor.mouse.move(handle["x"] + handle["width"] / 2, handle["y"] + handle["height"] / 2)
    editor.mouse.down()
    editor.mouse.move(top["x"] + 20, top["y"] + top["height"] / 2, steps=8)
    editor.mouse.move(top["x"] + 20, top["y"] + 4, steps=4)
    # Let go above the list: the byline stays where it was dragged, and the drag is over.
    editor.mouse.move(top["x"] + 20, top["y"] - 40, steps=2)
    editor.mouse.up()
    assert bylines_shown(editor) == ["Cy Lindqvist", "Ana Ruiz", "Ben Okafor"]
    expect(editor.locator(".byline-dragging")).to_have_count(0)
    positions = editor.locator("[data-byline-position]").evaluate_all(
        "els => els.map(e => e.value)"
    )
    assert positions == ["0", "1", "2"]
    expect(editor.locator("[data-byline-status]")).to_have_text("Cy Lindqvist: byline 1 of 3.")

    # Move Ana down from the keyboard: focus stays on her button, and the move is announced.
    down = editor.get_by_role("button", name="Move Ana Ruiz down")
    down.focus()
    editor.keyboard.press("Enter")
    assert bylines_shown(editor) == ["Cy Lindqvist", "Ben Okafor", "Ana Ruiz"]
    expect(editor.locator("[data-byline-status]")).to_have_text("Ana Ruiz: byline 3 of 3.")
    focused = editor.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Move Ana Ruiz up"
    editor.keyboard.press("Enter")
    assert bylines_shown(editor) == ["Cy Lindqvist", "Ana Ruiz", "Ben Okafor"]
    editor.get_by_role("button", name="Move Ana Ruiz down").press("Enter")

    # A byline added goes last, as a photographer.
    editor.get_by_role("button", name="Add a byline").click()
    editor.keyboard.type("Dee")
    editor.get_by_role("option", name="Dee Mensah", exact=True).click()
    editor.locator("#id_bylines-3-role").select_option(label="Photographer")
    screenshot(editor, "bylines-reordered")

    editor.get_by_role("button", name="Save and continue editing").click()
    expect(editor.locator(".messagelist")).to_contain_text("was changed successfully")
    order = ["Cy Lindqvist", "Ben Okafor", "Ana Ruiz", "Dee Mensah"]
    assert saved_bylines(story) == order
    assert bylines_shown(editor) == order
    assert Byline.objects.get(article=story, author__name="Dee Mensah").role == "photographer"
    assert Article.objects.get(pk=story.pk).status == Article.Status.REVIEW


def test_the_story_form_has_no_serious_accessibility_violations(newsroom, signed_in):
    journalist = signed_in("journalist", LAPTOP)
    journalist.goto("/admin/articles/article/add/")
    named = re.compile("_label")
    expect(journalist.locator(".field-section .select2-selection")).to_have_attribute(
        "aria-labelledby", named
    )
    assert blocking_violations(journalist) == [], "the add form"

    editor = signed_in("editor", LAPTOP)
    editor.goto(change_url(newsroom["story"]))
    expect(editor.locator("[data-byline-moves]").first).to_be_visible()
    expect(editor.locator(".field-body [role=textbox]")).to_have_attribute("aria-labelledby", named)
    assert blocking_violations(editor) == [], "the change form of a story in review"


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["1280", "390"])
def test_the_story_list_and_the_desk_use_the_width(
    newsroom, signed_in, screenshot, in_view, viewport
):
    width = viewport["width"]
    editor = signed_in("editor", viewport)
    editor.goto("/admin/articles/article/")
    expect(editor.get_by_role("heading", name="Select story to change")).to_be_visible()
    if width >= 1100:
        headline = editor.locator("#result_list th.field-headline").first.bounding_box()
        section = editor.locator("#result_list td.field-section").first.bounding_box()
        assert headline["width"] > 2 * section["width"]
    screenshot(editor, f"story-list-editor-{width}")

    editor.goto("/admin/")
    desk = editor.locator(".newsroom-desk")
    for heading in ("In review", "Scheduled", "Recently published", "My drafts"):
        expect(desk.get_by_role("heading", name=re.compile(f"^{heading}"))).to_be_visible()
    expect(desk).to_contain_text("Budget passes")
    if width >= 1100:
        assert desk.bounding_box()["width"] >= width - 120
    assert wider_than_the_screen(editor) == []
    in_view(editor, f"desk-editor-{width}")
    screenshot(editor, f"desk-editor-{width}")

    journalist = signed_in("journalist", viewport)
    journalist.goto("/admin/")
    desk = journalist.locator(".newsroom-desk")
    expect(desk.get_by_role("heading", name=re.compile("^Your stories in review"))).to_be_visible()
    expect(desk.get_by_role("heading", name=re.compile("^Your drafts"))).to_be_visible()
    expect(desk.get_by_role("heading", name=re.compile("^Scheduled"))).to_have_count(0)
    expect(desk).to_contain_text("Ferry timetable cut")
    expect(desk).not_to_contain_text("Budget passes")
    assert wider_than_the_screen(journalist) == []
    screenshot(journalist, f"desk-journalist-{width}")
