"""Keys that arrive together (one read, as over SSH) land where they would have landed typed slowly.

Textual forwards each key of a batch to the widget focused when the app reads it, but tab moves the
focus only when the key has bubbled back up to the app: without care, the rest of the burst goes into
the field the tab was meant to leave. A quit, bound ahead of every widget, ran before a save typed
just before it had come back up from the focused widget: the save was dropped behind the quit dialog.
Each test here writes its whole burst to the pty in one write.
"""

from __future__ import annotations

import os
import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from canvas_tui.files import recovery

from .terminal import CTRL_Q, CTRL_S, ESC, HOME, Terminal, installed_script

CANVAS_TUI = installed_script("canvas-tui")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "churn-early-warning.toml"
CTRL_Z = b"\x1a"
BLANK_HEADER = """\
[canvas]
template = "mlops-canvas-v1.1"
product = ""
designed_by = ""
date = ""
iteration = 1
"""
TAB, SHIFT_TAB, BACKSPACE = b"\t", b"\x1b[Z", b"\x7f"


def run_info_form(tmp_path: Path, burst: bytes) -> dict[str, object]:
    """Open the info form on a canvas with a blank header, send `burst` in one write, and return
    the [canvas] table saved after the form closed."""
    canvas = tmp_path / "canvas.toml"
    canvas.write_text(BLANK_HEADER, encoding="utf-8")
    env = dict(os.environ, XDG_CONFIG_HOME=str(tmp_path / "config"))
    with Terminal([CANVAS_TUI, canvas], columns=100, lines=30, env=env) as term:
        term.wait_for("resolved")
        term.send("i")
        term.wait_for("Canvas info")
        term.wait_for("Apply")
        term.send(burst)  # one write: the keys reach the app in one read
        term.wait_for_gone("Canvas info")
        term.send(CTRL_Q)  # autosave is on: quitting saves
        assert term.wait_exit() == 0
    header: dict[str, object] = tomllib.loads(canvas.read_text(encoding="utf-8"))["canvas"]
    return header


def test_tabs_in_a_burst_move_between_the_info_fields(tmp_path: Path) -> None:
    burst = b"Prod" + TAB + b"Des" + TAB + b"2026-11-26" + TAB + BACKSPACE + b"2\r"
    header = run_info_form(tmp_path, burst)
    assert (header["product"], header["designed_by"]) == ("Prod", "Des")
    assert (header["date"], header["iteration"]) == ("2026-11-26", 2)


def test_shift_tab_in_a_burst_goes_back_a_field(tmp_path: Path) -> None:
    burst = b"Prod" + TAB + b"Des" + SHIFT_TAB + b"uct" + TAB + TAB + b"2026-11-26\r"
    header = run_info_form(tmp_path, burst)
    assert (header["product"], header["designed_by"]) == ("Product", "Des")
    assert (header["date"], header["iteration"]) == ("2026-11-26", 1)


# -- a save, then a quit, in one read: saved, and no question asked ---------------------------------


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    return Path(shutil.copyfile(EXAMPLE, tmp_path / "canvas.toml"))


def background(path: Path) -> dict[str, Any]:
    block: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))["blocks"]["background"]
    return block


def open_first_editor(term: Terminal) -> None:
    term.wait_for("resolved")
    term.send(HOME)  # the cursor starts on the first unresolved block
    term.send("e")
    term.wait_for("Guiding questions")


def quits_by_itself(term: Terminal) -> None:
    """The app ends on its own with 0: a quit dialog would have kept it running, waiting for an answer."""
    assert term.wait_exit() == 0


def test_text_escape_then_save_and_quit_in_one_read_saves_and_quits(example_copy: Path) -> None:
    with Terminal([CANVAS_TUI, "--no-autosave", example_copy], columns=120, lines=40) as term:
        open_first_editor(term)
        term.send(b"Typed just before quitting." + ESC)  # the escape key once its delay has passed
        term.wait_for_gone("Guiding questions")
        term.send(CTRL_S + CTRL_Q)
        quits_by_itself(term)
    assert background(example_copy)["text"].endswith("Typed just before quitting.")
    assert not recovery.recovery_files(example_copy)


def test_text_save_and_quit_in_one_read_inside_the_editor(example_copy: Path) -> None:
    with Terminal([CANVAS_TUI, "--no-autosave", example_copy], columns=120, lines=40) as term:
        open_first_editor(term)
        term.send(b"Typed, saved and quit at once." + CTRL_S + CTRL_Q)
        quits_by_itself(term)
    assert background(example_copy)["text"].endswith("Typed, saved and quit at once.")
    assert not recovery.recovery_files(example_copy)


def test_status_save_and_quit_in_one_read(example_copy: Path) -> None:
    assert background(example_copy)["status"] == "done"
    with Terminal([CANVAS_TUI, "--no-autosave", example_copy], columns=120, lines=40) as term:
        term.wait_for("resolved")
        term.send(HOME + b" " + CTRL_S + CTRL_Q)  # space: done -> todo
        quits_by_itself(term)
    assert background(example_copy)["status"] == "todo"
    assert not recovery.recovery_files(example_copy)


def test_undo_then_save_in_one_read_saves_the_undone_text(example_copy: Path) -> None:
    with Terminal([CANVAS_TUI, "--no-autosave", example_copy], columns=120, lines=40) as term:
        open_first_editor(term)
        # Three undo steps: the typing, the backspace, the typing after it.
        term.send(b"Kept.X")
        term.wait_for("Kept.X")
        term.send(BACKSPACE)
        term.wait_for_gone("Kept.X")
        term.send(b"Gone")
        term.wait_for("Kept.Gone")
        term.send(CTRL_Z + CTRL_S)
        term.wait_until(
            lambda: background(example_copy)["text"].endswith("Kept."), description="the undone text saved"
        )
        term.send(CTRL_Q)
        quits_by_itself(term)
    assert background(example_copy)["text"].endswith("Kept.")
    assert not recovery.recovery_files(example_copy)


def test_backspace_in_a_burst_deletes_before_the_keys_behind_it(example_copy: Path) -> None:
    with Terminal([CANVAS_TUI, "--no-autosave", example_copy], columns=120, lines=40) as term:
        open_first_editor(term)
        term.send(b"Kept.X" + BACKSPACE + b"Typed" + CTRL_S + CTRL_Q)
        quits_by_itself(term)
    assert background(example_copy)["text"].endswith("Kept.Typed")
