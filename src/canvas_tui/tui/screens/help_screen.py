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

from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.editor_screen import EditorScreen
from canvas_tui.tui.screens.info_screen import InfoScreen
from canvas_tui.tui.widgets.guidance_panel import QuestionList

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

SEARCH_KEYS: Rows = [
    ("/", "Search the text of every block (on the canvas)"),
    ("↓ / tab", "Next block that matches"),
    ("↑ / shift+tab", "Previous block that matches"),
    ("enter", "Open the editor with the match selected"),
    ("ctrl+t", "Match block titles too"),
    ("esc", "Close the search"),
]

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


def binding_classes() -> list[type]:
    """Every class whose BINDINGS a user's [keymap] may change."""
    from canvas_tui.tui.app import CanvasApp
    from canvas_tui.tui.screens.conflict_screen import ConflictScreen
    from canvas_tui.tui.screens.lock_screen import LockScreen
    from canvas_tui.tui.screens.quit_screen import QuitScreen
    from canvas_tui.tui.screens.recovery_screen import RecoveryScreen
    from canvas_tui.tui.screens.resolve_screen import ResolveScreen
    from canvas_tui.tui.screens.save_as_screen import SaveAsScreen

    return [
        CanvasApp,
        CanvasScreen,
        EditorScreen,
        InfoScreen,
        HelpScreen,
        QuitScreen,
        LockScreen,
        RecoveryScreen,
        ConflictScreen,
        SaveAsScreen,
        ResolveScreen,
        QuestionList,
    ]


def keymap_clashes(keymap: dict[str, str]) -> list[str]:
    """Keys that `keymap` gives to a binding while another binding of the same screen keeps them,
    e.g. `e: canvas.edit, canvas.info`. (Textual's own check misses a clash with a binding the
    keymap leaves alone.)"""
    clashes = []
    for source in binding_classes():
        owners: dict[str, set[str]] = {}
        for binding in _bindings(source):
            if not binding.id:
                continue
            keys = keymap.get(binding.id, binding.key)
            for key in keys.split(","):
                owners.setdefault(key.strip(), set()).add(binding.id)
        clashes += [f"{key}: {', '.join(sorted(ids))}" for key, ids in owners.items() if len(ids) > 1]
    return clashes


def binding_ids() -> set[str]:
    return {binding.id for source in binding_classes() for binding in _bindings(source) if binding.id}


def palette_rows(app: App[Any]) -> Rows:
    """Every command of the palette (ctrl+p), from the palette's own sources so it cannot drift."""
    from canvas_tui.tui.commands import command_summary

    rows = command_summary(app)
    for command in app.get_system_commands(app.screen):
        if command.title not in {title for title, _ in rows}:
            rows.append((command.title, command.help))
    return rows


def help_sections(app: App[Any]) -> list[tuple[str, Rows]]:
    from canvas_tui.tui.app import CanvasApp

    keymap: dict[str, str] = getattr(app, "keymap", {})
    return [
        ("Canvas", binding_rows(_bindings(CanvasScreen), keymap=keymap)),
        ("Search", SEARCH_KEYS),
        ("Block editor", binding_rows(_bindings(EditorScreen), skip=("undo", "redo"), keymap=keymap)),
        ("Guiding questions (f5 in the editor)", binding_rows(_bindings(QuestionList), keymap=keymap)),
        ("Typing in the editor", TYPING_KEYS),
        ("Canvas info", binding_rows(_bindings(InfoScreen), keymap=keymap)),
        (
            "Anywhere",
            [*binding_rows(_bindings(CanvasApp), keymap=keymap), ("ctrl+p", "Command palette (below)")],
        ),
        ("Command palette (ctrl+p)", palette_rows(app)),
    ]
