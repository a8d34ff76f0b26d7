"""
Two editors open the same story. Ana saves first; Eve's save, made from the copy she opened
before, is refused: her text stays in the form, she sees what Ana changed, takes Ana's
headline, and saves again, so both changes are kept.
"""

import pytest
from playwright.sync_api import expect

from articles.models import Article
from articles.tests.factories import ArticleFactory, SectionFactory
from newsroom.tests.factories import UserFactory

from .test_newsroom_journeys import sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def story(roles):
    UserFactory(username="ana", role="Editor", first_name="Ana", last_name="Ruiz")
    UserFactory(username="eve", role="Editor", first_name="Eve", last_name="Stone")
    return ArticleFactory(
        section=SectionFactory(name="World", slug="world"),
        headline="Council approves harbour plan",
        standfirst="The vote ends a decade of argument.",
    )


def test_a_stale_save_is_refused_kept_and_merged(story, new_page, screenshot):
    url = f"/admin/articles/article/{story.pk}/change/"
    ana, eve = new_page(), new_page()
    errors = []
    for page, username in ((ana, "ana"), (eve, "eve")):
        page.on("pageerror", lambda error: errors.append(str(error)))
        sign_in(page, username)
        page.goto(url)
    # Eve sees that Ana has the story open; nobody is locked out.
    expect(eve.locator(".presence-others")).to_contain_text("Ana Ruiz is editing this story, since")
    expect(eve.get_by_role("button", name="Take over this story")).to_be_visible()
    screenshot(eve, "ana-is-editing")

    ana.locator("#id_headline").fill("Council approves harbour plan after ten-year fight")
    ana.get_by_role("button", name="Save and continue editing").click()
    expect(ana.locator(".messagelist")).to_contain_text("was changed successfully")

    eve.locator("#id_headline").fill("Harbour plan approved")
    eve.locator("#id_standfirst").fill("Councillors voted 31 to 12 on Tuesday night.")
    eve.get_by_role("button", name="Save and continue editing").click()

    expect(eve.locator(".errornote, .errorlist").first).to_be_visible()
    expect(eve.locator("#content-main")).to_contain_text("Ana Ruiz saved this story at")
    expect(eve.locator("#id_standfirst")).to_have_value(
        "Councillors voted 31 to 12 on Tuesday night."
    )
    expect(eve.locator("#id_headline")).to_have_value("Harbour plan approved")
    conflict = eve.locator(".story-conflict")
    expect(conflict.locator(".diff-text ins").first).to_contain_text("after")
    screenshot(eve, "refused-with-the-diff")
    assert Article.objects.get(pk=story.pk).standfirst == "The vote ends a decade of argument."

    eve.get_by_role("button", name="Take their headline").click()
    expect(eve.locator("#id_headline")).to_have_value(
        "Council approves harbour plan after ten-year fight"
    )
    expect(eve.locator("#id_standfirst")).to_have_value(
        "Councillors voted 31 to 12 on Tuesday night."
    )
    screenshot(eve, "their-headline-taken")
    eve.get_by_role("button", name="Save and continue editing").click()
    expect(eve.locator(".messagelist")).to_contain_text("was changed successfully")
    screenshot(eve, "both-saved")

    assert errors == []
    saved = Article.objects.get(pk=story.pk)
    assert saved.headline == "Council approves harbour plan after ten-year fight"
    assert saved.standfirst == "Councillors voted 31 to 12 on Tuesday night."


def test_two_moderators_change_the_settings_and_neither_change_is_lost(roles, new_page, screenshot):
    from comments.models import ModerationSettings

    UserFactory(username="ana", role="Moderator", first_name="Ana", last_name="Ruiz")
    UserFactory(username="eve", role="Moderator", first_name="Eve", last_name="Stone")
    url = f"/admin/comments/moderationsettings/{ModerationSettings.load().pk}/change/"
    ana, eve = new_page(), new_page()
    for page, username in ((ana, "ana"), (eve, "eve")):
        sign_in(page, username)
        page.goto(url)

    ana.locator("#id_spam_terms").fill("casino")
    ana.get_by_role("button", name="Save and continue editing").click()
    expect(ana.locator(".messagelist")).to_contain_text("was changed successfully")

    eve.locator("#id_link_limit").fill("5")
    eve.get_by_role("button", name="Save and continue editing").click()

    expect(eve.locator(".errornote")).to_contain_text("Ana Ruiz (at ")
    expect(eve.locator("#id_link_limit")).to_have_value("5")
    expect(eve.locator("#id_spam_terms")).to_have_value("casino")
    screenshot(eve, "refused-with-both-changes-in-the-form")
    assert ModerationSettings.load().link_limit != 5

    eve.get_by_role("button", name="Save and continue editing").click()
    expect(eve.locator(".messagelist")).to_contain_text("was changed successfully")
    saved = ModerationSettings.load()
    assert (saved.link_limit, saved.spam_terms) == (5, "casino")
