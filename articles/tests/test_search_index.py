"""
The search index follows every way a story can be written: save(), bulk_create(),
QuerySet.update(), bulk_update(), delete, and SQL that bypasses the ORM altogether. These run
on whichever database the suite runs on (SQLite's FTS5 or PostgreSQL's tsvector).
"""

from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from articles import search_index
from articles.models import Article
from articles.search import PostgresBackend, SqliteBackend, backend_for, matching, search

from .factories import ArticleFactory, SectionFactory

pytestmark = pytest.mark.django_db


def found(query):
    """Headlines of every story, whatever its status, that the index finds for `query`."""
    return set(
        matching(Article.objects.all(), query, prefix=False).values_list("headline", flat=True)
    )


def test_the_backend_is_the_databases_own():
    expected = {"sqlite": SqliteBackend, "postgresql": PostgresBackend}[connection.vendor]
    assert isinstance(backend_for(Article.objects.all()), expected)


def test_a_story_saved_through_the_orm_is_found_by_every_indexed_field():
    ArticleFactory(
        headline="Lighthouse keepers return",
        kicker="Exclusive",
        standfirst="Automation is reversed on the northern isles.",
        dateline="Lerwick",
        body="<p>The <strong>pilots</strong> welcomed the decision.</p>",
    )

    for word in ["lighthouse", "exclusive", "automation", "lerwick", "pilots"]:
        assert found(word) == {"Lighthouse keepers return"}, word


def test_markup_in_the_body_is_not_searchable():
    ArticleFactory(
        headline="Ferry timetable",
        body='<p><strong>Boats</strong> <a href="https://example.org/strongholds">leave</a></p>',
    )

    assert found("strong") == set()
    assert found("href") == set()
    assert found("strongholds") == set()
    assert found("boats") == {"Ferry timetable"}


def test_entities_in_the_body_are_searched_as_the_characters_they_stand_for():
    story = ArticleFactory(headline="Fish and chips", body="<p>Smith&nbsp;&amp;&nbsp;Sons</p>")

    assert story.body_text == "Smith & Sons"
    assert found("sons") == {"Fish and chips"}


def test_an_edit_saved_through_the_orm_replaces_the_old_words():
    story = ArticleFactory(headline="Storm warning", body="<p>Gales are expected.</p>")

    story.headline = "Storm passes"
    story.body = "<p>Calm returns to the coast.</p>"
    story.save()

    assert found("warning") == set()
    assert found("gales") == set()
    assert found("calm") == {"Storm passes"}


def test_saving_only_the_body_field_still_updates_its_searchable_text():
    story = ArticleFactory(headline="Market report", body="<p>Prices rose.</p>")

    story.body = "<p>Prices collapsed overnight.</p>"
    story.save(update_fields=["body"])

    story.refresh_from_db()
    assert story.body_text == "Prices collapsed overnight."
    assert found("collapsed") == {"Market report"}


def test_stories_created_in_bulk_are_found():
    section = SectionFactory()
    Article.objects.bulk_create(
        [
            Article(
                headline=f"Imported story {n}",
                slug=f"imported-{n}",
                section=section,
                body=f"<p>Archive text <em>number{n}</em></p><script>alert(1)</script>",
            )
            for n in range(3)
        ]
    )

    assert found("imported") == {f"Imported story {n}" for n in range(3)}
    assert found("number2") == {"Imported story 2"}
    story = Article.objects.get(slug="imported-0")
    assert "<script>" not in story.body
    assert story.body_text == "Archive text number0"


def test_a_bulk_update_of_headlines_reaches_the_index():
    ArticleFactory.create_batch(2, headline="Obsolete headline", body="<p>Text</p>")

    Article.objects.update(headline="Replacement headline")

    assert found("obsolete") == set()
    assert len(matching(Article.objects.all(), "replacement")) == 2


def test_a_bulk_update_of_bodies_is_sanitised_and_reaches_the_index():
    story = ArticleFactory(headline="Weather", body="<p>Sunny spells</p>")

    Article.objects.filter(pk=story.pk).update(body="<p>Heavy <b>snowfall</b></p><img src=x>")

    story.refresh_from_db()
    assert story.body == "<p>Heavy <b>snowfall</b></p>"
    assert found("snowfall") == {"Weather"}
    assert found("sunny") == set()


