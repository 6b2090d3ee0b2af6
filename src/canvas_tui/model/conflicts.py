"""Merge conflicts inside a block's text: how the git merge driver writes them, and how to find them.

A block changed differently on two branches keeps both texts between git's usual markers, so the
file stays valid TOML and the conflict is visible in the app, in `status` and in any editor:

    <<<<<<< ours (main)
    our text
    =======
    their text
    >>>>>>> theirs (feature)

A marker is a line that starts with seven `<` or `>` (then a space or the end of the line); longer
runs count only as part of a whole conflict (below), as `>>>>>>>>>` may start a line of Markdown. A
lone `=======` is not enough: Markdown uses it to underline a heading.

Either text may itself hold lines that look like markers (a Markdown rule of `=======`, a conflict
pasted from elsewhere, a conflict from an earlier merge). The markers are then made longer than any
run of `<`, `=` or `>` that starts a line of either text, as git does with conflict-marker-size, so
settling a conflict finds exactly the markers it was written with and gives back each side's text as
it was. Each side is its text plus one newline (nothing for an empty text), so a text that ends with
newlines keeps them. Conflicts written before (always seven, one newline only where missing) still
settle as they did.

A line-level merge (model/line_merge.py) writes only the lines both sides changed between markers,
among the block's merged lines, with the same markers for every conflict of the block. There a
conflict stands for whole lines: a side with lines is them (its last newline is the one ending the
closing marker), a side with no lines leaves no line behind when settled, and "both" is our lines
then theirs; a conflict at the very end of the block is written as above. Settling takes only the
conflicts with the longest markers: those the latest merge wrote, so a conflict both sides already
held stays as they held it. Pure data, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from canvas_tui.model.canvas import Canvas

OURS_MARKER = "<<<<<<<"
MIDDLE_MARKER = "======="
THEIRS_MARKER = ">>>>>>>"
MARKER_SIZE = len(OURS_MARKER)

_MARKER_LINE = re.compile(r"^(?:<{7}|>{7})(?: |$)", re.MULTILINE)
_LEADING_RUN = re.compile(r"^(?:<+|=+|>+)", re.MULTILINE)
_OPENING = re.compile(r"^(<{7,})(?: [^\n]*)?$", re.MULTILINE)


def conflict_text(
    ours: str, theirs: str, ours_label: str = "ours", theirs_label: str = "theirs", *, size: int = 0
) -> str:
    """Both texts between markers that name the sides; each side keeps its text unchanged. `size`
    gives longer markers, for a conflict among other lines that hold marker-like runs."""
    size = max(size, marker_size(ours, theirs))
    return _between(_side(ours), _side(theirs), ours_label, theirs_label, size)


def conflict_lines(ours: str, theirs: str, ours_label: str, theirs_label: str, size: int) -> str:
    """A conflict among other lines of a block: each side is whole lines (each ending with a newline)
    or nothing, written as it is; lines of the block must follow it."""
    return _between(ours, theirs, ours_label, theirs_label, max(size, marker_size(ours, theirs)))


def _between(ours: str, theirs: str, ours_label: str, theirs_label: str, size: int) -> str:
    return (
        f"{'<' * size} {_one_line(ours_label)}\n{ours}"
        f"{'=' * size}\n{theirs}"
        f"{'>' * size} {_one_line(theirs_label)}\n"
    )


def marker_size(*texts: str) -> int:
    """Seven, or one more than the longest run of `<`, `=` or `>` that starts a line of the texts."""
    longest = max((len(run) for text in texts for run in _LEADING_RUN.findall(text)), default=0)
    return max(MARKER_SIZE, longest + 1)


def _side(text: str) -> str:
    """The text as whole lines: one newline more, so a marker starts its own line after it."""
    return text + "\n" if text else ""


def _one_line(label: str) -> str:
    return " ".join(label.splitlines())


def has_conflict_marker(text: str) -> bool:
    """Whether `text` holds a line that starts a git conflict marker (`<<<<<<<` or `>>>>>>>`), or a
    whole conflict between longer markers."""
    return first_marker(text) is not None


def first_marker(text: str) -> int | None:
    """Where the first conflict marker line of `text` starts (as has_conflict_marker finds them)."""
    match = _MARKER_LINE.search(text)
    starts = [conflict.start for conflict in _conflicts(text, first_only=True)]
    return min([*starts, match.start()] if match else starts, default=None)


def conflicted_blocks(canvas: Canvas) -> list[str]:
    """Ids of the blocks whose text holds a conflict marker, in fill order."""
    return [block.id for block in canvas.blocks.values() if has_conflict_marker(block.text)]


def conflicted_fields(fields: Mapping[str, object]) -> list[str]:
    """Ids of the header fields whose text holds a conflict marker."""
    return [key for key, value in fields.items() if isinstance(value, str) and has_conflict_marker(value)]


@dataclass(frozen=True, slots=True)
class _Conflict:
    start: int
    end: int
    """Past the closing marker line and its newline."""
    ours: str
    theirs: str
    followed: bool
    """Lines follow the conflict: each side is its lines, each with its newline. At the end of the
    block each side is a text, without the newline the markers added (_side)."""
    ours_label: str = ""
    theirs_label: str = ""
    """What the markers call each side: a branch ("ours (main)") or a person ("carol")."""


def _conflicts(text: str, *, first_only: bool = False, length: int | None = None) -> list[_Conflict]:
    """The complete conflicts in `text`, in order (only those with markers of `length` when given).
    Each opening marker is closed only by a middle and a closing marker of its own length; an
    opening marker without them is plain text."""
    found: list[_Conflict] = []
    unclosed: set[int] = set()  # marker lengths with no middle and closing marker after an opening
    position = 0
    while (opening := _OPENING.search(text, position)) is not None:
        position = opening.end()
        size = len(opening[1])
        if size in unclosed or length not in (None, size):
            continue  # a later opening of that length finds none either
        middle = re.compile(rf"^={{{size}}}$", re.MULTILINE).search(text, opening.end())
        closing = (
            re.compile(rf"^>{{{size}}}(?: [^\n]*)?$", re.MULTILINE).search(text, middle.end())
            if middle is not None
            else None
        )
        if middle is None or closing is None:
            unclosed.add(size)
            continue
        end = min(closing.end() + 1, len(text))
        ours = text[opening.end() + 1 : middle.start()]
        theirs = text[middle.end() + 1 : closing.start()]
        labels = (_label(opening[0]), _label(closing[0]))
        if end == len(text):
            found.append(_Conflict(opening.start(), end, _text_of(ours), _text_of(theirs), False, *labels))
        else:
            found.append(_Conflict(opening.start(), end, ours, theirs, True, *labels))
        if first_only:
            break
        position = end
    return found


def _label(marker_line: str) -> str:
    """The words after a marker line's <<<<<<< or >>>>>>>."""
    return marker_line.lstrip("<>").strip()


