"""
Each stage of the WordPress import on its own (importers/wordpress/): the survey, the
taxonomy, posts, comments and redirects, given a context made by hand, without the command
or the other stages.
"""

import io

import pytest

from articles.models import Article, Author, Redirect, Section, Tag
from articles.tests.factories import ArticleFactory, SectionFactory
from comments.models import Comment
from importers.models import WordPressItem
from importers.wordpress import comments, posts, redirects, survey, taxonomy
from importers.wordpress.common import Context, Ids
from importers.wordpress.media import Library
from importers.wordpress.summary import Summary
from importers.wordpress.wxr import Author as WPAuthor
from importers.wordpress.wxr import Comment as WPComment
from importers.wordpress.wxr import Item, Site, Term, read_export

from .wxr import SITE, attachment, author, category, export_xml, post, tag

pytestmark = pytest.mark.django_db

BLOG = Site("Harbour Times", SITE, SITE, SITE, "1.2")


def context(**found) -> Context:
    """A context with a survey made by hand: `found` are the Survey's fields."""
    return Context(survey=survey.Survey(site=BLOG, **found), summary=Summary())


def term(slug, name, domain="category", term_id="", parent=""):
    return Term(domain=domain, slug=slug, name=name, term_id=term_id, parent_slug=parent)


def wp_post(wp_id="1", **fields) -> Item:
    fields.setdefault("title", "Council approves harbour plan")
    fields.setdefault("content", "The council voted.")
    fields.setdefault("date_gmt", "2024-01-04 09:30:00")
    return Item(wp_id=wp_id, post_type="post", status="publish", slug=f"story-{wp_id}", **fields)


def wp_comment(wp_id, parent="", **fields) -> WPComment:
    values = {
        "author": "Maria Lopes",
        "email": "maria@example.org",
        "url": "",
        "ip": "198.51.100.7",
        "date": "2024-01-04 10:00:00",
        "date_gmt": "2024-01-04 10:00:00",
        "content": f"Comment {wp_id}",
        "approved": "1",
        "type": "comment",
    } | fields
    return WPComment(wp_id=wp_id, parent_id=parent, **values)


# Survey


def test_the_survey_keeps_the_site_authors_terms_and_attachments():
    xml = export_xml(
        items=[
            attachment(201, "2024/01/harbour.jpg"),
            post(1, creator="zoe", categories=[("local", "Local")], tags=[("tides", "Tides")]),
        ],
        categories=[category(2, "local", "Local")],
        tags=[tag(9, "tides", "Tides")],
        authors=[author("ana", "Ana Ruiz")],
    )
    found = survey.Survey()
    for record in read_export(io.BytesIO(xml.encode())):
        found.add(record)
    assert found.site.base_blog_url == SITE
    assert set(found.authors) == {"ana", "zoe"}
    assert found.categories["local"].term_id == "2"  # the channel's declaration wins
    assert set(found.tags) == {"tides"}
    assert list(found.attachments.by_id) == ["201"]
    assert Article.objects.count() == 0


# Taxonomy


def test_the_taxonomy_stage_writes_sections_tags_and_authors_and_their_ids():
    run = context(
        categories={
            "news": term("news", "News", term_id="1"),
            "local": term("local", "Local", term_id="2", parent="news"),
        },
        tags={"tides": term("tides", "Tides", domain="post_tag")},
        authors={"ana": WPAuthor(login="ana", display_name="Ana Ruiz")},
    )
    taxonomy.Taxonomy(run).run()
    local = Section.objects.get(slug="local")
    assert local.parent.slug == "news"
    assert run.ids.sections["local"] == run.ids.sections_by_term_id["2"] == local.pk
    assert run.ids.tags == {"tides": Tag.objects.get(slug="tides").pk}
    assert run.ids.authors == {"ana": Author.objects.get(name="Ana Ruiz").pk}
    assert WordPressItem.objects.filter(site="harbourtimes.example.org").count() == 4
    assert Redirect.objects.filter(old_path="/category/news/local/", section=local).exists()
    assert run.summary.counts()["sections"] == (2, 0, 0, 0)


def test_the_taxonomy_stage_a_second_time_changes_nothing():
    found = {"categories": {"news": term("news", "News", term_id="1")}}
    taxonomy.Taxonomy(context(**found)).run()
    again = context(**found)
    taxonomy.Taxonomy(again).run()
    assert again.summary.counts()["sections"] == (0, 0, 1, 0)
    assert Section.objects.count() == 1


