"""Asked at start when other running canvas-tui instances have the canvas open (each named, with
its user where known): read-only, open anyway, quit."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from canvas_tui.model.text import for_terminal
from canvas_tui.tui.screens.form import FormButton, FormScreen


class LockScreen(FormScreen[str]):
    """Dismisses with "read-only", "anyway" or "quit"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "r", "choose('read-only')", "Read-only", id="lock.read_only", tooltip="Look, save nothing here"
        ),
        Binding(
            "o", "choose('anyway')", "Open anyway", id="lock.anyway", tooltip="Edit too; changes are merged"
        ),
        Binding("q", "choose('quit')", "Quit", id="lock.quit", tooltip="Leave it to the other instance"),
        Binding("escape", "choose('read-only')", show=False, id="lock.escape"),
    ]

    DEFAULT_CSS = """
    LockScreen { align: center middle; }
    LockScreen > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    LockScreen Label { width: 1fr; }
    LockScreen Horizontal { height: auto; margin-top: 1; }
    LockScreen Button { margin-right: 1; }
    """

    def __init__(self, file_name: str, people: list[str]) -> None:
        super().__init__()
        self.file_name = file_name
        self.people = people
        """One line for each instance that has the canvas open (its user, where, since when)."""

    def compose(self) -> ComposeResult:
        with Vertical():
            # The lines come from the lock and presence files, which anyone could have planted
            # beside the canvas: shown as written, never as markup or raw control characters.
            yield Label(for_terminal(f"{self.file_name} is already open:"), markup=False)
            for line in self.people:
                yield Label(for_terminal(f"  • {line}"), markup=False, classes="person")
            yield Label(
                "Open it read-only, or open it anyway: saves then merge block by block with the "
                "others' saves, and a block changed in both is put to you."
            )
            with Horizontal():
                yield FormButton("Read-only (r)", id="read-only", variant="primary")
                yield FormButton("Open anyway (o)", id="anyway")
                yield FormButton("Quit (q)", id="quit")

    @on(FormButton.Pressed)
    def _pressed(self, event: FormButton.Pressed) -> None:
        self.dismiss(event.button.id or "read-only")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
