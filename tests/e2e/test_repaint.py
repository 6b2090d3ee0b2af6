"""What the output layer (tui/wire/) leaves on a user's terminal equals a full repaint, every cell.

The layer sends only the cells that changed since the last frame. Here it runs in a real pty, in the
installed `canvas-tui` command, through a scripted session: navigation, editing with wide and
combining characters, dialogs, the help screen, the palette, a notification, theme changes (mono
included) and resizes, in 256 colours and in 16; and under the block editor alone (truecolor), which
goes through typing, wrapping, selecting, undo and redo and edits away from the cursor. After each
step the emulated screen, every cell's character and colours, must equal a full repaint of the same
state.

The full repaint comes from the app itself: the terminal is resized (one row taller, then back),
which makes Textual redraw everything and the layer forget what it knew, and the emulated screen is
blanked before the final redraw, so whatever was not drawn anew shows as a difference, never as a
false match.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pyte
import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from .terminal import CTRL_S, ENTER, ESC, HOME, Cell, Terminal, TerminalTimeout, installed_script

CANVAS_TUI = installed_script("canvas-tui")
EDITOR_APP = Path(__file__).with_name("editor_app.py")

CTRL_Z, CTRL_Y = b"\x1a", b"\x19"
BACKSPACE = b"\x7f"
LEFT, RIGHT, UP, DOWN = b"\x1b[D", b"\x1b[C", b"\x1b[A", b"\x1b[B"
SHIFT_LEFT, SHIFT_RIGHT, SHIFT_UP, SHIFT_DOWN = b"\x1b[1;2D", b"\x1b[1;2C", b"\x1b[1;2A", b"\x1b[1;2B"
F1, F5, F6, F7 = b"\x1bOP", b"\x1b[15~", b"\x1b[17~", b"\x1b[18~"
END = b"\x1b[F"
CTRL_P = b"\x10"

# The first line's four-letter words leave two columns free at the end of the first row both at 80
# and at 120 columns, so a word cut to one letter moves up from the second row (f7 in editor_app.py).
WORDS = " ".join(f"w{n:03d}" for n in range(60))
TEXT = (
    f"{WORDS}\n"
    "First paragraph, short.\n"
    "\n"
    "Second paragraph: long enough to wrap over several rows of the editor at eighty columns, so that "
    "edits in its middle move words from one row to the next and back again, and at a hundred and "
    "twenty columns too.\n"
    "Last line."
)
CANVAS = f'''[canvas]
template = "mlops-canvas-v1.1"
product = "Repaint check"

[blocks.background]
status = "draft"
text = """
{TEXT}"""
'''
LONG = " then a sentence that runs on and on until it has to wrap onto the next row of the editor"

STEPS: list[tuple[str, list[bytes | str]]] = [
    ("typing at the end, wrapping onto new rows", list(LONG)),
    ("deleting back over the wrap", [BACKSPACE] * 40),
    ("selecting with shift+left and shift+up", [*([SHIFT_LEFT] * 5), *([SHIFT_UP] * 3)]),
    (
        "moving away, then selecting down across paragraphs",
        [LEFT, HOME, UP, UP, SHIFT_DOWN, SHIFT_DOWN, SHIFT_RIGHT],
    ),
    ("typing over the selection", ["X"]),
    ("undoing the replacement and redoing it", [CTRL_Z, CTRL_Y]),
    ("typing in the middle of a wrapped paragraph", [UP, UP, *[RIGHT] * 10, *"inserted words here "]),
    ("undoing that typing, leaving the paragraph upwards", [CTRL_Z, *[UP] * 4]),
    ("new lines in the middle", ["\r", "\r", *"a fresh line"]),
    ("undoing the new lines", [CTRL_Z, CTRL_Z, CTRL_Z]),
    ("joining two lines with backspace", [DOWN, HOME, BACKSPACE]),
    ("deleting a whole selected paragraph", [HOME, SHIFT_UP, SHIFT_UP, SHIFT_UP, BACKSPACE]),
    ("undoing everything", [CTRL_Z] * 12),
    # A few cells at a time: the layer's shortest moves and runs.
    ("typing in the middle of a short line", [DOWN, DOWN, DOWN, HOME, RIGHT, RIGHT, *"mid "]),
    ("backspace in the middle of a short line", [BACKSPACE] * 3),
    ("wide characters typed, then deleted over", [*"日本語 ok", LEFT, LEFT, BACKSPACE, BACKSPACE]),
    ("typing at the end of a wrapped paragraph's last row", [UP, UP, b"\x1b[F", *" and more words"]),
]
# editor_app.py only: edits away from the cursor, as the external editor and reloads make.
EDITS_ELSEWHERE: list[tuple[str, list[bytes | str]]] = [
    ("an edit of the first line, the cursor elsewhere", [F5]),
    ("an edit that re-wraps a paragraph, the cursor elsewhere", [F6]),
    ("undoing both and redoing them", [CTRL_Z, CTRL_Z, CTRL_Y, CTRL_Y]),
    ("cutting a word so that it moves up a row, the cursor elsewhere", [F7]),
]


def differences(shown: list[list[Cell]], fresh: list[list[Cell]]) -> list[str]:
    found = []
    for row, (a, b) in enumerate(zip(shown, fresh, strict=True)):
        if a == b:
            continue
        a_text, b_text = "".join(cell.data for cell in a), "".join(cell.data for cell in b)
        found.append(f"row {row}:\n  shown: {a_text}\n  fresh: {b_text}")
        if a_text == b_text:
            columns = [str(column) for column, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
            found.append(f"  (same characters; colours or style differ at columns {', '.join(columns)})")
    return found


class Reference:
    """Textual's own output (the driver's copy of it, CANVAS_TUI_WIRE_TEE) on a screen of its own:
    what the terminal would show without the layer, to tell a fault of the layer from one of the
    app's own repaints when a step differs from a full repaint."""

    def __init__(self, tee: Path, columns: int, lines: int) -> None:
        self.tee = tee
        self.read = 0
        self.screen = pyte.Screen(columns, lines)
        self.stream = pyte.ByteStream(self.screen)

    def cells(self) -> list[list[Cell]]:
        data = self.tee.read_bytes() if self.tee.exists() else b""
        self.stream.feed(data[self.read :])
        self.read = len(data)
        buffer = self.screen.buffer
        return [[Cell(*buffer[y][x]) for x in range(self.screen.columns)] for y in range(self.screen.lines)]

    def resize(self, columns: int, lines: int) -> None:
        self.cells()  # everything written at the old size first
        self.screen.resize(lines, columns)


