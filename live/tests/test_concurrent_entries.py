"""Several journalists posting to one live story at the same moment (PostgreSQL)."""

import threading

import pytest
from django.db import connection, connections

from live import services
from live.models import EntryRecord, LiveCoverage, LiveEntry
from newsroom.tests.factories import UserFactory

from .factories import LiveCoverageFactory

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite lets one writer in at a time; PostgreSQL lets them in together",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("roles"),
]


def post_at_once(coverage, people, act):
    start = threading.Barrier(len(people))
    failures = []

    def work(person):
        try:
            start.wait()
            act(LiveCoverage.objects.get(pk=coverage.pk), person)
        except Exception as failure:  # any failure fails the test below
            failures.append(failure)
        finally:
            connections.close_all()

    workers = [threading.Thread(target=work, args=(person,)) for person in people]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return failures


def test_journalists_posting_at_once_each_get_their_entry():
    journalists = [UserFactory(username=f"reporter-{n}", role="Journalist") for n in range(2)]
    coverage = LiveCoverageFactory()

    def post(coverage, journalist):
        services.post_entry(
            coverage=coverage, actor=journalist, body=f"<p>From {journalist.username}.</p>"
        )

    assert post_at_once(coverage, journalists, post) == []

    entries = LiveEntry.objects.filter(coverage=coverage)
    assert sorted(entry.body for entry in entries) == [
        "<p>From reporter-0.</p>",
        "<p>From reporter-1.</p>",
    ]
    assert {entry.posted_by.username for entry in entries} == {"reporter-0", "reporter-1"}
    assert EntryRecord.objects.filter(action=EntryRecord.Action.POSTED).count() == 2


def test_an_edit_and_a_new_entry_at_once_leave_both():
    journalist = UserFactory(username="reporter", role="Journalist")
    editor = UserFactory(username="desk-editor", role="Editor")
    coverage = LiveCoverageFactory()
    first = services.post_entry(coverage=coverage, actor=journalist, body="<p>Turnout 48%.</p>")

    def act(coverage, person):
        if person == editor:
            entry = LiveEntry.objects.get(pk=first.pk)
            services.correct_entry(
                entry=entry, actor=editor, note="Turnout misreported.", body="<p>Turnout 58%.</p>"
            )
        else:
            services.post_entry(coverage=coverage, actor=person, body="<p>Recount ordered.</p>")

    assert post_at_once(coverage, [journalist, editor], act) == []

    bodies = set(LiveEntry.objects.filter(coverage=coverage).values_list("body", flat=True))
    assert bodies == {"<p>Turnout 58%.</p>", "<p>Recount ordered.</p>"}
