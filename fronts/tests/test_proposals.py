"""Placement proposals: journalists propose, editors place or dismiss from the arranging page."""

import pytest
from django.urls import reverse

from articles.curation import Arrangement
from articles.models import Article
from articles.tests.factories import ArticleFactory, SectionFactory
from fronts import arrangements
from fronts.models import FrontChange, PlacementProposal
from fronts.services import arrange_front, propose_placement
from newsroom.tests.factories import UserFactory
from newsroom.tests.queries import count_queries

from .factories import FrontFactory

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:fronts_placementproposal_add")


@pytest.fixture
def home_front():
    return FrontFactory(section=None)


def propose(front, story, proposer, slot="top", block_title="", note=""):
    return propose_placement(
        front=front,
        article=story,
        slot=slot,
        block_title=block_title,
        note=note,
        proposer=proposer,
    )


def proposal_form(front, story, /, **changes):
    return {
        "front": front.pk,
        "article": story.pk,
        "slot": "top",
        "block_title": "",
        "note": "Exclusive, embargo lifts 6am",
    } | changes


def arranging_url(front):
    return reverse("admin:fronts_front_change", args=[front.pk])


def test_a_journalist_proposes_a_live_story_with_a_note(journalist_client, journalist, home_front):
    story = ArticleFactory()

    response = journalist_client.post(ADD_URL, proposal_form(home_front, story, slot="lead"))

    assert response.status_code == 302
    proposal = PlacementProposal.objects.get()
    assert (proposal.front, proposal.article, proposal.slot) == (home_front, story, "lead")
    assert proposal.note == "Exclusive, embargo lifts 6am"
    assert proposal.proposed_by == journalist
    assert proposal.state == PlacementProposal.State.OPEN


def test_a_scheduled_story_may_be_proposed(journalist_client, home_front):
    response = journalist_client.post(
        ADD_URL, proposal_form(home_front, ArticleFactory(scheduled=True))
    )

    assert response.status_code == 302
    assert PlacementProposal.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"front": ""}, "Choose the front this story is proposed for."),
        ({"note": "x" * 201}, "at most 200 characters"),
        ({"slot": "block"}, "Name the block this story is proposed for."),
    ],
)
def test_bad_input_is_refused_with_a_message_and_keeps_what_was_typed(
    journalist_client, home_front, changes, message
):
    story = ArticleFactory()

    response = journalist_client.post(ADD_URL, proposal_form(home_front, story, **changes))

    assert response.status_code == 200
    assert message in response.content.decode()
    assert f'value="{changes.get("note", "Exclusive, embargo lifts 6am")}"' in (
        response.content.decode()
    )
    assert not PlacementProposal.objects.exists()


def test_a_draft_cannot_be_proposed(journalist_client, home_front):
    draft = ArticleFactory(draft=True, headline="Budget leaks")

    response = journalist_client.post(ADD_URL, proposal_form(home_front, draft))

    assert response.status_code == 200
    assert "“Budget leaks” is not published" in response.content.decode()
    assert not PlacementProposal.objects.exists()


def test_a_story_already_proposed_for_the_front_is_refused(journalist_client, editor, home_front):
    story = ArticleFactory(headline="Harbour deal signed")
    propose(home_front, story, editor)

    response = journalist_client.post(ADD_URL, proposal_form(home_front, story))

    assert response.status_code == 200
    assert "“Harbour deal signed” is already proposed for this front" in (response.content.decode())
    assert PlacementProposal.objects.count() == 1


def test_a_story_may_be_proposed_again_once_its_proposal_is_closed(
    journalist_client, editor, home_front
):
    story = ArticleFactory()
    first = propose(home_front, story, editor)
    PlacementProposal.objects.filter(pk=first.pk).update(state="dismissed")

    response = journalist_client.post(ADD_URL, proposal_form(home_front, story))

    assert response.status_code == 302
    assert PlacementProposal.objects.filter(state="open").count() == 1


def test_editors_see_open_proposals_on_the_arranging_page(editor_client, home_front):
    reporter = UserFactory(username="ana", first_name="Ana", last_name="Ruiz", role="Journalist")
    propose(
        home_front,
        ArticleFactory(headline="Ferry strike called off"),
        reporter,
        note="Exclusive, embargo lifts 6am",
    )

    response = editor_client.get(arranging_url(home_front))

    content = response.content.decode()
    assert "Ferry strike called off" in content
    assert "Exclusive, embargo lifts 6am" in content
    assert "Ana Ruiz" in content
    assert (
        reverse(
            "admin:fronts_front_place_proposal",
            args=[home_front.pk, PlacementProposal.objects.get().pk],
        )
        in content
    )


