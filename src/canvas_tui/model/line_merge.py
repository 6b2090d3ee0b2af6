"""Three-way merge of one block's text, line by line, as `git merge-file` merges a file.

Two people who edit different lines of one block both keep their edits; only lines both changed
differently are a conflict, and the conflict holds just those lines, so the rest of the block
appears once. The rules are git's, so a block merges the same way whether a teammate's text comes
through `git merge` or from the disk while the canvas is open:

- a line changed on one side only takes that side's change;
- the same change made on both sides is taken once;
- changes on the two sides that overlap or touch (one ends on the line where the other starts, or
  both insert at one place) are one conflict, unless both sides end up with the same lines there;
- inside a conflict, lines both sides have in common (a shared first or last line, an unchanged
  line between two differing ones) are taken out of it, so the markers surround only the lines that
  differ.

A conflict is written with the markers of `model/conflicts.py`, inside the text, so `check` stops
the canvas and the card shows the block until it is settled (f9). Settling keeps, in every conflict,
our lines, their lines, or both (ours first), and keeps every cleanly merged line as merged: "keep
ours" is the block as we wrote it with the other side's clean edits taken in. The same marked text
is what "keep both" leaves in a dialog: each version of the differing lines once, the common lines
once, and markers so it cannot slip into a commit unnoticed.

Each side's edits are lined up with the base as git lines them up (a shortest edit by Myers'
algorithm, each change moved down as far as equal lines allow), so where git merges cleanly this
merges cleanly to the same text. Where the same lines repeat, equally short edits can differ, and
then the two may merge differently (both keep every line each side wrote); edits of more than
MYERS_LIMIT lines are lined up by difflib. Two choices differ from git on purpose, in how a
conflict is written only: conflicts a few lines apart stay apart (git joins them when three lines
or fewer, or lines with no letter or digit, lie between), so the lines between appear once; and a
conflict at the very end of the block is written as a whole-block conflict is, each side with one
newline added, so settling gives back exactly the side's last newline or its lack.

Lines are compared whole, newline included, so a last line without a newline differs from the same
line with one (as in git). Texts reach the model with `\\n` newlines only. Pure data, no I/O.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from canvas_tui.model.conflicts import Side, conflict_lines, conflict_text, marker_size


@dataclass(frozen=True, slots=True)
class LineConflict:
    """Lines both sides changed differently: each side's lines as a text (whole lines, newlines
    kept; only the block's last line may lack one)."""

    ours: str
    theirs: str


Region = str | LineConflict
"""Merged lines taken as they are, or a conflict."""


@dataclass(frozen=True, slots=True)
class LineMerge:
    regions: tuple[Region, ...]
    """The merged block in order; no two plain texts in a row and no empty plain text."""

    @property
    def clean(self) -> bool:
        return not self.conflicts

    @property
    def conflicts(self) -> tuple[LineConflict, ...]:
        return tuple(region for region in self.regions if isinstance(region, LineConflict))

    def settled(self, keep: Side) -> str:
        """Every conflict settled the same way ("ours", "theirs" or "both", ours first), every cleanly
        merged line kept. Exactly what settling `marked()` gives (model.conflicts.settle_conflict)."""
        pieces: list[str] = []
        for index, region in enumerate(self.regions):
            if isinstance(region, str):
                pieces.append(region)
            elif keep == "ours":
                pieces.append(region.ours)
            elif keep == "theirs":
                pieces.append(region.theirs)
            elif index == len(self.regions) - 1:
                # At the end of the block the sides are texts, as in a whole-block conflict.
                pieces.append("\n".join(side for side in (region.ours, region.theirs) if side))
            else:
                pieces.append(region.ours + region.theirs)
        return "".join(pieces)

    def marked(self, ours_label: str = "ours", theirs_label: str = "theirs") -> str:
        """The merged text with each conflict between markers naming the sides (branch names in the
        git driver, "mine" and "on disk" in a dialog); the merged text itself when clean.

        Markers are longer than any run of `<`, `=` or `>` that starts a line of either side, so
        settling finds exactly them. A conflict at the very end of the block writes each side as a
        whole-block conflict does (its text and one newline, so a last line keeps or lacks its
        newline as that side had it); elsewhere a side is its lines as they are.
        """
        size = marker_size(*(piece for region in self.regions for piece in _texts(region)))
        pieces: list[str] = []
        for index, region in enumerate(self.regions):
            if isinstance(region, str):
                pieces.append(region)
                continue
            if index == len(self.regions) - 1:
                pieces.append(conflict_text(region.ours, region.theirs, ours_label, theirs_label, size=size))
            else:  # whole lines, each with its newline, as they are
                pieces.append(conflict_lines(region.ours, region.theirs, ours_label, theirs_label, size))
        return "".join(pieces)


def _texts(region: Region) -> tuple[str, ...]:
    return (region,) if isinstance(region, str) else (region.ours, region.theirs)


