"""Asked on quit when unsaved work would be lost: Save, Discard or Cancel."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from canvas_tui.tui.screens.form import FormButton, FormScreen


class QuitScreen(FormScreen[str]):
    """Dismisses with "save", "discard" or "cancel"."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "choose('cancel')", "Cancel", id="quit.cancel", tooltip="Keep editing"),
        Binding("s", "choose('save')", "Save", id="quit.save", tooltip="Save, then quit"),
        Binding("d", "choose('discard')", "Discard", id="quit.discard", tooltip="Quit without saving"),
    ]

    DEFAULT_CSS = """
    QuitScreen { align: center middle; }
    QuitScreen Label { width: 1fr; }
    QuitScreen > Vertical {
        width: 60; max-width: 100%; height: auto; border: thick $warning; background: $surface;
        padding: 1 2;
    }
    QuitScreen Horizontal { height: auto; margin-top: 1; }
    QuitScreen Button { margin-right: 1; }
    """

    def __init__(self, file_name: str) -> None:
        super().__init__()
        self.file_name = file_name

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(f"{self.file_name} has unsaved changes. Save before quitting?", markup=False)
            with Horizontal():
                yield FormButton("Save (s)", id="save", variant="primary")
                yield FormButton("Discard (d)", id="discard", variant="error")
                yield FormButton("Cancel (esc)", id="cancel")

    @on(FormButton.Pressed)
    def _pressed(self, event: FormButton.Pressed) -> None:
        self.dismiss(event.button.id or "cancel")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
