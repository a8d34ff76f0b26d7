"""Who may do what to live coverage in the admin: every role, every path, on the server."""

import pytest
from django.utils import timezone

from articles.tests.factories import ArticleFactory, AuthorFactory
from live.models import EntryRecord, LiveCoverage, LiveEntry
from newsroom.tests.admin_forms import as_opened
from newsroom.tests.factories import UserFactory

from .factories import LiveCoverageFactory, LiveEntryFactory

pytestmark = pytest.mark.django_db

ADD = "/admin/live/liveentry/add/"
ENTRIES = "/admin/live/liveentry/"
COVERAGE = "/admin/live/livecoverage/"
INLINE = {
    "records-TOTAL_FORMS": "0",
    "records-INITIAL_FORMS": "0",
    "records-MIN_NUM_FORMS": "0",
    "records-MAX_NUM_FORMS": "1000",
}  # the record of a change, shown (read-only) on an entry's change form


def change_url(entry):
    return f"{ENTRIES}{entry.pk}/change/"


def save(client, entry, data):
    """Send `entry`'s change form as a browser that opened it does."""
    url = change_url(entry)
    return client.post(url, as_opened(client, url, data))


def entry_form(coverage, author, **fields):
    return {
        "coverage": coverage.pk,
        "authors": [author.pk],
        "headline": "Recount ordered",
        "body": "<p>The returning officer has ordered a recount.</p>",
        **INLINE,
        **fields,
    }


@pytest.fixture
def coverage():
    return LiveCoverageFactory()


@pytest.fixture
def own_author(journalist):
    return AuthorFactory(user=journalist)


def test_journalist_posts_an_entry(journalist_client, journalist, coverage, own_author):
    response = journalist_client.post(ADD, entry_form(coverage, own_author))

    assert response.status_code == 302
    entry = LiveEntry.objects.get()
    assert entry.posted_by == journalist
    assert list(entry.authors.all()) == [own_author]
    assert entry.records.get().action == EntryRecord.Action.POSTED


def test_journalist_add_form_offers_their_own_byline(journalist_client, own_author, coverage):
    response = journalist_client.get(f"{ADD}?coverage={coverage.pk}")

    assert response.status_code == 200
    assert response.context["adminform"].form.initial["authors"] == [own_author]


def test_journalist_cannot_pin_when_posting(journalist_client, coverage, own_author):
    journalist_client.post(ADD, entry_form(coverage, own_author, is_pinned="on"))

    assert LiveEntry.objects.get().is_pinned is False


def test_posting_to_ended_coverage_is_refused_with_what_was_typed_kept(
    journalist_client, coverage, own_author
):
    coverage.ended_at = timezone.now()
    coverage.save()

    response = journalist_client.post(ADD, entry_form(coverage, own_author))

    assert response.status_code == 200
    assert not LiveEntry.objects.exists()
    content = response.content.decode()
    assert "This coverage has ended" in content
    assert "Recount ordered" in content


def test_an_entry_without_words_is_refused_with_a_message(journalist_client, coverage, own_author):
    response = journalist_client.post(ADD, entry_form(coverage, own_author, body="<p> </p>"))

    assert response.status_code == 200
    assert not LiveEntry.objects.exists()
    assert "An entry needs some text or a photo." in response.content.decode()