def merge_lines(base: str, mine: str, theirs: str) -> LineMerge:
    """Merge two edits of one block's text made from `base`, line by line (see the module)."""
    old, ours, others = _lines(base), _lines(mine), _lines(theirs)
    regions: list[Region] = []
    position = 0  # in the base: every line before it is merged
    our_shift = their_shift = 0  # a base line's index plus this is its index in ours (in theirs)
    for start, end, our_hunks, their_hunks in _stretches(_hunks(old, ours), _hunks(old, others)):
        _append(regions, "".join(old[position:start]))  # unchanged on both sides
        our_end = end + our_shift + _growth(our_hunks)
        their_end = end + their_shift + _growth(their_hunks)
        our_lines = ours[start + our_shift : our_end]
        their_lines = others[start + their_shift : their_end]
        if not their_hunks:  # only ours changed these lines
            _append(regions, "".join(our_lines))
        elif not our_hunks:
            _append(regions, "".join(their_lines))
        else:  # both did: a conflict where they differ (none when both made the same change)
            for region in _conflict(our_lines, their_lines):
                if isinstance(region, str):
                    _append(regions, region)
                else:
                    regions.append(region)
        position, our_shift, their_shift = end, our_end - end, their_end - end
    _append(regions, "".join(old[position:]))
    return LineMerge(tuple(regions))


def _lines(text: str) -> list[str]:
    """Whole lines with their newlines; a last line without one stays as it is."""
    lines = text.split("\n")
    return [line + "\n" for line in lines[:-1]] + ([lines[-1]] if lines[-1] else [])


def _append(regions: list[Region], text: str) -> None:
    if not text:
        return
    if regions and isinstance(regions[-1], str):
        regions[-1] += text
    else:
        regions.append(text)


Hunk = tuple[int, int, int, int]
"""A change: lines [0]:[1] of the older text became lines [2]:[3] of the newer."""


def _growth(hunks: list[Hunk]) -> int:
    """How many lines longer the hunks made the text."""
    return sum(
        (new_end - new_start) - (old_end - old_start) for old_start, old_end, new_start, new_end in hunks
    )


def _stretches(ours: list[Hunk], theirs: list[Hunk]) -> list[tuple[int, int, list[Hunk], list[Hunk]]]:
    """The changed stretches of the base in order: (start, end, our hunks, their hunks in it).
    Changes that overlap or touch, on either side, make one stretch, as in git: a line changed
    next to a line the other side changed is a conflict, not two clean edits."""
    tagged = sorted([(hunk, True) for hunk in ours] + [(hunk, False) for hunk in theirs])
    stretches: list[tuple[int, int, list[Hunk], list[Hunk]]] = []
    for hunk, is_ours in tagged:
        if stretches and hunk[0] <= stretches[-1][1]:
            start, end, our_hunks, their_hunks = stretches[-1]
            stretches[-1] = (start, max(end, hunk[1]), our_hunks, their_hunks)
        else:
            stretches.append((hunk[0], hunk[1], [], []))
        (stretches[-1][2] if is_ours else stretches[-1][3]).append(hunk)
    return stretches


def _conflict(ours: list[str], theirs: list[str]) -> list[Region]:
    """Lines both sides changed differently, less the lines both sides have (as git's "zealous"
    merge does): a conflict where they differ, the shared lines between as they are."""
    regions: list[Region] = []
    position = 0  # in ours
    for start, end, their_start, their_end in _hunks(ours, theirs):
        regions.append("".join(ours[position:start]))  # may be "": the caller's _append drops it
        regions.append(LineConflict("".join(ours[start:end]), "".join(theirs[their_start:their_end])))
        position = end
    regions.append("".join(ours[position:]))
    return regions


# -- the changes from one text to another, placed as git places them --------------------------------


def _hunks(old: Sequence[str], new: Sequence[str]) -> list[Hunk]:
    """The changes from `old` to `new`: a shortest edit, each change moved as git moves it."""
    removed = [True] * len(old)
    added = [True] * len(new)
    for index, other in _kept(old, new):
        removed[index] = added[other] = False
    _slide(old, removed, added)
    _slide(new, added, removed)
    hunks: list[Hunk] = []
    i = j = 0
    while i < len(old) or j < len(new):
        if i < len(old) and j < len(new) and not removed[i] and not added[j]:
            i, j = i + 1, j + 1
            continue
        start, other_start = i, j
        while i < len(old) and removed[i]:
            i += 1
        while j < len(new) and added[j]:
            j += 1
        hunks.append((start, i, other_start, j))
    return hunks


MYERS_LIMIT = 300
"""Edits of more lines than this are aligned by difflib: Myers' search grows with the square of the
edit, difflib's stays quick when a whole block is pasted over another."""


