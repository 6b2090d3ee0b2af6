"""The multi-line editor for a block's text: soft wrap, undo/redo, and a cursor that does not blink."""

from __future__ import annotations

from textual.widgets import TextArea


class BlockEditor(TextArea):
    """A TextArea set up for prose: wrapped, no line numbers, no blinking cursor.

    A blinking cursor repaints twice a second forever, which an SSH link pays for. Escape is taken
    by the editor screen's priority binding ("back to the canvas") before TextArea sees it.
    """

    DEFAULT_CSS = """
    BlockEditor { width: 2fr; border: none; padding: 0 1; }
    BlockEditor:focus { border: none; }
    """

    def __init__(self, text: str) -> None:
        super().__init__(text, soft_wrap=True, tab_behavior="indent", id="editor")
        self.cursor_blink = False
