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
settle as they did. Pure data, no I/O.
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


def conflict_text(ours: str, theirs: str, ours_label: str = "ours", theirs_label: str = "theirs") -> str:
    """Both texts between markers that name the sides; each side keeps its text unchanged."""
    size = marker_size(ours, theirs)
    return (
        f"{'<' * size} {_one_line(ours_label)}\n{_side(ours)}"
        f"{'=' * size}\n{_side(theirs)}"
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
    """Past the closing marker line; past its newline too when nothing follows it."""
    ours: str
    theirs: str


def _conflicts(text: str, *, first_only: bool = False) -> list[_Conflict]:
    """The complete conflicts in `text`, in order. Each opening marker is closed only by a middle
    and a closing marker of its own length; an opening marker without them is plain text."""
    found: list[_Conflict] = []
    unclosed: set[int] = set()  # marker lengths with no middle and closing marker after an opening
    position = 0
    while (opening := _OPENING.search(text, position)) is not None:
        position = opening.end()
        size = len(opening[1])
        if size in unclosed:
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
        end = closing.end()
        if end == len(text) - 1:  # the newline ending the block's last line
            end += 1
        ours = _text_of(text[opening.end() + 1 : middle.start()])
        theirs = _text_of(text[middle.end() + 1 : closing.start()])
        found.append(_Conflict(opening.start(), end, ours, theirs))
        if first_only:
            break
        position = end
    return found


def _text_of(side: str) -> str:
    """A side's text as written: less the newline the markers added (_side)."""
    return side.removesuffix("\n")


def _settled(text: str, conflicts: list[_Conflict], pick: Callable[[_Conflict], str]) -> str:
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
    conflicts = _conflicts(text)
    if not conflicts:
        return None
    return (
        _settled(text, conflicts, lambda conflict: conflict.ours),
        _settled(text, conflicts, lambda conflict: conflict.theirs),
    )


def settle_conflict(text: str, keep: Side) -> str:
    """The block's text with its conflicts settled: keep "ours", "theirs" or "both" (ours first)."""
    conflicts = _conflicts(text)
    if not conflicts:
        return text
    if keep == "ours":
        return _settled(text, conflicts, lambda conflict: conflict.ours)
    if keep == "theirs":
        return _settled(text, conflicts, lambda conflict: conflict.theirs)
    return _settled(text, conflicts, _both)


def _both(conflict: _Conflict) -> str:
    return "\n".join(side for side in (conflict.ours, conflict.theirs) if side)
