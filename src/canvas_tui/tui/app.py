"""The application: wiring between the editing session (canvas_tui.session) and the screens.

The session owns the canvas and every rule about saving, recovery and the disk; screens edit
through it. The app runs what needs an event loop: timers (autosave, recovery file, disk check),
threads (saves and recovery writes off the typing path), signals, dialogs and notifications.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
from collections.abc import Sequence
from typing import ClassVar

from textual import events, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.driver import Driver
from textual.events import DescendantFocus
from textual.filter import LineFilter
from textual.notifications import SeverityLevel
from textual.reactive import var

from canvas_tui.files.lock import Instance
from canvas_tui.files.places import Places
from canvas_tui.files.settings import Settings
from canvas_tui.model import Canvas, Snapshot
from canvas_tui.model.text import for_terminal
from canvas_tui.session import Change, Session, Timing
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.appearance import Appearance, stop_blinking
from canvas_tui.tui.commands import CanvasCommands
from canvas_tui.tui.head_watch import HeadWatch
from canvas_tui.tui.key_order import KeysInOrder
from canvas_tui.tui.keymap import apply_user_keymap, lint_rules_off
from canvas_tui.tui.saving import SaveRunner
from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.command_palette import CanvasCommandPalette
from canvas_tui.tui.startup import claim_and_recover, tell_about_the_file


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
    """Bumped after every change to the canvas or its file state; screens watch it."""

    external_revision: var[int] = var(0, init=False)
    """Bumped when values came from outside the editors (reload, merge, restore)."""

    also_open: var[tuple[str, ...]] = var((), init=False)
    """Who else has the canvas open (their presence files), looked at with each disk check."""

    def __init__(
        self,
        document: CanvasFile,
        *,
        autosave: bool = True,
        timing: Timing | None = None,
        me: Instance | None = None,
        user: str | None = None,
        appearance: Appearance | None = None,
        settings: Settings | None = None,
        places: Places | None = None,
        keymap: dict[str, str] | None = None,
        notice: str = "",
        driver_class: type[Driver] | None = None,
    ) -> None:
        super().__init__(driver_class=driver_class)
        # Tests get the default theme and nothing read from, or written to, the user's files.
        self.appearance = appearance or Appearance.fixed()
        self.appearance.install(self)
        self.settings = settings
        """The user's config.toml; None (tests): nothing set."""
        self.session = Session(
            document, autosave=autosave, timing=timing or Timing(), me=me or Instance.current()
        )
        if user is not None:  # tests: several users in one process
            self.session.user = user
        self.saver = SaveRunner(self.session, self)
        self.keys_in_order = KeysInOrder(self, super().on_event)
        self.session.listeners.append(self._session_changed)
        self.session.refusal_listeners.append(self._edit_refused)
        self._refusal_told = ""
        self.notice = notice
        self.places = places  # None (tests): nothing is remembered
        self.head_watch = HeadWatch(self.session, self, self._every_card_changed)
        self.lint_off = lint_rules_off(document, settings)
        """Lint rules turned off for this canvas (its [lint] table) or by the user (config.toml)."""
        if keymap is None:
            keymap = settings.keymap if settings is not None else {}
        self.keymap = dict(keymap)
        """The user's [keymap] (binding id -> keys) as applied; help shows these keys."""
        self.changed_block: str | None = None
        self.canvas_screen = CanvasScreen()
        # Animations and blinking cost bytes on every frame, which an SSH link pays for.
        self.animation_level = "none"

    @property
    def canvas(self) -> Canvas:
        return self.session.canvas

    @property
    def document(self) -> CanvasFile:
        return self.session.document

    @property
    def dirty(self) -> bool:
        return self.session.dirty

    @property
    def head(self) -> Snapshot | None:
        """The canvas as committed at HEAD when the file is in git: cards mark what differs."""
        return self.head_watch.head

    def get_default_screen(self) -> CanvasScreen:
        return self.canvas_screen

    def start_block(self) -> str:
        """Where the cursor starts: where it was when this file was last closed, else the work."""
        canvas = self.canvas
        order = canvas.template.block_ids
        last = self.places.last_block(self.session.path) if self.places is not None else None
        if last in order:
            return last
        return canvas.next_unresolved(order[-1]) or order[0]

    def get_line_filters(self) -> Sequence[LineFilter]:
        # The theme's filters come last: under a colourless theme, no colour gets through.
        return [*super().get_line_filters(), *self.appearance.line_filters()]

    def get_theme_variable_defaults(self) -> dict[str, str]:
        # For themes without our variables (Textual's own): block borders in the theme's primary.
        return {"canvas-border": self.current_theme.primary}

    async def on_event(self, event: events.Event) -> None:
        # A save then a quit typed together save, then quit: see canvas_tui.tui.key_order.
        if isinstance(event, (events.Key, events.Paste)) and not event.is_forwarded:
            await self.keys_in_order.take(event)
        else:
            await super().on_event(event)

    # -- looks: the theme picker previews and remembers; no cursor blinks ------------------------

    def search_themes(self) -> None:
        self.appearance.open_picker(self)

    def on_command_palette_option_highlighted(self, event: CommandPalette.OptionHighlighted) -> None:
        self.appearance.highlighted(self, event)

    def on_command_palette_closed(self, event: CommandPalette.Closed) -> None:
        self.appearance.closed(self, event)

    def on_descendant_focus(self, event: DescendantFocus) -> None:
        stop_blinking(event.widget)

    # -- start: who else has it open, what a crash left behind -----------------------------------

    def on_mount(self) -> None:
        tell_about_the_file(self.session, self, self.notice)
        self.keymap = apply_user_keymap(self, self.keymap)
        self.head_watch.start()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self.on_terminate_signal)
        self.set_interval(self.session.timing.disk_check, self.check_disk, name="disk-check")
        self.appearance.mounted(self)
        claim_and_recover(self.session, self)
        self.look_around()

    def check_disk(self) -> None:
        """What the disk-check timer does: take in a change on disk, and see who else is there."""
        self.saver.check_disk()
        self.look_around()

    def look_around(self) -> None:
        """Read who else has the canvas open, in a thread (files beside the canvas, maybe on a
        network share); the header shows them."""
        self.run_worker(self._look_around, thread=True, group="presence", exclusive=True, exit_on_error=False)

    def _look_around(self) -> None:
        names = tuple(presence.label for presence in self.session.others())
        if names != self.also_open:
            self.call_from_thread(setattr, self, "also_open", names)

    def text_replaced(self, block_id: str) -> None:
        """An open editor's text was replaced by values from the disk (its undo brings it back):
        the notice about the reload says so."""
        self.saver.replaced_in_editor.append(block_id)

    def on_unmount(self) -> None:
        # However the app ends (a clean quit already tidied up): the lock goes, unsaved work keeps
        # its recovery file, and the place of the cursor is remembered.
        self.session.close(keep_recovery=True)
        if self.places is not None and self.canvas_screen.current:
            self.places.remember(self.session.path, self.canvas_screen.current)

    def _session_changed(self, change: Change) -> None:
        self.changed_block = change.block_id
        self.revision += 1
        if change.external:
            self.external_revision += 1
        self.saver.changed(change)

    def _edit_refused(self, what: str) -> None:
        """Read-only refused an edit: say so once for a run of the same kind (every key of a
        sentence typed into a read-only canvas is refused; one notice, not one per key)."""
        if what == self._refusal_told:
            return
        self._refusal_told = what
        session = self.session
        if not session.holds_lock and session.document.writable():
            way = 'To edit it here, quit and open it again choosing "Open anyway".'
        else:
            way = "ctrl+s saves a copy you can edit."
        reason = session.read_only_reason or "is read-only"
        self.notify(
            f"{session.path.name} {reason}: nothing changed ({what}). {way}",
            title="Read-only",
            severity="warning",
            timeout=8,
            markup=False,  # the reason can quote a lock file's host
        )

    def _every_card_changed(self) -> None:
        self.changed_block = None
        self.revision += 1

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notice, ours and Textual's, with its control characters made visible.

        Notices quote file names, errors and a lock's host: what a file planted them with must show,
        not reach the terminal. Callers quoting such text also pass markup=False.
        """
        super().notify(
            for_terminal(message, multiline=True),
            title=for_terminal(title),
            severity=severity,
            timeout=timeout,
            markup=markup,
        )

    def save(self, *, quiet: bool = False) -> bool:
        """Save now; False when it did not happen (the user was told why)."""
        return self.saver.save(quiet=quiet)

    def action_save(self) -> None:
        self.saver.save()

    def save_if_autosaving(self) -> None:
        """Called when leaving an editor: autosave does not wait for the timer then."""
        if self.session.autosaving and self.session.dirty:
            self.saver.save(quiet=True)

    # -- quitting and hang-ups -----------------------------------------------------------------

    async def action_quit(self) -> None:
        """Textual's own quit (the palette's "Quit" command) goes through the same guard."""
        self.action_request_quit()

    def action_request_quit(self) -> None:
        """Quit, saving first when autosave is on; ask when work would otherwise be lost."""
        if self._nothing_to_lose():
            self._exit_cleanly()
        else:
            self._ask_before_quitting()

    @work(group="dialogs")
    async def _ask_before_quitting(self) -> None:
        from canvas_tui.tui.screens.quit_screen import QuitScreen

        choice = await self.push_screen(QuitScreen(self.session.path.name), wait_for_dismiss=True)
        if choice == "discard" or (choice == "save" and self.save()):
            self._exit_cleanly()

    def _nothing_to_lose(self) -> bool:
        """Whether the app may quit or hang up without asking: no unsaved work, or autosave just
        wrote it. A file changed on disk is not reconciled on the way out: that may need the user."""
        session = self.session
        if not session.dirty:
            return True
        return session.autosaving and not session.disk_changed() and self.save(quiet=True)

    def _exit_cleanly(self) -> None:
        self.session.close()
        self.exit(0)

    def on_terminate_signal(self) -> None:
        """SIGHUP (the SSH link dropped) or SIGTERM: save, or keep the recovery file, then exit."""
        safe = self._nothing_to_lose()
        if not safe:
            self.session.write_recovery_now()
        # Unsaved work keeps its recovery file even when this last write failed: an older one
        # is better than none.
        self.session.close(keep_recovery=not safe)
        self.exit(0)

    # -- other screens -----------------------------------------------------------------------

    def action_command_palette(self) -> None:
        """ctrl+p: Textual's palette, in the subclass that closes once (screens/command_palette.py)."""
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(CanvasCommandPalette(id="--command-palette"))

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

    def open_editor(self, block_id: str, *, find: str = "") -> None:
        """Open the block editor (at the first match of `find`, if given); on the way back the canvas
        selects the block last edited."""
        canvas_screen = self.screen if isinstance(self.screen, CanvasScreen) else None
        self._edit(block_id, find, canvas_screen)

    @work(group="dialogs")
    async def _edit(self, block_id: str, find: str, canvas_screen: CanvasScreen | None) -> None:
        from canvas_tui.tui.screens.editor_screen import EditorScreen

        last_block = await self.push_screen(EditorScreen(block_id, find=find), wait_for_dismiss=True)
        if canvas_screen is not None and last_block:
            canvas_screen.select(last_block)
