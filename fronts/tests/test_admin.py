"""The fronts in the admin: editors only, on every path; bad input, a stale save, undo."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from articles.curation import Arrangement
from articles.tests.factories import ArticleFactory
from fronts import arrangements
from fronts.models import Front, FrontChange, PlacementProposal
from fronts.services import arrange_front, propose_placement
from newsroom.tests.factories import UserFactory

from .factories import FrontFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def home_front():
    return FrontFactory(section=None)


def proposed(front, proposer):
    return propose_placement(
        front=front,
        article=ArticleFactory(),
        slot="top",
        block_title="",
        note="",
        proposer=proposer,
    )


def paths(front, change_id=0, proposal_id=0):
    """(method, url, data) for every path of the fronts' admin."""
    return [
        ("get", reverse("admin:fronts_front_changelist"), None),
        ("get", reverse("admin:fronts_front_add"), None),
        ("get", reverse("admin:fronts_front_change", args=[front.pk]), None),
        ("post", reverse("admin:fronts_front_change", args=[front.pk]), {"version": "1"}),
        ("get", reverse("admin:fronts_search") + "?q=harbour", None),
        ("post", reverse("admin:fronts_front_preview", args=[front.pk]), {}),
        ("post", reverse("admin:fronts_front_undo", args=[front.pk, change_id]), {}),
        (
            "post",
            reverse("admin:fronts_front_dismiss_proposal", args=[front.pk, proposal_id]),
            {},
        ),
        (
            "post",
            reverse("admin:fronts_front_place_proposal", args=[front.pk, proposal_id]),
            {"version": "2"},
        ),
    ]


@pytest.mark.parametrize("role", ["Journalist", "Moderator"])
def test_only_editors_reach_any_path_of_the_fronts(client, home_front, editor, role):
    story = ArticleFactory()
    change = arrange_front(
        front=home_front, arrangement=Arrangement(lead=story.pk), actor=editor, opened_version=1
    )
    proposal = proposed(home_front, editor)
    client.force_login(UserFactory(username=role.lower(), role=role))

    for method, url, data in paths(home_front, change.pk, proposal.pk):
        response = getattr(client, method)(url, data)
        assert response.status_code == 403, (role, method, url, response.status_code)

    assert arrangements.current(Front.objects.get()).lead == story.pk
    assert FrontChange.objects.count() == 1
    proposal.refresh_from_db()
    assert proposal.state == PlacementProposal.State.OPEN


def test_anonymous_visitors_are_sent_to_sign_in_on_every_path(client, home_front):
    for method, url, data in paths(home_front):
        response = getattr(client, method)(url, data)
        assert response.status_code == 302, url
        assert reverse("admin:login") in response["Location"]


def test_editors_reach_every_path(editor_client, home_front, editor):
    story = ArticleFactory(headline="Council approves harbour plan")
    change = arrange_front(
        front=home_front, arrangement=Arrangement(lead=story.pk), actor=editor, opened_version=1
    )
    statuses = {
        url: getattr(editor_client, method)(url, data).status_code
        for method, url, data in paths(home_front, change.pk, proposed(home_front, editor).pk)
    }
    # The save posts version 1 of a front saved since: refused as stale (409), not forbidden.
    assert set(statuses.values()) <= {200, 302, 409}, statuses


