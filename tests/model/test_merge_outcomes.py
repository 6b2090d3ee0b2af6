"""The editor's three-way merge, outcome by outcome: who changed what decides where a value comes
from, what is reported as taken from the disk, and what is put to the user."""

from __future__ import annotations

import pytest

from canvas_tui.model import BlockValue, Snapshot, Status
from canvas_tui.model.merge import merge3, pick

TEXT = "We retrain weekly.\n\nOwner: the data team.\n\nAlerts go to #ml-ops.\n"


@pytest.mark.parametrize(
    ("base", "mine", "theirs", "expected"),
    [
        ("a", "a", "a", ("a", "mine")),  # no one changed it
        ("a", "m", "a", ("m", "mine")),  # only I did: no question
        ("a", "a", "t", ("t", "theirs")),  # only they did
        ("a", "x", "x", ("x", "mine")),  # both, the same way
        ("a", "m", "t", ("m", "clash")),  # both, differently: mine until settled
        (None, "m", "t", ("m", "clash")),
    ],
)
def test_pick(base: str | None, mine: str, theirs: str, expected: tuple[str, str]) -> None:
    assert pick(base, mine, theirs) == expected


def snap(product: str = "Churn", **blocks: BlockValue) -> Snapshot:
    return Snapshot({"product": product}, dict(blocks))


def test_a_field_only_i_changed_is_mine_and_no_question() -> None:
    result = merge3(snap(), snap("Mine"), snap())
    assert result.merged.fields["product"] == "Mine"
    assert result.conflicts == () and result.taken_from_theirs == ()


def test_a_field_only_they_changed_is_taken_and_reported() -> None:
    result = merge3(snap(), snap(), snap("Theirs"))
    assert result.merged.fields["product"] == "Theirs"
    assert result.conflicts == () and result.taken_from_theirs == ("product",)


def test_a_field_both_changed_is_a_question_that_keeps_mine_until_answered() -> None:
    result = merge3(snap(), snap("Mine"), snap("Theirs"))
    [conflict] = result.conflicts
    assert (conflict.key, conflict.is_block, conflict.mine, conflict.theirs) == (
        "product",
        False,
        "Mine",
        "Theirs",
    )
    assert result.merged.fields["product"] == "Mine"
    assert result.resolve({}).fields["product"] == "Mine"
    assert result.resolve({"product": "theirs"}).fields["product"] == "Theirs"


def block(text: str = TEXT, status: Status = Status.DRAFT, answered: tuple[int, ...] = ()) -> BlockValue:
    return BlockValue(text, status, None, answered)


def test_a_block_only_i_changed_is_mine_and_not_reported() -> None:
    mine = block(TEXT.replace("weekly", "daily"), Status.DONE)
    result = merge3(snap(b=block()), snap(b=mine), snap(b=block()))
    assert result.merged.blocks["b"] == mine
    assert result.conflicts == () and result.taken_from_theirs == ()


def test_my_status_and_their_lines_are_both_kept_and_reported() -> None:
    theirs = block(TEXT.replace("#ml-ops", "#alerts"), answered=(2,))
    result = merge3(snap(b=block()), snap(b=block(status=Status.DONE)), snap(b=theirs))
    assert result.merged.blocks["b"] == block(theirs.text, Status.DONE, (2,))
    assert result.conflicts == () and result.taken_from_theirs == ("b",)


def test_different_lines_merge_and_the_same_lines_ask() -> None:
    base, mine = snap(b=block()), snap(b=block(TEXT.replace("weekly", "daily")))
    clean = merge3(base, mine, snap(b=block(TEXT.replace("#ml-ops", "#alerts"))))
    assert clean.merged.blocks["b"].text == TEXT.replace("weekly", "daily").replace("#ml-ops", "#alerts")
    assert clean.conflicts == () and clean.taken_from_theirs == ("b",)
    clash = merge3(base, mine, snap(b=block(TEXT.replace("weekly", "monthly").replace("#ml-ops", "#a"))))
    [conflict] = clash.conflicts
    assert conflict.base == block() and conflict.is_block and clash.taken_from_theirs == ()
    # Until answered: my line where both changed one, their edit of another line kept.
    assert clash.merged.blocks["b"].text == TEXT.replace("weekly", "daily").replace("#ml-ops", "#a")
    assert clash.resolve({"b": "theirs"}).blocks["b"].text == TEXT.replace("weekly", "monthly").replace(
        "#ml-ops", "#a"
    )


@pytest.mark.parametrize(
    ("choice", "status", "answered"),
    [("mine", Status.DONE, (1,)), ("theirs", Status.SKIP, (3,)), ("both", Status.DONE, (1, 3))],
)
def test_a_clashing_status_and_marks_follow_the_choice(
    choice: str, status: Status, answered: tuple[int, ...]
) -> None:
    result = merge3(
        snap(b=block()),
        snap(b=block(status=Status.DONE, answered=(1,))),
        snap(b=block(status=Status.SKIP, answered=(3,))),
    )
    settled = result.resolve({"b": choice}).blocks["b"]  # type: ignore[dict-item]
    assert (settled.text, settled.status, settled.answered) == (TEXT, status, answered)


def test_a_block_new_on_both_sides_asks_and_keep_both_marks_the_differing_lines() -> None:
    result = merge3(snap(), snap(b=block("Same.\nMine.\n")), snap(b=block("Same.\nTheirs.\n")))
    [conflict] = result.conflicts
    assert conflict.base is None
    kept = result.resolve({"b": "both"}).blocks["b"].text
    # At the end of the block each side is written as a text and one newline, as git's driver does.
    assert kept == "Same.\n<<<<<<< mine\nMine.\n\n=======\nTheirs.\n\n>>>>>>> on disk\n"


def test_a_status_only_they_changed_is_theirs_whatever_is_chosen_for_the_lines() -> None:
    mine = block(TEXT.replace("weekly", "daily"))
    theirs = block(TEXT.replace("weekly", "monthly"), Status.DONE, (2,))
    result = merge3(snap(b=block()), snap(b=mine), snap(b=theirs))
    for choice in ("mine", "both"):
        settled = result.resolve({"b": choice}).blocks["b"]
        assert (settled.status, settled.answered) == (Status.DONE, (2,))


def test_what_the_disk_does_not_hold_keeps_mine() -> None:
    """A block or field the base and I have but the disk's version lacks (a recovery made with a
    template that had it): mine stays, nothing is taken and nothing asked."""
    block = BlockValue("kept", Status.DRAFT)
    base = Snapshot({"extra": "old"}, {"gone": BlockValue("older", Status.DRAFT)})
    mine = Snapshot({"extra": "kept"}, {"gone": block})
    merge = merge3(base, mine, Snapshot({}, {}))
    assert merge.merged == mine and not merge.conflicts and not merge.taken_from_theirs
    unchanged = merge3(mine, mine, Snapshot({}, {}))
    assert unchanged.merged == mine and not unchanged.taken_from_theirs