# Posts


def planner(run):
    library = Library(
        site=run.site,
        attachments=run.survey.attachments,
        media_dir=None,
        summary=run.summary,
        dry_run=False,
        checksum=lambda value: "x",
    )
    return posts.PostPlanner(run, library)


def test_the_posts_stage_plans_a_story_from_the_taxonomy_ids():
    section = SectionFactory(slug="local")
    run = context(categories={"local": term("local", "Local")})
    run.ids = Ids(sections={"local": section.pk}, tags={"tides": 7}, authors={"ana": 3})
    item = wp_post(
        creator="ana",
        terms=(term("local", "Local"), term("tides", "Tides", domain="post_tag")),
    )
    planned = planner(run).plan(item)
    assert planned.fields["section_id"] == section.pk
    assert (planned.author_ids, planned.tag_ids) == ([3], [7])
    assert planned.fields["body"] == "<p>The council voted.</p>"
    assert planned.slug == "story-1"
    assert ("/", "p=1") in planned.addresses
    assert not Article.objects.exists()  # planning writes no story


def test_the_posts_stage_writes_a_batch_and_then_leaves_it_alone():
    section = SectionFactory(slug="local")
    run = context(categories={"local": term("local", "Local")})
    run.ids = Ids(sections={"local": section.pk})
    batch = [planner(run).plan(wp_post(str(n), terms=(term("local", "Local"),))) for n in (1, 2)]
    posts.Posts(run).write(batch)
    assert [planned.article_id for planned in batch] == list(
        Article.objects.order_by("pk").values_list("pk", flat=True)
    )
    again = context(categories=run.survey.categories)
    again.ids = run.ids
    batch = [planner(again).plan(wp_post(str(n), terms=(term("local", "Local"),))) for n in (1, 2)]
    posts.Posts(again).write(batch)
    assert again.summary.counts()["articles"] == (0, 0, 2, 0)


# Comments


def test_the_comments_stage_plans_threads_before_replies_and_skips_what_it_must():
    summary = Summary()
    item = wp_post(
        comments=(
            wp_comment("12", parent="11"),
            wp_comment("11"),
            wp_comment("13", type="pingback"),
            wp_comment("14", parent="12"),
        )
    )
    planned = comments.plan_comments(item, summary)
    assert [(plan.wp.wp_id, plan.wp_parent) for plan in planned] == [
        ("11", ""),
        ("12", "11"),
        ("14", "11"),
    ]
    assert summary.tallies["comments"].skipped == {"pingback": 1}


def test_the_comments_stage_writes_threads_replies_and_records():
    article = ArticleFactory()
    run = context()
    item = wp_post(comments=(wp_comment("11"), wp_comment("12", parent="11")))
    plans = [(article.pk, plan) for plan in comments.plan_comments(item, run.summary)]
    comments.Comments(run).write(plans)
    first = Comment.objects.get(body="Comment 11")
    assert Comment.objects.get(body="Comment 12").parent == first
    assert first.reason == "imported from WordPress"
    assert set(WordPressItem.objects.filter(kind="comment").values_list("wp_id", flat=True)) == {
        "11",
        "12",
    }


# Redirects


def test_the_redirects_stage_knows_a_posts_and_a_categorys_old_addresses():
    run = context(
        categories={
            "news": term("news", "News", term_id="1"),
            "local": term("local", "Local", term_id="2", parent="news"),
        }
    )
    item = wp_post("5", link=f"{SITE}/2024/01/04/story-5/")
    assert redirects.post_addresses(run.survey, item) == [
        ("/", "p=5"),
        ("/2024/01/04/story-5/", ""),
    ]
    assert redirects.category_addresses(run.survey, {"news": 1, "local": 2}) == {
        ("/category/news/", ""): 1,
        ("/", "cat=1"): 1,
        ("/category/news/local/", ""): 2,
        ("/category/local/", ""): 2,
        ("/", "cat=2"): 2,
    }


def test_the_redirects_stage_never_takes_an_old_address_over():
    first, second = ArticleFactory(), ArticleFactory()
    Redirect.objects.create(old_path="/old/", article=first)
    run = context()
    redirects.Redirects(run).write(
        {("/old/", ""): second.pk, ("/new/", ""): second.pk}, target="article"
    )
    assert Redirect.objects.get(old_path="/old/").article == first
    assert Redirect.objects.get(old_path="/new/").article == second
    assert run.summary.tallies["redirects"].skipped == {"old address already leads elsewhere": 1}
