"""The canvas header: title, the four header fields, overall progress and the unsaved mark."""

from __future__ import annotations

from rich.console import RenderableType
from rich.text import Text
from textual.widget import Widget

from canvas_tui.model import Canvas
from canvas_tui.model.status import STATUS_ORDER
from canvas_tui.model.text import display_controls, for_terminal


def progress_bar(fraction: float, width: int) -> str:
    filled = round(fraction * width)
    return "█" * filled + "░" * (width - filled)


def unsaved_mark(file_mark: str) -> str:
    """What the headers say of work not on disk. A read-only canvas takes no edits, but work
    restored from a crash can still be there: it can only go to a copy, so the mark says how."""
    return "not saved: ctrl+s saves a copy" if file_mark == "read-only" else "unsaved"


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
        return Text("\n").join([self._top(width), self._bottom(width)])

    def _top(self, width: int) -> Text:
        """The template's labels with the values; narrower, the values only, the product first,
        dropping whole parts (the template's title first: it is in About), never half a word."""
        canvas = self.canvas
        template = canvas.template
        values = {
            spec.id: display_controls(str(canvas.fields.get(spec.id, ""))).replace("\n", " ")
            for spec in template.fields
        }
        labelled = Text(no_wrap=True)
        labelled.append(template.title, "bold")
        for spec in template.fields:
            labelled.append(f"  {spec.label}: ", "dim")
            labelled.append(values[spec.id] or "-")
        product = (values.get("product") or "Untitled canvas", "bold")
        designer = (f"by {values['designed_by']}" if values.get("designed_by") else "", "")
        date = (values.get("date", ""), "")
        iteration = (f"iteration {values['iteration']}" if values.get("iteration") else "", "")

        def joined(*parts: tuple[str, str]) -> Text:
            shown = [Text(value, style) for value, style in parts if value]
            return Text(" · ", "dim", no_wrap=True).join(shown)

        everything = joined(product, designer, date, iteration)
        candidates = [
            labelled,
            everything + Text(f"   {template.title}", "dim"),
            everything,
            joined(product, date, iteration),
            joined(product, iteration),
            joined(product),
        ]
        return first_that_fits(candidates, width)

    def _bottom(self, width: int) -> Text:
        """Progress always, and the marks that say something is wrong; then the file's name and
        the count per status, shorter (`● 8 ◐ 6`) or left out when there is no room."""
        progress = self.canvas.progress()
        start = Text(no_wrap=True)
        start.append(progress_bar(progress.fraction, 15 if width >= 110 else 10) + " ", "bold")
        start.append(progress.summary, "bold")
        marks = Text(no_wrap=True)
        if self.file_mark:
            marks.append(f"  [{self.file_mark}]", "bold red")
        if self.unsaved:
            marks.append(f"  ● {unsaved_mark(self.file_mark)}", "bold yellow")
        if self.also_open:
            # Names from presence files beside the canvas, which anyone could have planted.
            names = ", ".join(for_terminal(name) for name in dict.fromkeys(self.also_open))
            marks.append(f"  also open: {names}", "bold")
        name = Text(f"  {display_controls(self.file_name)}", "italic") if self.file_name else Text()
        counts = [(status, progress.counts[status]) for status in STATUS_ORDER]
        breakdowns = [
            "  ".join(f"{status.glyph} {n} {status.value}" for status, n in counts),
            "  ".join(f"{status.glyph} {n} {status.value}" for status, n in counts if n),
            " ".join(f"{status.glyph} {n}" for status, n in counts if n),
            "",
        ]
        candidates = [
            Text.assemble(start, shown_name, marks, f"   {breakdown}" if breakdown else "")
            for shown_name in (name, Text())
            for breakdown in breakdowns
        ]
        return first_that_fits(candidates, width)


def first_that_fits(candidates: list[Text], width: int) -> Text:
    """The first of `candidates` that fits `width` cells whole; else the last, cut."""
    for candidate in candidates:
        if candidate.cell_len <= width:
            return candidate
    last = candidates[-1].copy()
    last.truncate(width, overflow="ellipsis")
    return last
