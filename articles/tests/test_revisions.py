"""Kept revisions: one per save, readable differences, restoring text, pruning."""

from datetime import UTC, datetime

import pytest
import reversion
import time_machine
from django.core.management import call_command
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains
from reversion.models import Revision, Version

from articles import services
from articles.models import Article, AuditEntry, StoryRevision
from comments.tests.markup import assert_no_active_markup

from .factories import ArticleFactory, SectionFactory
from .test_admin import change_url
from .test_admin_workflow import edit_form

pytestmark = pytest.mark.django_db


def revisions_url(article):
    return reverse("admin:articles_article_revisions", args=[article.pk])


def restore_url(article, version):
    return reverse("admin:articles_article_restore", args=[article.pk, version.pk])


def keep_revision(article, actor, **changes):
    """Save `changes` to `article` as one kept revision, as the admin does."""
    for field, value in changes.items():
        setattr(article, field, value)
    with reversion.create_revision():
        article.save()
        services.describe_revision(article=article, actor=actor, comment="Changed the story.")
    return Version.objects.get_for_object(article).first()


@pytest.fixture
def story():
    return ArticleFactory(section=SectionFactory(slug="local"), headline="First headline")


def test_every_save_in_the_admin_keeps_a_revision(editor_client, editor, story):
    for headline in ["Second headline", "Third headline"]:
        editor_client.post(change_url(story), edit_form(story, headline=headline))
    versions = Version.objects.get_for_object(story)
    assert [v.field_dict["headline"] for v in versions] == ["Third headline", "Second headline"]
    assert {v.revision.user for v in versions} == {editor}
    assert StoryRevision.objects.filter(article=story, status="published").count() == 2


def test_a_workflow_step_keeps_a_revision_with_the_new_status(editor):
    article = ArticleFactory(in_review=True)
    services.publish(article=article, actor=editor)
    kept = StoryRevision.objects.get(article=article)
    assert kept.status == Article.Status.PUBLISHED
    assert kept.revision.comment == "Published"


def test_a_save_with_a_workflow_step_is_kept_as_one_revision(journalist_client, journalist):
    article = ArticleFactory(draft=True, created_by=journalist)
    journalist_client.post(change_url(article), edit_form(article, _transition="submit"))
    revision = Revision.objects.get()
    assert revision.story.status == Article.Status.REVIEW
    assert revision.comment.endswith("Submit for review.")
    assert {v.object_repr for v in revision.version_set.all()} >= {article.headline}


def test_history_compares_any_two_revisions_word_by_word(editor_client, editor, story):
    first = keep_revision(story, editor, headline="Council approves harbour plan")
    keep_revision(story, editor, headline="Council delays harbour plan")
    third = keep_revision(
        story, editor, headline="Council rejects harbour plan", body="<p>New body.</p>"
    )
    response = editor_client.get(revisions_url(story), {"from": first.pk, "to": third.pk})
    assertContains(
        response,
        '<div class="diff-text">Council <del>approves</del><ins>rejects</ins> harbour plan</div>',
        html=True,
    )
    assertContains(response, "<del>The</del><ins>New</ins>")
    assertContains(response, "<del>\n\nWhat happens next\n\nWork starts.</del>")
    assert response.context["older"] == first
    assert response.context["newer"] == third


def test_history_defaults_to_the_two_newest_revisions(editor_client, editor, story):
    keep_revision(story, editor, standfirst="One")
    older = keep_revision(story, editor, standfirst="Two")
    newer = keep_revision(story, editor, standfirst="Three")
    response = editor_client.get(revisions_url(story))
    assert (response.context["older"], response.context["newer"]) == (older, newer)


def test_hostile_headline_shows_as_text_in_diff_and_history(editor_client, editor, story):
    keep_revision(story, editor, headline="Quiet headline")
    keep_revision(story, editor, headline="<img src=x onerror=alert(1)>")
    response = editor_client.get(revisions_url(story))
    content = response.content.decode()
    assert "<img src=x" not in content
    assert "&lt;img src=x onerror=alert(1)&gt;" in content
    assertContains(response, "<td>&lt;img src=x onerror=alert(1)&gt;</td>")
    assert_no_active_markup(content)


def test_markup_added_inside_a_word_shows_as_text_in_the_diff(editor_client, editor, story):
    keep_revision(story, editor, headline="Quiet")
    keep_revision(story, editor, headline="Quiet<svg/onload=alert(1)>")
    content = editor_client.get(revisions_url(story)).content.decode()
    assert_no_active_markup(content)
    diff = content.split('class="diff-text"', 1)[1].split("</div>", 1)[0]
    assert "&lt;svg/onload=alert(1)&gt;" in diff


