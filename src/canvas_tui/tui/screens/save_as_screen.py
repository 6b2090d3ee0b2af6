"""Save as: when the canvas's own file cannot be written (read-only, permission denied)."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Label

from canvas_tui.tui.screens.form import FormInput, FormScreen


class SaveAsScreen(FormScreen[Path | None]):
    """Dismisses with the new path, or None when cancelled."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="save_as.cancel", tooltip="Do not save"),
    ]

    DEFAULT_CSS = """
    SaveAsScreen { align: center middle; }
    SaveAsScreen Label { width: 1fr; }
    SaveAsScreen > Vertical {
        width: 76; max-width: 100%; height: auto; border: thick $warning;
        background: $surface; padding: 1 2;
    }
    """

    def __init__(self, reason: str, suggestion: Path) -> None:
        super().__init__()
        self.reason = reason
        self.suggestion = suggestion

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Label(self.reason, markup=False)  # may quote a lock's host or a file's error
            yield Label("Save a copy as (enter to save, escape to cancel):")
            yield FormInput(str(self.suggestion), id="save-as-path")

    @on(FormInput.Submitted)
    def _submitted(self, event: FormInput.Submitted) -> None:
        value = event.value.strip()
        if not value:
            return
        path = Path(value).expanduser()
        if path.exists():
            self.notify(f"{path} already exists; choose another name.", severity="error", markup=False)
            return
        self.dismiss(path)

    def action_cancel(self) -> None:
        self.dismiss(None)
