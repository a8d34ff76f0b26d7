"""
The pieces of reader pages each server process keeps rendered (newsroom/fragments.py): the
navigation and footer, story cards, "more from" a section, a story's comments. With the page
cache off, so that nothing but a kept piece could show something stale: every write shows at
once, time changes them as it changes pages, and what a reader gets is the page they would
get without them.
"""

import re
import time
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.template import Context, Template
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import services
from articles.models import Article
from comments import services as comment_services
from comments.forms import issue_token
from comments.models import Comment, ModerationSettings
from comments.tests.factories import CommentFactory
from live import services as live_services
from live.tests.factories import LiveCoverageFactory
from newsroom import fragments, pagecache
from newsroom.cache import CacheUnavailable
from photos.tests.factories import ImageFactory

from .factories import (
    ArticleFactory,
    AuthorFactory,
    CorrectionFactory,
    SectionFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

STARTED = re.compile(rb'name="started" value="[^"]*"')


@pytest.fixture(autouse=True)
def _page_cache_off(settings):
    settings.NEWSROOM_PAGE_CACHE = False
    fragments.KEPT.clear()
    yield
    fragments.KEPT.clear()


@pytest.fixture
def europe():
    return SectionFactory(name="Europe", slug="europe")


@pytest.fixture
def reporter():
    return AuthorFactory(name="Ana Ruiz", slug="ana-ruiz")


@pytest.fixture
def live(europe, reporter):
    return ArticleFactory(
        section=europe,
        headline="Harbour plan approved",
        authors=[reporter],
        tags=[TagFactory(name="Harbours", slug="harbours")],
    )


@pytest.fixture
def neighbour(europe):
    """Another story of the section: "more from Europe" under the live one lists it."""
    return ArticleFactory(section=europe, headline="Ferry timetable changes")


def story_lists():
    return ["/", "/europe/", "/tag/harbours/", "/author/ana-ruiz/"]


def without_started(content):
    return STARTED.sub(b"", content)


def test_kept_pieces_change_nothing_a_reader_gets(client, live, neighbour, settings):
    CommentFactory(article=live, body="The harbour needs dredging first.")
    pages = [live.get_absolute_url(), *story_lists()]
    first = {url: client.get(url).content for url in pages}
    again = {url: client.get(url).content for url in pages}
    settings.NEWSROOM_FRAGMENTS_KEPT_MB = 0
    fragments.KEPT.clear()
    rendered = {url: client.get(url).content for url in pages}

    for url in pages:
        assert (
            without_started(again[url])
            == without_started(rendered[url])
            == without_started(first[url])
        ), url
    assert b"The harbour needs dredging first." in again[live.get_absolute_url()]


@pytest.mark.parametrize("photo", [False, True], ids=["text", "with a lead photo"])
def test_a_story_page_whose_pieces_are_kept_reads_only_the_story(client, live, photo):
    CommentFactory(article=live)
    if photo:
        live.lead_image = ImageFactory(size=(1200, 800))
        live.save()
    # What every page needs (the navigation, the comment rules) is remembered by now.
    client.get(ArticleFactory(section=SectionFactory()).get_absolute_url())
    with CaptureQueriesContext(connection) as first:
        response = client.get(live.get_absolute_url())
    with CaptureQueriesContext(connection) as again:
        client.get(live.get_absolute_url())

    # Rendered: the story, its bylines, tags and corrections (and its photo's renditions),
    # its comments' count and page, "more from". Kept: the story's own row (with its section
    # and photo), to know it is still live and where.
    assert len(first) == (8 if photo else 7)
    assert len(again) == 1
    assert "articles_article" in again[0]["sql"]
    if photo:
        assertContains(response, "<picture")


def test_an_edit_a_correction_and_a_new_tag_show_on_the_kept_story_page(
    client, editor, live, django_capture_on_commit_callbacks
):
    client.get(live.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        live.headline = "Harbour plan rejected"
        live.save()
        live.tags.add(TagFactory(name="Ferries", slug="ferries"))
        CorrectionFactory(article=live, text="An earlier version misnamed the harbour.")

    response = client.get(live.get_absolute_url())
    assertContains(response, '<h1 id="headline">Harbour plan rejected</h1>', html=False)
    assertContains(response, '"headline": "Harbour plan rejected"')  # the JSON-LD
    assertContains(response, "An earlier version misnamed the harbour.")
    assertContains(response, 'href="/tag/ferries/"')


def test_a_live_entry_shows_in_the_kept_story_page_description(
    client, editor, live, django_capture_on_commit_callbacks
):
    coverage = LiveCoverageFactory(article=live)
    client.get(live.get_absolute_url())

    with django_capture_on_commit_callbacks(execute=True):
        live_services.post_entry(
            coverage=coverage, actor=editor, headline="Council votes again", body="<p>Now.</p>"
        )

    assertContains(client.get(live.get_absolute_url()), '"headline": "Council votes again"')


def test_the_kept_comment_form_gets_a_fresh_started_note_each_time(client, live):
    notes = [STARTED.search(client.get(live.get_absolute_url()).content)[0] for _ in range(2)]

    assert fragments.KEPT.entries  # the comments section was kept…
    assert notes[0] != notes[1]  # …and each reader got a note of their own moment


@pytest.mark.parametrize(
    "decide", [comment_services.approve_comments, comment_services.approve_and_trust]
)
def test_approving_a_comment_shows_it_and_its_count_at_once(
    client, moderator, live, decide, django_capture_on_commit_callbacks
):
    held = CommentFactory(article=live, pending=True, body="The harbour needs dredging first.")
    for url in [live.get_absolute_url(), *story_lists()]:
        client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        decide(comments=Comment.objects.filter(pk=held.pk), moderator=moderator)

    assertContains(client.get(live.get_absolute_url()), "The harbour needs dredging first.")
    for url in story_lists():
        assertContains(client.get(url), "1 comment</a>", msg_prefix=url)


def test_removing_a_comment_takes_it_off_at_once(
    client, moderator, live, django_capture_on_commit_callbacks
):
    shown = CommentFactory(article=live, body="Something a moderator takes down later.")
    assertContains(client.get(live.get_absolute_url()), "Something a moderator takes down")

    with django_capture_on_commit_callbacks(execute=True):
        comment_services.reject_comments(
            comments=Comment.objects.filter(pk=shown.pk), moderator=moderator
        )

    assertNotContains(client.get(live.get_absolute_url()), "Something a moderator takes down")


def test_an_edited_headline_shows_on_every_card_and_in_more_from(
    client, editor, live, neighbour, django_capture_on_commit_callbacks
):
    pages = [live.get_absolute_url(), *story_lists()]
    for url in pages:
        client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        neighbour.headline = "Ferry timetable scrapped"
        neighbour.save()
        live.headline = "Harbour plan rejected"
        live.save()

    assertContains(client.get(live.get_absolute_url()), "Ferry timetable scrapped")
    for url in story_lists():
        assertContains(client.get(url), "Harbour plan rejected", msg_prefix=url)


def test_a_story_published_in_the_section_joins_more_from_at_once(
    client, editor, live, europe, django_capture_on_commit_callbacks
):
    draft = ArticleFactory(section=europe, draft=True, headline="Ferry strike called off")
    assertNotContains(client.get(live.get_absolute_url()), "Ferry strike called off")

    with django_capture_on_commit_callbacks(execute=True):
        services.publish(article=draft, actor=editor)

    assertContains(client.get(live.get_absolute_url()), "Ferry strike called off")


def test_a_scheduled_story_joins_more_from_when_due_without_any_write(
    client, editor, live, europe, django_capture_on_commit_callbacks
):
    draft = ArticleFactory(section=europe, draft=True, headline="Embargoed budget figures")
    due = timezone.now() + timedelta(hours=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.publish(article=draft, actor=editor, at=due)

    with time_machine.travel(due - timedelta(minutes=5), tick=False):
        assertNotContains(client.get(live.get_absolute_url()), "Embargoed budget figures")
    with time_machine.travel(due + timedelta(seconds=1), tick=False):
        assertContains(client.get(live.get_absolute_url()), "Embargoed budget figures")


def test_the_kept_comment_form_goes_when_comments_close_by_age(client, live):
    ModerationSettings.objects.update_or_create(pk=1, defaults={"close_after_days": 2})
    closes = live.first_live_at + timedelta(days=2)

    with time_machine.travel(closes - timedelta(minutes=1), tick=False):
        assertContains(client.get(live.get_absolute_url()), 'id="comment-form"')
        assertContains(client.get(live.get_absolute_url()), 'id="comment-form"')
    with time_machine.travel(closes + timedelta(seconds=1), tick=False):
        response = client.get(live.get_absolute_url())
    assertNotContains(response, 'id="comment-form"')
    assertContains(response, "Comments are closed.")


def test_renaming_a_section_changes_the_navigation_and_footer_of_every_page(
    client, live, europe, django_capture_on_commit_callbacks
):
    pages = [live.get_absolute_url(), "/tag/harbours/", "/"]
    for url in pages:
        client.get(url)

    with django_capture_on_commit_callbacks(execute=True):
        europe.name = "Continental Europe"
        europe.save()

    for url in pages:
        response = client.get(url)
        nav, footer = response.content.decode().partition('<footer class="site-footer">')[::2]
        assert "Continental Europe" in nav.partition("</header>")[0], url
        assert "Continental Europe" in footer, url


def test_a_reader_with_a_held_comment_sees_it_under_the_kept_story(client, live):
    client.get(live.get_absolute_url())

    response = client.post(
        reverse("comments:post", args=[live.pk]),
        {
            "body": "Is the harbour deep enough for the new ferries?",
            "name": "Sam",
            "email": "sam@example.com",
            "started": issue_token(live.pk, at=time.time() - 60),
        },
        follow=True,
    )

    assertContains(response, "Is the harbour deep enough for the new ferries?")
    assertNotContains(Client().get(live.get_absolute_url()), "Is the harbour deep enough")


def test_without_the_cache_every_piece_is_rendered(client, live, monkeypatch):
    client.get(live.get_absolute_url())

    def unreachable(*args, **kwargs):
        raise CacheUnavailable("down")

    monkeypatch.setattr(fragments, "current_versions", unreachable)
    fragments.KEPT.clear()
    assertContains(client.get(live.get_absolute_url()), "Harbour plan approved")
    assert not fragments.KEPT.entries


def test_a_bump_made_while_the_cache_was_away_lands_before_a_kept_piece_is_served(
    client, live, neighbour, monkeypatch
):
    client.get(live.get_absolute_url())
    monkeypatch.setattr(pagecache, "_UNBUMPED", {f"section:{live.section_id}"})
    # The write itself (its bump never reached the cache): the neighbour's new headline.
    type(neighbour).objects.filter(pk=neighbour.pk).update(headline="Ferry timetable scrapped")

    assertContains(client.get(live.get_absolute_url()), "Ferry timetable scrapped")
    assert not pagecache._UNBUMPED


def test_a_story_withdrawn_after_its_list_was_read_shows_nothing_of_itself(live):
    stand_in = Article.objects.live().cards([live.pk])[live.pk]
    Article.objects.filter(pk=live.pk).update(status=Article.Status.WITHDRAWN)

    card = Template('{% load story_cards %}{% story_card article "card" %}').render(
        Context({"article": stand_in})
    )

    assert "Harbour plan approved" not in card
    assert stand_in.headline == ""
