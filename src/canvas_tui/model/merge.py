"""Three-way merge of canvas snapshots, block by block: the policy, with no one else's I/O.

base = the common version, mine = ours, theirs = the other side. A block or field changed on one
side only takes that side; a block where one side changed the text and the other the status (or
the marked questions) takes both; a text both sides changed merges line by line
(model/line_merge.py), so edits of different lines of one block are both kept. The same part
changed on both sides to different values (for the text: the same lines) is a conflict. Who
settles it depends on where the merge runs:

- merge3, in the editor (a file changed outside canvas-tui, or a crashed session's edits brought
  back: base = what was loaded or last saved, mine = the canvas in memory or the recovered edits,
  theirs = the file on disk now): the user, who keeps mine, takes theirs, or keeps both
  (Merge.resolve). The choice is about what clashes only: lines changed on one side are kept
  whatever the choice, and "keep both" leaves both versions of the clashing lines between conflict
  markers ("mine" / "on disk"), which `check` fails on and the card marks until settled (f9).
- merge_snapshots, in git's merge driver, where there is no one to ask: rules settle what they
  can the way a file must. A block whose text both sides changed on the same lines holds both
  versions of those lines between conflict markers named after the branches (status draft); a
  status both changed differently becomes draft.
  Header fields: `iteration` takes the higher number and `date` the later date (both sides moved
  on; the later one is where the canvas is); any other field both changed differently keeps ours
  and counts as a conflict (the driver says which, and git stops the merge for you to look).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal, TypeVar, cast

from canvas_tui.model.canvas import BlockValue, Snapshot
from canvas_tui.model.line_merge import merge_lines
from canvas_tui.model.status import Status
from canvas_tui.model.template import FieldValue

Choice = Literal["mine", "theirs", "both"]

MINE_LABEL = "mine"
THEIRS_LABEL = "on disk"


def marker_label(name: str, fallback: str) -> str:
    """`name` fit for a conflict marker line: one line of printable text, at most 40 characters
    (names come from the environment and from teammates' presence files); `fallback` when empty."""
    printable = "".join(c if c.isprintable() else " " for c in name)
    label = " ".join(printable.split())[:40].strip()
    return label or fallback


"""The conflict markers' names for the two sides when the user keeps both lines in the editor."""

T = TypeVar("T")

Outcome = Literal["mine", "theirs", "clash"]
"""Where a three-way pick's value came from: mine (no one else changed it), theirs (only they
did), or a clash (both changed it differently; the value is mine until someone settles it)."""


def pick(base: T, mine: T, theirs: T) -> tuple[T, Outcome]:
    """The three-way pick of one value, the one rule every merge here is built from."""
    if mine == theirs or theirs == base:
        return mine, "mine"
    if mine == base:
        return theirs, "theirs"
    return mine, "clash"


# -- in the editor: the user settles conflicts ----------------------------------------------------


@dataclass(frozen=True, slots=True)
class Conflict:
    key: str  # a block id or a header field id
    is_block: bool
    mine: BlockValue | FieldValue
    theirs: BlockValue | FieldValue
    base: BlockValue | FieldValue | None = None
    """What both changed (None when it had no value): the lines only one side changed are kept."""


@dataclass(frozen=True, slots=True)
class Merge:
    merged: Snapshot  # conflicts provisionally settled as "mine" (Merge.resolve)
    conflicts: tuple[Conflict, ...]
    taken_from_theirs: tuple[str, ...]  # keys that changed on disk only

    def resolve(
        self, choices: dict[str, Choice], labels: tuple[str, str] = (MINE_LABEL, THEIRS_LABEL)
    ) -> Snapshot:
        """The merged snapshot with each conflict settled; a missing choice keeps mine. `labels`
        name the two sides on the markers that "both" leaves (who wrote each, where known)."""
        fields = dict(self.merged.fields)
        blocks = dict(self.merged.blocks)
        for conflict in self.conflicts:
            choice = choices.get(conflict.key, "mine")
            if conflict.is_block:
                assert isinstance(conflict.mine, BlockValue)
                assert isinstance(conflict.theirs, BlockValue)
                base = conflict.base if isinstance(conflict.base, BlockValue) else None
                blocks[conflict.key] = _settle_block(base, conflict.mine, conflict.theirs, choice, labels)
            elif choice == "theirs":
                assert not isinstance(conflict.theirs, BlockValue)
                fields[conflict.key] = conflict.theirs
        return Snapshot(fields, blocks)


def _settle_block(
    base: BlockValue | None,
    mine: BlockValue,
    theirs: BlockValue,
    choice: Choice = "mine",
    labels: tuple[str, str] = (MINE_LABEL, THEIRS_LABEL),
) -> BlockValue:
    """A block both sides changed, settled by the user's choice. What one side alone changed (a part,
    or lines of the text) is kept whatever the choice; the choice takes a side where both changed:
    the clashing lines, status and marks are mine or theirs; "both" keeps both versions of the
    clashing lines between markers (mine first), my status, and the questions either side marked."""
    settled = mine
    for names in _PARTS:
        b = None if base is None else tuple(getattr(base, n) for n in names)
        m, t = (tuple(getattr(v, n) for n in names) for v in (mine, theirs))
        outcome = pick(b, m, t)[1]
        value = t if outcome == "theirs" else m
        if outcome == "clash" and names == ("text",):
            lines = merge_lines("" if base is None else base.text, mine.text, theirs.text)
            if choice == "both":
                value = (lines.marked(*labels),)
            else:
                value = (lines.settled("theirs" if choice == "theirs" else "ours"),)
        elif outcome == "clash" and choice == "theirs":
            value = t
        elif outcome == "clash" and choice == "both" and names == ("answered", "unknown_answered"):
            value = (tuple(sorted(set(mine.answered) | set(theirs.answered))), mine.unknown_answered)
        settled = replace(settled, **dict(zip(names, value, strict=True)))
    return settled


_PARTS = (("text",), ("status", "unknown_status"), ("answered", "unknown_answered"))
"""A block's parts that merge on their own: one side's new text and the other's new status (or
marked questions) is no conflict. Only the same part changed on both sides is."""


def _merge_parts(base: BlockValue, mine: BlockValue, theirs: BlockValue) -> BlockValue | None:
    """Both sides changed the block: combine them part by part, the text line by line; None when a
    part conflicts (for the text: when both changed the same lines differently)."""
    merged = mine
    for names in _PARTS:
        b, m, t = ([getattr(v, n) for n in names] for v in (base, mine, theirs))
        value, outcome = pick(b, m, t)
        if outcome == "clash" and names == ("text",):
            lines = merge_lines(base.text, mine.text, theirs.text)
            if not lines.clean:
                return None
            merged = replace(merged, text=lines.marked())  # clean: the merged text, no markers
        elif outcome == "clash":
            return None
        elif outcome == "theirs":
            merged = replace(merged, **dict(zip(names, value, strict=True)))
    return merged


def merge3(base: Snapshot, mine: Snapshot, theirs: Snapshot) -> Merge:
    conflicts: list[Conflict] = []
    taken: list[str] = []

    def merge_one(key: str, b: object, m: object, t: object, is_block: bool) -> object:
        value, outcome = pick(b, m, t)
        if outcome == "theirs":
            taken.append(key)
        if outcome != "clash":
            return value
        if is_block and isinstance(b, BlockValue):
            assert isinstance(m, BlockValue) and isinstance(t, BlockValue)
            combined = _merge_parts(b, m, t)
            if combined is not None:
                taken.append(key)
                return combined
        conflicts.append(Conflict(key, is_block, m, t, b))  # type: ignore[arg-type]
        if is_block:  # until the user answers: mine where both changed, what one side changed kept
            assert isinstance(m, BlockValue) and isinstance(t, BlockValue)
            return _settle_block(cast(BlockValue | None, b), m, t)
        return m

    fields = {
        key: merge_one(key, base.fields.get(key), value, theirs.fields.get(key, value), False)
        for key, value in mine.fields.items()
    }
    blocks = {
        key: merge_one(key, base.blocks.get(key), value, theirs.blocks.get(key, value), True)
        for key, value in mine.blocks.items()
    }
    return Merge(
        Snapshot(fields, blocks),  # type: ignore[arg-type]
        tuple(conflicts),
        tuple(taken),
    )


# -- in git's merge driver: rules settle conflicts ------------------------------------------------


@dataclass(frozen=True, slots=True)
class DriverMerge:
    merged: Snapshot
    conflicted_blocks: tuple[str, ...] = ()
    """Blocks whose text now holds both sides' versions of the lines both changed, between markers."""
    conflicted_fields: tuple[str, ...] = ()
    """Header fields both sides changed differently: ours was kept."""
    settled: tuple[str, ...] = ()
    """What the rules settled without a conflict, one line each (for the driver's report)."""

    @property
    def clean(self) -> bool:
        return not self.conflicted_blocks and not self.conflicted_fields


_EMPTY = BlockValue("", Status.TODO)


def merge_snapshots(
    base: Snapshot, ours: Snapshot, theirs: Snapshot, ours_label: str = "ours", theirs_label: str = "theirs"
) -> DriverMerge:
    """merge3, then what it leaves as a conflict settled by the driver's rules (module docstring)."""
    result = merge3(base, ours, theirs)
    fields = dict(result.merged.fields)
    blocks = dict(result.merged.blocks)
    conflicted: list[str] = []
    field_conflicts: list[str] = []
    settled: list[str] = []
    for conflict in result.conflicts:
        key = conflict.key
        if conflict.is_block:
            assert isinstance(conflict.mine, BlockValue) and isinstance(conflict.theirs, BlockValue)
            mine, other, old = conflict.mine, conflict.theirs, base.blocks.get(key, _EMPTY)
            text, text_outcome = pick(old.text, mine.text, other.text)
            text_clash = text_outcome == "clash"
            if text_clash:  # both changed the text: merged line by line
                lines = merge_lines(old.text, mine.text, other.text)
                text = lines.marked(ours_label, theirs_label)  # the merged text when clean
                text_clash = not lines.clean
            status, status_outcome = pick(
                (old.status, old.unknown_status),
                (mine.status, mine.unknown_status),
                (other.status, other.unknown_status),
            )
            if text_clash:
                conflicted.append(key)
            if text_clash or status_outcome == "clash":
                status = (Status.DRAFT, None)
                if not text_clash:
                    settled.append(f"{key}: both sides changed the status differently; now draft")
            answered, answered_outcome = pick(
                (old.answered, old.unknown_answered),
                (mine.answered, mine.unknown_answered),
                (other.answered, other.unknown_answered),
            )
            if answered_outcome == "clash":
                # A question either side marked as answered stays marked: marks only ever add up.
                answered = (tuple(sorted(set(mine.answered) | set(other.answered))), mine.unknown_answered)
                settled.append(f"{key}: both sides marked questions; now the questions either marked")
            blocks[key] = BlockValue(text, status[0], status[1], answered[0], answered[1])
        else:
            value, note = _settle_field(key, conflict.mine, conflict.theirs)  # type: ignore[arg-type]
            fields[key] = value
            if note:
                settled.append(note)
            else:
                field_conflicts.append(key)
    return DriverMerge(Snapshot(fields, blocks), tuple(conflicted), tuple(field_conflicts), tuple(settled))


def _settle_field(key: str, mine: FieldValue, theirs: FieldValue) -> tuple[FieldValue, str]:
    """A header field both sides changed: the rule's value and what it did, or ours and ""."""
    if key == "iteration" and isinstance(mine, int) and isinstance(theirs, int):
        return max(mine, theirs), f"iteration: {mine} and {theirs} -> the higher, {max(mine, theirs)}"
    if key == "date" and isinstance(mine, str) and isinstance(theirs, str) and mine and theirs:
        later = max(mine, theirs)
        return later, f"date: {mine} and {theirs} -> the later, {later}"
    return mine, ""
