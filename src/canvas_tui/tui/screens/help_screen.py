"""Help: every key, grouped by screen, read from the bindings themselves so it cannot drift."""

from __future__ import annotations

from typing import ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.editor_screen import EditorScreen
from canvas_tui.tui.screens.info_screen import InfoScreen

_KEY_NAMES = {
    "question_mark": "?",
    "slash": "/",
    "space": "space",
    "escape": "esc",
}


def key_label(keys: str) -> str:
    """`up,k` -> `↑ / k`; Textual's key names made readable."""
    shown = []
    for key in keys.split(","):
        key = _KEY_NAMES.get(key, key)
        key = key.replace("up", "↑").replace("down", "↓").replace("left", "←").replace("right", "→")
        key = key.replace("page↑", "pageup").replace("page↓", "pagedown")
        shown.append(key)
    return " / ".join(shown)


def _bindings(source: type) -> list[Binding]:
    return [b for b in getattr(source, "BINDINGS", []) if isinstance(b, Binding)]


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close", id="help.close", tooltip="Close help"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: 84; max-width: 100%; height: 1fr; max-height: 100%;
        border: thick $canvas-border; background: $surface; padding: 0 1;
        scrollbar-gutter: stable;
        border-title-align: center;
    }
    """

    def compose(self) -> ComposeResult:
        from canvas_tui.tui.app import CanvasApp

        # Keys of Textual's TextArea, which the block editor is.
        editing = [
            Binding("ctrl+z", "", "Undo"),
            Binding("ctrl+y", "", "Redo"),
            Binding("ctrl+x / ctrl+c / ctrl+v", "", "Cut / copy / paste"),
            Binding("f6 / f7", "", "Select line / select all"),
        ]
        groups = [
            ("Canvas", _bindings(CanvasScreen)),
            ("Block editor", _bindings(EditorScreen)),
            ("Typing in the editor", editing),
            ("Canvas info", _bindings(InfoScreen)),
            (
                "Anywhere",
                [
                    *_bindings(CanvasApp),
                    Binding(
                        "ctrl+p",
                        "",
                        "Command palette: go to a block, set status, save, theme, about",
                    ),
                ],
            ),
        ]
        parts: list[Text | Table] = []
        for title, bindings in groups:
            parts.append(Text(title, style="bold underline"))
            table = Table.grid(padding=(0, 2))
            table.add_column(justify="right", style="bold")
            table.add_column()
            parts.append(table)
            # Bindings split per key (see bindings.in_typed_order) share an id: one row each.
            rows: dict[str, tuple[list[str], str]] = {}
            for binding in bindings:
                if binding.action in ("undo", "redo"):
                    continue
                keys, _ = rows.setdefault(
                    binding.id or binding.key, ([], binding.tooltip or binding.description)
                )
                keys.append(binding.key)
            for keys, description in rows.values():
                table.add_row(key_label(",".join(keys)), description)
            parts.append(Text(""))
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys · escape closes"
            yield Static(Group(*parts))
