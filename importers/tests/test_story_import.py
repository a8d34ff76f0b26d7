from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article
from articles.tests.factories import AuthorFactory, SectionFactory
from importers.story_text import StoryTextError, decode_story, parse_story

WIRE_STORY = Path(__file__).parent / "data" / "wire_story.txt"


def test_wire_story_splits_into_headline_dateline_and_subheadings():
    story = parse_story(decode_story(WIRE_STORY.read_bytes()))
    assert story.headline == "North Korea’s Ballistic Missile Move Raises International Concerns"
    assert story.dateline == "Washington"
    assert story.subheadings == (
        "A Bold Move Unfolds",
        "Growing International Concerns",
        "Speculations on North Korea’s Motivations",
        "Collaboration between North Korea and Russia",
    )
    assert story.body.startswith("<p>The North Korea has supplied Russia")
    assert "Please enter" not in story.body


@pytest.mark.parametrize(
    ("first_paragraph", "dateline", "text"),
    [
        ("WASHINGTON — The talks ended.", "Washington", "The talks ended."),
        ("NEW YORK: Shares fell.", "New York", "Shares fell."),
        ("São Paulo : Rain fell.", "São Paulo", "Rain fell."),
        ("London -- It rained.", "London", "It rained."),
        ("Note: this is not a dateline.", "", "Note: this is not a dateline."),
        ("The minister said: we will act.", "", "The minister said: we will act."),
    ],
)
def test_datelines_in_the_usual_styles(first_paragraph, dateline, text):
    story = parse_story(f"Headline\n\n{first_paragraph}")
    assert story.dateline == dateline
    assert story.body == f"<p>{text}</p>"


def test_story_text_is_escaped_not_trusted():
    story = parse_story("A <b>headline</b>\n\nParis : Some <script>alert(1)</script> text.")
    assert "<script>" not in story.body
    assert "&lt;script&gt;" in story.body


def test_hard_wrapped_lines_join_into_one_paragraph():
    story = parse_story(
        "Headline\n\nThe first line of a paragraph\ncontinues here.\n\nAnother one."
    )
    assert story.body == "<p>The first line of a paragraph continues here.</p>\n<p>Another one.</p>"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("Caf\xe9 story\n\nText.".encode("latin-1"), "not UTF-8"),
        (b"Only a headline\n", "no story text"),
    ],
)
def test_unreadable_files_are_refused_with_the_reason(data, message):
    with pytest.raises(StoryTextError, match=message):
        parse_story(decode_story(data))


@pytest.mark.django_db
def test_import_story_publishes_the_wire_story(client):
    call_command("import_story", str(WIRE_STORY), "--publish")
    article = Article.objects.live().get()
    assert article.section.slug == "news"
    response = client.get(article.get_absolute_url())
    content = response.content.decode()
    assert response.status_code == 200
    assert "North Korea’s Ballistic Missile Move Raises International Concerns" in content
    assert '<span class="dateline">Washington :</span>' in content
    body = content.split('<div class="story-body">')[1].split("</div>")[0]
    assert body.count("<h2>") == 4
    assert "Please enter your comment" not in article.body
    assert "Please enter your name here" not in article.body


@pytest.mark.django_db
def test_import_story_makes_a_draft_by_default_with_a_byline(tmp_path):
    SectionFactory(name="World", slug="world")
    AuthorFactory(name="Ana Ruiz", slug="ana-ruiz")
    call_command("import_story", str(WIRE_STORY), "--section", "World", "--author", "ana-ruiz")
    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert article.publish_at is None
    assert article.section.slug == "world"
    assert [b.author.slug for b in article.bylines.all()] == ["ana-ruiz"]
    assert not Article.objects.live().exists()


@pytest.mark.django_db
def test_importing_the_same_story_twice_gives_distinct_slugs():
    call_command("import_story", str(WIRE_STORY))
    call_command("import_story", str(WIRE_STORY))
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    assert slugs == [
        "north-koreas-ballistic-missile-move-raises-international-concerns",
        "north-koreas-ballistic-missile-move-raises-international-concerns-2",
    ]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        (b"\x00\x01\x02binary", "binary"),
        (b"Headline\n\nCaf\xe9.", "not UTF-8"),
    ],
)
def test_import_story_refuses_a_bad_file_and_creates_nothing(tmp_path, content, message):
    story_file = tmp_path / "story.txt"
    story_file.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        call_command("import_story", str(story_file))
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_import_story_refuses_an_unknown_section_or_author(tmp_path):
    with pytest.raises(CommandError, match="No section “culture”"):
        call_command("import_story", str(WIRE_STORY), "--section", "culture")
    with pytest.raises(CommandError, match="No author “nobody”"):
        call_command("import_story", str(WIRE_STORY), "--author", "nobody")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_story", str(tmp_path / "missing.txt"))
    assert not Article.objects.exists()


@pytest.mark.django_db
def test_publishing_an_import_goes_through_the_workflow_and_is_logged():
    call_command("import_story", str(WIRE_STORY), "--publish")
    article = Article.objects.get()
    entry = article.audit_entries.get()
    assert (entry.from_status, entry.to_status) == ("draft", "published")
    assert entry.actor is None
    assert entry.note == "Imported from wire_story.txt."
    assert article.first_published_at == article.publish_at
