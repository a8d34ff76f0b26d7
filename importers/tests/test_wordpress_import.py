"""`manage.py import_wordpress`: a WordPress newsroom's archive and comments, in one command."""

import io
from datetime import UTC, datetime

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertRedirects

from articles.models import Article, Author, Redirect, Section, Tag
from articles.tests.factories import ArticleFactory, AuthorFactory, SectionFactory
from comments.models import Comment
from importers.models import WordPressItem
from importers.wordpress import importer
from newsroom.tests.factories import UserFactory
from photos.models import Image
from photos.tests.factories import photo_bytes

from .wxr import SITE, attachment, category, comment, post, tag, write_export

pytestmark = pytest.mark.django_db

LOCAL = [("local", "Local")]


def run(path, *options):
    out = io.StringIO()
    call_command("import_wordpress", str(path), *options, stdout=out)
    return out.getvalue()


def import_items(tmp_path, items, *options, **export):
    export.setdefault(
        "categories", [category(1, "news", "News"), category(2, "local", "Local", "news")]
    )
    return run(write_export(tmp_path, items=items, **export), *options)


def table_row(output, kind):
    """created, updated, unchanged, skipped for `kind` in the summary table."""
    for line in output.splitlines():
        if line.startswith(f"{kind} "):
            return tuple(int(number) for number in line.split()[1:])
    raise AssertionError(f"no {kind} row in:\n{output}")


def story(wp_id):
    record = WordPressItem.objects.get(kind="article", wp_id=str(wp_id))
    return Article.objects.get(pk=record.object_id)


def wp_comment(wp_id):
    record = WordPressItem.objects.get(kind="comment", wp_id=str(wp_id))
    return Comment.objects.get(pk=record.object_id)


@pytest.fixture
def media_dir(tmp_path):
    folder = tmp_path / "uploads"
    (folder / "2024" / "01").mkdir(parents=True)
    (folder / "2024" / "01" / "harbour.jpg").write_bytes(photo_bytes(size=(800, 533)))
    return folder


# Sections, tags, authors


def test_categories_become_sections_with_their_hierarchy(tmp_path):
    output = import_items(
        tmp_path,
        [post(1, categories=LOCAL)],
        categories=[
            category(1, "news", "News", description="All the news"),
            category(2, "local", "Local", "news"),
            category(3, "harbour", "Harbour &amp; docks", "local"),
        ],
    )
    news, local, harbour = (Section.objects.get(slug=s) for s in ("news", "local", "harbour"))
    assert (local.parent, harbour.parent, news.parent) == (news, local, None)
    assert harbour.name == "Harbour & docks"
    assert news.description == "All the news"
    assert table_row(output, "sections") == (3, 0, 0, 0)


def test_a_category_whose_slug_the_site_uses_is_renamed_and_reported(tmp_path):
    output = import_items(tmp_path, [], categories=[category(1, "media", "Media")])
    assert Section.objects.get(name="Media").slug == "media-2"
    assert "slug renamed (used by the site itself) (e.g. media → media-2)" in output


def test_a_category_with_an_existing_sections_slug_files_into_that_section(tmp_path):
    politics = SectionFactory(name="Politics", slug="politics")
    output = import_items(
        tmp_path,
        [post(1, categories=[("politics", "Politics")])],
        categories=[category(1, "politics", "Politics")],
    )
    assert story(1).section == politics
    assert Section.objects.count() == 1
    assert "matched an existing section" in output


def test_categories_declared_after_the_items_still_file_the_stories(tmp_path):
    import_items(tmp_path, [post(1, categories=LOCAL)], terms_after_items=True)
    assert story(1).section.slug == "local"
    assert Section.objects.get(slug="local").parent.slug == "news"


def test_the_primary_category_chosen_in_wordpress_wins(tmp_path):
    item = post(
        1,
        categories=[("news", "News"), ("local", "Local")],
        meta={"_yoast_wpseo_primary_category": "2"},
    )
    import_items(tmp_path, [item])
    assert story(1).section.slug == "local"


