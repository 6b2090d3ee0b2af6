"""Over the output layer the block editor lets the terminal show its cursor, so a typed letter is
that letter on the wire; a dialog on top hides it, and with `--wire plain` TextArea draws its own."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from .terminal import HOME, Terminal, installed_script

CANVAS_TUI = installed_script("canvas-tui")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "churn-early-warning.toml"
PALETTE = b"\x10"


@contextlib.contextmanager
def open_editor(tmp_path: Path, wire: str) -> Iterator[Terminal]:
    canvas = Path(shutil.copyfile(EXAMPLE, tmp_path / "canvas.toml"))
    with Terminal([CANVAS_TUI, "--no-autosave", "--wire", wire, canvas], columns=100, lines=30) as term:
        term.wait_for("resolved")
        term.send(HOME)
        term.send("e")
        term.wait_for("Guiding questions")
        term.wait_until_quiet()
        yield term


def type_one(term: Terminal, letter: str) -> bytes:
    before = len(term.output)
    term.send(letter)
    term.wait_until(lambda: letter.encode() in term.output[before:], description=f"{letter!r} echoed")
    term.wait_until_quiet()
    return term.output[before:]


def test_a_typed_letter_is_the_letter_where_the_terminal_shows_the_cursor(tmp_path: Path) -> None:
    with open_editor(tmp_path, "diff") as term:
        assert not term.cursor_hidden()
        column, row = term.cursor()  # at the end of the text
        type_one(term, "Q")  # the first edit also marks the header "unsaved"
        assert term.char_at(column, row) == "Q", "the letter landed where the cursor was shown"
        assert term.cursor() == (column + 1, row)
        sent = type_one(term, "Z")
        assert sent == b"Z", sent
        assert term.char_at(column + 1, row) == "Z" and term.cursor() == (column + 2, row)
        # Inside a line the rest of it moves along: those cells, then the cursor back.
        term.send(b"\x1b[A")
        term.wait_until_quiet()
        line_column, line_row = term.cursor()
        sent = type_one(term, "W")
        assert b"W" in sent and len(sent) <= 40, sent  # (after a move, maybe one colour code first)
        assert term.char_at(line_column, line_row) == "W" and term.cursor() == (line_column + 1, line_row)

        term.send(PALETTE)
        term.wait_for("🔎")
        term.wait_until(lambda: term.cursor_hidden(), description="the cursor hidden under the palette")
        term.press_escape()
        term.wait_until(lambda: not term.cursor_hidden(), description="the cursor back in the editor")
        assert term.cursor() == (line_column + 1, line_row)
        term.press_escape()  # back to the canvas: no cursor there
        term.wait_until(lambda: term.cursor_hidden(), description="no cursor on the canvas")


def test_with_plain_output_the_editor_draws_its_cursor_cell(tmp_path: Path) -> None:
    with open_editor(tmp_path, "plain") as term:
        assert term.cursor_hidden()
        type_one(term, "Q")
        sent = type_one(term, "Z")
        assert len(sent) > 30, "plain output restyles the cells around the cursor (and more)"