def resize(term: Terminal, reference: Reference | None, columns: int, lines: int) -> None:
    if reference is not None:
        reference.resize(columns, lines)
    term.resize(columns, lines)


def assert_same_as_full_repaint(term: Terminal, step: str, reference: Reference | None = None) -> None:
    term.wait_until_quiet()
    shown = term.cells()
    if reference is not None:
        found = differences(shown, reference.cells())
        assert not found, f"after {step}, the screen differs from Textual's own output:\n" + "\n".join(found)
    columns, lines = term.columns, term.lines
    resize(term, reference, columns, lines + 1)
    term.wait_until_quiet()
    term.forget_screen()
    resize(term, reference, columns, lines)
    # On a loaded machine the repaint can come after a quiet spell: wait (bounded) for it to match.
    with contextlib.suppress(TerminalTimeout):
        term.wait_until(lambda: not differences(shown, term.cells()), 10, description="the full repaint")
    found = differences(shown, term.cells())
    assert not found, f"after {step}, the screen differs from a full repaint:\n" + "\n".join(found)


def run_steps(term: Terminal, steps: list[tuple[str, list[bytes | str]]]) -> None:
    assert_same_as_full_repaint(term, "opening")
    for step, keys in steps:
        for key in keys:
            term.send(key)
            time.sleep(0.01)  # one key per read, as a person types (a paste arrives as one read)
        assert_same_as_full_repaint(term, step)


def environment(colours: str) -> dict[str, str]:
    """The terminal's colours as Textual detects them: from TERM and COLORTERM."""
    env = {k: v for k, v in os.environ.items() if k not in ("COLORTERM", "NO_COLOR", "CANVAS_TUI_WIRE")}
    env["COLORTERM"] = "truecolor" if colours == "truecolor" else ""
    return env


def test_block_editor_alone(tmp_path: Path) -> None:
    text = tmp_path / "text.txt"
    text.write_text(TEXT, encoding="utf-8")
    # export_size=False: the app must follow the resizes that force its full repaints.
    argv: list[str | Path] = [sys.executable, EDITOR_APP, text]
    with Terminal(argv, columns=80, lines=24, env=environment("truecolor"), export_size=False) as term:
        term.wait_for("Last line.")
        run_steps(term, STEPS + EDITS_ELSEWHERE)


Keys = list[bytes | str | Callable[[Terminal], None]]
"""Keys to send, and waits between them (a screen that opens takes no keys before it is ready)."""


def shows(text: str) -> Callable[[Terminal], None]:
    return lambda term: term.wait_for(text)


def gone(text: str) -> Callable[[Terminal], None]:
    return lambda term: term.wait_for_gone(text)


def choose_theme(name: str) -> Keys:
    return [
        CTRL_P,
        shows("🔎"),
        *"theme",
        shows("Change the current theme"),
        ENTER,
        shows("Search for themes"),
        *name,
        Terminal.wait_until_quiet,
        ENTER,
        gone("🔎"),  # the picker closed: on a loaded machine a quiet spell can come before that
    ]


