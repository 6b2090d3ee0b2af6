"""Baseline for typing: a full-screen stock Textual `TextArea` holding one block's text.

Stock settings (soft wrap on, blinking cursor), the cursor at the end of the text, as in the block
editor. `--lean` swaps in canvas-tui's `BlockEditor` in the same full-screen app, which isolates what
the widget's lean repaint saves from everything else the real app draws.

    python benchmarks/baseline_textarea.py TEXT_FILE [--lean]
"""

from __future__ import annotations

import sys
from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import TextArea


class TextAreaApp(App[None]):
    CSS = "TextArea { width: 1fr; height: 1fr; }"

    def __init__(self, text: str, *, lean: bool) -> None:
        super().__init__()
        self.text = text
        self.lean = lean

    def compose(self) -> ComposeResult:
        if self.lean:
            from canvas_tui.tui.widgets.block_editor import BlockEditor

            yield BlockEditor(self.text)
        else:
            yield TextArea(self.text, soft_wrap=True)

    def on_mount(self) -> None:
        editor = self.query_one(TextArea)
        editor.move_cursor(editor.document.end)
        editor.focus()


if __name__ == "__main__":
    TextAreaApp(Path(sys.argv[1]).read_text(encoding="utf-8"), lean="--lean" in sys.argv[2:]).run()
