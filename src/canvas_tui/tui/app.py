"""The application: wiring and app-wide state (the open canvas file, saving, quitting).

Behaviour lives in the screens. Screens change the model and then call `changed()`; the app bumps
`revision`, which the screens watch to repaint what changed, and schedules the autosave.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import ClassVar

from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.events import DescendantFocus
from textual.reactive import var
from textual.timer import Timer

from canvas_tui.model import Canvas, Snapshot
from canvas_tui.storage import CanvasFile, CanvasFileError, DiskSignature, PreparedSave
from canvas_tui.tui.appearance import Appearance, stop_blinking
from canvas_tui.tui.commands import CanvasCommands
from canvas_tui.tui.file_guard import FileGuard
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

    # `var`, not `reactive`: a reactive on the App repaints the whole screen when it changes,
    # which on every keystroke is about 11 KB down an SSH link. Screens watch these instead.
    revision: var[int] = var(0, init=False)
    """Bumped after every change to the canvas; screens watch it."""

    dirty: var[bool] = var(False, init=False)
    """True while the canvas differs from what is on disk."""

    external_revision: var[int] = var(0, init=False)
    """Bumped when values came from outside the screens (reload, merge, restore)."""

    def __init__(
        self,
        document: CanvasFile,
        *,
        autosave: bool = True,
        appearance: Appearance | None = None,
        notice: str = "",
    ) -> None:
        super().__init__()
        # Tests get the default theme and nothing read from, or written to, the user's files.
        self.appearance = appearance or Appearance.fixed()
        self.appearance.install(self)
        self.document = document
        self.notice = notice
        self.autosave = autosave
        self.changed_block: str | None = None
        self.saved_state: Snapshot | None = document.canvas.state() if document.exists else None
        self.read_only = not document.writable()
        self.guard = FileGuard(self)
        self._autosave_timer: Timer | None = None
        self._write_lock = threading.Lock()
        self._saving = False  # a background save is running
        self._save_again = False  # ... and another change wants saving after it
        self._save_sequence = 0  # numbers saves in the order they were prepared
        self._written_save = 0  # the newest save on disk
        self._applied_save = 0  # the newest save the app has taken note of
        # Animations and blinking cost bytes on every frame, which an SSH link pays for.
        self.animation_level = "none"

    @property
    def canvas(self) -> Canvas:
        return self.document.canvas

    def get_default_screen(self) -> CanvasScreen:
        return CanvasScreen()

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # For themes without our variables (Textual's own): block borders in the theme's primary.
        return {"canvas-border": self.current_theme.primary}

    # -- looks: the theme picker previews and remembers; no cursor blinks ------------------------

    def search_themes(self) -> None:
        self.appearance.open_picker(self)

    def on_command_palette_option_highlighted(self, event: CommandPalette.OptionHighlighted) -> None:
        self.appearance.highlighted(self, event)

    def on_command_palette_closed(self, event: CommandPalette.Closed) -> None:
        self.appearance.closed(self, event)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        stop_blinking(event.widget)

    def on_mount(self) -> None:
        if not self.document.exists:
            self.notify(
                f"New canvas: {self.document.path} will be written on the first save.",
                title="New canvas",
            )
        for warning in self.document.warnings:
            self.notify(warning, severity="warning", timeout=10)
        if self.read_only:
            self.notify(
                f"{self.document.path} cannot be written: opened read-only. "
                "ctrl+s offers to save a copy elsewhere.",
                title="Read-only",
                severity="warning",
                timeout=10,
            )
        if self.notice:
            self.notify(self.notice, timeout=8)
        self.guard.start()
        self.appearance.mounted(self)

    # -- changes and saving ----------------------------------------------------------------

    def changed(self, block_id: str | None = None, *, external: bool = False) -> None:
        """Call after changing the model (block_id None: header or many blocks).

        `external` marks values that did not come from the screens (reload, merge, restore),
        so an open editor reloads its text.
        """
        self.changed_block = block_id
        self.dirty = self.canvas.state() != self.saved_state
        self.revision += 1
        if external:
            self.external_revision += 1
        self.guard.changed()
        if self.autosaving and self.dirty:
            if self._autosave_timer is None:
                self._autosave_timer = self.set_timer(AUTOSAVE_DELAY, self._autosave)
            else:
                self._autosave_timer.reset()

    def _autosave(self) -> None:
        """The timer's save: verified and written off the main thread, so typing never stalls."""
        self._autosave_timer = None
        if self.dirty and self.autosaving:
            self.save_in_background()

    @property
    def autosaving(self) -> bool:
        """Autosave is on and can work: not read-only, and the file was not deleted under us."""
        return self.autosave and not self.read_only and not self.guard.missing_on_disk

    def save_if_autosaving(self) -> None:
        """Called when leaving an editor: autosave does not wait for the timer then."""
        if self.autosaving and self.dirty:
            self.save(quiet=True)

    def _ready_to_save(self, *, quiet: bool) -> bool:
        """Checks before any save; False when it cannot happen now (and the user was told)."""
        self.flush_editors()
        if self.read_only:
            self.offer_save_as(f"{self.document.path.name} is read-only.")
            return False
        if self.guard.disk_changed():
            signature = self.document.disk_signature()
            # A deleted file is written again only when the user asks (ctrl+s), never by autosave.
            if signature is not None or quiet:
                self.guard.handle_disk_change(signature, then_save=not quiet)
                return False
        return True

    def save(self, *, quiet: bool = False) -> bool:
        """Write the file now; a failure is shown and the edits stay in memory and recovery file.

        A file changed on disk since it was read is merged first (asking when a block changed on
        both sides), and saved after that; this call then returns False.
        """
        if not self._ready_to_save(quiet=quiet):
            return False
        try:
            prepared = self.document.prepare_save()
            sequence = self._next_save()
            signature = self._write(prepared, sequence)
        except CanvasFileError as error:
            self._save_failed(error)
            return False
        self._saved(prepared, signature, sequence, quiet=quiet)
        return True

    def save_in_background(self) -> None:
        """Save with the slow part (read-back check, fsync) in a thread; one at a time."""
        if self._saving:
            self._save_again = True
            return
        if not self._ready_to_save(quiet=True):
            return
        try:
            prepared = self.document.prepare_save()
        except CanvasFileError as error:
            self._save_failed(error)
            return
        sequence = self._next_save()
        self._saving = True

        def write() -> None:
            try:
                signature = self._write(prepared, sequence)
            except CanvasFileError as error:
                self.call_from_thread(self._background_save_done, prepared, sequence, None, error)
            else:
                self.call_from_thread(self._background_save_done, prepared, sequence, signature, None)

        self.run_worker(write, thread=True, group="save", exit_on_error=False)

    def _background_save_done(
        self,
        prepared: PreparedSave,
        sequence: int,
        signature: DiskSignature | None,
        error: CanvasFileError | None,
    ) -> None:
        self._saving = False
        if error is not None:
            self._save_failed(error)
        elif signature is not None and sequence > self._applied_save:
            self._saved(prepared, signature, sequence, quiet=True)
        if self._save_again:
            self._save_again = False
            if self.dirty and self.autosaving:
                self.save_in_background()

    def _next_save(self) -> int:
        self._save_sequence += 1
        return self._save_sequence

    def _write(self, prepared: PreparedSave, sequence: int) -> DiskSignature | None:
        """Write under the lock, unless a newer save already did (any thread)."""
        with self._write_lock:
            if sequence < self._written_save:
                return None  # an older background save must never overwrite a newer one
            signature = self.document.write_prepared(prepared)
            self._written_save = sequence
            return signature

    def _saved(
        self, prepared: PreparedSave, signature: DiskSignature | None, sequence: int, *, quiet: bool
    ) -> None:
        if signature is None:
            return
        self._applied_save = sequence
        self.document.finish_save(signature)
        self.saved_state = prepared.state
        self.dirty = self.canvas.state() != self.saved_state
        if not self.dirty:
            self.guard.saved()
        self.revision += 1
        if not quiet:
            self.notify(f"Saved {self.document.path}", timeout=2)

    def _save_failed(self, error: CanvasFileError) -> None:
        self.notify(str(error), title="Not saved", severity="error", timeout=10)
        self.guard.write_recovery_now()
        if error.denied:
            self.offer_save_as(f"{self.document.path.name} cannot be written.")

    def offer_save_as(self, reason: str) -> None:
        from canvas_tui.tui.screens.save_as_screen import SaveAsScreen

        path = self.document.path
        suggestion = path.with_name(f"{path.stem}-copy{path.suffix}")

        def save_to(target: Path | None) -> None:
            if target is None:
                return
            old_path = self.document.path
            try:
                self.document.save_as(target)
            except CanvasFileError as error:
                self.notify(str(error), title="Not saved", severity="error", timeout=10)
                return
            self.guard.saved()
            self.read_only = False
            self.saved_state = self.canvas.state()
            self.dirty = False
            self.revision += 1
            self.notify(f"Saved a copy as {target}; editing it from now on (was {old_path}).")

        self.push_screen(SaveAsScreen(reason, suggestion), save_to)

    @property
    def file_mark(self) -> str:
        """A short word for a problem with the file itself, shown in the headers."""
        if self.read_only:
            return "read-only"
        if self.guard.missing_on_disk:
            return "file gone from disk"
        return ""

    def refresh_file_state(self) -> None:
        """Repaint marks that depend on the file (read-only, gone from disk)."""
        self.revision += 1

    def action_save(self) -> None:
        self.save()

    # -- quitting ----------------------------------------------------------------------------

    async def action_quit(self) -> None:
        """Textual's own quit (the palette's "Quit" command) goes through the same guard."""
        self.action_request_quit()

    def flush_editors(self) -> None:
        """Take text still in an open editor into the model before it is saved or judged.

        Keys are handled before the editor's change message: a save, a quit or a hang-up that
        comes right after typing must not miss the last characters.
        """
        from canvas_tui.tui.screens.editor_screen import EditorScreen

        for screen in self.screen_stack:
            if isinstance(screen, EditorScreen):
                screen.sync_text()

    def action_request_quit(self) -> None:
        """Quit, saving first when autosave is on; ask when work would otherwise be lost."""
        self.flush_editors()
        if not self.dirty:
            self.guard.discard()
            self.exit(0)
            return
        if self.autosaving and not self.guard.disk_changed() and self.save(quiet=True):
            self.exit(0)
            return
        from canvas_tui.tui.screens.quit_screen import QuitScreen

        def decide(choice: str | None) -> None:
            if choice == "discard":
                self.guard.discard()
                self.exit(0)
            elif choice == "save" and self.save():
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
