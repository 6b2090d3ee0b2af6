"""A block on the canvas: title, status (glyph and word) and a preview of its text."""

from __future__ import annotations

import re
from typing import ClassVar

from rich.cells import cell_len
from rich.console import Console, RenderableType
from rich.style import Style
from rich.text import Text
from textual.message import Message
from textual.widget import Widget

from canvas_tui.lint import Finding
from canvas_tui.model import Block, BlockSpec, BlockValue, Template
from canvas_tui.model.conflicts import has_conflict_marker
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
    """`text` wrapped to `width` cells, cut to `height` lines with an ellipsis.

    Line breaks stay (a list stays a list); blank lines between paragraphs are dropped, since a
    card has few rows to spare.
    """
    if height <= 0 or width <= 0:
        return []
    # Only the start of a long text can show; wrapping 100,000 characters per repaint would stall.
    start = text[: width * height * 4 + 200]
    paragraphs = [" ".join(display_controls(line).split()) for line in start.split("\n")]
    lines: list[str] = []
    for paragraph in paragraphs:
        if paragraph:
            lines += [line.plain for line in Text(paragraph).wrap(_WRAP_CONSOLE, width)]
        if len(lines) > height:
            break
    if len(lines) > height:
        lines = lines[:height]
        last = lines[-1]
        while last and cell_len(last) + 1 > width:
            last = last[:-1]
        lines[-1] = last.rstrip() + "…"
    return lines