def _kept(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs (line of old, line of new) that stay, in order. Lines shared at both ends stay, then a
    shortest edit of the middle, found as git finds it, so a side's edits line up with the base the
    way `git merge` lines them up even where repeated lines allow several alignments."""
    head = 0
    while head < min(len(old), len(new)) and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    old_middle, new_middle = old[head : len(old) - tail], new[head : len(new) - tail]
    middle = _myers(old_middle, new_middle)
    if middle is None:
        matcher = SequenceMatcher(None, old_middle, new_middle, autojunk=False)
        middle = [(i + n, j + n) for i, j, size in matcher.get_matching_blocks() for n in range(size)]
    return (
        [(i, i) for i in range(head)]
        + [(i + head, j + head) for i, j in middle]
        + [(len(old) - tail + i, len(new) - tail + i) for i in range(tail)]
    )


def _myers(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]] | None:
    """The lines kept by a shortest edit from `old` to `new` (E. Myers, "An O(ND) difference
    algorithm and its variations", 1986: the greedy forward search); None past MYERS_LIMIT."""
    n, m = len(old), len(new)
    furthest: dict[int, int] = {1: 0}  # diagonal k = x - y: the furthest x reached on it
    history: list[dict[int, int]] = []
    for edits in range(min(n + m, MYERS_LIMIT) + 1):
        history.append(dict(furthest))
        for k in range(-edits, edits + 1, 2):
            x = furthest[k + 1] if _from_above(furthest, k, edits) else furthest[k - 1] + 1
            y = x - k
            while x < n and y < m and old[x] == new[y]:
                x, y = x + 1, y + 1
            furthest[k] = x
            if x >= n and y >= m:
                return _path(history, n, m, edits)
    return None


def _from_above(furthest: dict[int, int], k: int, edits: int) -> bool:
    """Whether the path to diagonal k comes from k + 1 (a line of new inserted) rather than from
    k - 1 (a line of old removed)."""
    return k == -edits or (k != edits and furthest[k - 1] < furthest[k + 1])


def _path(history: list[dict[int, int]], x: int, y: int, edits: int) -> list[tuple[int, int]]:
    """Walk the search back from the end: the diagonal runs of each step are the kept lines."""
    kept: list[tuple[int, int]] = []
    for step in range(edits, 0, -1):
        furthest = history[step]
        k = x - y
        previous = k + 1 if _from_above(furthest, k, step) else k - 1
        start_x = furthest[previous]
        start_y = start_x - previous
        run_x, run_y = (start_x, start_y + 1) if previous == k + 1 else (start_x + 1, start_y)
        while x > run_x and y > run_y:
            x, y = x - 1, y - 1
            kept.append((x, y))
        x, y = start_x, start_y
    kept += [(x - n, y - n) for n in range(1, min(x, y) + 1)]
    return kept[::-1]


def _slide(lines: Sequence[str], changed: list[bool], other_changed: list[bool]) -> None:
    """Move each run of changed `lines` as far down as equal lines allow, or back up to the last
    place where the other text changed too, as git places an edit: "b" inserted into "a, b, c"
    goes after the old "b", and a removed line stays facing the lines that replaced it. A run that
    meets another on the way merges with it. `changed` is updated in place; unchanged lines of
    the two texts pair up in order."""
    other_kept = [index for index, flag in enumerate(other_changed) if not flag]
    run = _Run(lines, changed, other_kept, len(other_changed))
    while run.next():
        while True:
            size = run.end - run.start
            while run.up():
                pass
            highest_end = run.end
            facing = run.facing_changes()
            while run.down():
                facing = facing or run.facing_changes()
            if run.end - run.start == size:
                break
        if run.end != highest_end and facing:
            while not run.facing_changes():
                run.up()


class _Run:
    """A run of changed lines being moved, and how many unchanged lines come before it."""

    def __init__(self, lines: Sequence[str], changed: list[bool], other_kept: list[int], other_size: int):
        self.lines = lines
        self.changed = changed
        self.other_kept = other_kept
        self.other_size = other_size
        self.start = self.end = self.kept_before = 0

    def next(self) -> bool:
        """Move on to the next run; False when there is none."""
        self.start = self.end
        while self.start < len(self.lines) and not self.changed[self.start]:
            self.start += 1
            self.kept_before += 1
        self.end = self.start
        while self.end < len(self.lines) and self.changed[self.end]:
            self.end += 1
        return self.start < len(self.lines)

    def _extend(self) -> None:
        """Take in the changed lines the run now touches."""
        while self.start > 0 and self.changed[self.start - 1]:
            self.start -= 1
        while self.end < len(self.lines) and self.changed[self.end]:
            self.end += 1

    def up(self) -> bool:
        if self.start == 0 or self.lines[self.start - 1] != self.lines[self.end - 1]:
            return False
        self.start, self.end = self.start - 1, self.end - 1
        self.changed[self.start], self.changed[self.end] = True, False
        self.kept_before -= 1
        self._extend()
        return True

    def down(self) -> bool:
        if self.end == len(self.lines) or self.lines[self.start] != self.lines[self.end]:
            return False
        self.changed[self.start], self.changed[self.end] = False, True
        self.start, self.end = self.start + 1, self.end + 1
        self.kept_before += 1
        self._extend()
        return True

    def facing_changes(self) -> bool:
        """Whether the other text changed lines where the run is: between the unchanged lines that
        pair with those around it."""
        low = self.other_kept[self.kept_before - 1] + 1 if self.kept_before > 0 else 0
        high = (
            self.other_kept[self.kept_before] if self.kept_before < len(self.other_kept) else self.other_size
        )
        return high > low
