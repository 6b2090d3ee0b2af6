"""A small pseudo-terminal harness: run a real command in a pty and read its screen back with pyte.

This is the path a user takes: the installed `canvas-tui` script, a real terminal device (so Textual's
own driver, key parser and renderer all run), and bytes in both directions. A background thread drains
the pty and feeds everything into a `pyte.Screen`, so the child never blocks on a full pty buffer and the
screen is always current.

    with Terminal([str(CANVAS_TUI), "canvas.toml"], columns=120, lines=40) as term:
        term.wait_for("resolved")
        term.send("e")
        term.wait_for("Guiding questions")
        term.send(ESC)
        ...
        assert term.wait_exit() == 0

`bytes_read` counts every byte the child wrote to the terminal (for benchmarks of output volume), and
`output` keeps them all when `record=True` (the default) for assertions and failure messages.

Notes on driving Textual:

* A lone ESC is ambiguous (it also starts escape sequences), so Textual waits briefly before reporting
  the escape key. After sending `ESC`, wait for the screen to change (or use `press_escape`) before
  sending anything else, or the next byte may be read as part of an alt+key sequence.
* Keys that arrive in one read are parsed as one batch, before the screen a key opens (or the field
  it focuses) is ready, so the rest of the batch can miss it: `send("e" + "abc")` opens the editor and
  loses "abc". Wait for the new screen (`wait_for`) before typing into it.
* pyte ignores the alternate screen buffer, mouse modes and synchronized output; after the app exits,
  the screen still shows its last frame, followed by anything the command printed afterwards.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import signal
import struct
import subprocess
import sys
import termios
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import NamedTuple

import pyte

ESC = b"\x1b"
ENTER = b"\r"
CTRL_Q = b"\x11"
CTRL_S = b"\x13"
HOME = b"\x1b[H"  # on the canvas: the first block (Background), wherever the cursor started

DEFAULT_TIMEOUT = 30.0  # generous: a loaded CI machine can be slow; tests never assert times
POLL_INTERVAL = 0.02
QUIET = 0.5
"""How long without output counts as "all repaints done": on a loaded machine a quarter second of
silence came mid-repaint."""


def installed_script(name: str) -> Path:
    """The console script `name` installed next to the running interpreter (the venv's bin/)."""
    return Path(sys.executable).parent / name


class Cell(NamedTuple):
    """One screen cell as pyte keeps it."""

    data: str
    fg: str
    bg: str
    bold: bool
    italics: bool
    underscore: bool
    strikethrough: bool
    reverse: bool
    blink: bool


class TerminalTimeout(AssertionError):
    """A wait ran out of time; the message includes the screen as it was."""


class Terminal:
    """A command running in a pseudo-terminal of a fixed size, with its screen emulated by pyte.

    Use it as a context manager (or call `start()` and `close()`): `close()` always ends the child's
    whole process group if it is still running, so a failing test never leaves a TUI behind.

    Args:
        argv: the command and its arguments (no shell).
        columns, lines: the terminal size, set on the device with TIOCSWINSZ before the start.
        env: the environment (default: this process's); TERM is always set to `term`.
        cwd: the working directory of the command.
        term: the TERM value, xterm-256color by default.
        export_size: also export COLUMNS and LINES (see `resize` for when not to).
        record: keep every byte read in `output` (`bytes_read` is counted either way).
    """

    def __init__(
        self,
        argv: Sequence[str | os.PathLike[str]],
        *,
        columns: int = 80,
        lines: int = 24,
        env: Mapping[str, str] | None = None,
        cwd: str | os.PathLike[str] | None = None,
        term: str = "xterm-256color",
        export_size: bool = True,
        record: bool = True,
    ) -> None:
        self.argv = [os.fspath(arg) for arg in argv]
        self.columns = columns
        self.lines = lines
        self.cwd = cwd
        self.record = record
        self.environment = dict(os.environ if env is None else env)
        self.environment["TERM"] = term
        if export_size:
            self.environment.update(COLUMNS=str(columns), LINES=str(lines))
        else:
            self.environment.pop("COLUMNS", None)
            self.environment.pop("LINES", None)
        self.screen = pyte.Screen(columns, lines)
        self._stream = pyte.ByteStream(self.screen)
        self._lock = threading.Lock()
        self._output = bytearray()
        self._bytes_read = 0
        self._eof = threading.Event()
        self._reader: threading.Thread | None = None
        self._master_fd: int | None = None
        self.process: subprocess.Popen[bytes] | None = None

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> Terminal:
        """Open the pty, size it, and start the command with the pty as its controlling terminal."""
        master_fd, slave_fd = os.openpty()
        try:
            _set_window_size(slave_fd, self.columns, self.lines)
            self.process = subprocess.Popen(
                self.argv,
                stdin=slave_fd,
                stdout=slave_fd,
                stderr=slave_fd,
                cwd=self.cwd,
                env=self.environment,
                start_new_session=True,  # own session and process group, for killpg in close()
                preexec_fn=_take_controlling_terminal,
                close_fds=True,
            )
        except BaseException:
            os.close(master_fd)
            raise
        finally:
            # Only the child holds the slave now, so reads on the master end (EIO) when it exits.
            os.close(slave_fd)
        self._master_fd = master_fd
        self._reader = threading.Thread(target=self._read_loop, name="pty-reader", daemon=True)
        self._reader.start()
        return self

    def __enter__(self) -> Terminal:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def close(self, timeout: float = 5.0) -> None:
        """End the command if it still runs (SIGTERM, then SIGKILL, to its process group) and clean up."""
        process = self.process
        if process is not None and process.poll() is None:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, sig)
                try:
                    process.wait(timeout=timeout)
                    break
                except subprocess.TimeoutExpired:
                    continue
        if self._reader is not None:
            self._reader.join(timeout=timeout)
        if self._master_fd is not None:
            with contextlib.suppress(OSError):
                os.close(self._master_fd)
            self._master_fd = None

    def hang_up(self, timeout: float = 10.0) -> int:
        """Drop the line as a dead SSH link does, and return the command's exit code.

        The kernel's hang-up is SIGHUP to the terminal's process group; sent here directly,
        because closing the master end while the reader thread blocks on it does not release it.
        """
        process = self._require_process()
        os.killpg(process.pid, signal.SIGHUP)
        return process.wait(timeout=timeout)

    # -- reading ------------------------------------------------------------------------------

    def _read_loop(self) -> None:
        assert self._master_fd is not None
        fd = self._master_fd
        while True:
            try:
                data = os.read(fd, 65536)
            except OSError:  # EIO: every slave descriptor is closed, the command is gone
                break
            if not data:
                break
            with self._lock:
                self._bytes_read += len(data)
                if self.record:
                    self._output += data
                self._stream.feed(data)
        self._eof.set()

    @property
    def bytes_read(self) -> int:
        """How many bytes the command has written to the terminal so far."""
        with self._lock:
            return self._bytes_read

    @property
    def output(self) -> bytes:
        """Everything the command wrote to the terminal, raw (empty when `record=False`)."""
        with self._lock:
            return bytes(self._output)

    def output_text(self) -> str:
        """`output` decoded as UTF-8 (escape sequences included)."""
        return self.output.decode("utf-8", errors="replace")

    def screen_lines(self) -> list[str]:
        """The emulated screen, one string per row, padded to the full width."""
        with self._lock:
            return list(self.screen.display)

    def screen_text(self) -> str:
        """The emulated screen as one string, rows joined by newlines, trailing spaces removed."""
        return "\n".join(line.rstrip() for line in self.screen_lines())

    def cursor(self) -> tuple[int, int]:
        """Where the terminal's cursor is: (column, row), zero-based (mid-frame: wherever drawing is)."""
        with self._lock:
            return self.screen.cursor.x, self.screen.cursor.y

    def cursor_hidden(self) -> bool:
        """Whether the terminal's own cursor is hidden (`ESC[?25l`)."""
        with self._lock:
            return bool(self.screen.cursor.hidden)

    def char_at(self, column: int, row: int) -> str:
        """The character in one cell (cheap enough to poll in a tight loop, unlike `screen_lines`)."""
        with self._lock:
            return str(self.screen.buffer[row][column].data)

    def cells(self) -> list[list[Cell]]:
        """Every cell's character and look, row by row: what a user sees, colours included."""
        with self._lock:
            buffer = self.screen.buffer
            return [[Cell(*buffer[y][x]) for x in range(self.columns)] for y in range(self.lines)]

    def forget_screen(self) -> None:
        """Blank the emulated screen, as a terminal that lost its contents: from now on it shows only
        what the command draws anew (for checking that a full repaint matches incremental ones)."""
        with self._lock:
            self.screen.reset()

    # -- waiting ------------------------------------------------------------------------------

    def wait_until(
        self,
        condition: Callable[[], bool],
        timeout: float = DEFAULT_TIMEOUT,
        *,
        description: str = "condition",
    ) -> None:
        """Poll `condition` until it is true; raise TerminalTimeout (with the screen) after `timeout`."""
        deadline = time.monotonic() + timeout
        while True:
            if condition():
                return
            if time.monotonic() >= deadline:
                raise TerminalTimeout(f"timed out after {timeout} s waiting for {description}\n{self.dump()}")
            time.sleep(POLL_INTERVAL)

    def wait_for(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until `text` appears on one row of the screen."""
        self.wait_until(
            lambda: any(text in line for line in self.screen_lines()),
            timeout,
            description=f"{text!r} on screen",
        )

    def wait_for_gone(self, text: str, timeout: float = DEFAULT_TIMEOUT) -> None:
        """Wait until `text` is no longer on the screen."""
        self.wait_until(
            lambda: not any(text in line for line in self.screen_lines()),
            timeout,
            description=f"{text!r} to leave the screen",
        )

    def wait_until_quiet(
        self, quiet: float = QUIET, timeout: float = DEFAULT_TIMEOUT, *, poll: float = POLL_INTERVAL
    ) -> None:
        """Wait until the command has written nothing for `quiet` seconds (its repaints are done).

        The one quiet-terminal wait, for tests and benchmarks alike: only after something is on the
        screen (an app is quiet before its first paint too). `poll` is the resolution.
        """
        deadline = time.monotonic() + timeout
        last, since = self.bytes_read, time.monotonic()
        while time.monotonic() - since < quiet:
            if time.monotonic() >= deadline:
                raise TerminalTimeout(f"the command never stopped writing for {quiet} s\n{self.dump()}")
            time.sleep(poll)
            now = self.bytes_read
            if now != last:
                last, since = now, time.monotonic()

    def wait_exit(self, timeout: float = DEFAULT_TIMEOUT) -> int:
        """Wait for the command to exit and its output to be drained; return its exit code."""
        process = self._require_process()
        try:
            code = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise TerminalTimeout(f"command still running after {timeout} s\n{self.dump()}") from None
        # The reader sees EIO once the child (and anything it spawned) has closed the terminal.
        self._eof.wait(timeout)
        return code

    @property
    def returncode(self) -> int | None:
        """The exit code, or None while the command runs."""
        return self._require_process().poll()

    # -- writing ------------------------------------------------------------------------------

    def send(self, keys: bytes | str) -> None:
        """Write keys to the terminal as typed (str is encoded as UTF-8)."""
        data = keys.encode("utf-8") if isinstance(keys, str) else keys
        if self._master_fd is None:
            raise RuntimeError("the terminal is not started")
        view = memoryview(data)
        while view:
            written = os.write(self._master_fd, view)
            view = view[written:]

    def press_escape(self, settle: float = 0.3) -> None:
        """Send a lone ESC, then wait until the app has been quiet for `settle` seconds: by then it
        has taken the ESC as the escape key and cannot merge it with the next key into alt+key."""
        self.send(ESC)
        self.wait_until_quiet(settle)

    def resize(self, columns: int, lines: int) -> None:
        """Change the terminal size; the kernel sends SIGWINCH to the command's foreground group.

        Start the terminal with `export_size=False` for programs that should follow a resize: Python's
        `shutil.get_terminal_size` (which Textual uses) prefers COLUMNS/LINES from the environment
        over the device, so exported sizes pin the app at its first size.
        """
        if self._master_fd is None:
            raise RuntimeError("the terminal is not started")
        with self._lock:
            self.columns, self.lines = columns, lines
            self.screen.resize(lines, columns)
        _set_window_size(self._master_fd, columns, lines)

    # -- helpers ------------------------------------------------------------------------------

    def dump(self) -> str:
        """The screen framed for a failure message, plus the exit code if the command has ended."""
        border = "+" + "-" * self.columns + "+"
        rows = [f"|{line}|" for line in self.screen_lines()]
        status = "" if self.process is None else f"exit code: {self.process.poll()}\n"
        return "\n".join([border, *rows, border]) + "\n" + status

    def _require_process(self) -> subprocess.Popen[bytes]:
        if self.process is None:
            raise RuntimeError("the terminal is not started")
        return self.process


def _take_controlling_terminal() -> None:
    """In the child, after setsid(): make stdin (the pty) the controlling terminal, as a login does.

    Without it the child has no controlling terminal: no SIGWINCH on resize, no /dev/tty. This runs
    between fork and exec, so it only makes one system call (fcntl and termios are imported already).
    """
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)


def _set_window_size(fd: int, columns: int, lines: int) -> None:
    """Tell the terminal device its size (what the child's TIOCGWINSZ / os.get_terminal_size sees)."""
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
