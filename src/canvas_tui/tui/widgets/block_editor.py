"""The multi-line editor for a block's text: soft wrap, undo/redo, and a cursor that does not blink.

Stock `TextArea` repaints the whole widget on every key press; the output layer (tui/wire/) sends
the terminal only the cells that changed, so a typed character costs a few dozen bytes without any
repaint logic here, and without reaching into TextArea's or the compositor's private state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from rich.text import Text
from textual.geometry import Offset
from textual.message import Message
from textual.widgets import TextArea
from textual.widgets.text_area import Edit, EditResult, Location, Selection

from canvas_tui.tui.wire.cursor import wire_driver


class BlockEditor(TextArea):
    """A TextArea set up for prose: wrapped, no line numbers, no blinking cursor.

    A blinking cursor repaints twice a second forever, which an SSH link pays for. Escape is taken
    by the editor screen's priority binding ("back to the canvas") before TextArea sees it.
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {*TextArea.COMPONENT_CLASSES, "block-editor--match"}

    DEFAULT_CSS = """
    BlockEditor { width: 2fr; border: none; padding: 0 1; }
    BlockEditor:focus { border: none; }
    BlockEditor > .block-editor--match { text-style: bold underline; background: $warning 40%; }
    /* The terminal shows the cursor (terminal_cursor): the cell under it looks like its line. */
    BlockEditor.-terminal-cursor > .text-area--cursor,
    BlockEditor.-terminal-cursor:dark > .text-area--cursor,
    BlockEditor.-terminal-cursor:light > .text-area--cursor,
    BlockEditor.-terminal-cursor:ansi > .text-area--cursor {
        background: $boost; color: $foreground; text-style: none;
    }
    """

    def __init__(self, text: str) -> None:
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

    # -- the cursor: the terminal's own where the output layer runs ------------------------------

    def on_mount(self) -> None:
        self.app.app_resume_signal.subscribe(self, lambda _app: self.terminal_cursor(self.has_focus))

    def on_focus(self) -> None:
        self.terminal_cursor(True)

    def on_blur(self) -> None:
        self.terminal_cursor(False)

    def on_unmount(self) -> None:
        self.terminal_cursor(False)

    def on_resize(self) -> None:
        if wire_driver(self.app) is not None:  # plain output: TextArea places its own cursor
            self.call_after_refresh(self._place_terminal_cursor)

    def terminal_cursor(self, shown: bool) -> None:
        """Over the output layer, let the terminal show the cursor and draw none: a typed letter is
        then one cell on the wire, as in vim. Elsewhere (plain output, a browser, tests) TextArea
        draws its cursor cell as usual. Off while a dialog covers the editor (EditorScreen)."""
        driver = wire_driver(self.app)
        if driver is None:
            return
        self.set_class(shown, "-terminal-cursor")
        driver.show_cursor(shown)
        if shown:
            self.call_after_refresh(self._place_terminal_cursor)

    def _place_terminal_cursor(self) -> None:
        """Put the terminal's cursor where the text's is. TextArea says where on focus, a move and a
        scroll, from an offset it keeps; an editor that opens at the end of its text moves there
        before its text is wrapped to its width, and a resize re-wraps without a move."""
        if not (self.has_focus and self.is_on_screen):
            return
        x, y = self.wrapped_document.location_to_offset(self.cursor_location)
        scroll_x, scroll_y = self.scroll_offset
        region = self.content_region
        where = Offset(region.x + x - scroll_x + self.gutter_width, region.y + y - scroll_y)
        if self.app.cursor_position != where:
            self.app.cursor_position = where
            self.refresh()  # Textual moves the terminal's cursor after a frame (the layer sends no cells)

    # -- the search match and undo ----------------------------------------------------------------

    def mark_match(self, start: Location, end: Location) -> None:
        """Put the cursor at `start` and mark start..end (one line) without selecting it."""
        self._forget_match()
        self.match = (start, end)
        self.move_cursor(start)
        self.refresh()

    def _forget_match(self) -> None:
        if self.match is not None:
            self.match = None
            self.refresh()  # the output layer sends only the cells that changed

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

    def edit(self, edit: Edit) -> EditResult:
        self._forget_match()  # its place in the text is no longer known
        result = super().edit(edit)
        # TextArea scrolls to the cursor before it updates the scrollable height, so a new line at
        # the bottom scrolls one row short and the next key scrolls again: a second repaint of the
        # whole widget per line typed at the end of a long text. Scroll now that the height is right.
        self.scroll_cursor_visible()
        return result