def test_tags_become_tags_and_keep_their_addresses(tmp_path, client):
    import_items(
        tmp_path,
        [post(1, categories=LOCAL, tags=[("harbour-plan", "Harbour plan")])],
        tags=[tag(9, "harbour-plan", "Harbour plan")],
    )
    harbour = Tag.objects.get(slug="harbour-plan")
    assert list(story(1).tags.all()) == [harbour]
    assertContains(client.get("/tag/harbour-plan/"), "Council approves harbour plan")


def test_a_tag_with_an_existing_tags_name_is_reused(tmp_path):
    existing = Tag.objects.create(name="Harbour Plan", slug="harbour")
    import_items(
        tmp_path,
        [post(1, categories=LOCAL, tags=[("harbour-plan", "harbour plan")])],
        tags=[tag(9, "harbour-plan", "harbour plan")],
    )
    assert list(story(1).tags.all()) == [existing]
    assert Tag.objects.count() == 1


def test_authors_become_authors_with_bylines(tmp_path):
    import_items(tmp_path, [post(1, categories=LOCAL, creator="ben")])
    ben = Author.objects.get(slug="ben")
    assert ben.name == "Ben Okafor"
    assert list(story(1).authors.all()) == [ben]


def test_author_map_links_authors_to_staff_accounts(tmp_path):
    jane = UserFactory(username="jane")
    amir = UserFactory(username="amir")
    amir_author = AuthorFactory(name="Amir Haddad", slug="amir-haddad", user=amir)
    mapping = tmp_path / "authors.csv"
    mapping.write_text("wp_login,username\n# the desk\nana,jane\nben,amir\n")
    output = import_items(
        tmp_path,
        [post(1, categories=LOCAL), post(2, categories=LOCAL, creator="ben")],
        "--author-map",
        str(mapping),
    )
    assert Author.objects.get(slug="ana").user == jane
    assert list(story(2).authors.all()) == [amir_author]
    assert table_row(output, "users") == (0, 1, 1, 0)


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ("ana,nobody\n", "no account “nobody”"),
        ("ana;jane\n", "Line 1 of the author map"),
        ("ana,reader\n", "not an active staff account"),
        ("ana,jane\nben,jane\n", "mapped to two logins"),
    ],
)
def test_a_bad_author_map_is_refused_before_anything_is_imported(tmp_path, lines, message):
    UserFactory(username="jane")
    UserFactory(username="reader", is_staff=False)
    mapping = tmp_path / "authors.csv"
    mapping.write_text(lines)
    with pytest.raises(CommandError, match=message):
        import_items(tmp_path, [post(1)], "--author-map", str(mapping))
    assert not Article.objects.exists()


# Posts


def test_post_statuses_map_to_the_newsroom_life_cycle(tmp_path):
    output = import_items(
        tmp_path,
        [
            post(1, categories=LOCAL, status="publish"),
            post(2, categories=LOCAL, status="draft", date_gmt="0000-00-00 00:00:00"),
            post(3, categories=LOCAL, status="pending"),
            post(4, categories=LOCAL, status="future", date_gmt="2099-03-01 08:00:00"),
            post(5, categories=LOCAL, status="private"),
            post(6, categories=LOCAL, status="trash"),
            post(7, post_type="page", status="publish"),
            post(8, post_type="nav_menu_item", status="publish"),
        ],
    )
    assert story(1).is_live
    assert (story(2).status, story(2).publish_at) == (Article.Status.DRAFT, None)
    assert story(3).status == Article.Status.REVIEW
    assert story(4).is_scheduled
    assert story(4).publish_at == datetime(2099, 3, 1, 8, tzinfo=UTC)
    assert Article.objects.count() == 4
    assert table_row(output, "articles") == (4, 0, 0, 4)
    for reason in (
        "1 private",
        "1 in the trash",
        "1 page (Newsroom has no pages)",
        "1 post type “nav_menu_item”",
    ):
        assert f"articles: {reason}" in output


