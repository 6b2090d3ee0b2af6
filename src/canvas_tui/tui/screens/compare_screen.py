"""Compare with HEAD: the block diff of `canvas-tui diff` (canvas_tui.model.compare), on screen."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from canvas_tui.model.compare import PIECE_STYLE, CanvasDiff, field_text, word_diff
from canvas_tui.model.text import for_terminal
from canvas_tui.tui.screens.closing import ClosesOnce


class CompareScreen(ModalScreen[None], ClosesOnce[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q", "dismiss", "Close", id="compare.close", tooltip="Close"),
    ]

    DEFAULT_CSS = """
    CompareScreen { align: center middle; }
    CompareScreen > VerticalScroll {
        width: 100; max-width: 100%; height: auto; max-height: 100%;
        border: thick $canvas-border; background: $surface; padding: 1 2;
    }
    """

    def __init__(self, difference: CanvasDiff) -> None:
        super().__init__()
        self.difference = difference

    def compose(self) -> ComposeResult:
        with VerticalScroll():
            yield Static(describe(self.difference))


def describe(difference: CanvasDiff) -> Text:
    """The diff as styled text: status and words (glyph-free marks too: strike and underline).

    A Text, so nothing is read as markup; the files' text goes through for_terminal, so their
    control characters show as they do in `canvas-tui diff`.
    """
    line_of = for_terminal
    text = Text()
    text.append(f"{line_of(difference.old_name)} -> {line_of(difference.new_name)}\n", "bold")
    if difference.same:
        text.append("\nNo block differs.\n")
    for change in difference.fields:
        text.append(f"{line_of(change.label)}: ")
        text.append(line_of(field_text(change.old)), "red strike")
        text.append(" -> ")
        text.append(line_of(field_text(change.new)) + "\n", "green underline")
    for block in difference.blocks:
        text.append(f"\n{line_of(block.heading)}", "bold")
        if block.status_changed:
            text.append(line_of(f"  {block.old_status} -> {block.new_status}"))
        text.append("\n")
        if block.text_changed:
            for piece in word_diff(block.old_text, block.new_text):
                text.append(for_terminal(piece.text, multiline=True), PIECE_STYLE[piece.op])
            text.append("\n")
    text.append("\nescape: close", "dim")
    return text