def test_editor_restores_text_and_a_live_story_stays_live(editor_client, editor, story):
    old = keep_revision(story, editor, headline="Original headline", standfirst="Original.")
    keep_revision(story, editor, headline="Botched headline", standfirst="Botched.")
    publish_at, slug = story.publish_at, story.slug
    response = editor_client.post(restore_url(story, old))
    assert response.status_code == 302
    story.refresh_from_db()
    assert (story.headline, story.standfirst) == ("Original headline", "Original.")
    assert story.is_live
    assert (story.publish_at, story.slug) == (publish_at, slug)
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.from_status, entry.to_status) == (
        "restored",
        "published",
        "published",
    )
    assert Version.objects.get_for_object(story).first().field_dict["headline"] == (
        "Original headline"
    )


def test_restoring_an_old_draft_text_does_not_unpublish(editor_client, editor):
    article = ArticleFactory(in_review=True, headline="Draft wording")
    draft_version = keep_revision(article, editor)
    services.publish(article=article, actor=editor)
    editor_client.post(restore_url(article, draft_version))
    article.refresh_from_db()
    assert article.is_live


def test_journalist_cannot_restore_even_their_own_draft(journalist_client, journalist, editor):
    article = ArticleFactory(draft=True, created_by=journalist, headline="Now")
    old = keep_revision(article, journalist, headline="Then")
    keep_revision(article, journalist, headline="Now")
    response = journalist_client.post(restore_url(article, old))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline == "Now"
    assert not AuditEntry.objects.exists()


def test_journalist_sees_no_restore_button(journalist_client, journalist, editor):
    article = ArticleFactory(draft=True, created_by=journalist)
    keep_revision(article, journalist, headline="One")
    keep_revision(article, journalist, headline="Two")
    response = journalist_client.get(revisions_url(article))
    assert response.status_code == 200
    assertNotContains(response, "Restore this text")


def test_a_revision_of_another_story_cannot_be_restored(editor_client, editor, story):
    other = ArticleFactory(headline="Other story")
    foreign = keep_revision(other, editor)
    keep_revision(story, editor)
    response = editor_client.post(restore_url(story, foreign))
    assert response.status_code == 404
    story.refresh_from_db()
    assert story.headline == "First headline"


def test_restore_only_answers_post(editor_client, editor, story):
    old = keep_revision(story, editor, headline="Old")
    keep_revision(story, editor, headline="New")
    assert editor_client.get(restore_url(story, old)).status_code == 302
    story.refresh_from_db()
    assert story.headline == "New"


def test_moderator_cannot_restore(moderator_client, editor, story):
    old = keep_revision(story, editor, headline="Old")
    keep_revision(story, editor, headline="New")
    assert moderator_client.post(restore_url(story, old)).status_code == 403
    story.refresh_from_db()
    assert story.headline == "New"


def test_prune_keeps_published_revisions_and_the_newest_ones(editor):
    draft = ArticleFactory(draft=True)
    live = ArticleFactory()
    for day in range(1, 7):
        with time_machine.travel(datetime(2026, 1, day, 12, tzinfo=UTC)):
            keep_revision(draft, editor, standfirst=f"Draft {day}")
            keep_revision(live, editor, standfirst=f"Live {day}")
    with time_machine.travel(datetime(2026, 6, 1, tzinfo=UTC)):
        call_command("prune_revisions", days=30, keep=2, stdout=open("/dev/null", "w"))  # noqa: SIM115
    kept = [v.field_dict["standfirst"] for v in Version.objects.get_for_object(draft)]
    assert kept == ["Draft 6", "Draft 5"]
    assert Version.objects.get_for_object(live).count() == 6


def test_prune_keeps_everything_younger_than_the_age_limit(editor):
    draft = ArticleFactory(draft=True)
    for day in range(1, 5):
        with time_machine.travel(datetime(2026, 1, day, 12, tzinfo=UTC)):
            keep_revision(draft, editor, standfirst=f"Draft {day}")
    with time_machine.travel(datetime(2026, 1, 10, tzinfo=UTC)):
        call_command("prune_revisions", days=30, keep=1, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Version.objects.get_for_object(draft).count() == 4


def test_prune_dry_run_deletes_nothing(editor, capsys):
    draft = ArticleFactory(draft=True)
    with time_machine.travel(datetime(2026, 1, 1, tzinfo=UTC)):
        keep_revision(draft, editor, standfirst="A")
        keep_revision(draft, editor, standfirst="B")
    with time_machine.travel(datetime(2026, 6, 1, tzinfo=UTC)):
        call_command("prune_revisions", days=1, keep=1, dry_run=True)
    assert "Would delete 1 revision." in capsys.readouterr().out
    assert Version.objects.get_for_object(draft).count() == 2
