"""The workflow through the admin: buttons, crafted POSTs for every role, bulk actions, the log."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from articles import services
from articles.models import Article, AuditEntry, Byline, Correction
from newsroom.tests.factories import UserFactory

from .factories import ArticleFactory, AuthorFactory, SectionFactory
from .test_admin import CHANGELIST_URL, change_url, story_form

pytestmark = pytest.mark.django_db

Status = Article.Status


@pytest.fixture
def section():
    return SectionFactory(name="Local", slug="local")


@pytest.fixture
def colleague():
    return UserFactory(username="colleague", role="Journalist")


def edit_form(article, **overrides):
    """The change form of `article` as the browser posts it, with `overrides` applied."""
    current = {
        # The version a form opened now carries (articles/conflicts.py).
        "opened_version": Article.objects.get(pk=article.pk).version,
        "headline": article.headline,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "body": article.body,
    }
    section = overrides.pop("section", article.section_id)
    return story_form(article.section, **(current | overrides)) | {"section": section}


def snapshot(article):
    return (
        Article.objects.values().get(pk=article.pk),
        list(Byline.objects.filter(article=article).values_list("author", "role")),
        list(Correction.objects.filter(article=article).values_list("text", flat=True)),
        AuditEntry.objects.filter(article=article).count(),
    )


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Journalists: their own drafts only, and never a publishing step.


@pytest.mark.parametrize("step", ["publish", "schedule", "send_back", "withdraw", "something_else"])
def test_journalist_crafted_workflow_step_on_own_draft_changes_nothing(
    journalist_client, journalist, section, step
):
    article = ArticleFactory(section=section, draft=True, created_by=journalist)
    before = snapshot(article)
    later = timezone.localtime() + timedelta(days=1)
    response = journalist_client.post(
        change_url(article),
        edit_form(
            article,
            headline="Rewritten on the way out",
            _transition=step,
            schedule_for_0=later.strftime("%Y-%m-%d"),
            schedule_for_1="09:00:00",
            send_back_note="note",
            withdraw_note="note",
        ),
    )
    assert response.status_code == 200
    assert response.context["errors"]
    assertContains(response, "Rewritten on the way out")  # what was typed is kept
    assert snapshot(article) == before


def test_journalist_posting_status_and_publication_time_changes_neither(
    journalist_client, journalist, section
):
    article = ArticleFactory(section=section, draft=True, created_by=journalist)
    soon = timezone.localtime() - timedelta(minutes=5)
    journalist_client.post(
        change_url(article),
        edit_form(
            article,
            headline="Edited headline",
            status="published",
            publish_at_0=soon.strftime("%Y-%m-%d"),
            publish_at_1=soon.strftime("%H:%M:%S"),
            first_published_at=soon.isoformat(),
            is_breaking="on",
            breaking_until_0=soon.strftime("%Y-%m-%d"),
            breaking_until_1="23:00:00",
        ),
    )
    article.refresh_from_db()
    assert article.headline == "Edited headline"
    assert article.status == Status.DRAFT
    assert article.publish_at is None
    assert article.first_published_at is None
    assert not article.is_breaking


def test_journalist_cannot_change_someone_elses_draft_or_its_bylines(
    journalist_client, colleague, section
):
    article = ArticleFactory(section=section, draft=True, created_by=colleague)
    before = snapshot(article)
    response = journalist_client.post(
        change_url(article),
        edit_form(
            article,
            headline="Taken over",
            **{
                "bylines-TOTAL_FORMS": "1",
                "bylines-0-author": AuthorFactory().pk,
                "bylines-0-role": "reporter",
                "bylines-0-position": "0",
            },
        ),
    )
    assert_not_found_in_admin(response)
    assert snapshot(article) == before


def test_journalist_cannot_submit_someone_elses_draft_from_its_form(
    journalist_client, colleague, section
):
    article = ArticleFactory(section=section, draft=True, created_by=colleague)
    before = snapshot(article)
    response = journalist_client.post(change_url(article), edit_form(article, _transition="submit"))
    assert_not_found_in_admin(response)
    assert snapshot(article) == before


def test_journalist_edits_a_draft_bylined_to_them(journalist_client, journalist, section):
    article = ArticleFactory(section=section, draft=True, authors=[AuthorFactory(user=journalist)])
    response = journalist_client.post(
        change_url(article),
        edit_form(
            article,
            headline="Sharper headline",
            **{
                "bylines-TOTAL_FORMS": "1",
                "bylines-INITIAL_FORMS": "1",
                "bylines-0-id": article.bylines.get().pk,
                "bylines-0-article": article.pk,
                "bylines-0-author": article.bylines.get().author_id,
                "bylines-0-role": "reporter",
                "bylines-0-position": "0",
            },
        ),
    )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.headline == "Sharper headline"


def test_journalist_cannot_add_a_correction_even_to_their_own_draft(
    journalist_client, journalist, section
):
    article = ArticleFactory(section=section, draft=True, created_by=journalist)
    response = journalist_client.post(
        change_url(article),
        edit_form(
            article,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-0-kind": "correction",
                "corrections-0-text": "Slipped in by a crafted post.",
                "corrections-0-published_at_0": "2026-01-01",
                "corrections-0-published_at_1": "10:00:00",
            },
        ),
    )
    assert response.status_code == 302
    assert not Correction.objects.exists()


def test_journalist_cannot_alter_corrections_of_a_live_story(journalist_client, section):
    article = ArticleFactory(section=section)
    correction = Correction.objects.create(article=article, text="Original correction.")
    response = journalist_client.post(
        change_url(article),
        edit_form(
            article,
            **{
                "corrections-TOTAL_FORMS": "1",
                "corrections-INITIAL_FORMS": "1",
                "corrections-0-id": correction.pk,
                "corrections-0-article": article.pk,
                "corrections-0-kind": "correction",
                "corrections-0-text": "Rewritten by a journalist.",
                "corrections-0-published_at_0": "2026-01-01",
                "corrections-0-published_at_1": "10:00:00",
            },
        ),
    )
    assert response.status_code == 403
    correction.refresh_from_db()
    assert correction.text == "Original correction."


def test_journalist_cannot_edit_their_own_story_once_it_is_in_review_and_live(
    journalist_client, journalist, section
):
    article = ArticleFactory(section=section, created_by=journalist)
    before = snapshot(article)
    response = journalist_client.post(change_url(article), edit_form(article, headline="Late fix"))
    assert response.status_code == 403
    assert snapshot(article) == before


def test_journalist_files_and_submits_in_one_click(journalist_client, journalist, section):
    article = ArticleFactory(section=section, draft=True, created_by=journalist)
    response = journalist_client.post(
        change_url(article), edit_form(article, headline="Ready now", _transition="submit")
    )
    assert response.status_code == 302
    assert response.url == change_url(article)
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Ready now", Status.REVIEW)
    assert "“Ready now” was submitted for review." in messages_of(response)


# Moderators: no article changes at all.


def test_moderator_cannot_take_workflow_steps(moderator_client, section):
    article = ArticleFactory(section=section, in_review=True)
    before = snapshot(article)
    for step in ["publish", "send_back", "submit"]:
        response = moderator_client.post(
            change_url(article), edit_form(article, _transition=step, send_back_note="x")
        )
        assert response.status_code == 403
    assert snapshot(article) == before


def test_moderator_sees_no_workflow_buttons(moderator_client, section):
    article = ArticleFactory(section=section)
    response = moderator_client.get(change_url(article))
    assert response.status_code == 200
    assertNotContains(response, 'name="_transition"')
    assertNotContains(response, "Preview link")


# Bulk actions: the same services, refused row by row.


def changelist_action(client, action, articles):
    return client.post(
        CHANGELIST_URL,
        {"action": action, "_selected_action": [article.pk for article in articles]},
        follow=True,
    )


def test_journalist_has_no_bulk_publish_and_a_crafted_one_changes_nothing(
    journalist_client, journalist
):
    article = ArticleFactory(in_review=True, created_by=journalist)
    actions = journalist_client.get(CHANGELIST_URL).context["action_form"].fields["action"]
    assert "publish_selected_now" not in dict(actions.choices)
    before = snapshot(article)
    changelist_action(journalist_client, "publish_selected_now", [article])
    assert snapshot(article) == before


def test_bulk_submit_refuses_a_colleagues_draft_and_submits_ones_own(
    journalist_client, journalist, colleague
):
    mine = ArticleFactory(draft=True, created_by=journalist, headline="Mine")
    theirs = ArticleFactory(draft=True, created_by=colleague, headline="Theirs")
    response = changelist_action(journalist_client, "submit_selected_for_review", [mine, theirs])
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.status == Status.REVIEW
    assert theirs.status == Status.DRAFT
    assert "1 story submitted for review." in messages_of(response)


def test_bulk_submit_refuses_a_story_the_journalist_may_edit_no_longer(
    journalist_client, journalist
):
    mine = ArticleFactory(draft=True, created_by=journalist, headline="Mine")
    live = ArticleFactory(created_by=journalist, headline="Already live")
    response = changelist_action(journalist_client, "submit_selected_for_review", [mine, live])
    live.refresh_from_db()
    assert live.status == Status.PUBLISHED
    assert messages_of(response) == [
        "1 story submitted for review.",
        "Not submitted for review: “Already live”: Only a draft can be submitted for review.",
    ]


def test_journalist_reads_live_stories_and_their_own_but_not_colleagues_drafts(
    journalist_client, journalist, colleague, section
):
    mine = ArticleFactory(section=section, draft=True, created_by=journalist, headline="My draft")
    live = ArticleFactory(section=section, headline="A live story")
    theirs = ArticleFactory(section=section, draft=True, created_by=colleague, headline="Secret")
    embargoed = ArticleFactory(section=section, scheduled=True, headline="Embargoed")
    listing = journalist_client.get(CHANGELIST_URL)
    assertContains(listing, "My draft")
    assertContains(listing, "A live story")
    assertNotContains(listing, "Secret")
    assertNotContains(listing, "Embargoed")
    assert journalist_client.get(change_url(mine)).status_code == 200
    assert journalist_client.get(change_url(live)).status_code == 200
    for hidden in (theirs, embargoed):
        assert_not_found_in_admin(journalist_client.get(change_url(hidden)))
        assert_not_found_in_admin(journalist_client.get(change_url(hidden) + "../history/"))
    desk = journalist_client.get(reverse("admin:index"))
    assertNotContains(desk, "Secret")
    assertNotContains(desk, "Embargoed")


def test_moderator_reads_only_live_stories(moderator_client, section):
    live = ArticleFactory(section=section, headline="A live story")
    for hidden in (
        ArticleFactory(section=section, draft=True, headline="A draft"),
        ArticleFactory(section=section, in_review=True, headline="In review"),
        ArticleFactory(section=section, scheduled=True, headline="Embargoed"),
    ):
        assert_not_found_in_admin(moderator_client.get(change_url(hidden)))
    listing = moderator_client.get(CHANGELIST_URL)
    assert [a.pk for a in listing.context["cl"].result_list] == [live.pk]


def assert_not_found_in_admin(response):
    """The admin answers a story the user may not read as one that does not exist."""
    assert response.status_code == 302
    assert response.url == reverse("admin:index")


def test_moderator_bulk_actions_change_nothing(moderator_client):
    article = ArticleFactory(draft=True)
    before = snapshot(article)
    for action in ["submit_selected_for_review", "publish_selected_now"]:
        changelist_action(moderator_client, action, [article])
    assert snapshot(article) == before


def test_editor_bulk_publish_goes_through_the_service_row_by_row(editor_client, editor):
    waiting = ArticleFactory(in_review=True, headline="Waiting")
    withdrawn = ArticleFactory(withdrawn=True, headline="Pulled")
    response = changelist_action(editor_client, "publish_selected_now", [waiting, withdrawn])
    waiting.refresh_from_db()
    withdrawn.refresh_from_db()
    assert waiting.is_live
    assert withdrawn.status == Status.WITHDRAWN
    assert AuditEntry.objects.get().article == waiting
    assert "Not published: “Pulled”: A withdrawn story cannot be published again." in messages_of(
        response
    )


# Editors: every step from the change form.


def test_editor_publishes_from_the_change_form(editor_client, editor, section):
    article = ArticleFactory(section=section, in_review=True)
    response = editor_client.post(change_url(article), edit_form(article, _transition="publish"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.is_live
    entry = AuditEntry.objects.get()
    assert (entry.actor, entry.action) == (editor, "published")


def test_editor_schedules_and_the_change_page_says_when(editor_client, section, settings):
    settings.TIME_ZONE = "Europe/Paris"
    article = ArticleFactory(section=section, in_review=True)
    day = timezone.localdate() + timedelta(days=3)
    editor_client.post(
        change_url(article),
        edit_form(
            article,
            _transition="schedule",
            schedule_for_0=day.isoformat(),
            schedule_for_1="07:30:00",
        ),
    )
    article.refresh_from_db()
    assert article.is_scheduled
    assert timezone.localtime(article.publish_at).strftime("%H:%M") == "07:30"
    response = editor_client.get(change_url(article))
    zone = timezone.localtime(article.publish_at).strftime("%Z")
    assertContains(response, f"Scheduled for {day.day} {day:%b %Y}, 07:30 {zone}")


def test_schedule_without_a_time_is_an_error_at_the_field(editor_client, section):
    article = ArticleFactory(section=section, in_review=True)
    response = editor_client.post(
        change_url(article), edit_form(article, standfirst="Typed", _transition="schedule")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["schedule_for"] == [
        "Choose when the story goes live."
    ]
    assertContains(response, "Typed")
    article.refresh_from_db()
    assert article.status == Status.REVIEW


def test_schedule_in_the_past_is_an_error_at_the_field(editor_client, section):
    article = ArticleFactory(section=section, in_review=True)
    past = timezone.localtime() - timedelta(days=1)
    response = editor_client.post(
        change_url(article),
        edit_form(
            article,
            _transition="schedule",
            schedule_for_0=past.strftime("%Y-%m-%d"),
            schedule_for_1="09:00:00",
        ),
    )
    assert "schedule_for" in response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.status == Status.REVIEW


def test_send_back_requires_a_note_and_keeps_the_edits_typed(editor_client, section):
    article = ArticleFactory(section=section, in_review=True, headline="Before")
    response = editor_client.post(
        change_url(article), edit_form(article, headline="Edited", _transition="send_back")
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["send_back_note"] == [
        "Tell the writer why the story goes back."
    ]
    assertContains(response, "Edited")
    assertContains(response, '<details class="form-row workflow-step" open>')
    article.refresh_from_db()
    assert (article.headline, article.status) == ("Before", Status.REVIEW)


def test_editor_sends_a_story_back_with_a_note(editor_client, section):
    article = ArticleFactory(section=section, in_review=True)
    editor_client.post(
        change_url(article),
        edit_form(article, _transition="send_back", send_back_note="Check the figures."),
    )
    article.refresh_from_db()
    assert article.status == Status.DRAFT
    assert AuditEntry.objects.get().note == "Check the figures."


def test_editor_withdraws_with_a_note_readers_then_see(editor_client, client, section):
    article = ArticleFactory(section=section, headline="Disputed story")
    url = article.get_absolute_url()
    editor_client.post(
        change_url(article),
        edit_form(article, _transition="withdraw", withdraw_note="A court order applies."),
    )
    article.refresh_from_db()
    assert article.status == Status.WITHDRAWN
    client.logout()
    response = client.get(url)
    assert response.status_code == 410
    assertContains(response, "<p>A court order applies.</p>", html=True, status_code=410)
    assertNotContains(response, "Disputed story", status_code=410)


def test_withdraw_without_a_note_is_refused_at_the_field(editor_client, section):
    article = ArticleFactory(section=section)
    response = editor_client.post(change_url(article), edit_form(article, _transition="withdraw"))
    assert "withdraw_note" in response.context["adminform"].form.errors
    article.refresh_from_db()
    assert article.is_live


def test_editor_marks_an_edit_as_an_update_with_a_note(editor_client, section):
    article = ArticleFactory(section=section)
    editor_client.post(
        change_url(article),
        edit_form(
            article,
            body="<p>New paragraph.</p>",
            mark_as_update="on",
            update_note="Adds the minister's reply.",
        ),
    )
    article.refresh_from_db()
    assert article.body == "<p>New paragraph.</p>"
    assert article.was_updated
    assert article.corrections.get().kind == Correction.Kind.UPDATE


def test_an_update_note_without_the_box_ticked_is_refused(editor_client, section):
    article = ArticleFactory(section=section)
    response = editor_client.post(
        change_url(article), edit_form(article, update_note="Forgot to tick.")
    )
    assert "mark_as_update" in response.context["adminform"].form.errors
    assert not Correction.objects.exists()


def test_the_change_page_shows_the_workflow_log(editor_client, editor, journalist, section):
    article = ArticleFactory(section=section, draft=True, created_by=journalist)
    services.submit_for_review(article=article, actor=journalist)
    services.send_back(article=article, actor=editor, note="Add <b>sources</b>.")
    response = editor_client.get(change_url(article))
    assertContains(
        response, '<span class="workflow-what">Sent back to the writer</span>', html=True
    )
    assertContains(response, '<span class="workflow-states">In review → Draft</span>', html=True)
    assertContains(
        response, '<span class="workflow-note">Add &lt;b&gt;sources&lt;/b&gt;.</span>', html=True
    )
    assertContains(response, '<span class="workflow-who">journalist</span>', html=True)


def test_editor_is_offered_the_steps_of_a_live_story(editor_client, section):
    response = editor_client.get(change_url(ArticleFactory(section=section)))
    assert response.context["workflow_steps"] == ["withdraw", "mark_updated"]
    assertContains(response, "<summary>Withdraw…</summary>", html=True)
    assertNotContains(response, "Publish now")


def test_editor_is_offered_every_step_of_a_story_in_review(editor_client, section):
    response = editor_client.get(change_url(ArticleFactory(section=section, in_review=True)))
    assertNotContains(response, "Submit for review")
    assertContains(response, "Publish now")
    assertContains(response, "<summary>Send back to the writer…</summary>", html=True)
    assertContains(response, 'value="schedule"')


def test_scheduled_story_is_listed_as_scheduled_in_newsroom_time(editor_client, settings):
    settings.TIME_ZONE = "America/New_York"
    article = ArticleFactory(scheduled=True)
    response = editor_client.get(CHANGELIST_URL)
    # "Scheduled" in the status column, the time in newsroom time in the next one.
    assertContains(response, '<td class="field-status_label">Scheduled</td>', html=True)
    local = timezone.localtime(article.publish_at)
    assertContains(response, f"{local:%-d %b %Y, %H:%M} {local:%Z}")
    assert local.strftime("%Z") in ("EST", "EDT")


def test_my_stories_filter_lists_own_and_bylined_stories(journalist_client, journalist):
    ArticleFactory(headline="Created by me", created_by=journalist)
    ArticleFactory(headline="Bylined to me", authors=[AuthorFactory(user=journalist)])
    ArticleFactory(headline="Not mine")
    response = journalist_client.get(CHANGELIST_URL, {"mine": "yes"})
    headlines = {article.headline for article in response.context["cl"].result_list}
    assert headlines == {"Created by me", "Bylined to me"}


def test_editor_adds_and_publishes_in_one_step(editor_client, section):
    response = editor_client.post(
        reverse("admin:articles_article_add"), story_form(section, _transition="publish")
    )
    article = Article.objects.get()
    assert response.url == change_url(article)
    assert article.is_live
    assert AuditEntry.objects.get().from_status == Status.DRAFT
