"""`seed_scale`: a large archive, made in bulk, exactly as the models would have saved it."""

import pytest
from django.core.management import call_command
from django.db.models import Count

from articles.models import Article, Byline, Section
from articles.sanitise import sanitise_body
from comments.models import Comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    call_command("seed_scale", articles=200, comments=1500, batch_size=100, verbosity=0)


def test_seed_fills_twelve_sections_with_stories_in_every_state(seeded):
    assert Section.objects.count() == 12
    assert Article.objects.count() == 200
    assert set(Article.objects.values_list("status", flat=True)) == set(Article.Status.values)
    assert Article.objects.scheduled().exists()
    assert Article.objects.live().count() > 160
    assert not Article.objects.annotate(n=Count("bylines")).filter(n=0).exists()
    assert not Article.objects.annotate(n=Count("tags")).filter(n=0).exists()
    assert Article.objects.filter(corrections__isnull=False).exists()


def test_seeded_stories_have_what_save_would_derive(seeded):
    assert len(set(Article.objects.values_list("slug", flat=True))) == 200
    for story in Article.objects.all()[:50]:
        assert story.body == sanitise_body(story.body)
        assert story.body.startswith("<")
        if story.status in (Article.Status.PUBLISHED, Article.Status.WITHDRAWN):
            assert story.first_published_at == story.publish_at
        else:
            assert story.publish_at is None
            assert story.first_published_at is None
    bylines = Byline.objects.values_list("article", "author")
    assert len(set(bylines)) == bylines.count()


def test_seeded_comments_are_in_every_state_with_their_fingerprints(seeded):
    assert Comment.objects.count() == 1500
    assert set(Comment.objects.values_list("status", flat=True)) == set(Comment.Status.values)
    assert Comment.objects.filter(parent__isnull=False).count() > 250
    assert not Comment.objects.filter(parent__parent__isnull=False).exists()
    assert not Comment.objects.exclude(article__in=Article.objects.live()).exists()
    for comment in Comment.objects.all()[:200]:
        assert comment.fingerprint == Comment.fingerprint_for(
            article_id=comment.article_id,
            parent_id=comment.parent_id,
            email=comment.email,
            body=comment.body,
        )
        if comment.parent is not None:
            assert comment.parent.article_id == comment.article_id
            assert comment.submitted_at >= comment.parent.submitted_at


def test_seeded_comment_counts_are_what_story_pages_show(seeded):
    for story in Article.objects.filter(comment_count__gt=0)[:20]:
        assert story.comment_count == Comment.objects.for_article_page(story).total
    assert Article.objects.filter(comment_count__gt=0).count() > 50
