"""
The reader's first impression of the demo newsroom (`make run`), in Chromium at a desktop's
width and a phone's: the home page, a section front, a topic, an author, search results and a
story with its lead photo and share links. Each page fits the phone's width without scrolling
sideways, has no serious accessibility violation, and is saved as a screenshot; the story
prints without the site around it.
"""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from articles.models import Article

from .test_accessibility import blocking_violations

pytestmark = pytest.mark.django_db(transaction=True)

WIDTHS = (1280, 390)


@pytest.fixture
def demo(settings, roles):
    settings.DEBUG = True
    call_command("load_demo", stdout=StringIO())
    settings.DEBUG = False
    coffee = Article.objects.live().get(slug__startswith="coffee-prices")
    return {
        "home": "/",
        "section": "/business/",
        "topic": "/tag/climate/",
        "author": "/author/priya-raghunathan/",
        "search": "/search/?q=sea",
        "story": coffee.get_absolute_url(),
    }


def look_at(new_page, screenshot, path, name):
    """`path` at each width: it fits, passes axe, and is saved; the pages, widest first."""
    opened = []
    for width in WIDTHS:
        page = new_page(width=width, height=900 if width > 600 else 844)
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_have_count(1)
        assert page.evaluate("document.documentElement.scrollWidth") <= width, (name, width)
        assert blocking_violations(page) == [], f"{name} at {width}px"
        show_every_photo(page)
        screenshot(page, f"{name}-{width}")
        opened.append(page)
    return opened


def show_every_photo(page):
    """Scroll the page through, so that its lazy photos load before a full-page screenshot."""
    height = page.evaluate("document.documentElement.scrollHeight")
    for top in range(0, height, 600):
        page.evaluate(f"window.scrollTo(0, {top})")
        page.wait_for_timeout(50)
    page.evaluate("window.scrollTo(0, 0)")
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("name", ["home", "section", "topic", "author", "search"])
def test_demo_pages_show_a_grid_of_stories_with_photos(new_page, screenshot, demo, name):
    desktop, phone = look_at(new_page, screenshot, demo[name], name)

    cards = desktop.locator(".story-grid > li, .search-results > li")
    expect(cards.first).to_be_visible()
    assert cards.count() >= 2
    assert desktop.locator("main picture").count() >= 1
    # At a desktop's width the cards sit side by side, not in one narrow column.
    first, second = (cards.nth(n).bounding_box() for n in (0, 1))
    assert first["y"] == second["y"]
    assert second["x"] > first["x"] + first["width"]
    expect(desktop.locator("footer").get_by_role("link", name="Corrections policy")).to_be_visible()
    expect(phone.locator("footer").get_by_role("link", name="Business")).to_be_visible()


def test_demo_home_page_leads_with_its_photo_fetched_first(new_page, screenshot, demo):
    desktop, phone = look_at(new_page, screenshot, demo["home"], "home-lead")

    lead = desktop.locator(".lead-story img")
    expect(lead).to_have_attribute("fetchpriority", "high")
    assert lead.get_attribute("loading") is None
    assert lead.bounding_box()["width"] >= 600
    # The phone's masthead leaves room for the news: the lead headline is in the first screen.
    assert phone.locator(".lead-story-headline").bounding_box()["y"] < 844
    assert phone.locator(".masthead").bounding_box()["height"] < 160
    title = phone.locator(".masthead-title").bounding_box()
    search = phone.get_by_role("search", name="Site").bounding_box()
    assert abs((title["y"] + title["height"] / 2) - (search["y"] + search["height"] / 2)) < 12


def test_demo_story_has_its_photo_share_links_and_prints_without_the_site(
    new_page, screenshot, demo
):
    desktop, phone = look_at(new_page, screenshot, demo["story"], "story")

    expect(desktop.locator(".story-lead img")).to_have_attribute("fetchpriority", "high")
    expect(desktop.locator(".story-lead .credit")).to_have_text("Rachel Michetti (CC0)")
    share = desktop.get_by_role("complementary", name="Share this story")
    for name in ("Email", "X (Twitter)", "Facebook", "LinkedIn", "WhatsApp"):
        expect(share.get_by_role("link", name=name)).to_be_visible()
    expect(share.get_by_role("link", name="Email")).to_have_attribute(
        "href", re.compile(r"^mailto:\?subject=Coffee%20prices.*&body=http")
    )
    expect(phone.get_by_role("complementary", name="Share this story")).to_be_visible()

    desktop.emulate_media(media="print")
    expect(desktop.locator(".comment-respond")).to_be_hidden()
    expect(desktop.locator(".share")).to_be_hidden()
    expect(desktop.locator(".site-footer")).to_be_hidden()
    expect(desktop.locator(".section-nav")).to_be_hidden()
    expect(desktop.get_by_role("heading", level=1)).to_be_visible()
    expect(desktop.locator(".story-meta .byline").first).to_be_visible()
    expect(desktop.locator(".dateline")).to_be_visible()
    expect(desktop.locator(".print-url")).to_contain_text(demo["story"])
    screenshot(desktop, "story-printed")


def test_the_copy_link_button_copies_the_story_address(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(demo["story"])

    page.get_by_role("button", name="Copy link").click()

    expect(page.get_by_role("status").filter(has_text="Link copied.")).to_be_visible()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.endswith(demo["story"])
    context.close()
