"""A block that came out of a git merge with both texts in it: keep ours, keep theirs, or both."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from canvas_tui.model.text import for_terminal
from canvas_tui.tui.screens.closing import ClosesOnce
from canvas_tui.tui.screens.conflict_screen import side_by_side


class ResolveScreen(ModalScreen[str], ClosesOnce[str]):
    """Dismisses with "ours", "theirs", "both", or "" (cancel)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "choose('ours')", "Keep ours", id="resolve.ours", tooltip="Keep our side of the merge"),
        Binding(
            "t",
            "choose('theirs')",
            "Keep theirs",
            id="resolve.theirs",
            tooltip="Keep their side of the merge",
        ),
        Binding("b", "choose('both')", "Keep both", id="resolve.both", tooltip="Keep both texts, ours first"),
        Binding("escape", "choose('')", "Cancel", id="resolve.cancel", tooltip="Leave the conflict as it is"),
    ]

    DEFAULT_CSS = """
    ResolveScreen { align: center middle; }
    ResolveScreen Label { width: 1fr; }
    ResolveScreen > Vertical {
        width: 90; max-width: 100%; height: auto; max-height: 100%;
        border: thick $error; background: $surface; padding: 0 1;
    }
    ResolveScreen VerticalScroll { height: auto; max-height: 20; }
    ResolveScreen Horizontal { height: auto; margin-top: 1; }
    ResolveScreen Button { margin-right: 1; }
    """

    def __init__(self, title: str, ours: str, theirs: str, labels: tuple[str, str] = ("", "")) -> None:
        super().__init__()
        self.block_title = title
        self.ours = ours
        self.theirs = theirs
        self.labels = labels
        """What the markers call each side: a branch ("ours (main)") or who wrote it ("carol")."""

    def compose(self) -> ComposeResult:
        ours, theirs = side_by_side(self.ours, self.theirs)
        body = Text()
        ours_label, theirs_label = (for_terminal(label) for label in self.labels)
        body.append("Ours", "bold")
        body.append(f" · {ours_label}\n" if ours_label else "\n", "dim")
        body.append_text(ours)
        body.append("\n\nTheirs", "bold")
        body.append(f" · {theirs_label}\n" if theirs_label else "\n", "dim")
        body.append_text(theirs)
        with Vertical():
            yield Label(
                f"{self.block_title}: a merge conflict (both sides changed these lines)", markup=False
            )
            with VerticalScroll():
                yield Static(body, id="resolve-body")
            with Horizontal():
                yield Button("Keep ours (o)", id="ours", variant="primary")
                yield Button("Keep theirs (t)", id="theirs")
                yield Button("Keep both (b)", id="both")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id or "")

    def action_choose(self, choice: str) -> None:
        self.dismiss(choice)
