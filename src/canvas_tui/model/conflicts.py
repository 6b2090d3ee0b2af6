"""Merge conflicts inside a block's text: how the git merge driver writes them, and how to find them.

A block changed differently on two branches keeps both texts between git's usual markers, so the
file stays valid TOML and the conflict is visible in the app, in `status` and in any editor:

    <<<<<<< ours (main)
    our text
    =======
    their text
    >>>>>>> theirs (feature)

A marker is a line that starts with seven `<` or seven `>` (then a space or the end of the line).
A lone `=======` is not enough: Markdown uses it to underline a heading. Pure data, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from canvas_tui.model.canvas import Canvas

OURS_MARKER = "<<<<<<<"
MIDDLE_MARKER = "======="
THEIRS_MARKER = ">>>>>>>"

_MARKER_LINE = re.compile(r"^(?:<{7}|>{7})(?: |$)", re.MULTILINE)


def conflict_text(ours: str, theirs: str, ours_label: str = "ours", theirs_label: str = "theirs") -> str:
    """Both texts between markers that name the sides; each side keeps its text unchanged."""
    return (
        f"{OURS_MARKER} {ours_label}\n{_line_block(ours)}"
        f"{MIDDLE_MARKER}\n{_line_block(theirs)}"
        f"{THEIRS_MARKER} {theirs_label}\n"
    )


def _line_block(text: str) -> str:
    """The text as whole lines (ending with a newline), so a marker always starts its own line."""
    return text if not text or text.endswith("\n") else text + "\n"


def has_conflict_marker(text: str) -> bool:
    """Whether `text` holds a line that starts a git conflict marker (`<<<<<<<` or `>>>>>>>`)."""
    return _MARKER_LINE.search(text) is not None


def conflicted_blocks(canvas: Canvas) -> list[str]:
    """Ids of the blocks whose text holds a conflict marker, in fill order."""
    return [block.id for block in canvas.blocks.values() if has_conflict_marker(block.text)]


def conflicted_fields(fields: Mapping[str, object]) -> list[str]:
    """Ids of the header fields whose text holds a conflict marker."""
    return [key for key, value in fields.items() if isinstance(value, str) and has_conflict_marker(value)]


_CONFLICT = re.compile(
    r"^<{7}(?: [^\n]*)?\n(?P<ours>.*?)^={7}\n(?P<theirs>.*?)^>{7}(?: [^\n]*)?(?:\n|$)",
    re.MULTILINE | re.DOTALL,
)

Side = str  # "ours", "theirs" or "both"


def conflict_sides(text: str) -> tuple[str, str] | None:
    """(our text, their text) of the block as a whole: every conflict in it settled one way, the
    text around the conflicts kept on both sides. None when the text holds no complete conflict."""
    if not _CONFLICT.search(text):
        return None

    def side(name: str) -> str:
        return _CONFLICT.sub(lambda match: match[name], text)

    return side("ours").rstrip("\n"), side("theirs").rstrip("\n")


def settle_conflict(text: str, keep: Side) -> str:
    """The block's text with its conflicts settled: keep "ours", "theirs" or "both" (ours first)."""
    sides = conflict_sides(text)
    if sides is None:
        return text
    ours, theirs = sides
    if keep == "ours":
        return ours
    if keep == "theirs":
        return theirs
    return _CONFLICT.sub(lambda match: match["ours"] + match["theirs"], text).rstrip("\n")