def test_gmt_dates_are_used_and_local_dates_read_in_the_newsrooms_time_zone(tmp_path, settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    import_items(
        tmp_path,
        [
            post(1, categories=LOCAL, date="2024-07-01 10:00:00", date_gmt="2024-07-01 09:00:00"),
            post(2, categories=LOCAL, date="2024-07-01 10:00:00", date_gmt="0000-00-00 00:00:00"),
        ],
    )
    assert story(1).publish_at == datetime(2024, 7, 1, 9, tzinfo=UTC)
    # Lisbon is an hour ahead of UTC in summer.
    assert story(2).publish_at == datetime(2024, 7, 1, 9, tzinfo=UTC)


def test_a_story_published_just_after_midnight_is_dated_in_the_newsrooms_day(tmp_path, settings):
    settings.TIME_ZONE = "Europe/Lisbon"
    import_items(tmp_path, [post(1, categories=LOCAL, date_gmt="2024-07-01 23:30:00")])
    assert story(1).get_absolute_url() == "/local/2024/07/02/story-1/"


def test_slugs_are_kept_and_collisions_renamed_and_reported(tmp_path):
    ArticleFactory(slug="harbour-plan")
    output = import_items(
        tmp_path,
        [
            post(1, categories=LOCAL, slug="harbour-plan"),
            post(2, categories=LOCAL, slug="tide-tables"),
            post(
                3,
                "Café owners welcome plan",
                categories=LOCAL,
                slug="caf%c3%a9-owners",
                status="draft",
            ),
        ],
    )
    assert story(1).slug == "harbour-plan-2"
    assert story(2).slug == "tide-tables"
    assert story(3).slug == "cafe-owners"
    assert "slug renamed (already used) (e.g. harbour-plan → harbour-plan-2)" in output


def test_a_draft_without_a_slug_gets_one_from_its_headline(tmp_path):
    import_items(tmp_path, [post(1, "Ferry timetable changes", slug="", status="draft")])
    assert story(1).slug == "ferry-timetable-changes"


def test_excerpt_becomes_the_standfirst_and_content_the_sanitised_body(tmp_path):
    import_items(
        tmp_path,
        [
            post(
                1,
                "Harbour plan: what&#8217;s next",
                categories=LOCAL,
                excerpt="The vote <b>ends</b> a decade of argument.",
                content="Paragraph one.\n\n<script>alert(1)</script>Paragraph <em>two</em>.",
            )
        ],
    )
    article = story(1)
    assert article.headline == "Harbour plan: what’s next"
    assert article.standfirst == "The vote ends a decade of argument."
    assert article.body == "<p>Paragraph one.</p>\n<p>Paragraph <em>two</em>.</p>"


def test_a_post_without_a_category_goes_to_news(tmp_path):
    output = import_items(tmp_path, [post(1)], categories=[])
    assert story(1).section.slug == "news"
    assert "no category: filed in “News”" in output


def test_closed_comments_stay_closed(tmp_path):
    import_items(tmp_path, [post(1, categories=LOCAL, comment_status="closed")])
    assert story(1).comment_mode == Article.CommentMode.CLOSED


def test_an_imported_story_reads_like_any_other(tmp_path, client):
    import_items(tmp_path, [post(1, "Council approves harbour plan", categories=LOCAL)])
    response = client.get(story(1).get_absolute_url())
    assertContains(response, "<p>Work starts in spring.</p>", html=True)
    assertContains(response, "Ana Ruiz")


# Photos


def test_featured_and_inline_photos_are_imported_once_into_the_library(tmp_path, media_dir):
    harbour = attachment(201, "2024/01/harbour.jpg", alt="Fishing boats moored at dawn")
    inline = (
        f'[caption id="attachment_201"]<img class="wp-image-201" '
        f'src="{SITE}/wp-content/uploads/2024/01/harbour-300x200.jpg"> At dawn[/caption]'
    )
    output = import_items(
        tmp_path,
        [
            harbour,
            post(1, categories=LOCAL, meta={"_thumbnail_id": "201"}, content=inline),
            post(2, categories=LOCAL, meta={"_thumbnail_id": "201"}),
        ],
        "--media-dir",
        str(media_dir),
    )
    image = Image.objects.get()
    assert image.alt_text == "Fishing boats moored at dawn"
    assert (image.width, image.height) == (800, 533)
    assert story(1).lead_image == story(2).lead_image == image
    assert f'data-file="{image.pk}"' in story(1).body
    assert '<figcaption class="figure-caption">At dawn</figcaption>' in story(1).body
    assert table_row(output, "images") == (1, 0, 0, 0)


def test_a_missing_media_file_is_reported_not_fatal(tmp_path, media_dir):
    output = import_items(
        tmp_path,
        [
            attachment(202, "2024/01/gone.jpg", alt="Crowds on the quay at noon"),
            post(1, categories=LOCAL, meta={"_thumbnail_id": "202"}),
        ],
        "--media-dir",
        str(media_dir),
    )
    assert story(1).lead_image is None
    assert "images: 1 missing media file (e.g. 2024/01/gone.jpg)" in output


def test_a_file_the_library_refuses_is_reported(tmp_path, media_dir):
    (media_dir / "2024" / "01" / "page.jpg").write_text("<html>not a photo</html>")
    output = import_items(
        tmp_path,
        [
            attachment(203, "2024/01/page.jpg", alt="Crowds on the quay at noon"),
            post(1, categories=LOCAL, meta={"_thumbnail_id": "203"}),
        ],
        "--media-dir",
        str(media_dir),
    )
    assert not Image.objects.exists()
    assert "images: 1 refused: not a JPEG, PNG, WebP or GIF" in output


def test_a_path_outside_the_media_folder_is_never_read(tmp_path, media_dir):
    (tmp_path / "private.jpg").write_bytes(photo_bytes(size=(40, 30)))
    output = import_items(
        tmp_path,
        [
            attachment(204, "../private.jpg", alt="Crowds on the quay at noon"),
            post(1, categories=LOCAL, meta={"_thumbnail_id": "204"}),
        ],
        "--media-dir",
        str(media_dir),
    )
    assert not Image.objects.exists()
    assert "missing media file" in output


def test_a_photo_without_usable_alt_text_gets_one_from_the_headline(tmp_path, media_dir):
    output = import_items(
        tmp_path,
        [
            attachment(201, "2024/01/harbour.jpg", title="IMG_2041"),
            post(
                1, "Council approves harbour plan", categories=LOCAL, meta={"_thumbnail_id": "201"}
            ),
        ],
        "--media-dir",
        str(media_dir),
    )
    assert (
        Image.objects.get().alt_text
        == "Photo accompanying the story “Council approves harbour plan”"
    )
    assert "alt text made from the story's headline (review it)" in output


def test_without_a_media_folder_photos_are_reported(tmp_path):
    output = import_items(
        tmp_path,
        [
            attachment(201, "2024/01/harbour.jpg"),
            post(1, categories=LOCAL, meta={"_thumbnail_id": "201"}),
        ],
    )
    assert "images: 1 no --media-dir given" in output


# Comments


def test_comments_keep_status_threads_and_commenter_details(tmp_path):
    output = import_items(
        tmp_path,
        [
            post(
                1,
                categories=LOCAL,
                comments=[
                    comment(
                        11, content="First!", url="https://maria.example.org", ip="203.0.113.9"
                    ),
                    comment(12, parent=11, content="A reply", email="ben@example.org"),
                    comment(13, parent=12, content="A reply to a reply", email="c@example.org"),
                    comment(14, approved="0", content="Held for a moderator"),
                    comment(15, approved="spam", content="Cheap pills"),
                    comment(16, approved="trash", content="Deleted"),
                    comment(17, type="pingback", content="Linked from a blog"),
                    comment(18, type="trackback", content="Tracked"),
                ],
            )
        ],
    )
    first, reply, deep = wp_comment(11), wp_comment(12), wp_comment(13)
    assert (first.status, first.website, first.ip_address) == (
        Comment.Status.APPROVED,
        "https://maria.example.org",
        "203.0.113.9",
    )
    assert first.submitted_at == datetime(2024, 1, 4, 10, tzinfo=UTC)
    assert (first.name, first.email, first.user_agent) == (
        "Maria Lopes",
        "maria@example.org",
        "Mozilla/5.0",
    )
    assert first.fingerprint == Comment.fingerprint_for(
        article_id=first.article_id, parent_id=None, email=first.email, body="First!"
    )
    assert reply.parent == deep.parent == first
    assert wp_comment(14).status == Comment.Status.PENDING
    assert wp_comment(15).status == Comment.Status.SPAM
    assert Comment.objects.count() == 5
    assert table_row(output, "comments") == (5, 0, 0, 3)
    for reason in ("1 in the trash", "1 pingback", "1 trackback"):
        assert f"comments: {reason}" in output
    assert "comments: 1 reply to a reply: attached to its thread (e.g. 13)" in output


def test_imported_comments_show_on_the_story_without_the_moderation_engine(tmp_path, client):
    import_items(
        tmp_path,
        [post(1, categories=LOCAL, comments=[comment(11, content="See https://x.example.org")])],
    )
    assertContains(client.get(story(1).get_absolute_url()), "See ")
    assert wp_comment(11).reason == "imported from WordPress"


def test_comment_html_becomes_plain_text(tmp_path):
    import_items(
        tmp_path,
        [
            post(
                1,
                categories=LOCAL,
                comments=[
                    comment(
                        11,
                        content='<p>I agree.</p><p>See <a href="https://x.example.org">this</a>'
                        " &amp; more.</p>",
                    )
                ],
            )
        ],
    )
    assert wp_comment(11).body == "I agree.\n\nSee this (https://x.example.org) & more."


def test_comments_on_skipped_posts_are_counted(tmp_path):
    output = import_items(tmp_path, [post(1, status="private", comments=[comment(11)])])
    assert not Comment.objects.exists()
    assert "comments: 1 on a post that was not imported" in output


# Old addresses


def test_old_post_addresses_answer_301_with_the_new_one(tmp_path, client):
    import_items(
        tmp_path,
        [post(123, categories=LOCAL, slug="harbour-plan", date="2024-01-04 09:30:00")],
    )
    new = story(123).get_absolute_url()
    assert new == "/local/2024/01/04/harbour-plan/"
    assertRedirects(client.get("/?p=123"), new, status_code=301)
    assertRedirects(client.get("/2024/01/04/harbour-plan/"), new, status_code=301)


def test_other_permalink_structures_redirect_from_the_exported_link(tmp_path, client):
    import_items(
        tmp_path,
        [
            post(5, categories=LOCAL, slug="tides", link=f"{SITE}/archives/5"),
            post(6, categories=LOCAL, slug="ferries", link=f"{SITE}/local/ferries/"),
        ],
    )
    assertRedirects(client.get("/archives/5"), story(5).get_absolute_url(), status_code=301)
    assertRedirects(client.get("/local/ferries/"), story(6).get_absolute_url(), status_code=301)


def test_category_pages_answer_301_with_the_section_front(tmp_path, client):
    import_items(tmp_path, [post(1, categories=LOCAL)])
    assertRedirects(client.get("/category/news/"), "/news/", status_code=301)
    assertRedirects(client.get("/category/news/local/"), "/local/", status_code=301)
    assertRedirects(client.get("/category/local/"), "/local/", status_code=301)
    assertRedirects(client.get("/?cat=2"), "/local/", status_code=301)


def test_a_draft_s_old_address_leads_nowhere_until_it_is_published(tmp_path, client):
    import_items(tmp_path, [post(9, categories=LOCAL, status="draft")])
    assert client.get("/?p=9").status_code == 200  # the home page, not the draft
    assert Redirect.objects.filter(old_query="p=9", article=story(9)).exists()


# Running it again, dry runs, failures


def archive(with_media=None):
    items = [
        post(
            1,
            categories=LOCAL,
            tags=[("harbour-plan", "Harbour plan")],
            comments=[
                comment(11, content="First!"),
                comment(12, parent=11, content="Reply"),
            ],
        ),
        post(2, categories=LOCAL, status="draft"),
        post(3, status="trash"),
    ]
    if with_media:
        items = [attachment(201, "2024/01/harbour.jpg", alt="Boats at the quay at dawn"), *items]
        items[1].meta = {"_thumbnail_id": "201"}
    return items


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Article, Section, Tag, Author, Comment, Redirect, Image, WordPressItem)
    }


