"""
WordPress archives that arrive whole (issue #15): exports WordPress.com writes, private
posts kept private, blogs of one network kept apart, every category kept, links escaped
once, progress without a terminal, and the old site's addresses that readers still follow.
Each test failed before its fix.
"""

import io
import re

import pytest
from django.core.management import CommandError, call_command
from pytest_django.asserts import assertNotContains, assertRedirects

from articles.models import Article, Section
from comments.models import Comment
from importers.models import WordPressItem

from .test_wordpress_import import LOCAL, import_items, run, story, table_row, wp_comment
from .wxr import category, comment, post, write_export

pytestmark = pytest.mark.django_db


# Namespaces


@pytest.mark.parametrize("scheme", ["http", "https"])
@pytest.mark.parametrize("version", ["1.0", "1.1", "1.2"])
def test_exports_in_any_namespace_wordpress_writes_are_imported(tmp_path, scheme, version):
    output = import_items(
        tmp_path,
        [post(1, categories=LOCAL, excerpt="The vote ends a decade of argument.")],
        namespace=f"{scheme}://wordpress.org/export",
        version=version,
    )
    assert table_row(output, "articles") == (1, 0, 0, 0)
    assert story(1).standfirst == "The vote ends a decade of argument."


def test_a_namespace_no_wordpress_writes_is_named_in_the_refusal(tmp_path):
    message = re.escape("“https://example.org/export/1.2/”, which no version of WordPress")
    with pytest.raises(CommandError, match=message):
        import_items(tmp_path, [post(1)], namespace="https://example.org/export")
    assert not Article.objects.exists()


# Password-protected posts


def test_a_password_protected_post_is_never_published(tmp_path, client):
    output = import_items(
        tmp_path,
        [post(7, categories=LOCAL, slug="secret", password="hunter2", comments=[comment(71)])],
    )
    assert story(7).status == Article.Status.DRAFT
    assert not Article.objects.live().exists()
    assert wp_comment(71).status == Comment.Status.PENDING
    assert "articles: 1 password-protected: imported as a draft, never published (e.g. 7)" in (
        output
    )
    assert "comments: 1 on a password-protected post: held for moderation (e.g. 71)" in output
    assert client.get("/?p=7").status_code == 200  # the home page, not the story
    assert client.get("/2024/01/04/secret/").status_code == 404
    assertNotContains(client.get("/local/"), "Council approves harbour plan")


# Blogs of one network


def test_blogs_of_one_network_never_overwrite_each_other(tmp_path):
    network = "https://wordpress.com"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_export(
        tmp_path / "a",
        items=[post(1, "Harbour blog's first post", comments=[comment(11)])],
        site="https://harbour.wordpress.com",
        base_site=network,
    )
    second = write_export(
        tmp_path / "b",
        items=[post(1, "Ferry blog's first post", comments=[comment(11, content="Other")])],
        site="https://ferries.wordpress.com",
        base_site=network,
    )
    run(first)
    output = run(second)
    assert table_row(output, "articles") == (1, 0, 0, 0)
    assert sorted(Article.objects.values_list("headline", flat=True)) == [
        "Ferry blog's first post",
        "Harbour blog's first post",
    ]
    assert Comment.objects.count() == 2
    assert set(WordPressItem.objects.values_list("site", flat=True)) == {
        "harbour.wordpress.com",
        "ferries.wordpress.com",
    }


def test_items_imported_before_blogs_were_told_apart_are_recognised(tmp_path):
    path = write_export(
        tmp_path,
        items=[post(1, categories=LOCAL, comments=[comment(11)])],
        categories=[category(2, "local", "Local")],
        site="https://harbour.wordpress.com",
        base_site="https://wordpress.com",
    )
    run(path)
    # What an import made before this change left: items keyed by the network's address.
    WordPressItem.objects.update(site="https://wordpress.com")
    before = (Article.objects.count(), Comment.objects.count(), Section.objects.count())
    output = run(path)
    assert (Article.objects.count(), Comment.objects.count(), Section.objects.count()) == before
    assert table_row(output, "articles") == (0, 0, 1, 0)
    assert table_row(output, "comments") == (0, 0, 1, 0)
    assert "recognised from an import made before blogs were told apart" in output
    assert set(WordPressItem.objects.values_list("site", flat=True)) == {"harbour.wordpress.com"}


# Categories


def test_the_primary_category_is_the_section_and_the_others_become_tags(tmp_path):
    output = import_items(
        tmp_path,
        [post(1, categories=[("local", "Local"), ("politics", "Politics"), ("news", "News")])],
        categories=[
            category(1, "news", "News"),
            category(2, "local", "Local", "news"),
            category(3, "politics", "Politics"),
        ],
    )
    assert story(1).section.slug == "local"
    assert sorted(story(1).tags.values_list("name", flat=True)) == ["News", "Politics"]
    assert "articles: 1 other categories kept as tags (e.g. 1)" in output


def test_empty_imported_sections_stay_out_of_the_navigation(tmp_path, client):
    output = import_items(
        tmp_path,
        [post(1, categories=LOCAL)],
        categories=[
            category(1, "news", "News"),
            category(2, "local", "Local", "news"),
            category(3, "obituaries", "Obituaries"),
            category(4, "weather", "Weather"),
        ],
    )
    shown = set(Section.objects.filter(show_in_nav=True).values_list("slug", flat=True))
    assert shown == {"news", "local"}
    assert "sections: 2 no published story: left out of the navigation" in output
    navigation = client.get("/").content.decode()
    assert 'href="/news/"' in navigation
    assert 'href="/obituaries/"' not in navigation