def test_a_bulk_update_of_bodies_from_an_expression_is_refused():
    from django.db.models import F

    ArticleFactory()

    with pytest.raises(TypeError, match="written as text"):
        Article.objects.update(body=F("standfirst"))


def test_bulk_update_with_the_body_reaches_the_index():
    stories = ArticleFactory.create_batch(2, headline="Regional news", body="<p>Rain</p>")
    for n, story in enumerate(stories):
        story.body = f"<p>Flooding in valley{n}</p>"

    Article.objects.bulk_update(stories, ["body"])

    assert found("valley1") == {"Regional news"}
    assert found("rain") == set()


def test_sql_that_bypasses_the_orm_reaches_the_index():
    story = ArticleFactory(headline="Council budget")

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET headline = %s WHERE id = %s", ["Mayor resigns", story.pk]
        )

    assert found("budget") == set()
    assert found("mayor") == {"Mayor resigns"}


def test_a_deleted_story_leaves_the_index():
    kept = ArticleFactory(headline="Kept story about tides")
    ArticleFactory(headline="Deleted story about tides").delete()
    Article.objects.filter(headline__startswith="Never").delete()

    assert found("tides") == {kept.headline}


def test_stories_deleted_in_bulk_leave_the_index():
    ArticleFactory.create_batch(3, headline="Temporary notice")

    Article.objects.all().delete()

    assert found("temporary") == set()


def test_rebuilding_the_index_after_its_triggers_were_lost_finds_every_story():
    ArticleFactory(headline="Before the rebuild")
    search_index.remove_triggers(connection)
    ArticleFactory(headline="Written while the triggers were gone")

    search_index.rebuild(connection)

    assert found("rebuild") == {"Before the rebuild"}
    assert found("triggers") == {"Written while the triggers were gone"}
    ArticleFactory(headline="Written after the rebuild about triggers")
    assert len(found("triggers")) == 2


def test_readers_search_reads_the_same_index():
    ArticleFactory(headline="Harbour dredging begins")

    assert [story.headline for story in search("dredging")] == ["Harbour dredging begins"]


def test_every_migrate_puts_lost_triggers_back():
    from articles.apps import install_search_triggers

    search_index.remove_triggers(connection)

    install_search_triggers(using=connection.alias)

    ArticleFactory(headline="Found after migrate")
    assert found("migrate") == {"Found after migrate"}


# What a search counts and filters on follows the story however it is written ---------------


def searched(query, **filters):
    """The stories `search()` finds (ids, best first) and the number of matches it counts."""
    results = search(query, **filters)
    return [story.pk for story in results[0:20]], results.count()


def test_a_story_withdrawn_by_a_bulk_update_leaves_the_results_and_their_count():
    kept = ArticleFactory(headline="Dredging plan one")
    gone = ArticleFactory(headline="Dredging plan two")

    Article.objects.filter(pk=gone.pk).update(status=Article.Status.WITHDRAWN)

    assert searched("dredging") == ([kept.pk], 1)


def test_a_story_moved_to_another_section_by_a_bulk_update_is_found_in_its_new_one():
    news, sport = SectionFactory(slug="news"), SectionFactory(slug="sport")
    story = ArticleFactory(headline="Dredging plan", section=news)

    Article.objects.filter(pk=story.pk).update(section=sport)

    assert searched("dredging", section=news) == ([], 0)
    assert searched("dredging", section=sport) == ([story.pk], 1)


def test_a_story_rescheduled_by_sql_that_bypasses_the_orm_waits_for_its_time():
    story = ArticleFactory(headline="Dredging plan")
    later = timezone.now() + timedelta(days=1)

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE articles_article SET publish_at = %s WHERE id = %s", [later, story.pk]
        )

    assert searched("dredging") == ([], 0)
    with time_machine.travel(later + timedelta(minutes=1)):
        assert searched("dredging") == ([story.pk], 1)
