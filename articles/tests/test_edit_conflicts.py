"""No lost edits: a save of a story over a colleague's newer one is refused, and merged."""

import threading

import pytest
import reversion
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from newsroom.tests.factories import UserFactory

from .factories import ArticleFactory, SectionFactory
from .test_admin_access import story_form


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def opened(client, article):
    """The change form as the browser posts it, opened now: its hidden fields included."""
    form = client.get(change_url(article)).context["adminform"].form
    data = story_form(
        article.section,
        slug=article.slug,
        headline=article.headline,
        standfirst=article.standfirst,
        body=article.body,
        dateline=article.dateline,
    )
    return data | {
        "opened_version": form["opened_version"].value(),
        "opened_copy": form["opened_copy"].value(),
    }


@pytest.fixture
def ana(db):
    return UserFactory(username="ana", first_name="Ana", last_name="Ruiz", role="Editor")


@pytest.fixture
def ana_client(ana):
    client = Client()
    client.force_login(ana)
    return client


@pytest.fixture
def story(db):
    return ArticleFactory(
        section=SectionFactory(name="Local", slug="local"),
        headline="Council approves harbour plan",
        standfirst="The vote ends a decade of argument.",
        body="<p>The council voted on Tuesday.</p>",
    )


def test_a_save_over_a_colleagues_newer_save_is_refused_and_keeps_what_was_typed(
    editor_client, ana_client, story
):
    mine = opened(editor_client, story)
    theirs = opened(ana_client, story)
    assert (
        ana_client.post(change_url(story), theirs | {"headline": "Ana's headline"}).status_code
        == 302
    )

    response = editor_client.post(
        change_url(story), mine | {"headline": "My headline", "standfirst": "My standfirst."}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ana Ruiz saved this story at" in page
    assert "nothing was saved" in page
    form = response.context["adminform"].form
    assert form["headline"].value() == "My headline"
    assert form["standfirst"].value() == "My standfirst."
    story.refresh_from_db()
    assert story.headline == "Ana's headline"
    assert story.standfirst == "The vote ends a decade of argument."
    # The diff of theirs against the version opened, and of mine against theirs.
    assert "<ins>Ana&#x27;s</ins>" in page
    assert 'name="_take_theirs" value="headline"' in page


def test_a_colleagues_change_to_a_field_left_alone_is_merged_and_both_are_saved(
    editor_client, ana_client, story
):
    mine = opened(editor_client, story)
    theirs = opened(ana_client, story)
    ana_client.post(change_url(story), theirs | {"headline": "Ana's headline"})

    refused = editor_client.post(change_url(story), mine | {"standfirst": "My standfirst."})
    form = refused.context["adminform"].form
    assert form["headline"].value() == "Ana's headline"
    assert form["standfirst"].value() == "My standfirst."
    assert "their version is in the form now" in refused.content.decode()

    again = {name: form[name].value() for name in ("opened_version", "opened_copy", "headline")}
    saved = editor_client.post(change_url(story), mine | {"standfirst": "My standfirst."} | again)

    assert saved.status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.standfirst) == ("Ana's headline", "My standfirst.")
    assert story.version == 3


def test_taking_theirs_for_a_field_both_changed_puts_it_in_the_form(
    editor_client, ana_client, story
):
    mine = opened(editor_client, story)
    theirs = opened(ana_client, story)
    ana_client.post(change_url(story), theirs | {"headline": "Ana's headline"})
    refused = editor_client.post(change_url(story), mine | {"headline": "My headline"})
    form = refused.context["adminform"].form
    kept = mine | {
        "headline": "My headline",
        "opened_version": form["opened_version"].value(),
        "opened_copy": form["opened_copy"].value(),
    }

    taken = editor_client.post(change_url(story), kept | {"_take_theirs": "headline"})

    assert taken.context["adminform"].form["headline"].value() == "Ana's headline"
    assert "is in the form now" in taken.content.decode()
    story.refresh_from_db()
    assert story.version == 2


def test_a_form_without_the_version_it_was_opened_at_is_refused(editor_client, story):
    data = opened(editor_client, story)
    del data["opened_version"]

    response = editor_client.post(change_url(story), data | {"headline": "Blind save"})

    assert response.status_code == 200
    story.refresh_from_db()
    assert story.headline == "Council approves harbour plan"


def test_a_tampered_copy_shows_every_differing_field_to_choose(editor_client, ana_client, story):
    mine = opened(editor_client, story)
    ana_client.post(change_url(story), opened(ana_client, story) | {"headline": "Ana's"})

    response = editor_client.post(change_url(story), mine | {"opened_copy": "forged"})

    assert response.status_code == 200
    assert response.context["adminform"].form["headline"].value() == story.headline
    assert 'value="headline"' in response.content.decode()


def test_restoring_a_revision_makes_an_open_form_stale(editor_client, editor, story):
    with reversion.create_revision():
        story.save()
    data = opened(editor_client, story)
    version = Version.objects.get_for_object(story).first()
    editor_client.post(reverse("admin:articles_article_restore", args=[story.pk, version.pk]))

    response = editor_client.post(change_url(story), data | {"headline": "After the restore"})

    assert response.status_code == 200
    assert Article.objects.get(pk=story.pk).headline == "Council approves harbour plan"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time; PostgreSQL shows what the row lock does",
)
@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_from_one_version_save_once(roles):
    editors = [UserFactory(username=f"editor-{n}", role="Editor") for n in range(2)]
    story = ArticleFactory(section=SectionFactory(name="Local", slug="local"))
    clients = []
    for editor in editors:
        client = Client()
        client.force_login(editor)
        clients.append((client, opened(client, story)))
    start = threading.Barrier(2)
    statuses = []

    def save(client, data, headline):
        try:
            start.wait()
            statuses.append(
                client.post(change_url(story), data | {"headline": headline}).status_code
            )
        finally:
            connections.close_all()

    workers = [
        threading.Thread(target=save, args=(client, data, f"Headline {n}"))
        for n, (client, data) in enumerate(clients)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert sorted(statuses) == [200, 302]
    assert Article.objects.get(pk=story.pk).version == 2
