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


TEXT = "We retrain weekly.\n\nOwner: the data team.\n\nAlerts go to #ml-ops.\n"


def test_edits_of_different_lines_merge_cleanly_and_keep_the_status() -> None:
    base = snapshot(lifetime=BlockValue(TEXT, Status.DONE))
    ours = snapshot(lifetime=BlockValue(TEXT.replace("weekly", "fortnightly"), Status.DONE))
    theirs = snapshot(lifetime=BlockValue(TEXT.replace("#ml-ops", "#alerts"), Status.DONE))
    result = merge_snapshots(base, ours, theirs, "ours (main)", "theirs (feature)")
    assert result.clean
    merged = result.merged.blocks["lifetime"]
    assert merged.text == "We retrain fortnightly.\n\nOwner: the data team.\n\nAlerts go to #alerts.\n"
    assert merged.status is Status.DONE, "no draft forced on a clean merge"


def test_a_conflict_marks_only_the_line_both_changed_with_the_branch_names() -> None:
    base = snapshot(lifetime=BlockValue(TEXT, Status.DONE))
    ours = snapshot(lifetime=BlockValue(TEXT.replace("weekly", "fortnightly"), Status.DONE))
    their_text = TEXT.replace("weekly", "monthly").replace("#ml-ops", "#a")
    theirs = snapshot(lifetime=BlockValue(their_text, Status.DONE))
    result = merge_snapshots(base, ours, theirs, "ours (main)", "theirs (feature)")
    assert result.conflicted_blocks == ("lifetime",)
    merged = result.merged.blocks["lifetime"]
    assert merged.text == (
        "<<<<<<< ours (main)\nWe retrain fortnightly.\n"
        "=======\nWe retrain monthly.\n>>>>>>> theirs (feature)\n"
        "\nOwner: the data team.\n\nAlerts go to #a.\n"
    )
    assert merged.status is Status.DRAFT


def test_a_clean_line_merge_in_a_block_whose_status_clashed_is_no_conflict() -> None:
    """The rules see the block because both changed the status: the text still merges by lines."""
    base = snapshot(lifetime=BlockValue(TEXT, Status.DRAFT, None, (1,)))
    ours = snapshot(lifetime=BlockValue(TEXT.replace("weekly", "daily"), Status.DONE, None, (1,)))
    theirs = snapshot(lifetime=BlockValue(TEXT.replace("#ml-ops", "#a"), Status.SKIP, None, ()))
    result = merge_snapshots(base, ours, theirs)
    assert result.conflicted_blocks == ()
    merged = result.merged.blocks["lifetime"]
    assert merged.text == TEXT.replace("weekly", "daily").replace("#ml-ops", "#a")
    assert (merged.status, merged.answered) == (Status.DRAFT, ()), "marks only theirs changed: theirs"
    assert result.settled == ("lifetime: both sides changed the status differently; now draft",)


def test_a_status_only_one_side_changed_is_taken_when_the_marks_clash() -> None:
    base = snapshot(lifetime=BlockValue(TEXT, Status.DRAFT, None, (1,)))
    ours = snapshot(lifetime=BlockValue(TEXT, Status.DRAFT, None, (1, 2)))
    theirs = snapshot(lifetime=BlockValue(TEXT, Status.DONE, None, (3,)))
    result = merge_snapshots(base, ours, theirs)
    merged = result.merged.blocks["lifetime"]
    assert (merged.status, merged.answered) == (Status.DONE, (1, 2, 3))
    assert result.settled == ("lifetime: both sides marked questions; now the questions either marked",)


def test_values_the_template_does_not_know_are_kept() -> None:
    base = snapshot(lifetime=BlockValue("old\n", Status.DRAFT, "someday", (), "1, 2"))
    ours = snapshot(lifetime=BlockValue("ours\n", Status.DRAFT, "someday", (), "1, 2"))
    theirs = snapshot(lifetime=BlockValue("theirs\n", Status.DRAFT, "someday", (), "1, 2"))
    merged = merge_snapshots(base, ours, theirs).merged.blocks["lifetime"]
    assert merged.unknown_answered == "1, 2"
    assert (merged.status, merged.unknown_status) == (Status.DRAFT, None), "a conflict is draft"


def test_a_block_new_on_both_branches_merges_from_an_empty_base() -> None:
    ours = snapshot(lifetime=BlockValue("Shared.\nours\n", Status.DRAFT))
    theirs = snapshot(lifetime=BlockValue("Shared.\ntheirs\n", Status.DRAFT))
    result = merge_snapshots(snapshot(), ours, theirs)
    assert result.conflicted_blocks == ("lifetime",)
    assert result.merged.blocks["lifetime"].text.startswith("Shared.\n<<<<<<< ours\n")


def test_a_status_the_template_does_not_know_is_kept_when_only_the_marks_clash() -> None:
    base = snapshot(lifetime=BlockValue("text", Status.DRAFT, "someday", (1,)))
    ours = snapshot(lifetime=BlockValue("text", Status.DRAFT, "someday", (1, 2)))
    theirs = snapshot(lifetime=BlockValue("text", Status.DRAFT, "someday", (3,)))
    merged = merge_snapshots(base, ours, theirs).merged.blocks["lifetime"]
    assert merged.unknown_status == "someday"


def test_the_field_rules_say_what_they_settled() -> None:
    base = Snapshot({"iteration": 1, "date": "2026-01-01"}, {})
    ours = Snapshot({"iteration": 2, "date": "2026-02-01"}, {})
    theirs = Snapshot({"iteration": 3, "date": "2026-03-15"}, {})
    result = merge_snapshots(base, ours, theirs)
    assert result.settled == (
        "iteration: 2 and 3 -> the higher, 3",
        "date: 2026-02-01 and 2026-03-15 -> the later, 2026-03-15",
    )
    assert result.clean


def test_without_branch_names_the_markers_say_ours_and_theirs() -> None:
    base = snapshot(lifetime=BlockValue("old\nend", Status.DRAFT))
    ours = snapshot(lifetime=BlockValue("ours\nend", Status.DRAFT))
    theirs = snapshot(lifetime=BlockValue("theirs\nend", Status.DRAFT))
    text = merge_snapshots(base, ours, theirs).merged.blocks["lifetime"].text
    assert text == "<<<<<<< ours\nours\n=======\ntheirs\n>>>>>>> theirs\nend"
