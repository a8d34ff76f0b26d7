"""
A story holding every element of the body's vocabulary (docs/body.md), in Chromium: on a
390 px phone the page never scrolls sideways (a wide table scrolls in its own box), axe finds
no serious violation, and an embed's provider is not asked for anything until the reader
clicks to load it. In the admin, the editor reads and writes every element unchanged, and an
address that cannot be embedded is a form error that keeps the story as typed.
"""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.factories import ArticleFactory, SectionFactory
from articles.tests.test_body_vocabulary import VOCABULARY
from photos.renditions import SPECS, editor_url, ensure_renditions
from photos.tests.factories import ImageFactory

from .test_accessibility import blocking_violations
from .test_content_security_policy import WATCH_FOR_VIOLATIONS, sign_in, violations

pytestmark = pytest.mark.django_db(transaction=True)

WIDE_TABLE = (
    '<figure class="table"><table><caption>Turnout by ward, 2018 to 2026</caption><thead><tr>'
    + "".join(f'<th scope="col">Ward {n} turnout</th>' for n in range(1, 9))
    + "</tr></thead><tbody><tr>"
    + "".join(f"<td>{50 + n}.{n}% of registered voters</td>" for n in range(1, 9))
    + "</tr></tbody></table></figure>"
)
SPOTIFY = "https://open.spotify.com/episode/4uLU6hMCjMI75M1A2tKUQC"


def gallery(photos):
    figures = "".join(
        f'<figure class="figure"><img src="{editor_url(photo)}" alt="{photo.alt_text}" '
        f'data-file="{photo.pk}"><figcaption>{photo.alt_text}</figcaption></figure>'
        for photo in photos
    )
    return f'<div class="gallery">{figures}</div>'


@pytest.fixture
def photos(db):
    made = [
        ImageFactory(size=(1200, 800), alt_text="Voters queue outside the town hall"),
        ImageFactory(size=(1200, 800), alt_text="Counting staff sort ballot papers"),
    ]
    # Every size made now: a page asks for its photos' sizes all at once, and the suite's
    # in-memory SQLite refuses a second writer at once rather than waiting its turn.
    for photo in made:
        for spec in SPECS.values():
            ensure_renditions(photo, list(spec.jobs(photo)))
    return made


@pytest.fixture
def story(photos):
    body = (
        "<p>The count ended at dawn, with every ballot counted twice.</p>"
        + "".join(html for name, html in VOCABULARY.items() if name != "gallery")
        + WIDE_TABLE
        + gallery(photos)
        + f'<figure class="embed" data-embed="{SPOTIFY}"><a href="{SPOTIFY}">The count, '
        "in sound</a></figure>"
    )
    return ArticleFactory(
        section=SectionFactory(name="Politics", slug="politics"),
        headline="Every ballot counted twice as the north ward declares",
        standfirst="The returning officer calls the count clean.",
        body=body,
    )


@pytest.fixture
def outside_requests(page, live_server):
    """Every request the page makes to another site, refused and kept in a list."""
    own = urlsplit(live_server.url).netloc
    asked = []

    def refuse(route):
        asked.append(route.request.url)
        route.abort()

    page.route(lambda url: urlsplit(url).netloc != own, refuse)
    return asked


def test_every_element_fits_a_phone_and_passes_axe(new_page, story, screenshot):
    page = new_page(width=390, height=844)
    page.goto(story.get_absolute_url())

    expect(page.locator(".story-body figure.table table")).to_have_count(2)
    expect(page.locator(".story-body pre code")).to_be_visible()
    expect(page.locator(".story-body figure.quote figcaption")).to_be_visible()
    expect(page.locator(".story-body aside.pull-quote")).to_be_visible()
    expect(page.locator(".story-body aside.note")).to_be_visible()
    expect(page.locator(".story-body hr")).to_have_count(1)
    expect(page.locator(".story-body li li")).to_have_text("at 8pm")
    expect(page.locator(".story-body .gallery picture")).to_have_count(2)
    expect(page.locator(".story-body figure.embed")).to_have_count(2)

    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390
    wide = page.locator(".story-body figure.table").nth(1)
    assert wide.evaluate("box => box.scrollWidth > box.clientWidth")
    assert wide.evaluate("box => box.getBoundingClientRect().right") <= 390
    assert blocking_violations(page) == []
    screenshot(page, "phone")
    wide.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.evaluate("window.scrollX") == 0


def test_an_embed_asks_its_provider_for_nothing_until_the_reader_clicks(
    page, story, outside_requests, screenshot
):
    page.goto(story.get_absolute_url())
    page.wait_for_load_state("networkidle")
    assert outside_requests == []
    youtube = page.locator("figure.embed-youtube")
    expect(youtube.get_by_role("link", name="The declaration")).to_have_attribute(
        "href", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    )
    expect(youtube.locator("iframe")).to_have_count(0)
    screenshot(page, "before-the-click")

    youtube.get_by_role("button", name=re.compile("Load YouTube")).click()

    frame = youtube.locator("iframe")
    expect(frame).to_have_attribute("src", "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ")
    expect(frame).to_have_attribute("title", "The declaration")
    page.wait_for_timeout(300)
    assert [urlsplit(url).netloc for url in outside_requests] == ["www.youtube-nocookie.com"]
    expect(page.locator("figure.embed-spotify iframe")).to_have_count(0)
    assert blocking_violations(page) == []