def test_placing_a_proposal_saves_the_front_logs_it_and_closes_the_proposal(
    editor_client, editor, journalist, home_front
):
    lead, proposed = ArticleFactory.create_batch(2)
    arrange_front(
        front=home_front, arrangement=Arrangement(lead=lead.pk), actor=editor, opened_version=1
    )
    proposal = propose(home_front, proposed, journalist, slot="lead")
    url = reverse("admin:fronts_front_place_proposal", args=[home_front.pk, proposal.pk])

    response = editor_client.post(url, {"version": "2"})

    assert response.status_code == 302
    assert arrangements.current(home_front) == Arrangement(lead=proposed.pk, top=(lead.pk,))
    change = FrontChange.objects.first()
    assert change.changed_by == editor
    assert change.summary.startswith("Placed a proposal")
    proposal.refresh_from_db()
    assert (proposal.state, proposal.closed_by) == (PlacementProposal.State.PLACED, editor)
    assert proposal.closed_at is not None
    assert editor_client.get(arranging_url(home_front)).context["proposals"] == []


def test_a_placed_proposal_can_be_undone_from_the_log(editor_client, journalist, home_front):
    proposal = propose(home_front, ArticleFactory(), journalist)
    editor_client.post(
        reverse("admin:fronts_front_place_proposal", args=[home_front.pk, proposal.pk]),
        {"version": "1"},
    )
    change = FrontChange.objects.get()

    editor_client.post(reverse("admin:fronts_front_undo", args=[home_front.pk, change.pk]))

    assert arrangements.current(home_front) == Arrangement()


def test_a_proposal_for_a_named_block_goes_into_that_block(editor_client, journalist, home_front):
    proposal = propose(
        home_front, ArticleFactory(), journalist, slot="block", block_title="Editor's picks"
    )

    editor_client.post(
        reverse("admin:fronts_front_place_proposal", args=[home_front.pk, proposal.pk]),
        {"version": "1"},
    )

    assert arrangements.current(home_front).blocks == (("Editor's picks", (proposal.article_id,)),)


def test_placing_from_a_stale_page_is_refused(editor_client, editor, journalist, home_front):
    proposal = propose(home_front, ArticleFactory(), journalist)
    arrange_front(
        front=home_front,
        arrangement=Arrangement(lead=ArticleFactory().pk),
        actor=editor,
        opened_version=1,
    )

    response = editor_client.post(
        reverse("admin:fronts_front_place_proposal", args=[home_front.pk, proposal.pk]),
        {"version": "1"},
        follow=True,
    )

    assert "The front changed at that moment" in response.content.decode()
    proposal.refresh_from_db()
    assert proposal.state == PlacementProposal.State.OPEN


def test_dismissing_a_proposal_records_who_and_when_and_changes_no_front(
    editor_client, editor, journalist, home_front
):
    proposal = propose(home_front, ArticleFactory(headline="Ferry strike called off"), journalist)

    response = editor_client.post(
        reverse("admin:fronts_front_dismiss_proposal", args=[home_front.pk, proposal.pk]),
        follow=True,
    )

    proposal.refresh_from_db()
    assert (proposal.state, proposal.closed_by) == (PlacementProposal.State.DISMISSED, editor)
    assert proposal.closed_at is not None
    assert not FrontChange.objects.exists()
    assert "Dismissed the proposal of “Ferry strike called off”" in response.content.decode()
    assert "No open proposals." in response.content.decode()


def test_a_closed_proposal_is_not_placed_again(editor_client, editor, journalist, home_front):
    proposal = propose(home_front, ArticleFactory(), journalist)
    url = reverse("admin:fronts_front_dismiss_proposal", args=[home_front.pk, proposal.pk])
    editor_client.post(url)

    response = editor_client.post(
        reverse("admin:fronts_front_place_proposal", args=[home_front.pk, proposal.pk]),
        {"version": "1"},
        follow=True,
    )

    assert "already been placed or dismissed" in response.content.decode()
    assert not FrontChange.objects.exists()