SESSION: list[tuple[str, Keys]] = [
    ("moving between blocks", [RIGHT, RIGHT, DOWN, END, HOME, RIGHT]),
    ("opening the editor", ["e", shows("block ")]),
    ("typing wide and combining characters", [END, *" 日本語 cafe\u0301 ok", ENTER, *"a new line"]),
    ("deleting over them", [BACKSPACE] * 16),
    ("a selection replaced", [SHIFT_LEFT, SHIFT_LEFT, SHIFT_UP, "Z"]),
    ("back to the canvas", [ESC]),
    ("a notification, come and gone", [CTRL_S]),
    ("the header dialog", ["i"]),
    ("closing the dialog", [ESC]),
    ("the help screen", [F1]),
    ("closing the help screen", [ESC]),
    ("the palette", [CTRL_P, shows("🔎"), *"the"]),
    ("closing the palette", [ESC, gone("🔎")]),
    ("the mono theme", choose_theme("mono")),
    ("a dark theme", choose_theme("canvas-dark")),
    ("back to the first theme", choose_theme("canvas")),
]


TRANSIENT = {"a notification, come and gone": "Saved"}


@pytest.mark.parametrize(
    ("colours", "term_name", "size"),
    [("256", "xterm-256color", (120, 40)), ("16", "xterm-16color", (80, 24))],
    ids=["256-colours-120x40", "16-colours-80x24"],
)
def test_a_session_in_canvas_tui(tmp_path: Path, colours: str, term_name: str, size: tuple[int, int]) -> None:
    canvas = tmp_path / "canvas.toml"
    canvas.write_text(CANVAS, encoding="utf-8")
    tee = tmp_path / "textual-output"
    argv: list[str | Path] = [CANVAS_TUI, "--no-autosave", canvas]
    columns, lines = size
    env = environment(colours) | {"CANVAS_TUI_WIRE_TEE": str(tee)}
    with Terminal(argv, columns=columns, lines=lines, env=env, term=term_name, export_size=False) as term:
        term.wait_for("resolved")
        term.send(HOME)
        reference = Reference(tee, columns, lines)
        assert_same_as_full_repaint(term, "opening the canvas", reference)
        for step, keys in SESSION:
            for key in keys:
                if callable(key):
                    key(term)
                elif key == ESC:
                    term.press_escape()  # a lone ESC, not the start of a sequence
                else:
                    term.send(key)
                    time.sleep(0.01)
            if step in TRANSIENT:  # on screen for a few seconds: checked once it has gone again
                term.wait_for(TRANSIENT[step])
                term.wait_for_gone(TRANSIENT[step])
            assert_same_as_full_repaint(term, step, reference)
        resize(term, reference, columns - 17, lines - 5)
        term.wait_until_quiet()
        assert_same_as_full_repaint(term, "a smaller terminal", reference)
        resize(term, reference, columns, lines)
        term.wait_until_quiet()
        assert_same_as_full_repaint(term, "the first size again", reference)


def stopped(pid: int) -> bool:
    """Whether process `pid` is stopped (state T in /proc)."""
    stat = Path(f"/proc/{pid}/stat").read_text(encoding="ascii")
    return stat.rsplit(")", 1)[1].split()[0] in ("T", "t")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads process states from /proc")
def test_a_resize_that_ends_where_it_started_repaints_everything(tmp_path: Path) -> None:
    """Shrunk and grown back between two frames (a window dragged fast, a slow machine): the terminal
    pushed the top rows off as it shrank and shows blank rows at the bottom, while the app sees its
    old size and would repaint nothing. Made certain here by stopping the app across both resizes,
    so it gets one SIGWINCH and reads the size it started at."""
    canvas = tmp_path / "canvas.toml"
    canvas.write_text(CANVAS, encoding="utf-8")
    argv: list[str | Path] = [CANVAS_TUI, "--no-autosave", canvas]
    with Terminal(argv, columns=80, lines=24, env=environment("256"), export_size=False) as term:
        term.wait_for("resolved")
        term.wait_until_quiet()
        before = term.cells()
        assert term.process is not None
        pid = term.process.pid
        os.kill(pid, signal.SIGSTOP)
        try:
            term.wait_until(lambda: stopped(pid), 10, description="the app stopped")
            term.resize(80, 19)
            term.resize(80, 24)
            assert differences(before, term.cells()), "the terminal moved nothing: this test tests nothing"
        finally:
            os.kill(pid, signal.SIGCONT)
        with contextlib.suppress(TerminalTimeout):
            term.wait_until(lambda: not differences(before, term.cells()), 10, description="the repaint")
        found = differences(before, term.cells())
        assert not found, "after the resize, the screen differs from what it showed:\n" + "\n".join(found)
