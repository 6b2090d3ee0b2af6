"""The git driver's rules keep every part of a block that either side changed."""

from __future__ import annotations

from canvas_tui.model import BlockValue, Snapshot, Status
from canvas_tui.model.merge import merge_snapshots


def snapshot(**blocks: BlockValue) -> Snapshot:
    return Snapshot({}, dict(blocks))


def test_questions_both_sides_marked_are_kept_when_the_texts_do_not_clash() -> None:
    base = snapshot(background=BlockValue("text", Status.DRAFT, None, (1,)))
    ours = snapshot(background=BlockValue("text", Status.DRAFT, None, (1, 2)))
    theirs = snapshot(background=BlockValue("text", Status.DRAFT, None, (1, 4)))
    result = merge_snapshots(base, ours, theirs)
    assert result.merged.blocks["background"].answered == (1, 2, 4)
    assert result.merged.blocks["background"].text == "text"


def test_questions_survive_a_text_conflict() -> None:
    base = snapshot(background=BlockValue("old\n", Status.DRAFT, None, (1,)))
    ours = snapshot(background=BlockValue("ours\n", Status.DRAFT, None, (1, 3)))
    theirs = snapshot(background=BlockValue("theirs\n", Status.DRAFT, None, (1,)))
    result = merge_snapshots(base, ours, theirs)
    assert result.conflicted_blocks == ("background",)
    assert result.merged.blocks["background"].answered == (1, 3)


def test_questions_only_theirs_marked_are_taken_in_a_text_conflict() -> None:
    base = snapshot(background=BlockValue("old\n", Status.DRAFT, None, ()))
    ours = snapshot(background=BlockValue("ours\n", Status.DRAFT, None, ()))
    theirs = snapshot(background=BlockValue("theirs\n", Status.DRAFT, None, (5,)))
    result = merge_snapshots(base, ours, theirs)
    assert result.merged.blocks["background"].answered == (5,)
