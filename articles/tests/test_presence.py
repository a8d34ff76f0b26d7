"""Who else has a story open: shown on the form and in the list, expiring by itself."""

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import EditingPresence
from newsroom.tests.factories import UserFactory
from newsroom.tests.queries import count_queries

from .factories import ArticleFactory

pytestmark = pytest.mark.django_db


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def presence_url(article):
    return reverse("admin:articles_article_presence", args=[article.pk])


def take_over_url(article):
    return reverse("admin:articles_article_take_over", args=[article.pk])


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ana(db):
    return UserFactory(username="ana", first_name="Ana", last_name="Ruiz", role="Editor")


@pytest.fixture
def story(db):
    return ArticleFactory(headline="Council approves harbour plan")


def test_the_form_shows_who_else_has_the_story_open_and_since_when(editor_client, ana, story):
    opened = timezone.localtime().replace(hour=10, minute=42, second=5)
    with time_machine.travel(opened, tick=False):
        signed_in(ana).get(change_url(story))
    with time_machine.travel(opened + timedelta(seconds=30), tick=False):
        response = editor_client.get(change_url(story))

    assert "Ana Ruiz is editing this story, since 10:42" in response.content.decode()
    assert "Take over this story" in response.content.decode()


def test_nobody_else_editing_shows_nothing_about_it(editor_client, story):
    response = editor_client.get(change_url(story))

    assert "is editing this story" not in response.content.decode()


def test_presence_expires_when_the_browser_stops_saying_it_is_open(editor_client, ana, story):
    signed_in(ana).get(change_url(story))

    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        response = editor_client.get(change_url(story))
        state = editor_client.post(presence_url(story)).json()

    assert "is editing this story" not in response.content.decode()
    assert state["others"] == []


def test_the_heartbeat_keeps_a_presence_alive_and_reports_the_others(editor_client, ana, story):
    ana_client = signed_in(ana)
    ana_client.get(change_url(story))
    editor_client.get(change_url(story))
    with time_machine.travel(timezone.now() + timedelta(seconds=50)):
        ana_client.post(presence_url(story))
    with time_machine.travel(timezone.now() + timedelta(seconds=90)):
        state = editor_client.post(presence_url(story)).json()

    assert [other["name"] for other in state["others"]] == ["Ana Ruiz"]


def test_leaving_the_form_ends_the_presence(editor_client, ana, story):
    ana_client = signed_in(ana)
    ana_client.get(change_url(story))

    assert ana_client.post(presence_url(story), {"leave": "1"}).status_code == 204

    assert editor_client.post(presence_url(story)).json()["others"] == []


def test_the_story_list_marks_stories_being_edited(editor_client, ana, story):
    other = ArticleFactory(headline="Ferry fares frozen")
    signed_in(ana).get(change_url(story))

    response = editor_client.get(reverse("admin:articles_article_changelist"))

    rows = {row.headline: row for row in response.context["cl"].result_list}
    assert [p.user for p in rows[story.headline].editing_now] == [ana]
    assert rows[other.headline].editing_now == []
    assert "✎ Ana Ruiz" in response.content.decode()


def test_the_story_list_runs_the_same_queries_whoever_is_editing(editor_client, ana):
    stories = ArticleFactory.create_batch(5)
    _response, none_editing = count_queries(
        editor_client, reverse("admin:articles_article_changelist")
    )
    for n, article in enumerate(stories):
        signed_in(UserFactory(username=f"colleague-{n}", role="Editor")).get(change_url(article))
    _response, all_editing = count_queries(
        editor_client, reverse("admin:articles_article_changelist")
    )

    assert none_editing == all_editing


def test_an_editor_takes_a_story_over_and_the_other_is_told(editor_client, ana, story):
    ana_client = signed_in(ana)
    ana_client.get(change_url(story))

    response = editor_client.post(take_over_url(story))

    assert response.status_code == 302
    state = ana_client.post(presence_url(story)).json()
    assert state["taken_over_by"]["name"] == "editor"
    assert editor_client.post(presence_url(story)).json()["others"] == []
    # Opening the story again makes Ana present again, and shown to the editor.
    ana_client.get(change_url(story))
    assert [o["name"] for o in editor_client.post(presence_url(story)).json()["others"]] == [
        "Ana Ruiz"
    ]


@pytest.mark.parametrize(
    ("role", "heartbeat", "take_over"),
    [
        ("anonymous", "sign in", "sign in"),
        ("Journalist", 403, 403),
        ("Moderator", 403, 403),
        ("Editor", 200, 302),
    ],
)
def test_each_role_on_the_presence_paths_of_a_colleagues_live_story(
    ana, story, role, heartbeat, take_over
):
    signed_in(ana).get(change_url(story))
    client = Client()
    if role != "anonymous":
        client.force_login(UserFactory(username=role.lower(), role=role))

    def answer(response):
        if response.status_code == 302 and reverse("admin:login") in response["Location"]:
            return "sign in"
        return response.status_code

    assert answer(client.post(presence_url(story))) == heartbeat
    assert answer(client.post(take_over_url(story))) == take_over
    ana_state = EditingPresence.objects.get(user=ana)
    assert (ana_state.taken_over_by_id is not None) == (role == "Editor")


def test_a_journalist_editing_their_own_draft_is_present_but_cannot_take_over(ana):
    journalist = UserFactory(username="journalist", role="Journalist")
    draft = ArticleFactory(draft=True, created_by=journalist)
    signed_in(ana).get(change_url(draft))
    client = signed_in(journalist)

    assert client.post(presence_url(draft)).json()["others"][0]["name"] == "Ana Ruiz"
    assert client.post(take_over_url(draft)).status_code == 403


def test_the_heartbeat_answers_only_posts(editor_client, story):
    assert editor_client.get(presence_url(story)).status_code == 405
    assert editor_client.get(take_over_url(story)).status_code == 405
