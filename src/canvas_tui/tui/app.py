"""The application: wiring and app-wide state (the open canvas file, saving, quitting).

Behaviour lives in the screens. Screens change the model and then call `changed()`; the app bumps
`revision`, which the screens watch to repaint what changed, and schedules the autosave.
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.reactive import reactive
from textual.timer import Timer

from canvas_tui.model import Canvas
from canvas_tui.model.canvas import CanvasState
from canvas_tui.storage import CanvasFile, CanvasFileError
from canvas_tui.tui.commands import CanvasCommands
from canvas_tui.tui.screens.canvas_screen import CanvasScreen

AUTOSAVE_DELAY = 2.0
"""Seconds after the last change before an autosave."""


class CanvasApp(App[int]):
    """canvas-tui: edit one canvas file."""

    TITLE = "canvas-tui"
    CSS_PATH = "canvas.tcss"
    COMMANDS = App.COMMANDS | {CanvasCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="app.save", tooltip="Save the canvas now"),
        Binding(
            "ctrl+q",
            "request_quit",
            "Quit",
            id="app.quit",
            priority=True,
            tooltip="Quit; asks first when unsaved work would be lost",
        ),
        Binding("f1", "help", "Help", id="app.help", tooltip="Every key, grouped by screen"),
    ]

    revision: reactive[int] = reactive(0, init=False)
    """Bumped after every change to the canvas; screens watch it."""

    dirty: reactive[bool] = reactive(False, init=False)
    """True while the canvas differs from what is on disk."""

    def __init__(self, document: CanvasFile, *, autosave: bool = True) -> None:
        super().__init__()
        self.document = document
        self.autosave = autosave
        self.changed_block: str | None = None
        self._saved_state: CanvasState | None = document.canvas.state() if document.exists else None
        self._autosave_timer: Timer | None = None
        # Animations and blinking cost bytes on every frame, which an SSH link pays for.
        self.animation_level = "none"
        self.sub_title = str(document.path)

    @property
    def canvas(self) -> Canvas:
        return self.document.canvas

    def get_default_screen(self) -> CanvasScreen:
        return CanvasScreen()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return {"canvas-border": "#990000"}

    def on_mount(self) -> None:
        if not self.document.exists:
            self.notify(
                f"New canvas: {self.document.path} will be written on the first save.",
                title="New canvas",
            )
        for warning in self.document.warnings:
            self.notify(warning, severity="warning", timeout=10)

    # -- changes and saving ----------------------------------------------------------------

    def changed(self, block_id: str | None = None) -> None:
        """Screens call this after changing the model (block_id None: header or many blocks)."""
        self.changed_block = block_id
        self.dirty = self.canvas.state() != self._saved_state
        self.revision += 1
        if self.autosave and self.dirty:
            if self._autosave_timer is None:
                self._autosave_timer = self.set_timer(AUTOSAVE_DELAY, self._autosave)
            else:
                self._autosave_timer.reset()

    def _autosave(self) -> None:
        self._autosave_timer = None
        if self.dirty:
            self.save(quiet=True)

    def save_if_autosaving(self) -> None:
        """Called when leaving an editor: autosave does not wait for the timer then."""
        if self.autosave and self.dirty:
            self.save(quiet=True)

    def save(self, *, quiet: bool = False) -> bool:
        """Write the file; a failure is shown and the edits stay in memory."""
        try:
            self.document.save()
        except CanvasFileError as error:
            self.notify(str(error), title="Not saved", severity="error", timeout=10)
            return False
        self._saved_state = self.canvas.state()
        self.dirty = False
        self.revision += 1
        if not quiet:
            self.notify(f"Saved {self.document.path}", timeout=2)
        return True

    def action_save(self) -> None:
        self.save()

    # -- quitting ----------------------------------------------------------------------------

    def action_request_quit(self) -> None:
        """Quit, saving first when autosave is on; ask when work would otherwise be lost."""
        if not self.dirty or (self.autosave and self.save(quiet=True)):
            self.exit(0)
            return
        from canvas_tui.tui.screens.quit_screen import QuitScreen

        def decide(choice: str | None) -> None:
            if choice == "discard" or (choice == "save" and self.save()):
                self.exit(0)

        self.push_screen(QuitScreen(Path(self.document.path).name), decide)

    # -- other screens -----------------------------------------------------------------------

    def action_help(self) -> None:
        from canvas_tui.tui.screens.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_about(self) -> None:
        from canvas_tui.tui.screens.about_screen import AboutScreen

        self.push_screen(AboutScreen(self.canvas.template))

    def action_edit_info(self) -> None:
        from canvas_tui.tui.screens.info_screen import InfoScreen

        self.push_screen(InfoScreen(self.canvas))

    def open_editor(self, block_id: str) -> None:
        """Open the block editor; on the way back the canvas selects the block last edited."""
        from canvas_tui.tui.screens.editor_screen import EditorScreen

        canvas_screen = self.screen if isinstance(self.screen, CanvasScreen) else None

        def back(last_block: str | None) -> None:
            if canvas_screen is not None and last_block:
                canvas_screen.select(last_block)

        self.push_screen(EditorScreen(block_id), back)