@pytest.mark.parametrize("status", [Article.Status.WITHDRAWN, Article.Status.DRAFT])
def test_a_proposal_drops_out_once_its_story_is_unpublished(
    editor_client, journalist, home_front, status
):
    story = ArticleFactory(headline="Ferry strike called off")
    proposal = propose(home_front, story, journalist)
    Article.objects.filter(pk=story.pk).update(status=status)

    page = editor_client.get(arranging_url(home_front)).content.decode()
    response = editor_client.post(
        reverse("admin:fronts_front_place_proposal", args=[home_front.pk, proposal.pk]),
        {"version": "1"},
        follow=True,
    )

    assert "Ferry strike called off" not in page
    assert "is not published" in response.content.decode()
    assert arrangements.current(home_front) == Arrangement()


def test_the_arranging_page_query_count_is_the_same_for_one_proposal_and_ten(
    editor_client, journalist, home_front
):
    section = SectionFactory(name="World", slug="world")
    propose(home_front, ArticleFactory(section=section), journalist)
    _response, with_one = count_queries(editor_client, arranging_url(home_front))

    for story in ArticleFactory.create_batch(9, section=section):
        propose(home_front, story, UserFactory(role="Journalist"), note="Worth a look")
    response, with_ten = count_queries(editor_client, arranging_url(home_front))

    assert len(response.context["proposals"]) == 10
    assert with_one == with_ten


def test_journalists_see_the_state_of_their_own_proposals_only(
    journalist_client, journalist, editor, home_front
):
    mine = propose(home_front, ArticleFactory(headline="Mine, dismissed"), journalist)
    mine.state = PlacementProposal.State.DISMISSED
    mine.save()
    propose(home_front, ArticleFactory(headline="Mine, open"), journalist)
    propose(home_front, ArticleFactory(headline="A colleague's"), editor)

    response = journalist_client.get(reverse("admin:fronts_placementproposal_changelist"))

    content = response.content.decode()
    assert "Mine, dismissed" in content
    assert "Dismissed" in content
    assert "Mine, open" in content
    assert "A colleague's" not in content


@pytest.mark.parametrize(
    "changes",
    [
        {"front": "999999"},
        {"front": "home"},
        {"article": ""},
        {"article": "abc"},
        {"article": "999999"},
        {"article": "99999999999999999999999"},
        {"slot": "sidebar"},
        {"note": "Embargo\x00lifts"},
        {"slot": "block", "block_title": "Picks\x00"},
        {"slot": "block", "block_title": "x" * 81},
    ],
)
def test_unusable_input_is_refused_with_a_message_never_an_error(
    journalist_client, home_front, changes
):
    data = proposal_form(home_front, ArticleFactory()) | changes

    response = journalist_client.post(ADD_URL, data)

    assert response.status_code == 200
    assert response.context["errors"]
    assert not PlacementProposal.objects.exists()


def test_placing_or_dismissing_answers_only_a_post_for_a_proposal_of_that_front(
    editor_client, journalist, home_front
):
    other_front = FrontFactory(section=SectionFactory(name="World", slug="world"))
    proposal = propose(other_front, ArticleFactory(), journalist)

    for view in ("fronts_front_place_proposal", "fronts_front_dismiss_proposal"):
        elsewhere = reverse(f"admin:{view}", args=[home_front.pk, proposal.pk])
        missing = reverse(f"admin:{view}", args=[other_front.pk, proposal.pk + 1])
        right = reverse(f"admin:{view}", args=[other_front.pk, proposal.pk])
        assert editor_client.post(elsewhere, {"version": "1"}).status_code == 404
        assert editor_client.post(missing, {"version": "1"}).status_code == 404
        assert editor_client.get(right).status_code == 405

    proposal.refresh_from_db()
    assert proposal.state == PlacementProposal.State.OPEN


def test_the_list_of_proposals_costs_the_same_for_one_and_ten(
    editor_client, journalist, home_front
):
    section = SectionFactory(name="World", slug="world")
    propose(home_front, ArticleFactory(section=section), journalist, block_title="", note="One")
    url = "/admin/fronts/placementproposal/"
    _response, with_one = count_queries(editor_client, url)

    for story in ArticleFactory.create_batch(9, section=section):
        propose(home_front, story, UserFactory(role="Journalist"), note="Worth a look")
    response, with_ten = count_queries(editor_client, url)

    assert response.status_code == 200
    assert response.context["cl"].result_count == 10
    assert with_one == with_ten
