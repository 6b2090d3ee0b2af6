"""After a crash: restore the unsaved edits from the recovery file, or discard them."""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Label

from canvas_tui.model.text import for_terminal
from canvas_tui.tui.screens.form import FormButton, FormScreen


def local_time(iso: str) -> str:
    """`2026-12-01T23:25:25+00:00` as the user's local `2026-12-01 23:25` (as written if unreadable)."""
    try:
        return dt.datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


class RecoveryScreen(FormScreen[bool]):
    """Dismisses with True to restore, False to discard."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose(True)", "Restore", id="recovery.restore", tooltip="Restore the edits"),
        Binding("d", "choose(False)", "Discard", id="recovery.discard", tooltip="Throw them away"),
    ]

    DEFAULT_CSS = """
    RecoveryScreen { align: center middle; }
    RecoveryScreen > Vertical {
        width: 70; max-width: 100%; height: auto; max-height: 100%;
        border: thick $warning; background: $surface; padding: 1 2;
    }
    RecoveryScreen Label { width: 1fr; }
    RecoveryScreen Horizontal { height: auto; margin-top: 1; }
    RecoveryScreen Button { margin-right: 1; }
    """

    def __init__(self, differing: list[str], written_at: str) -> None:
        super().__init__()
        self.differing = differing
        self.written_at = written_at

    def compose(self) -> ComposeResult:
        when = f" (edits kept at {local_time(self.written_at)})" if self.written_at else ""
        with Vertical():
            # The time is the recovery file's own words when it does not read as one: shown as written.
            yield Label(for_terminal(f"canvas-tui did not exit cleanly last time{when}."), markup=False)
            yield Label(
                for_terminal("Unsaved edits were kept for: " + ", ".join(self.differing)), markup=False
            )
            with Horizontal():
                yield FormButton("Restore (r)", id="restore", variant="primary")
                yield FormButton("Discard (d)", id="discard", variant="error")

    @on(FormButton.Pressed)
    def _pressed(self, event: FormButton.Pressed) -> None:
        self.dismiss(event.button.id == "restore")

    def action_choose(self, restore: bool) -> None:
        self.dismiss(restore)
