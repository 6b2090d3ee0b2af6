"""Help: every key, grouped by screen, read from the bindings themselves so it cannot drift."""

from __future__ import annotations

from typing import Any, ClassVar

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from canvas_tui.tui.keymap import binding_ids as binding_ids  # the ids help's keys answer to
from canvas_tui.tui.keymap import declared_bindings
from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.closing import ClosesOnce
from canvas_tui.tui.screens.editor_screen import EditorScreen
from canvas_tui.tui.screens.info_screen import InfoScreen
from canvas_tui.tui.widgets.guidance_panel import QuestionList
from canvas_tui.tui.widgets.search_bar import SearchBar

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


class HelpScreen(ModalScreen[None], ClosesOnce[None]):
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
        parts: list[Text | Table] = []
        for title, rows in help_sections(self.app):
            parts.append(Text(title, style="bold underline"))
            table = Table.grid(padding=(0, 2))
            table.add_column(justify="right", style="bold")
            table.add_column()
            for keys, description in rows:
                table.add_row(keys, description)
            parts.append(table)
            parts.append(Text(""))
        with VerticalScroll() as scroll:
            scroll.border_title = "Keys · escape closes"
            yield Static(Group(*parts))


Rows = list[tuple[str, str]]

# Keys of Textual's TextArea, which the block editor is.
TYPING_KEYS: Rows = [
    ("ctrl+z", "Undo"),
    ("ctrl+y", "Redo"),
    ("ctrl+x / ctrl+c / ctrl+v", "Cut / copy / paste"),
    ("f6 / f7", "Select line / select all"),
]


def binding_rows(
    bindings: list[Binding], *, skip: tuple[str, ...] = (), keymap: dict[str, str] | None = None
) -> Rows:
    """One row per binding id (bindings split per key share one), keys joined; the user's keymap
    replaces a binding's keys, as it does in the app."""
    rows: dict[str, tuple[list[str], str]] = {}
    for binding in bindings:
        if binding.action in skip:
            continue
        keys, _ = rows.setdefault(binding.id or binding.key, ([], binding.tooltip or binding.description))
        remapped = (keymap or {}).get(binding.id or "")
        if remapped is not None:
            keys[:] = [remapped]
        else:
            keys.append(binding.key)
    return [(key_label(",".join(keys)), description) for keys, description in rows.values()]


def search_rows(keymap: dict[str, str]) -> Rows:
    """The canvas key that opens the search, then the search field's own keys."""
    opening = [b for b in declared_bindings(CanvasScreen) if b.action == "search"]
    rows = [
        (keys, f"{description} (on the canvas)") for keys, description in binding_rows(opening, keymap=keymap)
    ]
    return rows + binding_rows(declared_bindings(SearchBar), keymap=keymap)


def palette_rows(app: App[Any]) -> Rows:
    """Every command of the palette (ctrl+p), from the palette's own sources so it cannot drift."""
    from canvas_tui.tui.commands import command_summary

    rows = command_summary(app)
    for command in app.get_system_commands(app.screen):
        if command.title not in {title for title, _ in rows}:
            rows.append((command.title, command.help))
    return rows


def help_sections(app: App[Any]) -> list[tuple[str, Rows]]:
    keymap: dict[str, str] = getattr(app, "keymap", {})
    return [
        ("Canvas", binding_rows(declared_bindings(CanvasScreen), keymap=keymap)),
        ("Search", search_rows(keymap)),
        ("Block editor", binding_rows(declared_bindings(EditorScreen), skip=("undo", "redo"), keymap=keymap)),
        (
            "Guiding questions (f5 in the editor)",
            binding_rows(declared_bindings(QuestionList), keymap=keymap),
        ),
        ("Typing in the editor", TYPING_KEYS),
        ("Canvas info", binding_rows(declared_bindings(InfoScreen), keymap=keymap)),
        (
            "Anywhere",
            [
                *binding_rows(declared_bindings(type(app)), keymap=keymap),
                ("ctrl+p", "Command palette (below)"),
            ],
        ),
        ("Command palette (ctrl+p)", palette_rows(app)),
    ]
