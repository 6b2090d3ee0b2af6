"""Keys that arrive together (one read, as over SSH) land where they would have landed typed slowly.

Textual forwards each key of a batch to the widget focused when the app reads it, but tab moves the
focus only when the key has bubbled back up to the app: without care, the rest of the burst goes into
the field the tab was meant to leave. Each test here writes its whole burst to the pty in one write.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from .terminal import CTRL_Q, Terminal, installed_script

CANVAS_TUI = installed_script("canvas-tui")
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
