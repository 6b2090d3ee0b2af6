"""ctrl+o hands the block to $EDITOR (through Textual's suspend) and takes the result back."""

from __future__ import annotations

import os
import shutil
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import tomlkit

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from .terminal import CTRL_Q, CTRL_S, HOME, Terminal, installed_script

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "churn-early-warning.toml"


@contextmanager
def ctrl_o_with(
    tmp_path: Path, script: str, first_text: str | None = None
) -> Iterator[tuple[Path, Terminal]]:
    """A copy of the example open in canvas-tui with `script` as $EDITOR, ctrl+o pressed on
    the first block (its text replaced by `first_text` when given); yields the canvas path and
    the running Terminal."""
    canvas = Path(shutil.copyfile(EXAMPLE, tmp_path / "canvas.toml"))
    if first_text is not None:
        document = tomlkit.parse(canvas.read_text(encoding="utf-8"))
        document["blocks"]["background"]["text"] = first_text
        canvas.write_text(tomlkit.dumps(document), encoding="utf-8")
    editor = tmp_path / "fake-editor"
    editor.write_text(f"#!/bin/sh\n{script}\n", encoding="utf-8")
    editor.chmod(0o755)
    env = dict(os.environ, VISUAL="", EDITOR=str(editor))
    with Terminal(
        [installed_script("canvas-tui"), "--no-autosave", canvas], columns=120, lines=40, env=env
    ) as term:
        term.wait_for("resolved")
        term.send(HOME)  # the cursor starts on the first unresolved block
        term.send("e")
        term.wait_for("Guiding questions")
        term.send(b"\x0f")  # ctrl+o
        yield canvas, term


def test_ctrl_o_edits_the_block_in_the_editor_from_the_environment(tmp_path: Path) -> None:
    # A stand-in for vi: appends a line to the file it is given, like a user would.
    with ctrl_o_with(tmp_path, 'printf "Written in EDITOR.\\n" >> "$1"') as (canvas, term):
        term.wait_for("Written in EDITOR.")
        term.send(CTRL_S)
        term.wait_for("Saved")
        term.send(CTRL_Q)
        assert term.wait_exit() == 0
    original = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))["blocks"]["background"]["text"]
    text = tomllib.loads(canvas.read_text(encoding="utf-8"))["blocks"]["background"]["text"]
    assert text == original + "Written in EDITOR.\n"


def test_an_editor_that_fails_after_writing_leaves_its_text_next_to_the_canvas(tmp_path: Path) -> None:
    before = EXAMPLE.read_bytes()
    with ctrl_o_with(tmp_path, 'printf "Half done.\\n" >> "$1"\nexit 1') as (canvas, term):
        term.wait_for("from-editor.md")
        term.send(CTRL_Q)
        assert term.wait_exit() == 0
    kept = tmp_path / "canvas.background.from-editor.md"
    assert kept.read_text(encoding="utf-8").endswith("Half done.\n")
    assert canvas.read_bytes() == before


def block_text(canvas: Path) -> str:
    text: str = tomllib.loads(canvas.read_text(encoding="utf-8"))["blocks"]["background"]["text"]
    return text


def test_a_line_appended_in_the_editor_keeps_its_line_break(tmp_path: Path) -> None:
    """The text had no final newline; the user added a line (vi ends it with a newline): the
    text comes back exactly as the editor left it, so the next line typed starts on its own."""
    script = 'printf "\\nSecond line.\\n" >> "$1"'
    with ctrl_o_with(tmp_path, script, first_text="First line.") as (canvas, term):
        term.wait_for("Second line.")
        term.send(CTRL_S)
        term.wait_for("Saved")
        term.send(CTRL_Q)
        assert term.wait_exit() == 0
    assert block_text(canvas) == "First line.\nSecond line.\n"


def test_the_newline_an_editor_only_adds_at_the_end_is_dropped(tmp_path: Path) -> None:
    """vi writes a final newline even when nothing was changed: the block stays as it was."""
    before = "First line."
    ran = tmp_path / "editor-ran"
    script = f'printf "\\n" >> "$1"; touch "{ran}"'
    with ctrl_o_with(tmp_path, script, first_text=before) as (canvas, term):
        term.wait_until(ran.exists, description="the editor to run")
        term.wait_for("Guiding questions")  # back in canvas-tui
        term.wait_until_quiet()
        assert "unsaved" not in term.screen_text()
        term.send(CTRL_Q)  # no change: quits without asking
        assert term.wait_exit() == 0
    assert block_text(canvas) == before
