"""End-to-end: an idle canvas with an editor (or the search field) open writes nothing.

Over SSH every byte a TUI writes crosses the network; a blinking cursor alone repaints twice a
second. The real `canvas-tui` runs in a pseudo-terminal, opens a block's editor (or the search
field, a one-line input), settles, and must then write 0 bytes for 5 seconds.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from .terminal import CTRL_Q, Terminal, installed_script

CANVAS_TUI = installed_script("canvas-tui")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "churn-early-warning.toml"
IDLE_SECONDS = 5.0
SETTLE_QUIET = 1.0
"""The screen counts as settled after this long without output: longer than the usual wait, as the
5 s of silence that follow must not catch the tail of a repaint."""


OPEN = {
    "editor": ("e", "Guiding questions"),
    "search": ("/", "Search block text"),
}


@pytest.mark.parametrize(
    ("what", "term_name"),
    [("editor", "xterm-256color"), ("editor", "linux"), ("search", "xterm-256color")],
)
def test_idle_writes_nothing(tmp_path: Path, what: str, term_name: str) -> None:
    if not CANVAS_TUI.exists():
        pytest.fail(f"{CANVAS_TUI} is missing; install the project into this environment (pip install -e .)")
    canvas = Path(shutil.copyfile(EXAMPLE, tmp_path / EXAMPLE.name))
    config_home = tmp_path / "config"
    config_home.mkdir()
    env = {**os.environ, "XDG_CONFIG_HOME": str(config_home)}
    for name in ("NO_COLOR", "CANVAS_TUI_THEME", "TEXTUAL_COLOR_SYSTEM"):
        env.pop(name, None)
    with Terminal([CANVAS_TUI, canvas], columns=120, lines=40, env=env, term=term_name) as term:
        term.wait_for("resolved")
        key, shown = OPEN[what]
        term.send(key)
        term.wait_for(shown)
        term.wait_until_quiet(SETTLE_QUIET)

        before = term.bytes_read
        time.sleep(IDLE_SECONDS)
        written = term.output[before:]
        assert term.bytes_read == before, (
            f"{term.bytes_read - before} bytes written in {IDLE_SECONDS} s of idling: {written[:400]!r}"
        )

        term.press_escape()
        term.send(CTRL_Q)
        assert term.wait_exit() == 0
