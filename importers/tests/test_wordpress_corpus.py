"""
The export files WordPress's own importer is tested against (tests/corpora/wordpress-importer,
GPL-2.0 test fixtures from WordPress/wordpress-importer, with their LICENSE beside them),
imported as they are: each file imports what it holds (the rows it makes are counted), or is
refused with its message and nothing written; and importing it again changes nothing.
"""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Author
from comments.models import Comment

from .test_wordpress_import import counts, story

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "corpora" / "wordpress-importer"

# What each file becomes: the rows of each kind it makes (kinds not named: none).
IMPORTED = {
    "a11y-unit-test-data.xml": {
        "Article": 47,
        "Section": 28,
        "Tag": 89,
        "Author": 2,
        "Comment": 22,
        "Redirect": 165,
    },
    "authors-multiline.xml": {"Article": 1, "Section": 1, "Author": 3, "Redirect": 1},
    "backslashes.xml": {"Article": 1, "Section": 1, "Redirect": 1},
    "blank-lines.xml": {"Article": 1, "Section": 1, "Redirect": 1},
    "cdata-edge.xml": {"Article": 1, "Section": 1, "Redirect": 1},
    "chunked-meta.xml": {"Article": 1, "Section": 1, "Redirect": 1},
    "crazy-cdata-escaped.xml": {"Article": 1, "Section": 1, "Author": 1, "Redirect": 1},
    "large-authors.xml": {"Author": 300},
    "missing-tags.xml": {"Article": 1, "Section": 1, "Redirect": 1},
    "multiple-cdata.xml": {"Article": 1, "Section": 1, "Redirect": 1},
    "namespace-edge-cases.xml": {"Article": 5, "Section": 3, "Author": 2, "Redirect": 9},
    "post-content-blank-lines.xml": {"Article": 1, "Section": 1, "Author": 1, "Redirect": 1},
    "slashes.xml": {
        "Article": 1,
        "Section": 1,
        "Tag": 1,
        "Author": 2,
        "Comment": 1,
        "Redirect": 3,
    },
    "small-export.xml": {
        "Article": 5,
        "Section": 30,
        "Tag": 29,
        "Author": 3,
        "Comment": 1,
        "Redirect": 66,
    },
    "term-formats.xml": {"Section": 2, "Tag": 3, "Redirect": 4},
    "term-meta.xml": {"Section": 1, "Redirect": 2},
    "test-serialized-comment-meta.xml": {
        "Article": 1,
        "Section": 1,
        "Author": 1,
        "Comment": 1,
        "Redirect": 3,
    },
    "test-serialized-postmeta-no-cdata.xml": {
        "Article": 1,
        "Section": 1,
        "Author": 1,
        "Redirect": 3,
    },
    "test-serialized-postmeta-with-cdata.xml": {
        "Article": 1,
        "Section": 1,
        "Author": 1,
        "Redirect": 3,
    },
    "test-serialized-term-meta.xml": {
        "Article": 1,
        "Section": 1,
        "Tag": 1,
        "Author": 1,
        "Redirect": 4,
    },
    "test-utw-post-meta-import.xml": {"Article": 1, "Section": 1, "Author": 1, "Redirect": 3},
    "valid-wxr-1.0.xml": {
        "Article": 3,
        "Section": 5,
        "Tag": 4,
        "Author": 1,
        "Comment": 1,
        "Redirect": 9,
    },
    "valid-wxr-1.1.xml": {
        "Article": 1,
        "Section": 1,
        "Tag": 1,
        "Author": 1,
        "Comment": 1,
        "Redirect": 3,
    },
    "wxr-flat-attachment-different-site.xml": {
        "Article": 1,
        "Section": 1,
        "Author": 1,
        "Redirect": 2,
    },
    "wxr-flat-attachment-same-site.xml": {"Article": 1, "Section": 1, "Author": 1, "Redirect": 2},
    "wxr-simple.xml": {"Article": 1, "Section": 1, "Author": 1, "Redirect": 3},
    "wxr-utf-8-challenges.xml": {"Article": 1, "Section": 1, "Author": 1, "Redirect": 2},
    "wxr-with-sub-data.xml": {"Article": 1, "Section": 1, "Author": 1, "Redirect": 2},
}
REFUSED = {
    "crazy-cdata.xml": "The file is not well-formed XML: not well-formed (invalid token) at "
    "line 18, column 72. The file may not be in the encoding it declares (a WordPress export "
    "is UTF-8), or it was damaged when edited.",
    "invalid-version-tag.xml": "This export is WXR version abc; versions 1.0, 1.1, 1.2 can be "
    "imported.",
    "malformed-simple.xml": "The file is empty or ends in the middle of the export (it may not "
    "have finished downloading).",
    "malformed.xml": "The file is not well-formed XML: mismatched tag at line 90, column 3.",
    "missing-version-tag.xml": "This is an RSS feed, not a WordPress export: it has no "
    "<wp:wxr_version>. Export the site from WordPress with Tools → Export.",
}


