"""The block editor's lean repaint never leaves stale characters (or colours) on a user's terminal.

BlockEditor repaints only the rows a change touched, where stock TextArea repaints the whole widget on
every key. Here it runs in a real pty and goes through typing, wrapping across rows, deleting,
selecting with shift+arrows, replacing a selection, joining lines, undo and redo; after each step the
emulated screen, every cell's character and colours, must equal a full repaint of the same state.

The full repaint comes from the app itself: the terminal is resized (one row taller, then back),
which makes Textual redraw everything, and the emulated screen is blanked before the final redraw, so
whatever the app did not draw anew shows as a difference, never as a false match.

It runs twice: the widget alone in a bare full-screen app (where no other repaint can cover for a
row it forgot), and in the installed `canvas-tui` command's block editor.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from .terminal import HOME, Cell, Terminal, installed_script

CANVAS_TUI = installed_script("canvas-tui")
EDITOR_APP = Path(__file__).with_name("editor_app.py")

CTRL_Z, CTRL_Y = b"\x1a", b"\x19"
BACKSPACE = b"\x7f"
LEFT, RIGHT, UP, DOWN = b"\x1b[D", b"\x1b[C", b"\x1b[A", b"\x1b[B"
SHIFT_LEFT, SHIFT_RIGHT, SHIFT_UP, SHIFT_DOWN = b"\x1b[1;2D", b"\x1b[1;2C", b"\x1b[1;2A", b"\x1b[1;2B"
F5, F6, F7 = b"\x1b[15~", b"\x1b[17~", b"\x1b[18~"

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
    ("moving away from the selection", [LEFT]),
    ("selecting down across paragraphs", [HOME, UP, UP, SHIFT_DOWN, SHIFT_DOWN, SHIFT_RIGHT]),
    ("typing over the selection", ["X"]),
    ("undoing the replacement", [CTRL_Z]),
    ("redoing it", [CTRL_Y]),
    ("typing in the middle of a wrapped paragraph", [UP, UP, *[RIGHT] * 10, *"inserted words here "]),
    ("undoing that typing", [CTRL_Z]),
    ("leaving the wrapped paragraph upwards", [UP] * 4),
    ("new lines in the middle", ["\r", "\r", *"a fresh line"]),
    ("undoing the new lines", [CTRL_Z, CTRL_Z, CTRL_Z]),
    ("joining two lines with backspace", [DOWN, HOME, BACKSPACE]),
    ("deleting a whole selected paragraph", [HOME, SHIFT_UP, SHIFT_UP, SHIFT_UP, BACKSPACE]),
    ("undoing everything", [CTRL_Z] * 12),
    # Cell-level repaints (BlockEditor._refresh_cells, Decoration.cursor, the left-cropping compositor).
    ("typing in the middle of a short line", [DOWN, DOWN, DOWN, HOME, RIGHT, RIGHT, *"mid "]),
    ("backspace in the middle of a short line", [BACKSPACE] * 3),
    ("wide characters typed, then deleted over", [*"日本語 ok", LEFT, LEFT, BACKSPACE, BACKSPACE]),
    ("typing at the end of a wrapped paragraph's last row", [UP, UP, b"\x1b[F", *" and more words"]),
]
# editor_app.py only: edits away from the cursor, as the external editor and reloads make.
EDITS_ELSEWHERE: list[tuple[str, list[bytes | str]]] = [
    ("an edit of the first line, the cursor elsewhere", [F5]),
    ("an edit that re-wraps a paragraph, the cursor elsewhere", [F6]),
    ("undoing both", [CTRL_Z, CTRL_Z]),
    ("redoing both", [CTRL_Y, CTRL_Y]),
    ("cutting a word so that it moves up a row, the cursor elsewhere", [F7]),
    ("undoing that", [CTRL_Z]),
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


def assert_same_as_full_repaint(term: Terminal, step: str) -> None:
    term.wait_until_quiet()
    shown = term.cells()
    columns, lines = term.columns, term.lines
    term.resize(columns, lines + 1)
    term.wait_until_quiet()
    term.forget_screen()
    term.resize(columns, lines)
    term.wait_until_quiet()
    found = differences(shown, term.cells())
    assert not found, f"after {step}, the screen differs from a full repaint:\n" + "\n".join(found)


def run_steps(term: Terminal, steps: list[tuple[str, list[bytes | str]]]) -> None:
    assert_same_as_full_repaint(term, "opening the editor")
    for step, keys in steps:
        for key in keys:
            term.send(key)
            time.sleep(0.01)  # one key per read, as a person types (a paste arrives as one read)
        assert_same_as_full_repaint(term, step)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_block_editor_alone(tmp_path: Path, size: tuple[int, int]) -> None:
    text = tmp_path / "text.txt"
    text.write_text(TEXT, encoding="utf-8")
    columns, lines = size
    # export_size=False: the app must follow the resizes that force its full repaints.
    argv: list[str | Path] = [sys.executable, EDITOR_APP, text]
    with Terminal(argv, columns=columns, lines=lines, export_size=False) as term:
        term.wait_for("Last line.")
        run_steps(term, STEPS + EDITS_ELSEWHERE)


def test_in_canvas_tui(tmp_path: Path) -> None:
    canvas = tmp_path / "canvas.toml"
    canvas.write_text(CANVAS, encoding="utf-8")
    argv: list[str | Path] = [CANVAS_TUI, "--no-autosave", canvas]
    with Terminal(argv, columns=80, lines=24, export_size=False) as term:
        term.wait_for("resolved")
        term.send(HOME)
        term.send("e")
        term.wait_for("block 1/15")
        term.wait_for("Last line.")
        run_steps(term, STEPS)
