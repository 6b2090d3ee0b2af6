"""A block changed both here and on disk: keep mine, take theirs, or keep both texts."""

from __future__ import annotations

import difflib
import re
from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from canvas_tui.model import BlockValue, Template
from canvas_tui.model.merge import Choice, Conflict, Merge
from canvas_tui.model.text import for_terminal
from canvas_tui.tui.screens.closing import ClosesOnce, on_top

CONTEXT_WORDS = 12
"""Words shown before the first difference; what comes before is cut to an ellipsis."""
SHOWN_WORDS = 160
"""Words shown per side from there: enough to see the differences, not a whole long block."""


def side_by_side(mine: str, theirs: str) -> tuple[Text, Text]:
    """Both texts from a little before their first difference, the differing words marked.

    A conflict is about where the texts differ; long blocks that differ near the end would
    otherwise show only their common start. Control characters are shown, not sent (for_terminal).
    """
    mine, theirs = for_terminal(mine, multiline=True), for_terminal(theirs, multiline=True)
    a, b = re.split(r"(\s+)", mine), re.split(r"(\s+)", theirs)
    opcodes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    first = next((i1 for tag, i1, _i2, _j1, _j2 in opcodes if tag != "equal"), len(a))
    start = max(first - 2 * CONTEXT_WORDS, 0)  # tokens alternate word, space
    shown_a, shown_b = Text("…" if start else ""), Text("…" if start else "")
    start_b = next(
        (j1 + (start - i1) for tag, i1, i2, j1, _ in opcodes if i1 <= start < i2 or start == i1), 0
    )
    for tag, i1, i2, j1, j2 in opcodes:
        for tokens, lo, hi, out, style in (
            (a, max(i1, start), i2, shown_a, "bold reverse"),
            (b, max(j1, start_b), j2, shown_b, "bold reverse"),
        ):
            piece = "".join(tokens[lo:hi])
            if piece:
                out.append(piece, style if tag != "equal" else "")
    for shown in (shown_a, shown_b):
        words = shown.plain.split()
        if len(words) > SHOWN_WORDS:
            cut = len(" ".join(words[:SHOWN_WORDS]))
            shown.truncate(cut + shown.plain[:cut].count("\n"))
            shown.append("…")
    return shown_a, shown_b


def _status(value: BlockValue) -> str:
    return f"[{value.status.value}] "


class ConflictScreen(ModalScreen[dict[str, Choice]], ClosesOnce[dict[str, Choice]]):
    """Asks about each conflict in turn; dismisses with a choice per conflicting key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "m",
            "choose('mine')",
            "Keep mine",
            id="conflict.mine",
            tooltip="My version of the lines we both changed; their other lines are kept",
        ),
        Binding(
            "t",
            "choose('theirs')",
            "Take theirs",
            id="conflict.theirs",
            tooltip="Their version of the lines we both changed; my other lines are kept",
        ),
        Binding(
            "b",
            "choose('both')",
            "Keep both",
            id="conflict.both",
            tooltip="Both versions of the clashing lines between markers, to settle later with f9",
        ),
    ]

    DEFAULT_CSS = """
    ConflictScreen { align: center middle; }
    ConflictScreen > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    ConflictScreen VerticalScroll { height: auto; max-height: 20; }
    ConflictScreen .side { margin-top: 1; }
    ConflictScreen Horizontal { height: auto; margin-top: 1; }
    ConflictScreen Button { margin-right: 1; }
    """

    def __init__(self, merge: Merge, template: Template) -> None:
        super().__init__()
        self.conflicts: list[Conflict] = list(merge.conflicts)
        self.template = template
        self.choices: dict[str, Choice] = {}
        self.index = 0

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(id="conflict-title", markup=False)
            with VerticalScroll():
                yield Static(id="conflict-body")
            with Horizontal():
                for binding in self.BINDINGS:
                    assert isinstance(binding, Binding)
                    choice = binding.action.removeprefix("choose('").removesuffix("')")
                    yield Button(
                        f"{binding.description} ({binding.key})",
                        id=choice,
                        variant="primary" if choice == "mine" else "default",
                        tooltip=binding.tooltip,
                    )

    def on_mount(self) -> None:
        self._show()

    def _label_of(self, conflict: Conflict) -> str:
        if conflict.is_block:
            return self.template.block(conflict.key).title
        return next(f.label for f in self.template.fields if f.id == conflict.key)

    def _show(self) -> None:
        conflict = self.conflicts[self.index]
        self.query_one("#conflict-title", Label).update(
            f"Changed here and on disk ({self.index + 1}/{len(self.conflicts)}): {self._label_of(conflict)}"
        )
        body = Text()
        mine, theirs = conflict.mine, conflict.theirs
        if isinstance(mine, BlockValue) and isinstance(theirs, BlockValue):
            mine_text, theirs_text = side_by_side(mine.text, theirs.text)
            mine_text = Text(_status(mine)) + mine_text
            theirs_text = Text(_status(theirs)) + theirs_text
        else:
            mine_text, theirs_text = Text(for_terminal(str(mine))), Text(for_terminal(str(theirs)))
        body.append("Mine (in canvas-tui)", "bold")
        body.append("  · differences marked\n" if conflict.is_block else "\n", "dim")
        if conflict.is_block:
            body.append("Lines only one side changed are kept whatever you choose.\n", "dim")
        body.append_text(mine_text)
        body.append("\n\nTheirs (on disk)\n", "bold")
        body.append_text(theirs_text)
        self.query_one("#conflict-body", Static).update(body)
        self.query_one("#both", Button).display = conflict.is_block

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "mine")

    def action_choose(self, choice: str) -> None:
        if not on_top(self):  # a second key after the last answer: the dialog is gone
            return
        conflict = self.conflicts[self.index]
        if choice == "both" and not conflict.is_block:
            return
        self.choices[conflict.key] = choice  # type: ignore[assignment]
        self.index += 1
        if self.index >= len(self.conflicts):
            self.dismiss(self.choices)
        else:
            self._show()
