"""
A live story in the browser: two journalists post entries from the admin while a reader has
the story open; the reader's page, without reloading, announces "2 new updates" in its live
region, leaves the reader's focus where it was, and puts the entries on the page when asked.
Production-like settings: DEBUG off, the page cache on (the polls are served from it).
"""

import re
import time

import pytest
from playwright.sync_api import expect

from articles.tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from live import services
from live.models import LiveEntry
from live.tests.factories import LiveCoverageFactory, LiveEntryFactory
from newsroom import pagecache
from newsroom.tests.factories import PASSWORD, UserFactory

from .test_accessibility import blocking_violations

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def newsroom(roles, settings):
    settings.DEBUG = False
    settings.NEWSROOM_PAGE_CACHE = True
    settings.NEWSROOM_LIVE_POLL_SECONDS = 2
    story = ArticleFactory(
        headline="Thousands evacuated as the Ebro bursts its banks",
        section=SectionFactory(name="World", slug="world"),
    )
    coverage = LiveCoverageFactory(article=story, summary="The river is expected to peak today.")
    LiveEntryFactory(coverage=coverage, headline="River at 6.4 metres")
    for username, name in (("ana", "Ana Ruiz"), ("ben", "Ben Okafor")):
        user = UserFactory(username=username, role="Journalist")
        AuthorFactory(name=name, slug=username, user=user)
    # A page rendered within half a second of a change is served but not kept: let the
    # reader's page be the stored one, as it is a moment after any change.
    time.sleep(pagecache.BUMP_MARGIN_NS / 1e9 + 0.1)
    return coverage


def sign_in(page, username):
    page.goto("/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#site-name")).to_be_visible()


def post_entry(page, coverage, *, headline, body):
    page.goto(f"/admin/live/liveentry/add/?coverage={coverage.pk}")
    page.get_by_label("Headline").fill(headline)
    page.locator(".field-body [contenteditable=true]").click()
    page.keyboard.type(body)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")


def test_two_journalists_post_while_a_reader_watches(newsroom, new_page, screenshot):
    coverage = newsroom
    reader = new_page()
    reader.goto(coverage.article.get_absolute_url())
    expect(reader.get_by_role("heading", name=re.compile("Latest updates"))).to_be_visible()
    reader.evaluate("window.openedOnce = true")
    screenshot(reader, "reader-opens-the-story")

    ana, ben = new_page(), new_page()
    sign_in(ana, "ana")
    sign_in(ben, "ben")
    post_entry(ana, coverage, headline="Motorway closed", body="The A-68 is shut at Gallur.")
    screenshot(ana, "ana-posted")
    post_entry(ben, coverage, headline="Schools shut", body="Schools in Utebo stay closed.")

    announcer = reader.get_by_role("status")
    expect(announcer).to_have_text("2 new updates", timeout=15_000)
    assert reader.evaluate("window.openedOnce") is True, "the reader's page was reloaded"
    assert reader.evaluate("document.activeElement === document.body"), "focus was moved"
    expect(reader.get_by_role("heading", name="Motorway closed")).to_have_count(0)
    screenshot(reader, "reader-is-told-of-two-new-updates")

    reader.get_by_role("button", name="Show them").click()
    entries = reader.locator(".live-entry-headline")
    expect(entries).to_have_text(["Schools shut", "Motorway closed", "River at 6.4 metres"])
    expect(announcer).to_have_text("")
    expect(reader.get_by_role("link", name="Ana Ruiz")).to_be_visible()
    screenshot(reader, "reader-shows-the-new-updates")

    posted = LiveEntry.objects.filter(coverage=coverage).exclude(headline="River at 6.4 metres")
    assert {entry.posted_by.username for entry in posted} == {"ana", "ben"}
    assert {author.name for entry in posted for author in entry.authors.all()} == {
        "Ana Ruiz",
        "Ben Okafor",
    }


def test_a_live_page_is_accessible_and_fits_a_phone(newsroom, new_page, screenshot):
    coverage = newsroom
    editor = UserFactory(username="desk", role="Editor")
    entries = [
        LiveEntryFactory(coverage=coverage, headline=f"Update {n}", is_key_event=n % 2 == 0)
        for n in range(4)
    ]
    services.set_pinned(entry=entries[0], actor=editor, pinned=True)
    services.correct_entry(
        entry=entries[1], actor=editor, note="The ward was misnamed.", body="<p>Ward 9.</p>"
    )
    time.sleep(pagecache.BUMP_MARGIN_NS / 1e9 + 0.1)

    for width in (1280, 390):
        reader = new_page(width=width)
        reader.goto(coverage.article.get_absolute_url())
        expect(reader.get_by_role("navigation", name="Key events")).to_be_visible()
        assert blocking_violations(reader) == [], f"live page at {width}px"
        assert reader.evaluate("document.documentElement.scrollWidth") <= width
        screenshot(reader, f"live-page-{width}")

    services.post_entry(coverage=coverage, actor=editor, body="<p>Recount ordered.</p>")
    expect(reader.get_by_role("status")).to_have_text("1 new update", timeout=15_000)
    assert blocking_violations(reader) == [], "live page announcing an update"
    screenshot(reader, "live-page-announcing-on-a-phone")