def _text_of(side: str) -> str:
    """A side's text as written: less the newline the markers added (_side)."""
    return side.removesuffix("\n")


def _outermost(text: str) -> list[_Conflict]:
    """The conflicts written by the latest merge: those with the longest markers that make a whole
    conflict. A merge makes its markers longer than anything in the texts it merged, so a conflict
    kept from an earlier merge in lines both sides share stays as it is when this one is settled."""
    for size in sorted({len(opening[1]) for opening in _OPENING.finditer(text)}, reverse=True):
        if conflicts := _conflicts(text, length=size):
            return conflicts
    return []


def _settled(text: str, conflicts: list[_Conflict], pick: Callable[[_Conflict], str]) -> str:
    """`text` with each conflict replaced by the side `pick` takes."""
    pieces = []
    position = 0
    for conflict in conflicts:
        pieces += [text[position : conflict.start], pick(conflict)]
        position = conflict.end
    pieces.append(text[position:])
    return "".join(pieces)


Side = str  # "ours", "theirs" or "both"


def conflict_sides(text: str) -> tuple[str, str] | None:
    """(our text, their text) of the block as a whole: every conflict in it settled one way, the
    text around the conflicts kept on both sides. None when the text holds no complete conflict."""
    conflicts = _outermost(text)
    if not conflicts:
        return None
    return (
        _settled(text, conflicts, lambda conflict: conflict.ours),
        _settled(text, conflicts, lambda conflict: conflict.theirs),
    )


def conflict_labels(text: str) -> tuple[str, str]:
    """What the markers of the text's first conflict call our side and theirs ("" when unnamed)."""
    conflicts = _outermost(text)
    return (conflicts[0].ours_label, conflicts[0].theirs_label) if conflicts else ("", "")


def settle_conflict(text: str, keep: Side) -> str:
    """The block's text with its conflicts settled: keep "ours", "theirs" or "both" (ours first)."""
    conflicts = _outermost(text)
    if not conflicts:
        return text
    if keep == "ours":
        return _settled(text, conflicts, lambda conflict: conflict.ours)
    if keep == "theirs":
        return _settled(text, conflicts, lambda conflict: conflict.theirs)
    return _settled(text, conflicts, _both)


def _both(conflict: _Conflict) -> str:
    if conflict.followed:  # lines: ours, then theirs
        return conflict.ours + conflict.theirs
    return "\n".join(side for side in (conflict.ours, conflict.theirs) if side)
