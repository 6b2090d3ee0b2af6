"""End-to-end: `canvas-tui demo` leaves nothing behind. A theme chosen inside the demo is not written
to the user's settings, no place is kept for the temporary copy, and the copy itself is gone after
quitting; the same steps on a canvas of one's own do remember the theme (so the steps are real)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from canvas_tui.files.resources import example_canvas_path
from canvas_tui.files.settings import settings_path

from .terminal import CTRL_Q, ENTER, Terminal, installed_script

CANVAS_TUI = installed_script("canvas-tui")
CTRL_P = b"\x10"
DOWN = b"\x1b[B"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Every place a session could write to, inside tmp_path."""
    folders = {name: tmp_path / name for name in ("home", "config", "state", "data", "cache", "tmp")}
    for folder in folders.values():
        folder.mkdir()
    return {
        **os.environ,
        "HOME": str(folders["home"]),
        "XDG_CONFIG_HOME": str(folders["config"]),
        "XDG_STATE_HOME": str(folders["state"]),
        "XDG_DATA_HOME": str(folders["data"]),
        "XDG_CACHE_HOME": str(folders["cache"]),
        "TMPDIR": str(folders["tmp"]),
    }


def choose_theme_and_quit(term: Terminal, theme: str) -> None:
    term.wait_for("resolved")
    term.send(CTRL_P)
    term.wait_for("Search for commands")
    term.send("theme")
    term.wait_for("Change the current theme")
    term.send(ENTER)
    term.wait_for("Search for themes")
    term.send(theme)
    term.wait_until_quiet()
    term.send(DOWN)
    term.wait_until_quiet()
    term.send(ENTER)
    term.wait_for_gone(theme)  # the picker closed
    term.wait_until_quiet()
    term.send(CTRL_Q)
    assert term.wait_exit() == 0


def files_under(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.is_file())


def test_a_theme_chosen_in_the_demo_is_not_remembered(env: dict[str, str], tmp_path: Path) -> None:
    with Terminal([str(CANVAS_TUI), "demo"], columns=80, lines=24, env=env) as term:
        term.wait_for("Demo copy")
        choose_theme_and_quit(term, "high-contrast")
    for name in ("home", "config", "state", "data", "cache", "tmp"):
        assert files_under(tmp_path / name) == [], name
    assert list((tmp_path / "tmp").iterdir()) == [], "the temporary copy is gone"


def test_the_same_steps_on_ones_own_canvas_remember_the_theme(env: dict[str, str], tmp_path: Path) -> None:
    canvas = tmp_path / "home" / "canvas.toml"
    shutil.copyfile(example_canvas_path(), canvas)
    with Terminal([str(CANVAS_TUI), "--no-autosave", str(canvas)], columns=80, lines=24, env=env) as term:
        choose_theme_and_quit(term, "high-contrast")
    settings = settings_path({"XDG_CONFIG_HOME": env["XDG_CONFIG_HOME"]})
    assert 'theme = "high-contrast"' in settings.read_text(encoding="utf-8")
