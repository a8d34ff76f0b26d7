import re

import pytest
from playwright.sync_api import expect

from articles.tests.factories import ArticleFactory, AuthorFactory, SectionFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_finds_a_story_from_the_home_page_and_reads_it(page, screenshot):
    world = SectionFactory(name="World", slug="world")
    author = AuthorFactory(name="Ana Ruiz", slug="ana-ruiz")
    story = ArticleFactory(
        section=world,
        headline="Harbour plan approved after decade of argument",
        dateline="Bristol",
        body="<p>The council voted on Tuesday.</p><h2>What happens next</h2><p>Work starts.</p>",
        authors=[author],
    )

    page.goto("/")
    expect(page.get_by_role("link", name=story.headline)).to_be_visible()
    screenshot(page, "home")

    page.get_by_role("link", name=story.headline).click()
    expect(page).to_have_url(re.compile(re.escape(story.get_absolute_url()) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(story.headline)
    expect(page.locator(".dateline")).to_have_text("Bristol :")
    expect(page.get_by_role("heading", name="What happens next")).to_be_visible()
    screenshot(page, "story")

    page.get_by_role("link", name="Ana Ruiz").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ana Ruiz")
    page.get_by_role("navigation", name="Sections").get_by_role("link", name="World").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("World")
    screenshot(page, "section")


def test_story_page_reads_well_on_a_phone(new_page, screenshot):
    story = ArticleFactory(headline="Floods close the coast road", dateline="Lisbon")
    phone = new_page(width=390, height=844)
    phone.goto(story.get_absolute_url())
    expect(phone.get_by_role("heading", level=1)).to_be_visible()
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the story page scrolls sideways on a phone"
    screenshot(phone, "story-on-a-phone")
