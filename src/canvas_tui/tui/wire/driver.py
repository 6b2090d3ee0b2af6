"""The one module that touches Textual's driver: a LinuxDriver whose output goes through `Wire`.

Public API only: `App(driver_class=...)`, and the driver's `write` and `flush`, which Textual calls
with each frame (its synchronized-output markers in writes of their own) and with the driver's own
mode sequences. The terminal's size is read from the device at each write, so a resize drops the
model before the full repaint Textual sends for it; a resize that ends where it started (which
Textual does not repaint for) drops it too, and asks the app for a full repaint. Checked with
Textual 8 (`supported`); tests/tui/test_wire_driver.py fails when what it relies on changes.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import threading
from types import FrameType
from typing import Any

import textual
from textual.app import App
from textual.drivers.linux_driver import LinuxDriver

from canvas_tui.tui.wire.cursor import DRIVERS
from canvas_tui.tui.wire.screen import Wire

TEE_VARIABLE = "CANVAS_TUI_WIRE_TEE"
"""A file to copy what Textual writes to, before the layer: tests and benchmarks compare the two."""

CHECKED_WITH = "8."
"""The Textual major version whose driver this was written and tested against."""


def supported() -> bool:
    return textual.__version__.startswith(CHECKED_WITH)


def terminal_size() -> tuple[int, int] | None:
    """(columns, lines) of the terminal the output goes to (Textual writes to stderr), from the
    device: COLUMNS and LINES in the environment may say otherwise."""
    for stream in (sys.__stderr__, sys.__stdout__, sys.__stdin__):
        if stream is None:
            continue
        try:
            size = os.get_terminal_size(stream.fileno())
        except (OSError, ValueError):
            continue
        return size.columns, size.lines
    return None


SHOW_CURSOR, HIDE_CURSOR = "\x1b[?25h", "\x1b[?25l"


class WireDriver(LinuxDriver):
    """Textual's Linux driver, writing only what changed on screen."""

    def __init__(
        self,
        app: App[Any],
        *,
        debug: bool = False,
        mouse: bool = True,
        size: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(app, debug=debug, mouse=mouse, size=size)
        self.wire: Wire | None = None
        self.wire_lock = threading.Lock()
        """Writes come from the app's thread and, for a few mode changes, the input thread."""
        tee = os.environ.get(TEE_VARIABLE)
        self.tee = open(tee, "a", encoding="utf-8") if tee else None  # noqa: SIM115 (for the app's life)
        """Where Textual's own output is copied, unchanged, for checking the layer against it."""
        self.cursor_shown = False
        """Whether the terminal's own cursor is on (Textual keeps it hidden and draws its own)."""
        self.app = app
        self.resized = False
        """The terminal was resized since the last write: what it shows may have moved."""
        DRIVERS[app] = self

    def show_cursor(self, shown: bool) -> None:
        """Turn the terminal's own cursor on or off. Textual moves it to `App.cursor_position`
        after every frame (where a focused text area puts its cursor, for input methods), so a
        text area that draws no cursor of its own can let the terminal show it: typing a letter
        then costs the letter, not two restyled cells (tui/widgets/block_editor.py)."""
        if shown != self.cursor_shown:
            self.cursor_shown = shown
            self.write(SHOW_CURSOR if shown else HIDE_CURSOR)
            self.flush()

    def start_application_mode(self) -> None:
        super().start_application_mode()  # type: ignore[no-untyped-call]  # hides the cursor (again, after a suspend)
        self.cursor_shown = False
        if hasattr(signal, "SIGWINCH"):
            loop = asyncio.get_running_loop()
            textual_handler = signal.getsignal(signal.SIGWINCH)

            def on_terminal_resize(signum: int, frame: FrameType | None) -> None:
                size_before = self.app.size
                if callable(textual_handler):
                    textual_handler(signum, frame)
                self.terminal_resized(loop, size_before)

            signal.signal(signal.SIGWINCH, on_terminal_resize)

    def terminal_resized(self, loop: asyncio.AbstractEventLoop, size_before: tuple[int, int]) -> None:
        """A resize can move or blank what the terminal shows (some push rows off the top as they
        shrink, and keep them blank as they grow back), even when it ends at the size it started
        at, between two frames. Then Textual sees no change and repaints nothing: so the model is
        dropped at the next write (not here: a write may be half done), and the app is asked for a
        full repaint when the size is back where it was. Runs in the signal handler."""
        self.resized = True
        if terminal_size() == tuple(size_before):
            loop.call_soon_threadsafe(self.app.refresh)

    def write(self, data: str) -> None:
        with self.wire_lock:
            if self.tee is not None:
                self.tee.write(data)
                self.tee.flush()
            size = terminal_size()
            resized, self.resized = self.resized, False
            if size is None:
                if self.wire is not None:
                    super().write(self.wire.resize(self.wire.columns, self.wire.lines))
                self.wire = None
                super().write(data)
                return
            if self.wire is None:
                self.wire = Wire(*size)
            elif resized or (self.wire.columns, self.wire.lines) != size:
                super().write(self.wire.resize(*size))
            out = self.wire.write(data)
            if out:
                super().write(out)

    def flush(self) -> None:
        with self.wire_lock:
            if self.wire is not None:
                out = self.wire.flush()
                if out:
                    super().write(out)
        super().flush()
