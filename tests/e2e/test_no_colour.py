"""Where colour is unwanted (NO_COLOR) or unknown (TERM=dumb), canvas-tui draws in the terminal's
own colours: no 24-bit or 256-colour codes, and no background of its own (a black one was painted
over light terminals)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from .terminal import CTRL_Q, Terminal, installed_script

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "churn-early-warning.toml"
SGR = re.compile(rb"\x1b\[([0-9;:]*)m")


def colour_codes(output: bytes) -> set[str]:
    """Every colour an SGR sequence sets (38/48: 8-bit or 24-bit; 30-37, 40-47, 90-107: ANSI)."""
    found = set()
    for match in SGR.finditer(output):
        parts = match.group(1).decode().replace(":", ";").split(";")
        index = 0
        while index < len(parts):
            part = parts[index]
            if part in ("38", "48"):
                found.add(";".join(parts[index : index + (5 if parts[index + 1] == "2" else 3)]))
                index += 5 if parts[index + 1] == "2" else 3
                continue
            if part.isdigit() and (30 <= int(part) <= 37 or 40 <= int(part) <= 47 or 90 <= int(part) <= 107):
                found.add(part)
            index += 1
    return found


@pytest.mark.parametrize(
    ("term", "extra"),
    [("dumb", {}), ("xterm-256color", {"NO_COLOR": "1"})],
    ids=["TERM=dumb", "NO_COLOR"],
)
def test_mono_uses_the_terminals_own_colours(tmp_path: Path, term: str, extra: dict[str, str]) -> None:
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), **extra}
    env.pop("CANVAS_TUI_THEME", None)
    if "NO_COLOR" not in extra:
        env.pop("NO_COLOR", None)
    with Terminal(
        [installed_script("canvas-tui"), "--no-autosave", EXAMPLE], columns=100, lines=30, env=env, term=term
    ) as screen:
        screen.wait_for("resolved")
        screen.wait_until_quiet()
        output = screen.output
        backgrounds = {cell.bg for row in screen.cells() for cell in row}
        screen.send(CTRL_Q)
        assert screen.wait_exit() == 0
    assert b"38;2;" not in output and b"48;2;" not in output
    assert colour_codes(output) == set()
    assert backgrounds == {"default"}
