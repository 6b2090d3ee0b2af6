"""The multi-line editor for a block's text: soft wrap, undo/redo, and a cursor that does not blink.

It repaints rows, not the widget. Stock `TextArea` repaints the whole widget whenever the selection
changes, which is on every key press: about 10 kB to the terminal per typed character at 120x40,
which an SSH link pays for. Here a key press repaints only the rows whose look it changed, usually
one: about 220 bytes per typed character. What can change every row (new text, a resize, a new wrap
width, scrolling, styles, a change in how many rows the text takes) still repaints the whole widget,
as stock does.

Why that is complete: a row on screen shows one wrapped section of one document line, styled by
(a) the cursor-line highlight, over every row of the cursor's line, (b) the selection, on the rows
from its start to its end, (c) the cursor, on its row, and (d) the bracket matching the cursor's, on
its row. After a change, a row looks different only if its text or wrapping changed, or one of those
four moved onto or off it. Text and wrapping change only on the rows of the lines an edit touched,
from the row before the edit's start (a shortened word can move up a row, not further), unless the
number of rows changed, when everything below moves. The repaint covers exactly those rows, and
tests/e2e/test_repaint.py checks it against a full repaint in a real terminal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import ClassVar

import textual
from rich.cells import cell_len
from rich.console import Console
from rich.control import Control
from rich.text import Text
from textual._compositor import ChopsUpdate
from textual._context import active_app
from textual.geometry import Region
from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.strip import Strip
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult, Location, Selection

Rows = tuple[int, int]
"""An inclusive range of rows of the wrapped document (0 = its first row, not the widget's)."""


Span = tuple[int, int, int, int | None]
"""Rows first..last of the wrapped document, and the cells left..right (exclusive; None: to the edge)."""


def _rows(rows: Rows | None) -> Span | None:
    return None if rows is None else (rows[0], rows[1], 0, None)


@dataclass(frozen=True, slots=True)
class Decoration:
    """Where the selection-dependent styling is drawn, as rows (and cells) of the wrapped document."""

    cursor_line: Rows | None = None  # the cursor-line highlight: every row of the cursor's line
    selected: Rows | None = None  # a selection, from its start's row to its end's (None: none selected)
    cursor: Span | None = None  # the cursor's cell (its whole row when its cell is not known)
    bracket: Rows | None = None  # the bracket matching the one at the cursor

    def changed(self, before: Decoration) -> list[Span]:
        """Where the screen may look different now than with `before`."""
        spans = [
            _rows(before.selected),
            _rows(self.selected),
            before.cursor,
            self.cursor,
            _rows(before.bracket),
            _rows(self.bracket),
        ]
        if before.cursor_line != self.cursor_line:  # typing in a line keeps its highlight
            spans += [_rows(before.cursor_line), _rows(self.cursor_line)]
        if before.cursor == self.cursor and before.selected is None and self.selected is None:
            spans[2:4] = [None, None]  # the cursor stayed: its cell is as it was
        return [span for span in spans if span is not None]


class BlockEditor(TextArea):
    """A TextArea set up for prose: wrapped, no line numbers, no blinking cursor, lean repaints.

    A blinking cursor repaints twice a second forever, which an SSH link pays for. Escape is taken
    by the editor screen's priority binding ("back to the canvas") before TextArea sees it.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {*TextArea.COMPONENT_CLASSES, "block-editor--match"}

    DEFAULT_CSS = """
    BlockEditor { width: 2fr; border: none; padding: 0 1; }
    BlockEditor:focus { border: none; }
    BlockEditor > .block-editor--match { text-style: bold underline; background: $warning 40%; }
    """

    # As TextArea's, but without repaint=True: _watch_selection repaints just the rows concerned.
    selection: Reactive[Selection] = reactive(Selection(), init=False, always_update=True, repaint=False)

    def __init__(self, text: str) -> None:
        self._decoration = Decoration()
        """Where the styling of the selection was drawn at the last change of the selection."""
        super().__init__(text, soft_wrap=True, tab_behavior="indent", id="editor")
        self.cursor_blink = False
        self.text_listener: Callable[[str], None] | None = None
        """Called with the new text the moment it changes (before the Changed message is handled).

        A save, a quit or a hang-up that arrives right behind the last key then still has its text:
        key events can overtake the queued Changed message.
        """
        self.match: tuple[Location, Location] | None = None
        """The search match the editor opened at, marked (not selected) until the text changes: a
        selected match would be replaced by the first key typed."""

    # -- the search match and undo ----------------------------------------------------------------

    def mark_match(self, start: Location, end: Location) -> None:
        """Put the cursor at `start` and mark start..end (one line) without selecting it."""
        self._forget_match()
        self.match = (start, end)
        self.move_cursor(start)
        self._refresh_line(start[0])

    def _forget_match(self) -> None:
        if self.match is not None:
            line = self.match[0][0]
            self.match = None
            self._refresh_line(line)

    def _refresh_line(self, line: int) -> None:
        rows = self._rows_of_lines(line, line)
        if rows is None:
            self.refresh()
        else:
            self._refresh_rows(*rows)

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if self.match is not None and self.match[0][0] == line_index:
            (_, start), (_, end) = self.match
            line.stylize(self.get_component_rich_style("block-editor--match", partial=True), start, end)
        return line

    def load_text(self, text: str) -> None:
        self._forget_match()
        super().load_text(text)

    def undo(self) -> None:
        """Undo, leaving the cursor where the undone edit began: text that was selected and typed
        over comes back unselected, so the next key typed does not delete it again."""
        super().undo()
        if not self.selection.is_empty:
            self.selection = Selection.cursor(self.selection.end)

    def post_message(self, message: Message) -> bool:
        if isinstance(message, TextArea.Changed) and self.text_listener is not None:
            self.text_listener(self.text)
        return super().post_message(message)

    # -- which rows -------------------------------------------------------------------------------

    def _rows_of_lines(self, first_line: int, last_line: int) -> Rows | None:
        """The wrapped rows that document lines first_line..last_line occupy (None: no rows)."""
        offsets = self.wrapped_document._line_index_to_offsets
        if not offsets:
            return None
        top = min(max(first_line, 0), len(offsets) - 1)
        bottom = min(max(last_line, top), len(offsets) - 1)
        if not offsets[top] or not offsets[bottom]:
            return None
        return offsets[top][0], offsets[bottom][-1]

    def _row_of(self, location: Location) -> int | None:
        """The wrapped row showing `location` (None while the wrapping is out of date)."""
        try:
            return self.wrapped_document.location_to_offset(location).y
        except (IndexError, ValueError):
            return None

    def _height(self) -> int:
        """Rows of the wrapped document. (WrappedDocument.height sums over every line: a
        2,000-line block would pay a millisecond per key press for it.)"""
        return len(self.wrapped_document._offset_to_line_info)

    def _first_row_touched(self, location: Location) -> int:
        """The first row an edit starting at `location` can change: the row before the location's
        (deleting at a row's start can pull a word up onto it), but not above the line."""
        line_rows = self._rows_of_lines(location[0], location[0])
        row = self._row_of(location)
        if line_rows is None:
            return 0
        return line_rows[0] if row is None else max(line_rows[0], row - 1)

    def _cell(self, location: Location) -> tuple[int, int] | None:
        """(row, x): the wrapped row and the cell showing `location`; None where cells are not simple
        (a tab, whose width depends on what precedes it, or wrapping that is out of date)."""
        try:
            if "\t" in self.document.get_line(location[0]):
                return None
            offset = self.wrapped_document.location_to_offset(location)
        except (IndexError, ValueError):
            return None
        return offset.y, offset.x

    def _decorated(self) -> Decoration:
        start, end = self.selection
        top, bottom = sorted(self.selection)
        selected: Rows | None = None
        if start != end:
            top_row, bottom_row = self._row_of(top), self._row_of(bottom)
            selected = (
                (top_row, bottom_row)
                if top_row is not None and bottom_row is not None
                else self._rows_of_lines(top[0], bottom[0])
            )
        cell = self._cell(end)
        cursor: Span | None
        if cell is not None:
            cursor = (cell[0], cell[0], cell[1], cell[1] + 1)
        else:
            cursor = _rows(self._rows_of_lines(end[0], end[0]))
        bracket = self._matching_bracket_location
        return Decoration(
            cursor_line=self._rows_of_lines(end[0], end[0]),
            selected=selected,
            cursor=cursor,
            bracket=None if bracket is None else self._rows_of_lines(bracket[0], bracket[0]),
        )

    def _refresh_rows(
        self, first: int, last: int | None = None, left: int = 0, right: int | None = None
    ) -> None:
        """Repaint wrapped rows first..last (last None: to the bottom of the widget), where visible;
        only cells left..right of them (right None: to the right edge) when given."""
        top = round(self.scroll_offset.y)
        bottom = top + self.size.height - 1
        first = max(first, top)
        last = bottom if last is None else min(last, bottom)
        if first > last:
            return
        if left == 0 and right is None:
            self.refresh_lines(first, last - first + 1)
            return
        # Cells of the text are offset by the gutter; soft wrap never scrolls sideways.
        x = self.gutter_width + left - round(self.scroll_offset.x)
        width = max(self.virtual_size.width, self.size.width) - x if right is None else right - left
        if width > 0:
            self.refresh(Region(max(0, x), first - top, width, last - first + 1))

    # -- what triggers repaints -------------------------------------------------------------------

    def _watch_selection(self, previous_selection: Selection, selection: Selection) -> None:
        super()._watch_selection(previous_selection, selection)
        if not self.is_mounted:
            return
        decoration = self._decorated()
        for first, last, left, right in decoration.changed(self._decoration):
            self._refresh_rows(first, last, left, right)
        self._decoration = decoration

    def edit(self, edit: Edit) -> EditResult:
        # Rows above the first one touched keep their text and wrapping, so they stay where they are.
        first_row = self._first_row_touched(edit.top)
        old_rows = self._rows_of_lines(edit.bottom[0], edit.bottom[0])
        old_height = self._height()
        line = edit.top[0]
        in_line = line == edit.bottom[0] and "\n" not in edit.text
        old_offsets = self.wrapped_document.get_offsets(line) if in_line else []
        old_top = self._cell(edit.top) if in_line else None
        old_end = self._cell((line, len(self.document.get_line(line)))) if in_line else None
        was_empty = not self.document.text if self.placeholder else False
        self._forget_match()  # its place in the text is no longer known
        result = super().edit(edit)
        # TextArea scrolls to the cursor before it updates the scrollable height, so a new line at
        # the bottom scrolls one row short and the next key scrolls again: a second repaint of the
        # whole widget per line typed at the end of a long text. Scroll now that the height is right.
        self.scroll_cursor_visible()
        if self.placeholder and (was_empty or not self.document.text):
            self.refresh()  # the placeholder is drawn over several rows, the text is not
        elif self._height() != old_height:
            self._refresh_rows(first_row)  # rows below the edit moved
        elif not self._refresh_cells(edit.top, old_offsets, old_top, old_end, result):
            # Same height, same rows above: the lines below the edit kept their rows too.
            new_rows = self._rows_of_lines(result.end_location[0], result.end_location[0])
            last_row = max(
                old_rows[1] if old_rows else first_row,
                new_rows[1] if new_rows else first_row,
            )
            self._refresh_rows(first_row, last_row)
        return result

    def _refresh_cells(
        self,
        top: Location,
        old_offsets: list[int],
        old_top: tuple[int, int] | None,
        old_end: tuple[int, int] | None,
        result: EditResult,
    ) -> bool:
        """Repaint only the cells an edit within one line changed; False when that is not known.

        The edit's row starts where it did (the line wraps at the same columns up to it), so the
        cells left of the edit are as they were; right of it the text shifted, to the row's edge, and
        the line's later rows re-flow whole. On the line's last row, only the cells from the edit to
        the further of the line's old and new ends changed (beyond them: blank cells before and
        after). The cursor's cells are _watch_selection's (Decoration.cursor).
        """
        line = top[0]
        if old_top is None or old_end is None or result.end_location[0] != line:
            return False
        new_top, new_end = self._cell(top), self._cell((line, len(self.document.get_line(line))))
        if new_top is None or new_end is None or new_top != old_top:
            return False
        row, left = old_top
        offsets = self.wrapped_document.get_offsets(line)
        line_rows = self._rows_of_lines(line, line)
        if line_rows is None:
            return False
        section = row - line_rows[0]
        if offsets[:section] != old_offsets[:section]:
            return False  # a word moved up or down a row above the edit
        last_section = len(offsets) == len(old_offsets) == section
        if last_section and old_end[0] == new_end[0] == row:
            self._refresh_rows(row, row, left, max(old_end[1], new_end[1]) + 1)
            return True
        self._refresh_rows(row, row, left, None)
        if line_rows[1] > row:
            self._refresh_rows(row + 1, line_rows[1])
        return True

    def _undo_batch(self, edits: Sequence[Edit]) -> None:
        # Text before the earliest start of the batch's edits is the same in every state they
        # passed through, so rows above it stay; below it, repaint all (undo is rare, not typing).
        first_row = self._first_row_touched(min(edit.top for edit in edits)) if edits else 0
        super()._undo_batch(edits)
        if edits:
            self._refresh_rows(first_row)

    def _redo_batch(self, edits: Sequence[Edit]) -> None:
        first_row = self._first_row_touched(min(edit.top for edit in edits)) if edits else 0
        super()._redo_batch(edits)
        if edits:
            self._refresh_rows(first_row)

    def _rewrap_and_refresh_virtual_size(self) -> None:
        """New text, width, tab size or wrapping: every row may have changed."""
        super()._rewrap_and_refresh_virtual_size()
        self._decoration = self._decorated()
        self.refresh()


# -- the compositor: write only the refreshed cells ----------------------------------------------------
#
# Textual turns each refreshed region into spans of screen rows (Compositor.render_partial_update), and
# ChopsUpdate.render_segments writes each span from the left edge of the widget it falls in, cropping
# only on the right (its own comment: "TODO: crop to x extents"). A key typed at the end of a line of a
# wide editor would still resend the row up to the cursor. This version crops on the left as well,
# at a cell boundary that no wide or combining character straddles (a segment holding one is kept
# whole), and moves the terminal's cursor there: the same cells reach the screen, without the ones
# nobody refreshed. It is installed for Textual 8 only, whose ChopsUpdate it mirrors line by line.


def _clean_cut(strip: Strip, offset: int) -> int:
    """The greatest cell position <= offset where `strip` can be cut without splitting a character."""
    position = 0
    for segment in strip:
        length = cell_len(segment.text)
        if position + length > offset:
            # Inside this segment: cut anywhere if every character is one cell, else at its start.
            return offset if length == len(segment.text) and not segment.control else position
        position += length
    return offset


def _terminal_cursor() -> tuple[int, int] | None:
    """Where the last frame left the terminal's cursor: App._display ends every frame by moving it to
    the app's cursor position (not in inline mode, which moves relative to where it began)."""
    try:
        app = active_app.get()
    except LookupError:
        return None
    driver = app._driver
    if driver is None or driver.is_inline:
        return None
    x, y = app._previous_cursor_position
    return x, y


def _render_segments(self: ChopsUpdate, console: Console) -> str:
    sequences: list[str] = []
    append = sequences.append
    chops = self.chops
    chop_ends = self.chop_ends
    last_y = self.spans[-1][0]
    cursor = _terminal_cursor()
    row = None if cursor is None else cursor[1]  # the row the terminal's cursor is known to be on

    def move_to(x: int, y: int) -> None:
        nonlocal cursor
        if cursor == (x, y):
            pass  # already there (the last frame ended with the cursor where this one starts)
        elif row == y:
            append(f"\x1b[{x + 1}G")  # same row: the column alone, 3 to 5 bytes instead of 6 to 8
        else:
            append(Control.move_to(x, y).segment.text)
        cursor = None

    for y, x1, x2 in self.spans:
        line = chops[y]
        ends = chop_ends[y]
        for end, (x, strip) in zip(ends, line.items(), strict=False):
            if strip is None:
                continue
            if x > x2 or end <= x1:
                continue
            if x2 > x >= x1 and end <= x2:
                move_to(x, y)
                row = y
                append(strip.render(console))
                continue
            left = _clean_cut(strip, x1 - x) if x < x1 else 0
            strip = strip.crop(left, min(end, x2) - x)
            move_to(x + left, y)
            row = y
            append(strip.render(console))
        if y != last_y:
            append("\n")
            row = None
    return "".join(sequences)


if textual.__version__.split(".")[0] == "8":
    ChopsUpdate.render_segments = _render_segments  # type: ignore[method-assign]
