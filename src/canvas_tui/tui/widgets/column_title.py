"""A column's title with its completion: `Data 1/2`, `Problem 3/3 ✓`.

The count matters more than the last letters of the title: when the column is narrow the title is
shortened, never the count (numbers and a check mark, so it does not rely on colour). Hovering it
tells why the column is on the canvas (its rationale, from the canvas's guide); the About box lists
every column's, for the keyboard.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from canvas_tui.model import Progress


def column_count(progress: Progress) -> str:
    done = " ✓" if progress.resolved == progress.total else ""
    return f"{progress.resolved}/{progress.total}{done}"


def fit_column_title(title: str, count: str, width: int) -> str:
    """`title count`, with the title cut (`Operat… 1/2`) when both do not fit `width` cells."""
    full = f"{title} {count}"
    if cell_len(full) <= width or width <= cell_len(count):
        return full if cell_len(full) <= width else count
    room = width - cell_len(count) - 1
    shortened = title
    while shortened and cell_len(shortened) + 1 > room:
        shortened = shortened[:-1]
    return f"{shortened}… {count}" if shortened else count


class ColumnTitle(Widget):
    DEFAULT_CSS = """
    ColumnTitle {
        width: 1fr; height: 1; text-style: bold; background: $panel; content-align: center middle;
    }
    """

    def __init__(self, title: str, progress: Progress, *, id: str, rationale: str = "") -> None:
        super().__init__(id=id, classes="column-title")
        self.title = title
        self.count = column_count(progress)
        # As Text, so brackets in a user template's rationale are shown, not read as markup.
        self.tooltip = Text(rationale) if rationale else None

    def show(self, progress: Progress) -> None:
        """Repaint only when the count changed (this runs after every change to the canvas)."""
        count = column_count(progress)
        if count != self.count:
            self.count = count
            self.refresh()

    def render(self) -> Text:
        # A cell to spare, so neighbouring titles never run into each other.
        text = fit_column_title(self.title, self.count, self.content_size.width - 1)
        return Text(text, no_wrap=True, overflow="crop")
