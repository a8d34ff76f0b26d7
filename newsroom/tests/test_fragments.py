"""The memory each server process gives to the pieces of pages it keeps (newsroom/fragments.py)."""

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
