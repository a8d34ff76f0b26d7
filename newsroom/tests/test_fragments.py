"""The memory each server process gives to the pieces of pages it keeps (newsroom/fragments.py)."""

from pathlib import Path

from django.utils.autoreload import file_changed

from newsroom import fragments, pagecache
from newsroom.fragments import Kept

STAMP = (("site", 1),)


def test_pieces_past_the_memory_budget_push_out_the_oldest(settings):
    settings.NEWSROOM_FRAGMENTS_KEPT_MB = 30 / 1_000_000  # thirty characters
    kept = Kept()
    for name in ("first", "second", "third"):
        kept.keep(name, STAMP, None, name.ljust(12, "."))

    assert kept.get("first", STAMP, now=0) is None
    assert kept.get("second", STAMP, now=0) == "second......"
    assert kept.get("third", STAMP, now=0) == "third......."
    assert kept.size == 24


def test_a_piece_kept_again_replaces_its_old_copy(settings):
    settings.NEWSROOM_FRAGMENTS_KEPT_MB = 30 / 1_000_000
    kept = Kept()
    kept.keep("nav", STAMP, None, "old navigation")
    kept.keep("nav", (("site", 2),), None, "new")

    assert kept.get("nav", STAMP, now=0) is None
    assert kept.get("nav", (("site", 2),), now=0) == "new"
    assert kept.size == 3


def test_a_piece_larger_than_the_budget_is_not_kept_and_evicts_nothing(settings):
    settings.NEWSROOM_FRAGMENTS_KEPT_MB = 30 / 1_000_000
    kept = Kept()
    kept.keep("card", STAMP, None, "a card")
    kept.keep("story", STAMP, None, "x" * 31)

    assert kept.get("story", STAMP, now=0) is None
    assert kept.get("card", STAMP, now=0) == "a card"


def test_a_piece_past_its_moment_is_not_served(settings):
    kept = Kept()
    kept.keep("comments", STAMP, 100.0, "the form")

    assert kept.get("comments", STAMP, now=99.9) == "the form"
    assert kept.get("comments", STAMP, now=100.0) is None


def test_a_template_edited_under_runserver_drops_what_every_process_kept():
    fragments.KEPT.keep("nav", STAMP, None, "old navigation")
    pagecache.RECENT.keep("page:home", {"content": b"old page"})
    before = pagecache.current_versions([pagecache.SITE], started_ns=0)

    results = file_changed.send(sender=None, file_path=Path("templates/base.html"))

    assert not fragments.KEPT.entries
    assert pagecache.RECENT.get("page:home") is None
    assert pagecache.current_versions([pagecache.SITE], started_ns=0) != before
    # Django's own receiver still decides whether the server restarts: ours says nothing.
    assert all(
        response is None for receiver, response in results if receiver is fragments.template_edited
    )


def test_a_python_file_edited_leaves_the_pieces_to_the_restart():
    fragments.KEPT.keep("nav", STAMP, None, "navigation")

    file_changed.send(sender=None, file_path=Path("articles/views.py"))

    assert fragments.KEPT.get("nav", STAMP, now=0) == "navigation"
