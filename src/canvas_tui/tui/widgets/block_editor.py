"""The multi-line editor for a block's text: soft wrap, undo/redo, and a cursor that does not blink.

It repaints lines, not the widget. Stock `TextArea` repaints the whole widget whenever the selection
changes, which is on every key press: about 7,500 bytes to the terminal per typed character at
120x40, which an SSH link pays for. Here the selection repaints only the rows whose cursor, selection
or bracket-match styling changed, and an edit repaints only the rows whose text changed (or, when the
edit changed how many rows the text takes, every row from the edit down). What can change every row
(new text, a resize, a new wrap width, scrolling, styles) still repaints the whole widget, as stock.

Why that is complete: a row on screen shows one wrapped section of one document line, plus that
line's decoration (cursor line, selection, cursor, matching bracket). After a change, a row can only
show something else if (a) its line's text or wrapping changed, which only happens at or below the
first line an edit touched, or rows below it moved because the edit changed the wrapped height, or
(b) its decoration changed, which only happens on rows that were decorated before or are decorated
now. The repaint covers exactly those rows. tests/e2e/test_repaint.py checks it against a full
repaint in a real terminal.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.reactive import Reactive, reactive
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult, Selection

Rows = tuple[int, int]
"""An inclusive range of rows of the wrapped document (0 = its first row, not the widget's)."""


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
        self._decorated: list[Rows] = []
        """The rows drawn with cursor, selection or bracket styling at the last selection change."""
        super().__init__(text, soft_wrap=True, tab_behavior="indent", id="editor")
        self.cursor_blink = False

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

    def _height(self) -> int:
        """Rows of the wrapped document. (WrappedDocument.height sums over every line: a
        2,000-line block would pay a millisecond per key press for it.)"""
        return len(self.wrapped_document._offset_to_line_info)

    def _first_row_of_line(self, line: int) -> int:
        rows = self._rows_of_lines(line, line)
        return 0 if rows is None else rows[0]

    def _decorated_rows(self) -> list[Rows]:
        """Rows whose look depends on the selection: the selected lines (the cursor's line among
        them, highlighted over all its wrapped rows) and the bracket matching the cursor's."""
        top, bottom = sorted(self.selection)
        spans = [self._rows_of_lines(top[0], bottom[0])]
        bracket = self._matching_bracket_location
        if bracket is not None:
            spans.append(self._rows_of_lines(bracket[0], bracket[0]))
        return [span for span in spans if span is not None]

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
        decorated = self._decorated_rows()
        for first, last in self._decorated + decorated:
            self._refresh_rows(first, last)
        self._decorated = decorated

    def edit(self, edit: Edit) -> EditResult:
        # Lines above the edit keep their text and wrapping, so their rows stay where they are.
        first_row = self._first_row_of_line(edit.top[0])
        old_rows = self._rows_of_lines(edit.bottom[0], edit.bottom[0])
        old_height = self._height()
        was_empty = not self.document.text if self.placeholder else False
        result = super().edit(edit)
        if self.placeholder and (was_empty or not self.document.text):
            self.refresh()  # the placeholder is drawn over several rows, the text is not
        elif self._height() != old_height:
            self._refresh_rows(first_row)  # rows below the edit moved
        else:
            # Same height, same lines above: the lines below the edit kept their rows too.
            new_rows = self._rows_of_lines(result.end_location[0], result.end_location[0])
            last_row = max(
                old_rows[1] if old_rows else first_row,
                new_rows[1] if new_rows else first_row,
            )
            self._refresh_rows(first_row, last_row)
        return result

    def _undo_batch(self, edits: Sequence[Edit]) -> None:
        first_row = self._first_row_of_line(min(edit.top[0] for edit in edits)) if edits else 0
        super()._undo_batch(edits)
        if edits:
            self._refresh_rows(first_row)

    def _redo_batch(self, edits: Sequence[Edit]) -> None:
        first_row = self._first_row_of_line(min(edit.top[0] for edit in edits)) if edits else 0
        super()._redo_batch(edits)
        if edits:
            self._refresh_rows(first_row)

    def _rewrap_and_refresh_virtual_size(self) -> None:
        """New text, width, tab size or wrapping: every row may have changed."""
        super()._rewrap_and_refresh_virtual_size()
        self._decorated = self._decorated_rows()
        self.refresh()
