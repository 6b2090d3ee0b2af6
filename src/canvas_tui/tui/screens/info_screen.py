"""Canvas info: the header fields (Product name, Designed by, Date, Iteration) and "new iteration"."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Label

from canvas_tui.model import Canvas, FieldValue
from canvas_tui.tui.screens.form import FormButton, FormInput, FormScreen

if TYPE_CHECKING:
    from canvas_tui.tui.host import CanvasHost


class InfoScreen(FormScreen[bool]):
    """Dismisses with True when the fields were applied."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="info.cancel", tooltip="Close without changes"),
        Binding(
            "ctrl+s",
            "apply",
            "Apply",
            id="info.apply",
            priority=True,
            tooltip="Apply the fields (enter in a field does the same)",
        ),
        Binding(
            "f5",
            "new_iteration",
            "New iteration",
            id="info.new_iteration",
            tooltip="Iteration + 1 and Date = today",
        ),
    ]

    DEFAULT_CSS = """
    InfoScreen { align: center middle; }
    /* Scrolls when the terminal is too low for it (50x15): the focused control scrolls into view. */
    InfoScreen > VerticalScroll {
        width: 64; max-width: 100%; height: auto; max-height: 100%;
        border: thick $canvas-border; background: $surface; padding: 0 1;
        border-title-align: center;
    }
    InfoScreen Label { margin-top: 1; color: $text-muted; }
    InfoScreen Input { background: $boost; }
    InfoScreen Horizontal { height: auto; margin-top: 1; }
    /* As wide as their labels, so the three fit side by side in 50 columns. */
    InfoScreen Button { margin-right: 1; width: auto; min-width: 10; }
    """

    def __init__(self, canvas: Canvas) -> None:
        super().__init__()
        self.canvas = canvas

    def compose(self) -> ComposeResult:
        with VerticalScroll(can_focus=False) as form:  # tab goes field to field
            form.border_title = "Canvas info"
            for spec in self.canvas.template.fields:
                value = self.canvas.fields.get(spec.id, "")
                yield Label(spec.label)
                yield FormInput(
                    str(value),
                    id=f"field-{spec.id}",
                    type="integer" if spec.kind == "integer" else "text",
                    placeholder="YYYY-MM-DD" if spec.kind == "date" else "",
                    compact=True,
                    # Selecting on focus races with keys typed right after tab: keep the text.
                    select_on_focus=False,
                )
            with Horizontal():
                yield FormButton("Apply", id="apply", variant="primary")
                yield FormButton("New iteration (f5)", id="new-iteration")
                yield FormButton("Cancel", id="cancel")

    def _values(self) -> dict[str, FieldValue] | None:
        values: dict[str, FieldValue] = {}
        for spec in self.canvas.template.fields:
            try:
                values[spec.id] = spec.parse(self.query_one(f"#field-{spec.id}", FormInput).value)
            except ValueError as error:
                self.notify(str(error), severity="error", markup=False)
                return None
        return values

    @on(FormInput.Submitted)
    @on(FormButton.Pressed, "#apply")
    def action_apply(self) -> None:
        values = self._values()
        if values is None:
            return
        cast("CanvasHost", self.app).session.set_fields(values)
        self.dismiss(True)

    @on(FormButton.Pressed, "#new-iteration")
    def action_new_iteration(self) -> None:
        # The model's rule, on a copy of the canvas's fields (not the form's): pressing it twice
        # still means one new iteration, and nothing changes until the form is applied.
        preview = Canvas(self.canvas.template, dict(self.canvas.fields))
        preview.new_iteration(dt.date.today())
        for spec in self.canvas.template.fields:
            if spec.kind != "text":  # the date and the iteration; names stay as typed
                self.query_one(f"#field-{spec.id}", FormInput).value = str(preview.fields[spec.id])
        self.notify("Iteration and date updated; apply to keep them.", timeout=3)

    @on(FormButton.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