def test_without_javascript_an_embed_is_a_link_to_the_post(browser, live_server, story):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(story.get_absolute_url())
        embed = page.locator("figure.embed-spotify")
        expect(embed.get_by_role("link", name="The count, in sound")).to_have_attribute(
            "href", SPOTIFY
        )
        expect(embed.locator("button")).to_be_hidden()
    finally:
        context.close()


@pytest.fixture
def editor(db):
    from newsroom.tests.factories import UserFactory

    return UserFactory(username="editor", is_superuser=True)


@pytest.fixture
def watched(page):
    page.context.add_init_script(WATCH_FOR_VIOLATIONS)
    page.console_errors = []
    page.on(
        "console",
        lambda message: message.type == "error" and page.console_errors.append(message.text),
    )
    return page


def test_the_editor_keeps_every_element_unchanged(watched, story, editor, screenshot):
    before = story.body
    sign_in(watched, "editor")
    watched.goto(f"/admin/articles/article/{story.pk}/change/")
    body = watched.locator(".field-body [contenteditable=true]")
    expect(body.locator("table")).to_have_count(2)
    expect(body.locator("figure.quote figcaption")).to_have_text("The returning officer")
    expect(body.locator("aside.pull-quote")).to_be_visible()
    expect(body.locator("aside.note")).to_be_visible()
    expect(body.locator("div.gallery figure")).to_have_count(2)
    expect(body.locator("figure.embed")).to_have_count(2)
    expect(body.locator("pre code")).to_be_visible()
    screenshot(watched, "editor")

    watched.get_by_role("button", name="Save and continue editing").click()

    expect(watched.locator(".messagelist")).to_contain_text("was changed successfully")
    story.refresh_from_db()
    assert story.body == before
    assert watched.console_errors == []
    assert violations(watched) == []


def test_a_journalist_sets_two_photos_side_by_side_with_the_gallery_button(
    watched, photos, editor, screenshot
):
    figures = gallery(photos).removeprefix('<div class="gallery">').removesuffix("</div>")
    story = ArticleFactory(headline="The count in pictures", body=figures)
    sign_in(watched, "editor")
    watched.goto(f"/admin/articles/article/{story.pk}/change/")
    field = watched.locator(".field-body")
    body = field.locator("[contenteditable=true]")
    expect(body.locator("figure")).to_have_count(2)
    body.locator("figcaption").first.click()
    watched.keyboard.press("ControlOrMeta+a")
    field.locator('.prose-menubar button[data-name="gallery"]').click()
    expect(body.locator("div.gallery figure")).to_have_count(2)
    screenshot(watched, "gallery")
    watched.get_by_role("button", name="Save and continue editing").click()

    expect(watched.locator(".messagelist")).to_contain_text("was changed successfully")
    story.refresh_from_db()
    assert story.body.startswith('<div class="gallery"><figure')
    assert story.body.endswith("</figure></div>")
    assert story.body.count("<figure") == 2
    assert all(f'data-file="{photo.pk}"' in story.body for photo in photos)
    assert watched.console_errors == []


def test_an_address_that_cannot_be_embedded_is_refused_keeping_the_story(
    watched, story, editor, screenshot
):
    sign_in(watched, "editor")
    watched.goto(f"/admin/articles/article/{story.pk}/change/")
    body = watched.locator(".field-body [contenteditable=true]")
    body.locator("p").first.click()
    watched.keyboard.press("End")
    watched.keyboard.type(" Added before the embed.")

    watched.locator(".field-body").get_by_role("button", name="Embed a URL").click()
    watched.get_by_label("Address of the post").fill(
        "https://www.youtube.com.evil.example/watch?v=dQw4w9WgXcQ"
    )
    watched.get_by_label("Title for readers").fill("Not a real video")
    watched.get_by_role("button", name="Embed", exact=True).click()
    expect(body.locator("figure.embed")).to_have_count(3)
    watched.get_by_role("button", name="Save and continue editing").click()

    expect(watched.locator(".errorlist")).to_contain_text("This address cannot be embedded")
    screenshot(watched, "refused")
    expect(watched.locator(".field-body [contenteditable=true]")).to_contain_text(
        "Added before the embed."
    )
    assert "Added before the embed." not in Article.objects.get(pk=story.pk).body
    assert violations(watched) == []


