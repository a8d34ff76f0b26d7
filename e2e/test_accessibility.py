"""
Every reader page meets WCAG 2.1 A and AA as axe-core checks it in Chromium: no serious or
critical violation on the home page, a section, a story (with and without its photo, with its
comments and the comment form, and the form showing errors), search results, a topic and an
author. axe-core comes with the `axe-playwright-python` package and is injected into the page:
nothing is fetched from the network.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Byline
from articles.tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CorrectionFactory,
    SectionFactory,
    TagFactory,
)
from comments.tests.factories import CommentFactory
from photos.tests.factories import ImageFactory

axe_playwright = pytest.importorskip("axe_playwright_python.sync_playwright")

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = {"serious", "critical"}

BODY = (
    "<p>The council voted on Tuesday to approve the plan, ending a decade of argument.</p>"
    "<h2>What happens next</h2>"
    "<p>Work starts in the spring. <a href='https://example.org/plan'>Read the plan</a>.</p>"
    "<blockquote><p>“We have waited long enough,” said one resident.</p></blockquote>"
    "<ul><li>New homes</li><li>A park</li><li>A ferry stop</li></ul>"
    "<h3>The objections</h3><p>Campaigners say they will consider a legal challenge.</p>"
)


def blocking_violations(page):
    """axe-core's serious and critical WCAG 2.1 A/AA violations on `page`, readably."""
    results = axe_playwright.Axe().run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(node["target"][0] for node in violation["nodes"][:5])
        for violation in results.response["violations"]
        if violation["impact"] in BLOCKING
    ]


@pytest.fixture
def newsroom(db):
    """A small newsroom like the demo: sections, writers with bios, photos, topics, comments."""
    world = SectionFactory(name="World", slug="world", description="News from abroad.")
    europe = SectionFactory(name="Europe", slug="europe", parent=world)
    politics = SectionFactory(name="Politics", slug="politics")
    ana = AuthorFactory(
        name="Ana Ruiz",
        slug="ana-ruiz",
        bio="Ana covers climate and the coast.",
        photo=ImageFactory(size=(480, 480), alt_text="Ana Ruiz, smiling, on a pier"),
    )
    ben = AuthorFactory(name="Ben Okafor", slug="ben-okafor")
    climate, transport = TagFactory(name="Climate"), TagFactory(name="Transport")
    now = timezone.now()
    with_photo = ArticleFactory(
        headline="Floods close the coast road as the river bursts its banks",
        kicker="Spain floods",
        standfirst="Thousands are moved from riverside towns after three days of rain.",
        dateline="Zaragoza",
        section=world,
        body=BODY,
        lead_image=ImageFactory(size=(1600, 1067), alt_text="A road under brown floodwater"),
        is_breaking=True,
        breaking_until=now + timedelta(hours=2),
        tags=[climate, transport],
        publish_at=now - timedelta(minutes=30),
    )
    with_photo.bylines.create(author=ana, position=0)
    with_photo.bylines.create(author=ben, position=1, role=Byline.Role.PHOTOGRAPHER)
    CorrectionFactory(article=with_photo)
    first = CommentFactory(article=with_photo, name="Maria", body="Stay safe, everyone.")
    CommentFactory(article=with_photo, parent=first, name="João", body="Thank you, Maria.")
    CommentFactory.create_batch(3, article=with_photo)
    without_photo = ArticleFactory(
        headline="Ferry timetable changes for the winter",
        standfirst="Fewer crossings from November.",
        dateline="Lisbon",
        section=europe,
        body=BODY,
        tags=[transport],
        authors=[ben],
        publish_at=now - timedelta(hours=2),
    )
    for n in range(8):
        ArticleFactory(
            headline=f"Budget talks resume, day {n}",
            section=politics if n % 2 else world,
            authors=[ana],
            tags=[climate],
            publish_at=now - timedelta(hours=3 + n),
        )
    return {"with_photo": with_photo, "without_photo": without_photo}


def pages(newsroom):
    return {
        "home": "/",
        "section": "/world/",
        "story with photo and comments": newsroom["with_photo"].get_absolute_url(),
        "story without photo": newsroom["without_photo"].get_absolute_url(),
        "search results": "/search/?q=floods+OR+budget",
        "search with a wrong filter": "/search/?q=budget&date_from=2026-03-10&date_to=2026-03-01",
        "topic": "/tag/climate/",
        "author": "/author/ana-ruiz/",
    }


@pytest.mark.parametrize(
    "name",
    [
        "home",
        "section",
        "story with photo and comments",
        "story without photo",
        "search results",
        "search with a wrong filter",
        "topic",
        "author",
    ],
)
def test_reader_pages_have_no_serious_accessibility_violations(
    new_page, screenshot, newsroom, name
):
    for width in (1280, 390):
        page = new_page(width=width)
        page.goto(pages(newsroom)[name])
        expect(page.get_by_role("heading", level=1)).to_have_count(1)

        assert blocking_violations(page) == [], f"{name} at {width}px"
        screenshot(page, f"{name.replace(' ', '-')}-{width}")


def test_the_comment_form_with_errors_has_no_serious_accessibility_violations(
    page, screenshot, newsroom
):
    page.goto(newsroom["with_photo"].get_absolute_url())
    page.get_by_role("button", name="Post comment").click()

    expect(page.get_by_role("alert")).to_contain_text("Your comment has not been posted yet")
    assert blocking_violations(page) == []
    screenshot(page, "comment-form-errors")


def test_search_from_the_masthead_finds_and_highlights_stories(page, screenshot, newsroom):
    page.goto("/")
    search = page.get_by_role("search", name="Site")
    search.get_by_role("searchbox", name="Search stories").fill("ferry")
    search.get_by_role("button", name="Search").click()

    expect(page).to_have_url("/search/?q=ferry")
    result = page.get_by_role("link", name="Ferry timetable changes for the winter")
    expect(result).to_be_visible()
    expect(result.locator("mark")).to_have_text("Ferry")
    screenshot(page, "search-results")


def test_the_search_page_fits_a_phone(new_page, screenshot, newsroom):
    phone = new_page(width=390, height=844)
    phone.goto("/search/?q=budget")

    expect(phone.get_by_role("heading", level=1)).to_have_text("Search")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    phone.get_by_text("Narrow by section or date").click()
    expect(phone.get_by_label("Section", exact=True)).to_be_visible()
    screenshot(phone, "search-on-a-phone")


def test_the_check_reports_a_serious_violation_when_there_is_one(page, newsroom):
    page.goto("/")
    page.evaluate(
        """() => {
            const field = document.createElement("input");
            field.type = "text";
            document.querySelector("main").append(field);
            const faint = document.createElement("p");
            faint.textContent = "Faint text";
            faint.style.color = "#ddd";
            document.querySelector("main").append(faint);
        }"""
    )

    found = blocking_violations(page)

    assert any(line.startswith("label (critical)") for line in found), found
    assert any(line.startswith("color-contrast (serious)") for line in found), found