def test_running_it_twice_changes_nothing(tmp_path, media_dir):
    path = write_export(
        tmp_path,
        items=archive(with_media=True),
        tags=[tag(9, "harbour-plan", "Harbour plan")],
        categories=[category(1, "news", "News"), category(2, "local", "Local", "news")],
    )
    first = run(path, "--media-dir", str(media_dir))
    before = counts()
    bodies = list(Article.objects.order_by("pk").values_list("pk", "body", "modified_at"))
    second = run(path, "--media-dir", str(media_dir))
    assert counts() == before
    assert list(Article.objects.order_by("pk").values_list("pk", "body", "modified_at")) == bodies
    for kind in ("sections", "tags", "authors", "articles", "images", "comments", "redirects"):
        created, updated, unchanged, skipped = table_row(first, kind)
        assert table_row(second, kind) == (0, 0, created + updated + unchanged, skipped)


def test_a_second_run_updates_what_changed_in_wordpress(tmp_path):
    items = archive()
    run(write_export(tmp_path, items=items, categories=[category(2, "local", "Local")]))
    items[0].title = "Council approves revised harbour plan"
    items[0].comments[0].content = "First! (edited)"
    items[0].comments.append(comment(13, content="Late to the thread"))
    output = run(write_export(tmp_path, items=items, categories=[category(2, "local", "Local")]))
    assert story(1).headline == "Council approves revised harbour plan"
    assert wp_comment(11).body == "First! (edited)"
    assert wp_comment(12).parent == wp_comment(11)
    assert table_row(output, "articles") == (0, 1, 1, 1)
    assert table_row(output, "comments") == (1, 1, 1, 0)
    assert Article.objects.count() == 2


