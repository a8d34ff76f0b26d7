from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Byline, Section, Tag

from .factories import ArticleFactory, AuthorFactory, SectionFactory, TagFactory

pytestmark = pytest.mark.django_db


def test_published_story_without_a_publication_time_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status=Article.Status.PUBLISHED, publish_at=None)


def test_published_story_without_a_publication_time_is_a_validation_error():
    story = ArticleFactory.build(section=SectionFactory(), publish_at=None)
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert "publish_at" in error.value.message_dict


def test_breaking_news_needs_an_expiry():
    story = ArticleFactory.build(section=SectionFactory(), is_breaking=True)
    with pytest.raises(ValidationError) as error:
        story.full_clean()
    assert "breaking_until" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(is_breaking=True, breaking_until=None)


def test_duplicate_slugs_are_refused():
    ArticleFactory(slug="same")
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(slug="same")


def test_a_story_without_a_slug_gets_a_free_one_from_its_headline():
    first = ArticleFactory(headline="Floods close the coast road", slug="")
    second = ArticleFactory(headline="Floods close the coast road", slug="")
    assert first.slug == "floods-close-the-coast-road"
    assert second.slug == "floods-close-the-coast-road-2"


def test_first_publication_follows_the_schedule_until_the_story_goes_live():
    later = timezone.now() + timedelta(hours=3)
    story = ArticleFactory(publish_at=later)
    assert story.first_published_at == later

    even_later = later + timedelta(hours=1)
    story.publish_at = even_later
    story.save()
    assert story.first_published_at == even_later

    with time_machine.travel(even_later + timedelta(minutes=5)):
        story.publish_at = timezone.now()
        story.save()
    assert story.first_published_at == even_later


def test_drafts_have_no_first_publication():
    assert ArticleFactory(draft=True).first_published_at is None


def test_section_cannot_be_its_own_ancestor():
    world = SectionFactory(slug="world")
    europe = SectionFactory(slug="europe", parent=world)
    world.parent = europe
    with pytest.raises(ValidationError) as error:
        world.full_clean()
    assert "parent" in error.value.message_dict


def test_section_cannot_be_its_own_parent_in_the_database():
    world = SectionFactory(slug="world")
    with pytest.raises(IntegrityError), transaction.atomic():
        Section.objects.filter(pk=world.pk).update(parent=world)


def test_reserved_section_slugs_are_refused():
    with pytest.raises(ValidationError):
        Section(name="Search", slug="search").full_clean()


def test_an_author_has_one_byline_per_story():
    story, author = ArticleFactory(), AuthorFactory()
    story.bylines.create(author=author)
    with pytest.raises(IntegrityError), transaction.atomic():
        story.bylines.create(author=author, role=Byline.Role.PHOTOGRAPHER)


def test_tag_names_are_unique_ignoring_case():
    TagFactory(name="Climate")
    with pytest.raises(ValidationError):
        Tag(name="climate", slug="climate-2").full_clean()


def test_byline_groups_read_in_role_then_byline_order():
    story = ArticleFactory()
    names = ["Ana", "Ben", "Cai", "Dee"]
    roles = [
        Byline.Role.PHOTOGRAPHER,
        Byline.Role.REPORTER,
        Byline.Role.ADDITIONAL_REPORTING,
        Byline.Role.REPORTER,
    ]
    for position, (name, role) in enumerate(zip(names, roles, strict=True)):
        story.bylines.create(author=AuthorFactory(name=name), role=role, position=position)
    groups = [(lead_in, [a.name for a in authors]) for lead_in, authors in story.byline_groups()]
    assert groups == [
        ("By", ["Ben", "Dee"]),
        ("Additional reporting by", ["Cai"]),
        ("Photographs by", ["Ana"]),
    ]


def test_dateline_opens_the_first_paragraph_and_is_escaped():
    story = ArticleFactory.build(dateline="<b>Paris</b>", body="<h2>Sub</h2><p>Text</p>")
    assert story.body_with_dateline() == (
        '<h2>Sub</h2><p><span class="dateline">&lt;b&gt;Paris&lt;/b&gt; :</span> Text</p>'
    )


def test_description_falls_back_to_the_body():
    story = ArticleFactory.build(standfirst="", body="<p>Word " + "word " * 50 + "</p>")
    assert story.description.endswith("…")
    assert "<p>" not in story.description


def test_description_reads_entities_as_the_characters_they_are():
    story = ArticleFactory(standfirst="", body="<p>Ben &amp; Jerry&#x27;s &lt;new&gt; plant</p>")
    assert story.description == "Ben & Jerry's <new> plant"


@pytest.mark.parametrize(
    "body",
    [
        '<figure class="table"><table><tbody><tr><td><p>Cell</p></td></tr></tbody></table>'
        "</figure><p>Text</p>",
        '<aside class="note"><p>Note</p></aside><p>Text</p>',
        '<figure class="quote"><blockquote><p>Quote</p></blockquote></figure><p>Text</p>',
    ],
)
def test_dateline_never_goes_inside_a_table_a_note_or_a_quote(body):
    story = ArticleFactory.build(dateline="Paris", body=body)
    opening = body.removesuffix("<p>Text</p>")
    assert story.body_with_dateline() == (
        f'{opening}<p><span class="dateline">Paris :</span> Text</p>'
    )


def test_a_body_with_no_paragraph_of_its_own_gets_one_for_the_dateline():
    body = '<aside class="note"><p>Note</p></aside>'
    story = ArticleFactory.build(dateline="Paris", body=body)
    assert story.body_with_dateline() == f'<p><span class="dateline">Paris :</span> </p>{body}'
