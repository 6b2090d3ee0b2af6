"""Files from strangers, through the installed command: a canvas that is /dev/zero, a link to it or
a named pipe ends every command at once with one line (exit 2), and an export's default name
planted as a link is never written through.

A repository can commit `canvas.toml -> /dev/zero`: a pre-commit hook running `canvas-tui check`
must then fail in a moment, not eat memory or wait forever.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

CANVAS_TUI = Path(sys.executable).parent / "canvas-tui"
BOUND = 20.0
"""Seconds a command may take before it counts as hung: generous for a loaded machine."""


def run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CANVAS_TUI), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=BOUND,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "120", "HOME": str(cwd)},
    )


@pytest.fixture(params=["/dev/zero", "link to /dev/zero", "fifo", "link to fifo"])
def hostile(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    pipe = tmp_path / "fifo.toml"
    os.mkfifo(pipe)
    if request.param == "/dev/zero":
        return Path("/dev/zero")
    if request.param == "fifo":
        return pipe
    link = tmp_path / "canvas.toml"
    link.symlink_to("/dev/zero" if request.param == "link to /dev/zero" else pipe)
    return link


COMMANDS = [
    ["check", "{}"],
    ["status", "{}"],
    ["status", "--json", "{}"],
    ["diff", "{}", "{}"],
    ["lint", "{}"],
    ["export", "{}", "-f", "md"],
    ["export", "{}", "-f", "json", "-o", "-"],
    ["git", "textconv", "{}"],
    ["{}"],  # open in the editor: the file is read before the terminal is asked for
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c).replace("{}", "X"))
def test_every_command_refuses_a_canvas_that_is_no_file_with_one_line(
    hostile: Path, command: list[str], tmp_path: Path
) -> None:
    result = run(*[str(hostile) if word == "{}" else word for word in command], cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert str(hostile) in lines[0]
    assert "not a canvas file" in lines[0]


@pytest.mark.parametrize("format_id", ["pdf", "svg"])
def test_an_export_default_name_planted_as_a_link_is_refused(
    format_id: str, example: Path, tmp_path: Path
) -> None:
    """`canvas.pdf -> ../../.bashrc` committed beside the canvas: `export -f pdf` must not write it."""
    home = tmp_path / "home"
    home.mkdir()
    bashrc = home / ".bashrc"
    bashrc.write_text("alias ll='ls -l'\n", encoding="utf-8")
    planted = example.with_suffix(f".{format_id}")
    planted.symlink_to(os.path.relpath(bashrc, planted.parent))
    result = run("export", example, "-f", format_id, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    errors = [line for line in result.stderr.splitlines() if not line.startswith("canvas-tui: warning:")]
    assert errors == [
        f"canvas-tui: error: {planted}: could not write the export: is a symbolic link; "
        "canvas-tui does not follow links it did not create"
    ]
    assert bashrc.read_text(encoding="utf-8") == "alias ll='ls -l'\n"
    assert planted.is_symlink()


def test_an_export_to_a_name_the_user_typed_goes_through_its_link(example: Path, tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.md"
    target.write_text("old\n", encoding="utf-8")
    typed = tmp_path / "readme-canvas.md"
    typed.symlink_to(target)
    result = run("export", example, "-o", typed, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert typed.is_symlink() and target.read_text(encoding="utf-8").startswith("#")
