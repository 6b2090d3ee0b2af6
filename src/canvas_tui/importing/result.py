"""What an importer gives back: the canvas it built and a report of where each piece went.

Shared by every importer (Markdown, PDF, our own exports), so `canvas-tui import` prints one report
shape whatever the source. UI-free, like the rest of the core.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from canvas_tui.errors import UserFacingError
from canvas_tui.model.canvas import Canvas


@dataclass(slots=True)
class Imported:
    """A canvas read from another format, and one line per decision for the report on stderr."""

    canvas: Canvas
    placed: list[str] = field(default_factory=list)
    """'heading "Data Sources" (line 12) -> block data_sources': what went where."""
    left_out: list[str] = field(default_factory=list)
    """What matched no block or field and was not placed in a block (kept elsewhere or dropped)."""
    unplaced: dict[str, str] = field(default_factory=dict)
    """Sections that map to no block, title -> verbatim text: kept in the file, not lost."""


class SourceError(UserFacingError):
    """A source that cannot be imported (unreadable, too large, too deep, too slow to parse): one
    line for the user that names the file, exit code 2."""
