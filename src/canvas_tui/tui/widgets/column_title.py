"""A column's title with its completion: `Data 1/2`, `Problem 3/3 ✓`.

The full name and the count matter more than lining each title up exactly over its column: on the
grid a long title borrows the cells a short neighbour leaves free (`Operations 1/2` is wider than
its column at 80 cells), then the count takes a shorter form (`3/3 ✓` becomes `✓`), and only then is
a title cut. The count is numbers and a check mark, so it does not rely on colour. Hovering it
tells why the column is on the canvas (its rationale, from the canvas's guide); the About box lists
every column's, for the keyboard.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.cells import cell_len
from rich.text import Text
from textual.widget import Widget

from canvas_tui.model import Progress


def column_count(progress: Progress) -> str:
    done = " ✓" if progress.resolved == progress.total else ""
    return f"{progress.resolved}/{progress.total}{done}"


def short_count(count: str) -> str:
    """The count in fewer cells: a finished column says only `✓` (its numbers add nothing)."""
    return "✓" if count.endswith("✓") else count


def fit_column_title(title: str, count: str, width: int) -> str:
    """`title count` in `width` cells: the short count first, then the title cut (`Operat… 1/2`)."""
    for shown in (count, short_count(count)):
        full = f"{title} {shown}"
        if cell_len(full) <= width:
            return full
    count = short_count(count)
    if width <= cell_len(count):
        return count
    room = width - cell_len(count) - 1
    shortened = title
    while shortened and cell_len(shortened) + 1 > room:
        shortened = shortened[:-1]
    return f"{shortened}… {count}" if shortened else count


def place_labels(labels: Sequence[str], columns: Sequence[tuple[int, int]], width: int) -> list[int] | None:
    """Where each label starts on a row `width` cells wide: centred over its column (x, width), moved
    aside as little as needed to keep a blank cell between neighbours; None when they cannot all fit."""
    sizes = [cell_len(label) for label in labels]
    if sum(sizes) + len(sizes) - 1 > width:
        return None
    starts = [x + (span - size) // 2 for (x, span), size in zip(columns, sizes, strict=True)]
    for index in range(len(starts)):  # push right past the left neighbour
        floor = 0 if index == 0 else starts[index - 1] + sizes[index - 1] + 1
        starts[index] = max(starts[index], floor)
    for index in reversed(range(len(starts))):  # pull back left off the right edge or neighbour
        ceiling = width if index == len(starts) - 1 else starts[index + 1] - 1
        starts[index] = min(starts[index], ceiling - sizes[index])
    return starts


def title_row(titles: Sequence[tuple[str, str]], columns: Sequence[tuple[int, int]], width: int) -> list[str]:
    """The row of column titles as one string per cell ("" after a wide character's first cell).

    `titles` are (name, count) pairs; `columns` the (x, width) of each column on the row.
    """
    for shorten in (False, True):
        labels = [f"{name} {short_count(count) if shorten else count}" for name, count in titles]
        starts = place_labels(labels, columns, width)
        if starts is not None:
            break
    else:  # each title in its own column, cut as it must be
        pairs = list(zip(titles, columns, strict=True))
        labels = [fit_column_title(name, count, span - 1) for (name, count), (_x, span) in pairs]
        starts = [
            x + max(span - cell_len(label), 0) // 2 for label, (x, span) in zip(labels, columns, strict=True)
        ]
    cells = [" "] * width
    for label, start in zip(labels, starts, strict=True):
        at = start
        for char in label:
            size = cell_len(char)
            if at >= 0 and at + size <= width:
                cells[at] = char
                if size == 2:
                    cells[at + 1] = ""
            at += size
    return cells


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

    def show(self, progress: Progress) -> bool:
        """Take the new count; True when it changed (the row of titles then needs a repaint, since
        a longer count can move a neighbour's title)."""
        count = column_count(progress)
        if count == self.count:
            return False
        self.count = count
        return True

    def render(self) -> Text:
        row = self._row_of_titles()
        if row is None:
            # A cell to spare, so neighbouring titles never run into each other.
            text = fit_column_title(self.title, self.count, self.content_size.width - 1)
            return Text(text, no_wrap=True, overflow="crop")
        cells, x0 = row
        start = self.region.x - x0
        mine = cells[start : start + self.region.width]
        # A wide character split between two columns is drawn by neither (a blank instead).
        if mine and mine[0] == "":
            mine[0] = " "
        if mine and cell_len(mine[-1]) == 2:
            mine[-1] = " "
        return Text("".join(mine), no_wrap=True, overflow="crop", end="")

    def _row_of_titles(self) -> tuple[list[str], int] | None:
        """The whole row of titles and where it starts on the screen, when the titles sit side by
        side on one row (the grid); None in the small-terminal list, where each heads its group."""
        titles = [title for title in self.screen.query(ColumnTitle) if title.region.height]
        if len(titles) < 2 or any(title.region.y != self.region.y for title in titles):
            return None
        titles.sort(key=lambda title: title.region.x)
        x0 = titles[0].region.x
        width = titles[-1].region.right - x0
        columns = [(title.region.x - x0, title.region.width) for title in titles]
        cells = title_row([(title.title, title.count) for title in titles], columns, width)
        return cells, x0