def test_sticky_posts_are_reported_with_where_they_were_placed(tmp_path):
    output = import_items(tmp_path, [post(1, categories=LOCAL, sticky=True), post(2)])
    assert "articles: 1 sticky: placed on the home page (lead or top stories) (e.g. 1)" in output


# Links


@pytest.mark.parametrize(
    "content",
    [
        "Watch:\n\nhttps://www.youtube.com/watch?v=abc&amp;t=10\n\nMore.",
        "[embed]https://www.youtube.com/watch?v=abc&amp;t=10[/embed]",
        '<!-- wp:embed {"url":"https://www.youtube.com/watch?v=abc\\u0026t=10"} -->\n'
        '<figure class="wp-block-embed"><div class="wp-block-embed__wrapper">\n'
        "https://www.youtube.com/watch?v=abc&amp;t=10\n</div></figure>\n<!-- /wp:embed -->",
    ],
)
def test_links_in_embeds_are_escaped_once(tmp_path, content):
    import_items(tmp_path, [post(1, categories=LOCAL, content=content)])
    body = story(1).body
    assert 'href="https://www.youtube.com/watch?v=abc&amp;t=10"' in body
    assert "&amp;amp;" not in body


# Progress


def test_an_empty_file_is_refused_without_a_terminal(tmp_path):
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="The file is empty"):
        run(empty)


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_progress_is_shown_on_a_terminal(tmp_path):
    path = write_export(tmp_path, items=[post(1, categories=LOCAL)])
    out = Terminal()
    call_command("import_wordpress", str(path), stdout=out)
    assert "Importing" in out.getvalue()
    assert "Imported export.xml." in out.getvalue()


def test_an_empty_file_is_refused_on_a_terminal(tmp_path):
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="The file is empty"):
        call_command("import_wordpress", str(empty), stdout=Terminal())


# Old addresses


def test_an_old_permalink_without_its_trailing_slash_answers_301(tmp_path, client):
    import_items(tmp_path, [post(1, categories=LOCAL, slug="harbour-plan")])
    new = story(1).get_absolute_url()
    assertRedirects(client.get("/2024/01/04/harbour-plan"), new, status_code=301)


def test_an_old_query_address_with_tracking_parameters_answers_301(tmp_path, client):
    import_items(tmp_path, [post(123, categories=LOCAL)])
    new = story(123).get_absolute_url()
    assertRedirects(client.get("/?p=123&utm_source=x&utm_medium=social"), new, status_code=301)
    assertRedirects(client.get("/2024/01/04/story-123/?fbclid=abc"), new, status_code=301)


def test_old_feed_addresses_answer_301_with_our_feeds(tmp_path, client):
    import_items(tmp_path, [post(1, categories=LOCAL)])
    assertRedirects(client.get("/feed/"), "/feeds/latest/", status_code=301)
    assertRedirects(client.get("/feed/atom/"), "/feeds/latest/atom/", status_code=301)
    assertRedirects(client.get("/?feed=rss2"), "/feeds/latest/", status_code=301)
    assertRedirects(client.get("/category/local/feed/"), "/feeds/local/", status_code=301)
    assertRedirects(client.get("/category/news/local/feed/"), "/feeds/local/", status_code=301)
    assertRedirects(
        client.get("/2024/01/04/story-1/feed/"), story(1).get_absolute_url(), status_code=301
    )


def test_a_post_in_pages_is_one_story_and_its_pages_answer_301(tmp_path, client):
    content = "Page one.\n\n<!--nextpage-->\n\nPage two.\n\n<!--nextpage-->\n\nPage three."
    output = import_items(
        tmp_path, [post(5, categories=LOCAL, slug="harbour-plan", content=content)]
    )
    article = story(5)
    assert article.body == "<p>Page one.</p>\n<p>Page two.</p>\n<p>Page three.</p>"
    assert "articles: 1 post in pages: joined into one story (e.g. 5)" in output
    new = article.get_absolute_url()
    assertRedirects(client.get("/2024/01/04/harbour-plan/2/"), new, status_code=301)
    assertRedirects(client.get("/2024/01/04/harbour-plan/3/"), new, status_code=301)
    assertRedirects(client.get("/?p=5&page=2"), new, status_code=301)


# Content: nothing disappears without a line in the report


def test_the_summary_lists_per_post_what_was_converted_or_dropped(tmp_path):
    content = (
        "Results:\n\n<table><tr><th>Ward</th></tr><tr><td>North</td></tr></table>\n\n"
        "<pre>a  b</pre>\n\n[playlist ids='1,2']\n\n<table><tr><td>2</td></tr></table>"
    )
    output = import_items(
        tmp_path,
        [post(1, "Election night", categories=LOCAL, content=content), post(2, categories=LOCAL)],
    )
    lines = output.splitlines()
    start = lines.index("Content converted or dropped, post by post:")
    assert lines[start + 1 :][:1] == [
        "  1 “Election night”: [playlist] → dropped (no equivalent); "
        "preformatted text → code block; table → table ×2"
    ]
    assert "  table → table: 2" in lines
    assert not any(line.startswith("  2 “") for line in lines[start:])
