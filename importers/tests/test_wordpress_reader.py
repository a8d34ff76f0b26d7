"""Reading a WordPress export: typed records in the file's order; hostile files refused."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from articles.models import Article, Section
from importers.models import WordPressItem
from importers.wordpress.wxr import Author, ExportError, Item, Site, Term, read_export

from .wxr import category, comment, export_xml, post, tag

DATA = Path(__file__).parent / "data" / "wordpress"


def records(xml: str | bytes):
    data = xml.encode() if isinstance(xml, str) else xml
    return list(read_export(io.BytesIO(data)))


def test_an_export_reads_as_site_authors_terms_and_items_in_order():
    found = records(
        export_xml(
            categories=[category(3, "local", "Local", parent="news")],
            tags=[tag(7, "harbour-plan", "Harbour plan")],
            items=[post(101, comments=[comment(1, content="Well said.")])],
        )
    )
    assert [type(record) for record in found] == [Site, Author, Author, Term, Term, Item]
    site, ana, _ben, local, harbour, item = found
    assert (site.wxr_version, site.base_site_url) == ("1.2", "https://harbourtimes.example.org")
    assert (ana.login, ana.display_name) == ("ana", "Ana Ruiz")
    assert (local.domain, local.slug, local.parent_slug, local.term_id) == (
        "category",
        "local",
        "news",
        "3",
    )
    assert (harbour.domain, harbour.slug, harbour.name) == (
        "post_tag",
        "harbour-plan",
        "Harbour plan",
    )
    assert (item.wp_id, item.post_type, item.status, item.creator) == (
        "101",
        "post",
        "publish",
        "ana",
    )
    assert item.comments[0].content == "Well said."


def test_wxr_1_1_is_read_like_1_2():
    site, *_rest, item = records(export_xml(version="1.1", items=[post(5)]))
    assert site.wxr_version == "1.1"
    assert item.wp_id == "5"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("billion_laughs.xml", "declares a DTD or entities"),
        ("external_entity.xml", "declares a DTD or entities"),
        ("rss_feed.xml", "RSS feed, not a WordPress export"),
        ("atom_feed.xml", "not an RSS document"),
    ],
)
def test_hostile_and_foreign_files_are_refused_with_the_reason(name, message):
    with pytest.raises(ExportError, match=message):
        records((DATA / name).read_bytes())


def test_a_malformed_export_is_refused_with_its_line():
    broken = export_xml(items=[post(1)]).replace("</wp:post_id>", "</wp:postid>", 1)
    with pytest.raises(ExportError, match=r"not well-formed XML: mismatched tag at line \d+"):
        records(broken)


def test_an_export_cut_off_half_way_is_refused():
    whole = export_xml(items=[post(1), post(2)])
    with pytest.raises(ExportError, match="ends in the middle"):
        records(whole[: len(whole) // 2])


def test_a_file_in_another_encoding_than_it_declares_is_refused():
    latin1 = export_xml(items=[post(1, title="Café owners welcome the plan")]).encode("latin-1")
    with pytest.raises(ExportError, match="may not be in the encoding it declares"):
        records(latin1)


def test_an_unsupported_wxr_version_is_refused():
    with pytest.raises(ExportError, match=r"version 2\.0"):
        records(export_xml(version="2.0"))


def test_an_empty_file_is_refused():
    with pytest.raises(ExportError, match="empty"):
        records(b"")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["billion_laughs.xml", "external_entity.xml", "rss_feed.xml", "atom_feed.xml"]
)
def test_the_command_refuses_them_and_imports_nothing(name):
    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_wordpress", str(DATA / name), stdout=io.StringIO())
    assert not Article.objects.exists()
    assert not WordPressItem.objects.exists()


@pytest.mark.django_db
def test_a_file_malformed_after_good_items_imports_nothing(tmp_path):
    """The whole file is checked before anything is written: no partial import."""
    good = export_xml(
        categories=[category(1, "local", "Local")], items=[post(n) for n in range(1, 40)]
    )
    broken = tmp_path / "broken.xml"
    broken.write_text(good.replace("</channel>", "<item><title>cut</channel>"), encoding="utf-8")
    with pytest.raises(CommandError, match="not well-formed"):
        call_command("import_wordpress", str(broken), stdout=io.StringIO())
    assert not Article.objects.exists()
    assert not Section.objects.exists()


@pytest.mark.django_db
def test_an_external_entity_to_a_local_file_never_reaches_the_database(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the-newsroom-database-password")
    path = tmp_path / "xxe.xml"
    path.write_text(
        (DATA / "external_entity.xml").read_text().replace("file:///etc/passwd", secret.as_uri())
    )
    with pytest.raises(CommandError, match="DTD"):
        call_command("import_wordpress", str(path), stdout=io.StringIO())
    assert not Article.objects.filter(body__contains="password").exists()


def test_terms_and_authors_after_the_items_are_still_read(tmp_path):
    found = records(
        export_xml(
            categories=[category(1, "local", "Local")],
            items=[post(1, categories=[("local", "Local")])],
            terms_after_items=True,
        )
    )
    assert isinstance(found[0], Site)
    assert {type(record) for record in found[2:]} == {Author, Term}


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(CommandError, match="No file at"):
        call_command("import_wordpress", str(tmp_path / "nowhere.xml"))
