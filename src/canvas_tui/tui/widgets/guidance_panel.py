"""The block's guidance text and its five guiding questions, beside the editor (f2 hides it)."""

from __future__ import annotations

from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from canvas_tui.model import BlockSpec


class GuidancePanel(VerticalScroll, can_focus=False):
    DEFAULT_CSS = """
    GuidancePanel {
        width: 1fr;
        max-width: 50;
        border-left: vkey $canvas-border;
        padding: 0 1;
    }
    GuidancePanel > Static { width: 1fr; }
    """

    def __init__(self, spec: BlockSpec) -> None:
        super().__init__(id="guidance")
        self._body = Static(self._render_spec(spec))

    def compose(self):  # type: ignore[no-untyped-def]
        yield self._body

    def show(self, spec: BlockSpec) -> None:
        self._body.update(self._render_spec(spec))
        self.scroll_home(animate=False)

    @staticmethod
    def _render_spec(spec: BlockSpec) -> Text:
        text = Text()
        text.append("Guidance\n", "bold")
        text.append(spec.guidance + "\n\n", "italic")
        text.append("Guiding questions\n", "bold")
        for number, question in enumerate(spec.questions, start=1):
            text.append(f"{number}. ", "bold")
            text.append(question + "\n")
        return text
