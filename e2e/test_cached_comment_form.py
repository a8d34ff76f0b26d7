import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from articles.tests.factories import ArticleFactory, SectionFactory
from comments.models import Comment, ModerationSettings

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_readers_post_comments_from_the_same_cached_story_page(new_page, screenshot):
    # Both readers come from this machine's address, one moment apart.
    rules = ModerationSettings.load()  # an earlier browser test may have emptied the table
    rules.flood_interval_seconds = rules.min_seconds_to_post = 0
    rules.save()
    story = ArticleFactory(
        section=SectionFactory(name="World", slug="world"),
        headline="Harbour plan approved after decade of argument",
    )
    # Making the story just now bumped the site's version: a page rendered within the same
    # half second is served but not kept (see pagecache.BUMP_MARGIN_NS). Start as a site whose
    # last change is not this instant.
    cache.clear()
    first, second = new_page(), new_page()
    served = [
        reader.goto(story.get_absolute_url()).headers["x-page-cache"] for reader in (first, second)
    ]
    assert served == ["miss", "hit"]

    for reader, name, email in (
        (first, "Maria Lopes", "maria@example.org"),
        (second, "João Silva", "joao@example.org"),
    ):
        reader.get_by_role("textbox", name="Comment").fill(
            f"{name} thinks the harbour needs dredging first."
        )
        reader.get_by_role("textbox", name="Name").fill(name)
        reader.get_by_role("textbox", name="Email").fill(email)
        reader.get_by_role("button", name="Post comment").click()
        expect(reader.get_by_role("status")).to_contain_text(f"Thank you, {name}.")
        screenshot(reader, name.split()[0].lower())

    assert sorted(Comment.objects.values_list("name", flat=True)) == ["João Silva", "Maria Lopes"]
