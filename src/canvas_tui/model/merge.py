"""Three-way merge of canvas snapshots, block by block, for files changed outside canvas-tui.

base = what was loaded or last saved, mine = the canvas in memory, theirs = the file on disk now.
A block or field changed on one side only takes that side; changed on both sides to different
values it is a conflict, which the user settles (keep mine, take theirs, or keep both texts).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from canvas_tui.model.canvas import BlockValue, Snapshot
from canvas_tui.model.template import FieldValue

Choice = Literal["mine", "theirs", "both"]

BOTH_SEPARATOR = "\n\n--- the version on disk ---\n\n"
"""Between the two texts when the user keeps both: visible, and easy to find and delete."""


@dataclass(frozen=True, slots=True)
class Conflict:
    key: str  # a block id or a header field id
    is_block: bool
    mine: BlockValue | FieldValue
    theirs: BlockValue | FieldValue


@dataclass(frozen=True, slots=True)
class Merge:
    merged: Snapshot  # conflicts provisionally keep mine
    conflicts: tuple[Conflict, ...]
    taken_from_theirs: tuple[str, ...]  # keys that changed on disk only

    def resolve(self, choices: dict[str, Choice]) -> Snapshot:
        """The merged snapshot with each conflict settled; a missing choice keeps mine."""
        fields = dict(self.merged.fields)
        blocks = dict(self.merged.blocks)
        for conflict in self.conflicts:
            choice = choices.get(conflict.key, "mine")
            if conflict.is_block:
                assert isinstance(conflict.mine, BlockValue)
                assert isinstance(conflict.theirs, BlockValue)
                blocks[conflict.key] = _settle_block(conflict.mine, conflict.theirs, choice)
            elif choice == "theirs":
                assert not isinstance(conflict.theirs, BlockValue)
                fields[conflict.key] = conflict.theirs
        return Snapshot(fields, blocks)


def _settle_block(mine: BlockValue, theirs: BlockValue, choice: Choice) -> BlockValue:
    if choice == "theirs":
        return theirs
    if choice == "both" and mine.text != theirs.text:
        return replace(mine, text=mine.text.rstrip("\n") + BOTH_SEPARATOR + theirs.text)
    return mine


_PARTS = (("text",), ("status", "unknown_status"), ("answered", "unknown_answered"))
"""A block's parts that merge on their own: one side's new text and the other's new status (or
marked questions) is no conflict. Only the same part changed on both sides is."""


def _merge_parts(base: BlockValue, mine: BlockValue, theirs: BlockValue) -> BlockValue | None:
    """Both sides changed the block: combine them part by part, or None when a part conflicts."""
    merged = mine
    for names in _PARTS:
        b, m, t = ([getattr(v, n) for n in names] for v in (base, mine, theirs))
        if m == t or t == b:
            continue
        if m != b:
            return None
        merged = replace(merged, **dict(zip(names, t, strict=True)))
    return merged


def merge3(base: Snapshot, mine: Snapshot, theirs: Snapshot) -> Merge:
    conflicts: list[Conflict] = []
    taken: list[str] = []

    def pick(key: str, b: object, m: object, t: object, is_block: bool) -> object:
        if m == t or t == b:
            return m
        if m == b:
            taken.append(key)
            return t
        if is_block and isinstance(b, BlockValue):
            assert isinstance(m, BlockValue) and isinstance(t, BlockValue)
            combined = _merge_parts(b, m, t)
            if combined is not None:
                taken.append(key)
                return combined
        conflicts.append(Conflict(key, is_block, m, t))  # type: ignore[arg-type]
        return m

    fields = {
        key: pick(key, base.fields.get(key), value, theirs.fields.get(key, value), False)
        for key, value in mine.fields.items()
    }
    blocks = {
        key: pick(key, base.blocks.get(key), value, theirs.blocks.get(key, value), True)
        for key, value in mine.blocks.items()
    }
    return Merge(
        Snapshot(fields, blocks),  # type: ignore[arg-type]
        tuple(conflicts),
        tuple(taken),
    )
