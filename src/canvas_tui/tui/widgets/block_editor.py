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

from textual.message import Message
from textual.reactive import Reactive, reactive
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult, Location, Selection

Rows = tuple[int, int]
"""An inclusive range of rows of the wrapped document (0 = its first row, not the widget's)."""


@dataclass(frozen=True, slots=True)
class Decoration:
    """Where the selection-dependent styling is drawn, as rows of the wrapped document."""

    cursor_line: Rows | None = None  # the cursor-line highlight: every row of the cursor's line
    selected: Rows | None = None  # the selection, from its start's row to its end's (or the cursor's)
    bracket: Rows | None = None  # the bracket matching the one at the cursor

    def changed_rows(self, before: Decoration) -> list[Rows]:
        """Rows that may look different now than with `before`."""
        spans = [before.selected, self.selected, before.bracket, self.bracket]
        if before.cursor_line != self.cursor_line:  # typing in a line keeps its highlight
            spans += [before.cursor_line, self.cursor_line]
        return [span for span in spans if span is not None]


class BlockEditor(TextArea):
    """A TextArea set up for prose: wrapped, no line numbers, no blinking cursor, lean repaints.

    A blinking cursor repaints twice a second forever, which an SSH link pays for. Escape is taken
    by the editor screen's priority binding ("back to the canvas") before TextArea sees it.
    """

    DEFAULT_CSS = """
    BlockEditor { width: 2fr; border: none; padding: 0 1; }
    BlockEditor:focus { border: none; }
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

    def _decorated(self) -> Decoration:
        top, bottom = sorted(self.selection)
        top_row, bottom_row = self._row_of(top), self._row_of(bottom)
        selected = (
            (top_row, bottom_row)
            if top_row is not None and bottom_row is not None
            else self._rows_of_lines(top[0], bottom[0])
        )
        bracket = self._matching_bracket_location
        return Decoration(
            cursor_line=self._rows_of_lines(self.selection.end[0], self.selection.end[0]),
            selected=selected,
            bracket=None if bracket is None else self._rows_of_lines(bracket[0], bracket[0]),
        )

    def _refresh_rows(self, first: int, last: int | None = None) -> None:
        """Repaint wrapped rows first..last (last None: to the bottom of the widget), where visible."""
        top = round(self.scroll_offset.y)
        bottom = top + self.size.height - 1
        first = max(first, top)
        last = bottom if last is None else min(last, bottom)
        if first <= last:
            self.refresh_lines(first, last - first + 1)

    # -- what triggers repaints -------------------------------------------------------------------

    def _watch_selection(self, previous_selection: Selection, selection: Selection) -> None:
        super()._watch_selection(previous_selection, selection)
        if not self.is_mounted:
            return
        decoration = self._decorated()
        for first, last in decoration.changed_rows(self._decoration):
            self._refresh_rows(first, last)
        self._decoration = decoration

    def edit(self, edit: Edit) -> EditResult:
        # Rows above the first one touched keep their text and wrapping, so they stay where they are.
        first_row = self._first_row_touched(edit.top)
        old_rows = self._rows_of_lines(edit.bottom[0], edit.bottom[0])
        old_height = self._height()
        was_empty = not self.document.text if self.placeholder else False
        result = super().edit(edit)
        # TextArea scrolls to the cursor before it updates the scrollable height, so a new line at
        # the bottom scrolls one row short and the next key scrolls again: a second repaint of the
        # whole widget per line typed at the end of a long text. Scroll now that the height is right.
        self.scroll_cursor_visible()
        if self.placeholder and (was_empty or not self.document.text):
            self.refresh()  # the placeholder is drawn over several rows, the text is not
        elif self._height() != old_height:
            self._refresh_rows(first_row)  # rows below the edit moved
        else:
            # Same height, same rows above: the lines below the edit kept their rows too.
            new_rows = self._rows_of_lines(result.end_location[0], result.end_location[0])
            last_row = max(
                old_rows[1] if old_rows else first_row,
                new_rows[1] if new_rows else first_row,
            )
            self._refresh_rows(first_row, last_row)
        return result

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
