"""Settling a merge conflict inside a block: keep ours, keep theirs, or keep both."""

from __future__ import annotations

from canvas_tui.model.conflicts import conflict_sides, conflict_text, has_conflict_marker, settle_conflict

TEXT = "Shared first line.\n" + conflict_text("We retrain monthly.", "We retrain weekly.", "ours (main)")


def test_each_side_is_the_whole_block_settled_that_way() -> None:
    assert conflict_sides(TEXT) == (
        "Shared first line.\nWe retrain monthly.",
        "Shared first line.\nWe retrain weekly.",
    )
    assert conflict_sides("No conflict here.\n=======\nunderlined") is None


def test_settling_leaves_no_marker() -> None:
    for keep in ("ours", "theirs", "both"):
        settled = settle_conflict(TEXT, keep)
        assert not has_conflict_marker(settled) and "=======" not in settled
    assert settle_conflict(TEXT, "both") == "Shared first line.\nWe retrain monthly.\nWe retrain weekly."
    assert settle_conflict("plain", "ours") == "plain"
