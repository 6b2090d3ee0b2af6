"""A block on the canvas: title, status (glyph and word) and a preview of its text."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.text import Text
from textual.message import Message
from textual.widget import Widget

from canvas_tui.model import Block, BlockSpec, Template
from canvas_tui.model.fit import fits_printed_cell
from canvas_tui.model.text import display_controls


def wrap_title(title: str, width: int) -> list[str]:
    """Greedy word wrap that may also break after a hyphen ("Explain-" / "ability")."""
    words = [w for w in re.split(r"\s+|(?<=-)", title) if w]
    lines: list[str] = []
    line = ""
    for word in words:
        joiner = "" if line.endswith("-") or not line else " "
        if line and cell_len(line + joiner + word) > width:
            lines.append(line)
            line = word
        else:
            line += joiner + word
    if line:
        lines.append(line)
    return lines or [""]


def preview_lines(text: str, width: int, height: int) -> list[str]:
    """`text` with paragraphs joined, wrapped to `width` cells, cut to `height` lines with an ellipsis."""
    if height <= 0 or width <= 0:
        return []
    # Only the start of a long text can show; wrapping 100,000 characters per repaint would stall.
    flat = " ".join(display_controls(text[: width * height * 4 + 200]).split())
    wrapped = Text(flat).wrap(_WRAP_CONSOLE, width)
    lines = [line.plain for line in wrapped]
    if len(lines) > height:
        lines = lines[:height]
        last = lines[-1]
        while last and cell_len(last) + 1 > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


# Text.wrap needs a console only for tab size and encoding; one quiet console serves every card.
_WRAP_CONSOLE = Console(width=1000, color_system=None, force_terminal=False)


class BlockCard(Widget):
    """One block on the canvas grid. Not focusable: the canvas screen owns which block is current."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "block-card--title",
        "block-card--todo",
        "block-card--draft",
        "block-card--done",
        "block-card--skip",
        "block-card--preview",
        "block-card--guidance",
        "block-card--warning",
    }

    DEFAULT_CSS = """
    BlockCard {
        height: 1fr;
        border: round $canvas-border;
        padding: 0 1;
        background: $surface;
    }
    BlockCard.-current {
        border: heavy $accent;
        background: $boost;
    }
    BlockCard.-miss { opacity: 60%; }
    BlockCard.-hit { border: round $warning; }
    BlockCard.-current.-hit { border: heavy $warning; }
    BlockCard > .block-card--title { text-style: bold; }
    BlockCard.-current > .block-card--title { text-style: bold reverse; }
    BlockCard > .block-card--todo { color: $text-muted; }
    BlockCard > .block-card--draft { color: $warning; }
    BlockCard > .block-card--done { color: $success; }
    BlockCard > .block-card--skip { color: $secondary; }
    BlockCard > .block-card--preview { }
    BlockCard > .block-card--guidance { color: $text-muted; text-style: italic; }
    BlockCard > .block-card--warning { color: $error; }
    """

    class Selected(Message):
        """The card was clicked (once: select; twice: open)."""

        def __init__(self, card: BlockCard, open_editor: bool) -> None:
            super().__init__()
            self.card = card
            self.open_editor = open_editor

        @property
        def control(self) -> BlockCard:
            return self.card

    def __init__(self, spec: BlockSpec, block: Block, template: Template) -> None:
        super().__init__(id=f"card-{spec.id}")
        self.spec = spec
        self.block = block
        self.template = template

    @property
    def too_long_to_print(self) -> bool:
        """The same estimate the HTML export uses to mark a block its printed cell would cut."""
        return bool(self.block.text.strip()) and not fits_printed_cell(
            self.template, self.spec, self.block.text
        )

    @property
    def block_id(self) -> str:
        return self.spec.id

    def render(self) -> RenderableType:
        width, height = self.content_size
        if height <= 1:
            return self._one_line(width)
        status = self.block.status
        title_lines = self._title_lines(max(width, 1))
        out = Text(no_wrap=True, overflow="crop")
        title_style = self.get_component_rich_style("block-card--title")
        status_style = self.get_component_rich_style(f"block-card--{status.value}")
        for line in title_lines[: max(height - 1, 1)]:
            out.append(line, title_style)
            out.append("\n")
        label = status.label
        if self.block.unknown_status is not None:
            label = f"? {self.block.unknown_status}"
        out.append(label, status_style)
        if self.too_long_to_print:
            out.append(" · too long", self.get_component_rich_style("block-card--warning"))
        remaining = height - len(title_lines) - 1
        if remaining > 0:
            if self.block.text.strip():
                body = preview_lines(self.block.text, width, remaining)
                style = self.get_component_rich_style("block-card--preview")
            else:
                body = preview_lines(self.spec.guidance, width, remaining)
                style = self.get_component_rich_style("block-card--guidance")
            for line in body:
                out.append("\n")
                out.append(line, style)
        return out

    def _title_lines(self, width: int) -> list[str]:
        """The full title when it wraps into two lines without breaking a word, else the short one."""
        full = wrap_title(self.spec.title, width)
        if len(full) <= 2 and all(cell_len(line) <= width for line in full):
            return full
        return wrap_title(self.spec.short_title, width)

    def _one_line(self, width: int) -> Text:
        status = self.block.status
        out = Text(no_wrap=True, overflow="ellipsis")
        # In the list the current block gets a pointer too, not only a background colour.
        out.append("▶ " if self.has_class("-current") else "  ", "bold")
        out.append(
            f"{status.glyph} {status.value:<5} ",
            self.get_component_rich_style(f"block-card--{status.value}"),
        )
        out.append(self.spec.title, self.get_component_rich_style("block-card--title"))
        if self.too_long_to_print:
            out.append(" (too long)", self.get_component_rich_style("block-card--warning"))
        text = " ".join(display_controls(self.block.text[: width * 2 + 100]).split())
        if text:
            out.append("  " + text, self.get_component_rich_style("block-card--preview"))
        out.truncate(max(width, 1), overflow="ellipsis")
        return out

    def on_click(self, event: object) -> None:
        chain = getattr(event, "chain", 1)
        self.post_message(self.Selected(self, open_editor=chain >= 2))
