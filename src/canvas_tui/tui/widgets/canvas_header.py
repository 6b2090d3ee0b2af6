"""The canvas header: title, the four header fields, overall progress and the unsaved mark."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from canvas_tui.model import Canvas
from canvas_tui.model.text import display_controls, for_terminal


def progress_bar(fraction: float, width: int) -> str:
    filled = round(fraction * width)
    return "█" * filled + "░" * (width - filled)


class CanvasHeader(Widget):
    """Two lines; narrower terminals get the same facts with fewer words."""

    DEFAULT_CSS = """
    CanvasHeader {
        height: 2;
        padding: 0 1;
        background: $panel;
    }
    """

    def __init__(self, canvas: Canvas) -> None:
        super().__init__(id="canvas-header")
        self.canvas = canvas
        self.unsaved = False
        self.file_mark = ""
        self.file_name = ""
        self.also_open: tuple[str, ...] = ()
        self._shown: tuple[object, ...] | None = None

    def show(
        self, *, unsaved: bool, file_mark: str = "", file_name: str = "", also_open: tuple[str, ...] = ()
    ) -> None:
        """Repaint only when something visible changed (this runs on every keystroke).

        `file_mark` names a problem with the file itself, e.g. "read-only"; `file_name` is the file
        being edited (it changes with Save as); `also_open` names the others who have it open.
        """
        self.unsaved = unsaved
        self.file_mark = file_mark
        self.file_name = file_name
        self.also_open = also_open
        progress = self.canvas.progress()
        key = (
            tuple(self.canvas.fields.items()),
            tuple(progress.counts.items()),
            unsaved,
            file_mark,
            file_name,
            also_open,
        )
        if key != self._shown:
            self._shown = key
            self.refresh()

    def render(self) -> RenderableType:
        width = self.content_size.width
        canvas = self.canvas
        template = canvas.template
        progress = canvas.progress()
        wide = width >= 110  # room for a longer progress bar
        values = {
            spec.id: display_controls(str(canvas.fields.get(spec.id, ""))).replace("\n", " ")
            for spec in template.fields
        }
        top = Text(no_wrap=True, overflow="ellipsis")
        top.append(template.title, "bold")
        for spec in template.fields:
            top.append(f"  {spec.label}: ", "dim")
            top.append(values[spec.id] or "-")
        if top.cell_len > width:
            # Too narrow for labels: the values only, the product first; the title is in About.
            parts = [
                (values.get("product") or "Untitled canvas", "bold"),
                (f"by {values['designed_by']}" if values.get("designed_by") else "", ""),
                (values.get("date", ""), ""),
                (f"iteration {values['iteration']}" if values.get("iteration") else "", ""),
            ]
            top = Text(" · ", "dim", no_wrap=True, overflow="ellipsis").join(
                Text(v, style) for v, style in parts if v
            )
            top.append(f"   {template.title}", "dim")
        bottom = Text(no_wrap=True, overflow="ellipsis")
        bottom.append(progress_bar(progress.fraction, 15 if wide else 10) + " ", "bold")
        bottom.append(progress.summary, "bold")
        if self.file_name:
            bottom.append(f"  {display_controls(self.file_name)}", "italic")
        if self.file_mark:
            bottom.append(f"  [{self.file_mark}]", "bold red")
        if self.unsaved:
            bottom.append("  ● unsaved", "bold yellow")
        if self.also_open:
            # Names from presence files beside the canvas, which anyone could have planted.
            names = ", ".join(for_terminal(name) for name in dict.fromkeys(self.also_open))
            bottom.append(f"  also open: {names}", "bold")
        bottom.append("   " + progress.breakdown())
        top.truncate(width, overflow="ellipsis")
        bottom.truncate(width, overflow="ellipsis")
        return Text("\n").join([top, bottom])