def excerpt(text: str, needle: str, budget: int) -> str:
    """`text`, or when `needle` (case-insensitive) lies beyond the first `budget` characters, the
    text from a little before it, marked with an ellipsis: the card shows the match, not the start."""
    at = text.casefold().find(needle.casefold()) if needle else -1
    if at < 0 or at + len(needle) <= budget:
        return text
    start = max(text.rfind("\n", 0, at) + 1, at - max(budget // 3, 10))
    space = text.find(" ", start, at)
    if start > text.rfind("\n", 0, at) + 1 and space != -1:
        start = space + 1  # begin at a word
    return "…" + text[start:]


def highlight(line: str, needle: str, style: Style) -> Text:
    """`line` as Text with every case-insensitive occurrence of `needle` in `style`."""
    text = Text(line)
    if needle:
        folded, size = line.casefold(), len(needle)
        at = folded.find(needle.casefold())
        while at >= 0 and len(folded) == len(line):  # casefold can change lengths (ß): skip then
            text.stylize(style, at, at + size)
            at = folded.find(needle.casefold(), at + size)
    return text


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
        "block-card--empty",
        "block-card--match",
        "block-card--questions",
        "block-card--changed",
        "block-card--lint",
    }

    DEFAULT_CSS = """
    BlockCard {
        height: 1fr;
        border: round $canvas-border;
        padding: 0 1;
        background: $surface;
        border-subtitle-align: right;
        border-subtitle-color: $text-muted;
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
    BlockCard > .block-card--empty { color: $text-muted; text-style: bold; }
    BlockCard > .block-card--match { text-style: bold reverse; }
    BlockCard > .block-card--questions { color: $text-muted; }
    BlockCard > .block-card--changed { color: $accent; text-style: bold; }
    BlockCard > .block-card--lint { color: $warning; text-style: bold; }
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
        self.match = ""
        """The search text to show and mark in the preview ("" when not searching)."""
        self.findings: list[Finding] = []
        """What `canvas-tui lint` says of this block (a mark on the card; the editor lists them)."""
        self.committed: BlockValue | None = None
        """The block as committed at HEAD, when the canvas is in git (None: nothing to compare)."""

    @property
    def changed_since_commit(self) -> bool:
        """Text or status differ from HEAD (a mark on the card: Δ)."""
        committed = self.committed
        return committed is not None and (committed.text, committed.status) != (
            self.block.text,
            self.block.status,
        )

    @property
    def conflicted(self) -> bool:
        return has_conflict_marker(self.block.text)

    @property
    def too_long_to_print(self) -> bool:
        """The same estimate the HTML export uses to mark a block its printed cell would cut."""
        return bool(self.block.text.strip()) and not fits_printed_cell(
            self.template, self.spec, self.block.text
        )

    @property
    def block_id(self) -> str:
        return self.spec.id

    @property
    def question_count(self) -> str:
        """`Q 2/5`: how many of the block's guiding questions its text answers ("" for none)."""
        if not self.spec.questions:
            return ""
        return f"Q {len(self.block.answered)}/{len(self.spec.questions)}"

    def _show_question_count(self) -> None:
        self.border_subtitle = self.question_count

    def render(self) -> RenderableType:
        width, height = self.content_size
        if self.border_subtitle != self.question_count:
            # The edge is drawn apart from this text: set it after this paint, which repaints once.
            self.call_after_refresh(self._show_question_count)
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
        empty = not self.block.text.strip()
        out.append_text(self._status_line(label, status_style, width))
        if self.conflicted:
            # Above all else, on a line of its own so that no card is too narrow for it.
            out.append("\n")
            out.append("⚠ conflict · f9", self.get_component_rich_style("block-card--warning"))
        remaining = height - len(title_lines) - 1 - (1 if self.conflicted else 0)
        if remaining > 0:
            if not empty:
                shown = excerpt(self.block.text, self.match, width * remaining // 2)
                body = preview_lines(shown, width, remaining)
                style = self.get_component_rich_style("block-card--preview")
            else:
                # The guidance is dimmed, but at a glance it reads like an answer: say it is not,
                # on a line of its own, so even the narrowest card shows it.
                out.append("\n")
                out.append("empty", self.get_component_rich_style("block-card--empty"))
                body = preview_lines("Guide: " + self.spec.guidance, width, remaining - 1)
                style = self.get_component_rich_style("block-card--guidance")
            marked = self.get_component_rich_style("block-card--match")
            for line in body:
                out.append("\n")
                shown_line = highlight(line, "" if empty else self.match, marked)
                shown_line.stylize_before(style)
                out.append_text(shown_line)
        return out

    def _status_line(self, label: str, style: Style, width: int) -> Text:
        """Status, then marks in order of importance, each only if it fits whole: a card's line
        never wraps (that would push the text out of the card). The question count is on the
        card's bottom edge, where even the narrowest card has room for it beside `◐ draft`."""
        line = Text(label, style)
        parts = []
        if self.changed_since_commit:
            parts.append((" Δ", "block-card--changed"))
        if self.too_long_to_print:
            parts.append((" too long", "block-card--warning"))
        if self.findings:
            parts.append((f" ⚑{len(self.findings)}", "block-card--lint"))
        for text, component in parts:
            if line.cell_len + cell_len(text) <= width:
                line.append(text, self.get_component_rich_style(component))
        return line

    def _append_marks(self, out: Text) -> None:
        """Marks that need attention before anything else: a merge conflict, a change since HEAD."""
        if self.conflicted:
            out.append(" ⚠ conflict", self.get_component_rich_style("block-card--warning"))
        if self.changed_since_commit:
            out.append(" Δ", self.get_component_rich_style("block-card--changed"))
        if self.findings:
            out.append(f" ⚑{len(self.findings)}", self.get_component_rich_style("block-card--lint"))

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
        self._append_marks(out)
        if self.too_long_to_print:
            out.append(" (too long)", self.get_component_rich_style("block-card--warning"))
        shown = excerpt(self.block.text, self.match, width // 2)
        lines = display_controls(shown[: width * 2 + 100]).split("\n")
        text = " · ".join(" ".join(line.split()) for line in lines if line.strip())
        if text:
            preview = highlight("  " + text, self.match, self.get_component_rich_style("block-card--match"))
            preview.stylize_before(self.get_component_rich_style("block-card--preview"))
            out.append_text(preview)
        else:
            out.append("  (empty)", self.get_component_rich_style("block-card--empty"))
        out.truncate(max(width, 1), overflow="ellipsis")
        return out

    def on_click(self, event: object) -> None:
        chain = getattr(event, "chain", 1)
        self.post_message(self.Selected(self, open_editor=chain >= 2))
