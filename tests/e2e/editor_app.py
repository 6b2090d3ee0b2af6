"""canvas-tui's BlockEditor alone, full screen, on the text of a file: `python editor_app.py FILE`.

For tests/e2e/test_repaint.py: the editor alone, through the output layer, where nothing else on
screen changes: every byte sent is the editor's.
f5, f6 and f7 edit the text away from the cursor, as the app's external-editor and reload paths do.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import ClassVar

from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType

from canvas_tui.tui.widgets.block_editor import BlockEditor
from canvas_tui.tui.wire import driver_class


class EditorApp(App[None]):
    CSS = "BlockEditor { width: 1fr; height: 1fr; }"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f5", "edit_first_line", priority=True),
        Binding("f6", "edit_fourth_line", priority=True),
        Binding("f7", "pull_word_up", priority=True),
    ]

    def __init__(self, text: str) -> None:
        # Through the output layer, as the editor runs (CANVAS_TUI_WIRE=plain: without it).
        super().__init__(driver_class=driver_class(os.environ.get("CANVAS_TUI_WIRE", "diff"), os.environ))
        self.text = text

    def compose(self) -> ComposeResult:
        yield BlockEditor(self.text)

    def on_mount(self) -> None:
        editor = self.query_one(BlockEditor)
        editor.move_cursor(editor.document.end)
        editor.focus()

    def action_edit_first_line(self) -> None:
        """Replace the first word of the first line; the cursor stays where it is."""
        self.query_one(BlockEditor).replace("Changed, the first", (0, 0), (0, 5))

    def action_edit_fourth_line(self) -> None:
        """Insert a word at the start of the fourth line (re-wrapping its rows); the cursor stays."""
        self.query_one(BlockEditor).insert("So, ", (3, 0))

    def action_pull_word_up(self) -> None:
        """Cut the first word of the first line's second row to one letter, so that it fits on the
        first row and moves up: the edit is on one row, the change shows on the row above."""
        editor = self.query_one(BlockEditor)
        offsets = editor.wrapped_document.get_offsets(0)
        if offsets:
            editor.delete((0, offsets[0]), (0, offsets[0] + 3))


if __name__ == "__main__":
    EditorApp(Path(sys.argv[1]).read_text(encoding="utf-8")).run()