def run(name):
    out = io.StringIO()
    call_command("import_wordpress", str(CORPUS / name), stdout=out)
    return out.getvalue()


def made():
    return {kind: count for kind, count in counts().items() if count and kind != "WordPressItem"}


def test_every_file_of_the_corpus_has_a_test_and_its_licence_beside_it():
    assert {path.name for path in CORPUS.glob("*.xml")} == set(IMPORTED) | set(REFUSED)
    assert "GNU GENERAL PUBLIC LICENSE" in (CORPUS / "LICENSE").read_text()


def test_the_copy_is_the_corpus_of_the_workplace_where_it_is_at_hand():
    """The files are kept in the repository; where the shared corpus is here, they match it."""
    shared = Path(__file__).resolve().parents[2].parent / "shared" / "corpora" / CORPUS.name
    if not shared.is_dir():
        pytest.skip(f"no shared corpus at {shared} to compare with")
    ours = {path.name: path.read_bytes() for path in CORPUS.iterdir()}
    assert ours == {path.name: path.read_bytes() for path in shared.iterdir()}


@pytest.mark.parametrize("name", sorted(IMPORTED))
def test_the_file_imports_what_it_holds_and_again_changes_nothing(name):
    first = run(name)
    assert made() == IMPORTED[name]
    assert first.rstrip().endswith(f"Imported {name}.")
    before = counts()
    run(name)
    assert counts() == before


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_the_file_is_refused_with_its_message_and_nothing_written(name):
    with pytest.raises(CommandError) as refused:
        run(name)
    assert str(refused.value) == f"{CORPUS / name}: {REFUSED[name]} Nothing was imported."
    assert set(counts().values()) == {0}


# A closer look at what some of them hold


def test_namespace_edge_cases_read_only_wordpress_s_own_namespaces():
    output = run("namespace-edge-cases.xml")
    assert set(Author.objects.values_list("slug", flat=True)) == {"real_user", "version_conflict"}
    headlines = set(Article.objects.values_list("headline", flat=True))
    assert "Hijacked Namespace" not in headlines
    assert "Mixed Namespaces" in headlines
    assert "articles: 1 post type “unknown”" in output


def test_the_unit_test_data_keeps_private_things_private_and_reports_the_rest():
    output = run("a11y-unit-test-data.xml")
    assert story(1168).status == Article.Status.DRAFT  # password-protected
    assert Comment.objects.filter(article=story(1168), status=Comment.Status.APPROVED).count() == 0
    for line in (
        "articles: 1 password-protected: imported as a draft, never published (e.g. 1168)",
        "articles: 1 sticky: placed on the home page (lead or top stories) (e.g. 1241)",
        "articles: 3 post in pages: joined into one story (e.g. 555, 1171, 1734)",
        "Content converted or dropped, post by post:",
    ):
        assert line in output


def test_backslashes_and_utf_8_arrive_as_written():
    run("backslashes.xml")
    assert "C:\\xampp\\htdocs\\wp-content" in Article.objects.get().body
    run("wxr-utf-8-challenges.xml")
    emoji = Article.objects.get(headline__contains="The Road")
    assert "🌲" in emoji.headline
    assert "Frost" in emoji.headline


def test_a_published_post_without_a_date_is_kept_as_a_draft():
    output = run("wxr-with-sub-data.xml")
    assert Article.objects.get().status == Article.Status.DRAFT
    assert "articles: 1 no publication date: imported as a draft (e.g. 101)" in output
    assert "comments: 1 no date" in output


def test_the_youtube_post_embeds_its_video_whose_address_is_written_with_http():
    # "Post Format: Video (YouTube)", post 582 of WordPress's theme unit test data (its guid
    # ends in ?p=582), id 1161 in this export: the address alone on its first line.
    output = run("a11y-unit-test-data.xml")
    video = "https://www.youtube.com/watch?v=SQEQr7c0-dw"
    assert story(1161).body.startswith(
        f'<figure class="embed" data-embed="{video}">'
        f'<a href="{video}" rel="noopener noreferrer">Video on YouTube</a></figure>'
    )
    assert "  1161 “Post Format: Video (YouTube)”: web address → embed" in output.splitlines()


def test_the_audio_and_video_blocks_link_to_their_files_and_say_so():
    output = run("a11y-unit-test-data.xml")
    audio = (
        "https://wpthemetestdata.files.wordpress.com/2008/06/"
        "originaldixielandjazzbandwithalbernard-stlouisblues.mp3"
    )
    assert f'<a href="{audio}" rel="noopener noreferrer">' in story(1730).body
    line = next(line for line in output.splitlines() if line.startswith("  1730 “"))
    assert "audio → link (file not imported)" in line
    assert "video → link (file not imported) ×2" in line
    assert "audio/video: 2 no --media-dir given: linked to where it was in WordPress" in output