def test_a_dry_run_reports_the_same_and_writes_nothing(tmp_path, media_dir, settings):
    path = write_export(
        tmp_path, items=archive(with_media=True), categories=[category(2, "local", "Local")]
    )
    dry = run(path, "--dry-run", "--media-dir", str(media_dir))
    assert dry.rstrip().endswith("Dry run: nothing was written.")
    assert set(counts().values()) == {0}
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]
    real = run(path, "--media-dir", str(media_dir))
    assert table_row(real, "images") == (1, 0, 0, 0)
    assert dry.rstrip().splitlines()[:-1] == real.rstrip().splitlines()[:-1]


def test_a_failure_half_way_leaves_nothing_behind(tmp_path, media_dir, settings, monkeypatch):
    def fail(self, batch):
        raise RuntimeError("database went away")

    monkeypatch.setattr(importer.Importer, "write_comments", fail)
    path = write_export(
        tmp_path, items=archive(with_media=True), categories=[category(2, "local", "Local")]
    )
    with pytest.raises(RuntimeError):
        run(path, "--media-dir", str(media_dir))
    assert set(counts().values()) == {0}
    assert not [p for p in settings.MEDIA_ROOT.rglob("*") if p.is_file()]


def test_the_import_runs_a_fixed_number_of_queries_whatever_the_number_of_posts(tmp_path):
    def queries_for(count, folder):
        folder.mkdir()
        items = [
            post(
                n,
                categories=LOCAL,
                tags=[("harbour-plan", "Harbour plan")],
                comments=[
                    comment(n * 10 + 1, content=f"First on {n}"),
                    comment(n * 10 + 2, parent=n * 10 + 1, content=f"Reply on {n}"),
                ],
            )
            for n in range(1, count + 1)
        ]
        path = write_export(
            folder,
            items=items,
            categories=[category(2, "local", "Local")],
            tags=[tag(9, "harbour-plan", "Harbour plan")],
        )
        with CaptureQueriesContext(connection) as context:
            run(path)
        # Back to an empty newsroom, so both runs take the same path.
        Comment.objects.filter(parent__isnull=False).delete()
        for model in (Comment, Redirect, Article, Tag, Author, WordPressItem):
            model.objects.all().delete()
        Section.objects.filter(parent__isnull=False).delete()
        Section.objects.all().delete()
        return len(context.captured_queries)

    # 30 stories still fit in one INSERT on SQLite (its limit on query parameters).
    assert queries_for(3, tmp_path / "few") == queries_for(30, tmp_path / "many")


def test_the_summary_is_quiet_without_a_terminal(tmp_path):
    output = import_items(tmp_path, [post(1, categories=LOCAL)])
    assert "Reading the export" not in output
    assert output.splitlines()[0].split() == ["created", "updated", "unchanged", "skipped"]
    assert output.rstrip().endswith("Imported export.xml.")
