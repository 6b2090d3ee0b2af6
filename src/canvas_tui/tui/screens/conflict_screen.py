"""A block changed both here and on disk: keep mine, take theirs, or keep both texts."""

from __future__ import annotations

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


def _preview(value: object, limit: int = 400) -> str:
    if isinstance(value, BlockValue):
        text = value.text if len(value.text) <= limit else value.text[:limit] + "…"
        return f"[{value.status.value}] {text}"
    return str(value)


class ConflictScreen(ModalScreen[dict[str, Choice]]):
    """Asks about each conflict in turn; dismisses with a choice per conflicting key."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("m", "choose('mine')", "Keep mine", id="conflict.mine", tooltip="Keep my version"),
        Binding(
            "t", "choose('theirs')", "Take theirs", id="conflict.theirs", tooltip="Take the version on disk"
        ),
        Binding(
            "b", "choose('both')", "Keep both", id="conflict.both", tooltip="Keep both texts, mine first"
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
            yield Label(id="conflict-title")
            with VerticalScroll():
                yield Static(id="conflict-body")
            with Horizontal():
                yield Button("Keep mine (m)", id="mine", variant="primary")
                yield Button("Take theirs (t)", id="theirs")
                yield Button("Keep both (b)", id="both")

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
        body.append("Mine (in canvas-tui)\n", "bold")
        body.append(_preview(conflict.mine) + "\n\n")
        body.append("Theirs (on disk)\n", "bold")
        body.append(_preview(conflict.theirs))
        self.query_one("#conflict-body", Static).update(body)
        self.query_one("#both", Button).display = conflict.is_block

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.action_choose(event.button.id or "mine")

    def action_choose(self, choice: str) -> None:
        conflict = self.conflicts[self.index]
        if choice == "both" and not conflict.is_block:
            return
        self.choices[conflict.key] = choice  # type: ignore[assignment]
        self.index += 1
        if self.index >= len(self.conflicts):
            self.dismiss(self.choices)
        else:
            self._show()
