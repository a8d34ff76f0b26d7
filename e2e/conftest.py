"""
Browser journeys: headless Chromium (Debian's `chromium` package) driven by Playwright against
a live server of the site. They run when Chromium is installed and are skipped, with the reason
in the test summary, when it is not. Each journey saves screenshots of its key steps under
e2e/screenshots/<test name>/.
"""

import os
import re
import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("NEWSROOM_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        pytest.skip(f"browser journeys need Chromium at {CHROMIUM} (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's synchronous API keeps an event loop running in this thread, while the
    # test itself uses the ORM synchronously to set up and check the newsroom.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def requests_in_flight():
    """The live server's threads still answering a request (socketserver names them)."""
    return [
        thread
        for thread in threading.enumerate()
        if thread.name.endswith("(process_request_thread)") and thread.is_alive()
    ]


@pytest.fixture(autouse=True)
def server_quiet_before_flush(request):
    """
    The database is emptied after each journey only once the live server has answered every
    request the browser sent. On SQLite the server's threads share the test's connection: a
    request still running (a poll, an autocomplete, a save the browser fired as it closed)
    would otherwise meet the flush halfway and leave the next journey a half-emptied database.
    """
    if "live_server" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    deadline = time.monotonic() + 30
    while (busy := requests_in_flight()) and time.monotonic() < deadline:
        for thread in busy:
            thread.join(timeout=0.1)
    if busy:
        pytest.fail(f"the live server was still answering {len(busy)} request(s) after 30 s")


@pytest.fixture
def new_page(browser, live_server, server_quiet_before_flush):
    """Open pages as a fresh visitor (own cookies); call it twice for two visitors."""
    contexts = []

    def open_page(width=1280, height=900):
        context = browser.new_context(
            base_url=live_server.url, viewport={"width": width, "height": height}
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def screenshot(request):
    """`screenshot(page, "step")` saves e2e/screenshots/<test>/<nn>-<step>.png."""
    folder = SCREENSHOTS / re.sub(r"[^\w.-]+", "-", request.node.name).strip("-")
    taken = []

    def take(page, step):
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{len(taken) + 1:02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        taken.append(path)
        return path

    return take
