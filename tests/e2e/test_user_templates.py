"""End-to-end: a user's own canvas templates, in a real pty, at 120x40 (full grid) and 80x24
(compact): shown with every block where its template puts it, navigated by geometry over spans,
edited, saved and exported. The templates come from XDG_CONFIG_HOME, as for a user."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from canvas_tui.model import Template
from canvas_tui.templates import load_template_file

from .terminal import CTRL_Q, CTRL_S, ENTER, HOME, Terminal, installed_script

CANVAS_TUI = installed_script("canvas-tui")
TEMPLATES = Path(__file__).resolve().parents[1] / "data" / "templates"
SIZES = [(120, 40), (80, 24)]
SENTENCE = "Typed into my own canvas."
UP, DOWN, RIGHT, LEFT = b"\x1b[A", b"\x1b[B", b"\x1b[C", b"\x1b[D"

# Moves from the first block, and the block each one reaches (geometry over spans).
WALKS = {
    "four-columns.toml": [
        (RIGHT, "design"),
        (RIGHT, "release"),
        (RIGHT, "review"),
        (DOWN, "next_steps"),
        (LEFT, "support"),  # row 4 is kept: Support spans rows 2-4
        (LEFT, "plan"),
        (LEFT, "success"),
        (UP, "users"),
        (RIGHT, "design"),  # Users is row 2: Design spans rows 1-2
        (DOWN, "plan"),
        (UP, "design"),
        (UP, "design"),  # the top edge: stays
    ],
    "three-by-three.toml": [
        (DOWN, "past_process"),
        (RIGHT, "present_process"),
        (RIGHT, "future_process"),
        (RIGHT, "future_process"),  # the right edge: stays
        (DOWN, "future_product"),
        (LEFT, "present_product"),
        (UP, "present_process"),
    ],
}


@pytest.fixture(autouse=True)
def _installed() -> None:
    if not CANVAS_TUI.exists():
        pytest.fail(f"{CANVAS_TUI} is missing; install the project into this environment (pip install -e .)")


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """An environment whose config folder holds the two fixture templates."""
    home = tmp_path / "config"
    folder = home / "canvas-tui" / "templates"
    folder.mkdir(parents=True)
    for path in TEMPLATES.glob("*.toml"):
        shutil.copy(path, folder)
    return {**os.environ, "XDG_CONFIG_HOME": str(home), "HOME": str(tmp_path)}


def run(env: dict[str, str], *args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CANVAS_TUI), *map(str, args)], capture_output=True, text=True, timeout=60, env=env
    )


def title_positions(term: Terminal, template: Template) -> dict[str, tuple[int, int]]:
    """(column, row) on screen of each block's card title (its full or short title, in bold)."""
    lines, cells = term.screen_lines(), term.cells()
    found: dict[str, tuple[int, int]] = {}
    header = 2  # the header's rows name the canvas, not blocks
    for spec in template.blocks:
        for y, line in enumerate(lines[header:], start=header):
            for title in (spec.title, spec.short_title):
                x = line.find(title)
                if x > 0 and line[x - 1] in "│┃ " and cells[y][x].bold and spec.id not in found:
                    found[spec.id] = (x, y)
    return found


def current_block(term: Terminal, template: Template) -> str | None:
    """The block whose card title is drawn in reverse (the current card's mark)."""
    cells = term.cells()
    for spec, (x, y) in title_positions(term, template).items():
        if cells[y][x].reverse and cells[y][x + 1].reverse:
            return spec
    return None


def wait_current(term: Terminal, template: Template, block_id: str) -> None:
    term.wait_until(lambda: current_block(term, template) == block_id, description=f"{block_id} current")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("fixture", sorted(WALKS))
def test_a_user_template_works_like_the_bundled_one(
    env: dict[str, str], tmp_path: Path, fixture: str, size: tuple[int, int]
) -> None:
    template = load_template_file(TEMPLATES / fixture)
    path = tmp_path / "mine.toml"
    created = run(env, "new", path, "--template", template.id, "--product", "Mine")
    assert created.returncode == 0, created.stderr
    columns, lines = size

    with Terminal([CANVAS_TUI, "--no-autosave", path], columns=columns, lines=lines, env=env) as term:
        term.wait_for(f"0/{len(template.blocks)} resolved")
        for column in template.columns:
            term.wait_for(column.title)
        term.wait_until(
            lambda: len(title_positions(term, template)) == len(template.blocks),
            description="every block's title on screen",
        )
        places = title_positions(term, template)
        # The grid as the template describes it: a column's cards share a screen column, top to
        # bottom in row order; cards starting on the same grid row start on the same screen row.
        for column in template.columns:
            specs = template.blocks_in(column.id)
            assert len({places[spec.id][0] for spec in specs}) == 1, column.id
            assert [places[spec.id][1] for spec in specs] == sorted(places[spec.id][1] for spec in specs)
        for first in template.blocks:
            for second in template.blocks:
                if first.row == second.row:
                    assert abs(places[first.id][1] - places[second.id][1]) <= 1, (first.id, second.id)

        term.send(HOME)
        wait_current(term, template, template.blocks[0].id)
        for key, expected in WALKS[fixture]:
            term.send(key)
            wait_current(term, template, expected)

        target = WALKS[fixture][-1][1]
        spec = template.block(target)
        term.send(ENTER)
        term.wait_for(f"block {template.block_ids.index(target) + 1}/{len(template.blocks)}")
        term.send(SENTENCE)
        term.wait_for(SENTENCE)
        term.press_escape()
        term.wait_for("resolved")
        term.wait_for("unsaved")
        term.send(CTRL_S)
        term.wait_for("Saved")
        term.wait_for_gone("unsaved")
        term.send(CTRL_Q)
        assert term.wait_exit() == 0

    saved = tomllib.loads(path.read_text())
    assert saved["canvas"]["template"] == template.id
    assert saved["blocks"][spec.id]["text"].strip() == SENTENCE
    assert list(saved["blocks"]) == list(template.block_ids)

    for fmt in ("md", "html", "json"):
        result = run(env, "export", path, "--format", fmt)
        assert result.returncode == 0, result.stderr
        assert SENTENCE in result.stdout, fmt
        assert spec.title in result.stdout, fmt
    data = json.loads(run(env, "export", path, "--format", "json").stdout)
    assert data["template"] == template.id
    status = run(env, "status", path)
    assert status.returncode == 0, status.stderr
    assert f"0/{len(template.blocks)} resolved" in status.stdout  # one draft, nothing resolved
    lint = run(env, "lint", path)
    assert lint.returncode == 0, lint.stdout