def test_a_journalist_embeds_a_video_by_pasting_its_address(watched, story, editor):
    sign_in(watched, "editor")
    watched.goto(f"/admin/articles/article/{story.pk}/change/")
    watched.locator(".field-body [contenteditable=true] p").first.click()

    watched.locator(".field-body").get_by_role("button", name="Embed a URL").click()
    watched.get_by_label("Address of the post").fill("https://vimeo.com/76979871")
    watched.get_by_label("Title for readers").fill("The count at dawn")
    watched.get_by_role("button", name="Embed", exact=True).click()
    watched.get_by_role("button", name="Save and continue editing").click()

    expect(watched.locator(".messagelist")).to_contain_text("was changed successfully")
    assert (
        '<figure class="embed" data-embed="https://vimeo.com/76979871">'
        '<a href="https://vimeo.com/76979871" rel="noopener noreferrer">The count at dawn</a>'
        "</figure>"
    ) in Article.objects.get(pk=story.pk).body


def write_table(page, press):
    press("table")
    page.get_by_label("Include header row").select_option("Yes")
    page.get_by_role("button", name="Insert Table", exact=True).click()
    for text in ["Party", "Votes", "Seats", "Green", "4,312", "2"]:
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    press("table:caption")
    page.get_by_label("Table caption").fill("Results in the north ward")
    page.get_by_role("button", name="Save caption").click()


def write_code(page, press):
    field = page.locator(".field-body")
    field.locator(".prose-menubar__dropdown .prose-menubar__selected").first.click()
    field.locator('.prose-menubar__option[data-name="codeBlock"]').click()
    page.keyboard.type("if turnout < 50:")
    page.keyboard.press("Enter")
    page.keyboard.type("    recount()")


def write_quote(page, press):
    press("quoteWithAttribution")
    body = page.locator(".field-body [contenteditable=true]")
    body.locator("figure.quote blockquote p").click()
    page.keyboard.type("The count was clean.")
    body.locator("figure.quote figcaption").click()
    page.keyboard.type("The returning officer")


def write_pull_quote(page, press):
    press("pullQuote")
    page.keyboard.type("Every ballot was counted twice.")


def write_note(page, press):
    press("note")
    page.keyboard.type("Editor's note: figures are provisional.")


def write_rule(page, press):
    press("horizontalRule")


def write_lists(page, press):
    press("orderedList")
    page.keyboard.type("Polls close")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("at 8pm")


def write_embed(page, press):
    press("embed")
    page.get_by_label("Address of the post").fill("https://vimeo.com/76979871")
    page.get_by_label("Title for readers").fill("The count at dawn")
    page.get_by_role("button", name="Embed", exact=True).click()


WRITTEN_WITH_THE_BUTTONS = {
    "table": (
        write_table,
        '<figure class="table"><table><caption>Results in the north ward</caption>'
        '<thead><tr><th scope="col"><p>Party</p></th><th scope="col"><p>Votes</p></th>'
        '<th scope="col"><p>Seats</p></th></tr></thead><tbody><tr><td><p>Green</p></td>'
        "<td><p>4,312</p></td><td><p>2</p></td></tr><tr><td></td><td></td><td></td></tr></tbody>"
        "</table></figure>",
    ),
    "code": (write_code, "<pre><code>if turnout &lt; 50:\n    recount()</code></pre>"),
    "quote": (
        write_quote,
        '<figure class="quote"><blockquote><p>The count was clean.</p></blockquote>'
        "<figcaption>The returning officer</figcaption></figure>",
    ),
    "pull quote": (
        write_pull_quote,
        '<aside class="pull-quote"><p>Every ballot was counted twice.</p></aside>',
    ),
    "note": (
        write_note,
        '<aside class="note"><p>Editor\'s note: figures are provisional.</p></aside>',
    ),
    "rule": (write_rule, "<hr>"),
    "lists": (write_lists, "<ol><li><p>Polls close</p><ol><li><p>at 8pm</p></li></ol></li></ol>"),
    "embed": (
        write_embed,
        '<figure class="embed" data-embed="https://vimeo.com/76979871">'
        '<a href="https://vimeo.com/76979871" rel="noopener noreferrer">The count at dawn</a>'
        "</figure>",
    ),
}


@pytest.mark.parametrize("element", WRITTEN_WITH_THE_BUTTONS)
def test_a_journalist_writes_each_element_with_the_editors_buttons(
    watched, editor, screenshot, element
):
    write, stored = WRITTEN_WITH_THE_BUTTONS[element]
    SectionFactory(name="Politics", slug="politics")
    sign_in(watched, "editor")
    watched.goto("/admin/articles/article/add/")
    watched.get_by_label("Headline").fill("The count, element by element")
    watched.locator(".field-section .select2-selection").click()
    watched.keyboard.type("Pol")
    watched.get_by_role("option", name="Politics").click()
    field = watched.locator(".field-body")
    field.locator("[contenteditable=true]").click()
    watched.keyboard.type("The count ended at dawn.")
    watched.keyboard.press("Enter")

    write(watched, lambda name: field.locator(f'.prose-menubar button[data-name="{name}"]').click())
    screenshot(watched, "written")
    watched.get_by_role("button", name="Save and continue editing").click()

    expect(watched.locator(".messagelist")).to_contain_text("was added successfully")
    assert Article.objects.get().body == "<p>The count ended at dawn.</p>" + stored
    assert violations(watched) == []