def test_an_editor_saves_a_front_and_the_change_is_logged(editor_client, home_front, editor):
    lead, first, second, pick = ArticleFactory.create_batch(4)
    url = reverse("admin:fronts_front_change", args=[home_front.pk])

    response = editor_client.post(
        url,
        {
            "version": "1",
            "lead": str(lead.pk),
            "top": [str(second.pk), str(first.pk)],
            "block": ["1"],
            "block_title-1": "Editor's picks",
            "block-1": [str(pick.pk)],
        },
    )

    assert response.status_code == 302
    assert arrangements.current(Front.objects.get()) == Arrangement(
        lead=lead.pk, top=(second.pk, first.pk), blocks=(("Editor's picks", (pick.pk,)),)
    )
    change = FrontChange.objects.get()
    assert change.changed_by == editor
    assert f"“{lead.headline}” added as lead" in change.summary
    assert f"“{pick.headline}” added as Editor's picks, 1" in change.summary
    page = editor_client.get(url)
    assert escape(change.summary) in page.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"lead": "not-a-number"}, "“not-a-number” is not a story."),
        ({"lead": "draft"}, "“Draft one” is not published"),
        ({"lead": "999999"}, "There is no story 999999."),
        ({"lead": "live", "top": ["live"]}, "is placed twice"),
        ({"lead": ["live", "other"]}, "A front has one lead story"),
        ({"block": ["1"], "block_title-1": "  ", "block-1": ["live"]}, "Give every block a title"),
    ],
)
def test_a_bad_arrangement_is_refused_with_a_message_and_kept(
    editor_client, home_front, data, message
):
    ids = {
        "live": str(ArticleFactory(headline="Live one").pk),
        "other": str(ArticleFactory(headline="Other one").pk),
        "draft": str(ArticleFactory(headline="Draft one", draft=True).pk),
    }
    posted = {
        name: [ids.get(value, value) for value in values]
        if isinstance(values, list)
        else ids.get(values, values)
        for name, values in data.items()
    }

    response = editor_client.post(
        reverse("admin:fronts_front_change", args=[home_front.pk]), {"version": "1", **posted}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not FrontChange.objects.exists()
    for value in posted.values():
        for pk in value if isinstance(value, list) else [value]:
            if pk in ids.values():
                assert f'value="{pk}"' in response.content.decode()


def test_a_save_from_a_front_opened_before_another_editors_save_is_refused(
    editor_client, home_front, editor
):
    mine, theirs = ArticleFactory(headline="My lead"), ArticleFactory(headline="Their lead")
    other = UserFactory(username="ana", first_name="Ana", last_name="Ruiz", role="Editor")
    arrange_front(
        front=home_front, arrangement=Arrangement(lead=theirs.pk), actor=other, opened_version=1
    )

    response = editor_client.post(
        reverse("admin:fronts_front_change", args=[home_front.pk]),
        {"version": "1", "lead": str(mine.pk)},
    )

    assert response.status_code == 409
    page = response.content.decode()
    assert "Ana Ruiz changed this front" in page
    assert f'name="lead" value="{mine.pk}"' in page
    assert "The front as it is saved now" in page
    assert 'name="version" value="2"' in page
    assert arrangements.current(Front.objects.get()).lead == theirs.pk


def test_undo_puts_the_front_back_and_is_logged(editor_client, home_front, editor):
    first, second = ArticleFactory(headline="First lead"), ArticleFactory(headline="Second")
    arrange_front(
        front=home_front, arrangement=Arrangement(lead=first.pk), actor=editor, opened_version=1
    )
    change = arrange_front(
        front=home_front,
        arrangement=Arrangement(lead=second.pk, top=(first.pk,)),
        actor=editor,
        opened_version=2,
    )
    assert "moved from lead to top story 1" in change.summary

    response = editor_client.post(
        reverse("admin:fronts_front_undo", args=[home_front.pk, change.pk])
    )

    assert response.status_code == 302
    assert arrangements.current(Front.objects.get()) == Arrangement(lead=first.pk)
    assert FrontChange.objects.first().summary.startswith("Undid the change of")


def test_search_finds_live_and_scheduled_stories_only(editor_client):
    ArticleFactory(headline="Harbour plan approved")
    ArticleFactory(headline="Harbour plan embargoed", scheduled=True)
    ArticleFactory(headline="Harbour plan draft", draft=True)
    ArticleFactory(headline="Harbour plan withdrawn", withdrawn=True)

    found = editor_client.get(reverse("admin:fronts_search"), {"q": "harbour"}).json()

    headlines = {story["headline"] for story in found["stories"]}
    assert headlines == {"Harbour plan approved", "Harbour plan embargoed"}


def test_preview_shows_the_posted_arrangement_without_saving_it(editor_client, home_front):
    ArticleFactory.create_batch(3)
    chosen = ArticleFactory(headline="Chosen for the preview")
    live = ArticleFactory(headline="Older story to lead", publish_at="2020-01-01T00:00Z")

    response = editor_client.post(
        reverse("admin:fronts_front_preview", args=[home_front.pk]),
        {"lead": str(live.pk), "top": [str(chosen.pk)]},
    )

    assert response.status_code == 200
    assert response.context["front"].lead == live
    assert response.context["front"].top[0] == chosen
    assert "Preview of the front" in response.content.decode()
    assert (
        response["Cache-Control"].startswith("private") or "no-store" in response["Cache-Control"]
    )
    assert not FrontChange.objects.exists()


@pytest.mark.parametrize("typed", ["\x00harbour", "%_%", "a" * 5000, "12345678901234567890123"])
def test_search_answers_any_typed_text(editor_client, typed):
    ArticleFactory(headline="Harbour plan approved")

    response = editor_client.get(reverse("admin:fronts_search"), {"q": typed})

    assert response.status_code == 200
    assert isinstance(response.json()["stories"], list)


def test_a_block_title_with_a_nul_is_saved_without_it(editor_client, home_front):
    story = ArticleFactory()

    response = editor_client.post(
        reverse("admin:fronts_front_change", args=[home_front.pk]),
        {"version": "1", "block": ["1"], "block_title-1": "Picks\x00", "block-1": [str(story.pk)]},
    )

    assert response.status_code == 302
    assert arrangements.current(Front.objects.get()).blocks == (("Picks", (story.pk,)),)
