"""Two people in one block at once, each a real canvas-tui in its own terminal with its own $USER.

Edits to different paragraphs of the block merge line by line: both land in the file, each editor
ends up showing both, and nothing asks. Edits to the same paragraph put the choice to the one who
saves second; "Keep both" marks only that paragraph, which `check` then fails on.
"""

from __future__ import annotations

import contextlib
import subprocess
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from canvas_tui.model import Status
from canvas_tui.storage import CanvasFile

from .terminal import CTRL_S, HOME, Terminal
from .test_presence import CANVAS_TUI, as_user

PARAGRAPHS = "Alpha one.\n\nBeta two.\n\nGamma three."
UP = b"\x1b[A"
LINE_START = b"\x1b[H"
# The editor opens with the cursor at the end of the text (the end of paragraph 3).
PARAGRAPH_1 = (UP, UP, UP, UP, LINE_START)
PARAGRAPH_2 = (UP, UP, LINE_START)


@pytest.fixture
def canvas(tmp_path: Path) -> Path:
    """A new canvas whose first block (Background) holds three paragraphs."""
    document = CanvasFile.create(tmp_path / "canvas.toml", product="Shared")
    document.canvas.set_text("background", PARAGRAPHS)
    document.canvas.set_status("background", Status.DRAFT)
    document.save()
    return document.path


def background_text(canvas: Path) -> str:
    return str(tomllib.loads(canvas.read_text(encoding="utf-8"))["blocks"]["background"]["text"])


def editor(canvas: Path, user: str) -> Terminal:
    # Without autosave, each save below happens when the test says; the disk check still runs.
    return Terminal([CANVAS_TUI, "--no-autosave", canvas], columns=120, lines=40, env=as_user(user))


def open_background(term: Terminal, *moves: bytes) -> None:
    """Open the Background block's editor and put the cursor where `moves` take it."""
    term.send(HOME)
    term.send("e")
    term.wait_for("Guiding questions")
    for move in moves:
        term.send(move)


@contextlib.contextmanager
def both_open(canvas: Path) -> Iterator[tuple[Terminal, Terminal]]:
    """Alice opens the canvas, then bob, who is told she has it open and opens it anyway."""
    with editor(canvas, "alice") as alice:
        alice.wait_for("resolved")  # she holds the canvas before bob starts
        with editor(canvas, "bob") as bob:
            bob.wait_for("• alice (PID ")
            bob.send("o")
            bob.wait_for("also open: alice")
            yield alice, bob


def test_paragraphs_one_and_three_edited_at_once_both_land(canvas: Path) -> None:
    with both_open(canvas) as (alice, bob):
        open_background(alice, *PARAGRAPH_1)
        alice.send("Alice says: ")
        alice.wait_for("Alice says: Alpha one.")
        open_background(bob)
        bob.send(" Bob adds.")
        bob.wait_for("Gamma three. Bob adds.")

        alice.send(CTRL_S)
        alice.wait_until(lambda: "Alice says:" in background_text(canvas), description="alice's save")
        # Bob's next disk check merges alice's paragraph into the text he is editing, without a word
        # of conflict, and names who saved.
        bob.wait_for("Alice says: Alpha one.")
        bob.wait_for("Gamma three. Bob adds.")
        bob.wait_for("Merged from disk by alice: Background.")
        assert "Changed here and on disk" not in bob.screen_text()
        bob.send(CTRL_S)
        merged = "Alice says: Alpha one.\n\nBeta two.\n\nGamma three. Bob adds."
        bob.wait_until(lambda: background_text(canvas) == merged, description="the merged text on disk")
        # Alice's editor takes bob's paragraph in too (hers was saved, so nothing of hers is replaced).
        alice.wait_for("Gamma three. Bob adds.")
        alice.wait_for("Alice says: Alpha one.")
        alice.wait_for("Changed by bob: Background.")
    check = subprocess.run([CANVAS_TUI, "check", canvas], capture_output=True, text=True)
    assert check.returncode == 0, check.stderr


def test_the_same_paragraph_edited_at_once_asks_and_keep_both_marks_only_it(canvas: Path) -> None:
    with both_open(canvas) as (alice, bob):
        open_background(alice, *PARAGRAPH_2)
        alice.send("A: ")
        alice.wait_for("A: Beta two.")
        open_background(bob, *PARAGRAPH_2)
        bob.send("B: ")
        bob.wait_for("B: Beta two.")

        alice.send(CTRL_S)
        alice.wait_until(lambda: "A: Beta two." in background_text(canvas), description="alice's save")
        bob.wait_for("Changed here and on disk")
        bob.wait_for("Lines only one side changed are kept")
        bob.send("b")  # keep both
        bob.wait_for_gone("Changed here and on disk")
        bob.send(CTRL_S)
        bob.wait_until(lambda: "B: Beta two." in background_text(canvas), description="bob's save")
    text = background_text(canvas)
    for line in ("Alpha one.", "Gamma three.", "A: Beta two.", "B: Beta two."):
        assert text.count(line) == 1, (line, text)
    lines = text.splitlines()
    # Only the clashing paragraph sits between the markers, bob's (the one who chose) first.
    start = next(i for i, line in enumerate(lines) if line.startswith("<<<<<<<"))
    middle = next(i for i, line in enumerate(lines) if line == "=======")
    end = next(i for i, line in enumerate(lines) if line.startswith(">>>>>>>"))
    # The markers name who wrote each side (from their presence files), not "mine": the file is shared.
    assert (lines[start], lines[end]) == ("<<<<<<< bob", ">>>>>>> alice")
    assert lines[start + 1 : middle] == ["B: Beta two."]
    assert lines[middle + 1 : end] == ["A: Beta two."]
    assert lines[:start] == ["Alpha one.", ""] and lines[end + 1 :] == ["", "Gamma three."]
    check = subprocess.run([CANVAS_TUI, "check", canvas], capture_output=True, text=True)
    assert check.returncode == 1
    assert "block Background holds a merge conflict marker" in check.stderr