def test_journalist_edits_their_own_entry(journalist_client, journalist, coverage, own_author):
    entry = LiveEntryFactory(coverage=coverage, posted_by=journalist, authors=[own_author])

    response = save(
        journalist_client, entry, entry_form(coverage, own_author, headline="Recount under way")
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.headline == "Recount under way"
    assert entry.records.get().action == EntryRecord.Action.EDITED


def test_journalist_cannot_edit_a_colleagues_entry(journalist_client, coverage, own_author):
    colleague = UserFactory(username="colleague", role="Journalist")
    entry = LiveEntryFactory(coverage=coverage, posted_by=colleague, headline="Theirs")

    response = save(journalist_client, entry, entry_form(coverage, own_author, headline="Mine now"))

    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.headline == "Theirs"


def test_journalist_cannot_delete_pin_or_end(journalist_client, journalist, coverage):
    entry = LiveEntryFactory(coverage=coverage, posted_by=journalist)

    assert journalist_client.post(f"{ENTRIES}{entry.pk}/delete/", {"post": "yes"}).status_code == (
        403
    )
    journalist_client.post(ENTRIES, {"action": "pin", "_selected_action": [entry.pk]})
    journalist_client.post(COVERAGE, {"action": "end_coverage", "_selected_action": [coverage.pk]})

    entry.refresh_from_db()
    coverage.refresh_from_db()
    assert entry.deleted_at is None
    assert entry.is_pinned is False
    assert coverage.ended_at is None


def test_journalist_cannot_start_coverage(journalist_client):
    assert journalist_client.get(f"{COVERAGE}add/").status_code == 403


def test_editor_pins_an_entry(editor_client, coverage):
    entry = LiveEntryFactory(coverage=coverage)

    editor_client.post(ENTRIES, {"action": "pin", "_selected_action": [entry.pk]})

    entry.refresh_from_db()
    assert entry.is_pinned is True
    assert entry.records.get().action == EntryRecord.Action.PINNED


def test_editor_deletes_an_entry_and_it_is_kept_with_a_record(editor_client, editor, coverage):
    entry = LiveEntryFactory(coverage=coverage, headline="Wrong district")

    response = editor_client.post(f"{ENTRIES}{entry.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.deleted_at is not None
    record = entry.records.get()
    assert (record.action, record.by, record.headline_before) == (
        EntryRecord.Action.DELETED,
        editor,
        "Wrong district",
    )


def test_editor_corrects_an_entry_and_readers_see_the_note(editor_client, client, coverage):
    author = AuthorFactory()
    entry = LiveEntryFactory(coverage=coverage, body="<p>Turnout was 48%.</p>")

    response = save(
        editor_client,
        entry,
        entry_form(
            coverage,
            author,
            body="<p>Turnout was 58%.</p>",
            correction="The turnout was misreported.",
        ),
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.corrected_at is not None
    record = entry.records.get()
    assert record.action == EntryRecord.Action.CORRECTED
    assert record.body_before == "<p>Turnout was 48%.</p>"
    page = client.get(coverage.article.get_absolute_url()).content.decode()
    assert "The turnout was misreported." in page
    assert "58%" in page


def test_editor_ends_coverage(editor_client, editor, coverage):
    editor_client.post(COVERAGE, {"action": "end_coverage", "_selected_action": [coverage.pk]})

    coverage.refresh_from_db()
    assert coverage.ended_at is not None
    assert coverage.ended_by == editor


def test_editor_starts_coverage_of_a_story(editor_client, editor):
    story = ArticleFactory()

    response = editor_client.post(
        f"{COVERAGE}add/",
        {
            "article": story.pk,
            "summary": "Follow the count.",
            "started_at_0": "2026-01-01",
            "started_at_1": "20:00:00",
            "order": "auto",
        },
    )

    assert response.status_code == 302
    assert LiveCoverage.objects.get().created_by == editor


@pytest.mark.parametrize("url", [ADD, ENTRIES, COVERAGE, f"{COVERAGE}add/"])
def test_moderator_has_no_live_screens(moderator_client, url):
    assert moderator_client.get(url).status_code == 403


def test_entry_list_query_count_does_not_grow(
    editor_client, coverage, django_assert_max_num_queries
):
    authors = [AuthorFactory() for _ in range(3)]
    for _ in range(30):
        LiveEntryFactory(coverage=coverage, authors=authors)

    with django_assert_max_num_queries(12):
        response = editor_client.get(ENTRIES)
    assert response.status_code == 200


def test_the_desk_shows_running_coverage_to_those_who_post(journalist_client, client, coverage):
    ended = LiveCoverageFactory(ended_at=timezone.now())
    LiveEntryFactory.create_batch(2, coverage=coverage)

    page = journalist_client.get("/admin/").content.decode()

    assert f"{ADD}?coverage={coverage.pk}" in page
    assert "2 entries" in page
    assert f"{ADD}?coverage={ended.pk}" not in page


def test_the_desk_shows_no_live_panel_to_a_moderator(moderator_client, coverage):
    assert "Live now" not in moderator_client.get("/admin/").content.decode()


def test_journalist_cannot_edit_their_entry_once_coverage_has_ended(
    journalist_client, journalist, coverage, own_author
):
    entry = LiveEntryFactory(coverage=coverage, posted_by=journalist, headline="Mine")
    coverage.ended_at = timezone.now()
    coverage.save()

    response = save(journalist_client, entry, entry_form(coverage, own_author))

    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.headline == "Mine"


def test_coverage_of_a_colleagues_draft_stays_hidden_from_a_journalist(
    journalist_client, own_author
):
    draft = ArticleFactory(draft=True, headline="Embargoed: the minister resigns")
    hidden = LiveCoverageFactory(article=draft)
    LiveEntryFactory(coverage=hidden, headline="Resignation letter")

    pages = [
        journalist_client.get(url).content.decode() for url in (ADD, ENTRIES, COVERAGE, "/admin/")
    ]
    response = journalist_client.post(ADD, entry_form(hidden, own_author))

    assert not any("the minister resigns" in page for page in pages)
    assert not any("Resignation letter" in page for page in pages)
    assert journalist_client.get(change_url(hidden.entries.get())).status_code == 302
    assert response.status_code == 200
    assert LiveEntry.objects.count() == 1


def test_an_editor_sees_coverage_of_every_story(editor_client):
    hidden = LiveCoverageFactory(article=ArticleFactory(draft=True, headline="Embargoed"))

    assert f'value="{hidden.pk}"' in editor_client.get(ADD).content.decode()


def test_editor_unpinning_through_the_form_is_recorded_as_such(editor_client, coverage):
    author = AuthorFactory()
    entry = LiveEntryFactory(coverage=coverage, is_pinned=True, authors=[author])

    response = save(
        editor_client,
        entry,
        entry_form(coverage, author, headline=entry.headline, body=entry.body),
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.is_pinned is False
    assert [record.action for record in entry.records.all()] == [EntryRecord.Action.UNPINNED]
