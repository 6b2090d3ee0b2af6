"""The palette's "Compare with HEAD": the block diff on screen, only when the canvas is in git."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from tests.observe import screen_text
from tests.tui.helpers import make_app
from tests.waiting import wait_until
from textual.widgets import OptionList

from canvas_tui.files.resources import example_canvas_path
from canvas_tui.model import Status
from canvas_tui.tui.screens.compare_screen import CompareScreen


def committed_canvas(folder: Path) -> Path:
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(folder),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.org",
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.org",
    }
    repo = folder / "repo"
    repo.mkdir()
    path = repo / "canvas.toml"
    shutil.copyfile(example_canvas_path(), path)
    for args in (["init", "-q"], ["add", "canvas.toml"], ["commit", "-q", "-m", "canvas"]):
        subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, timeout=60)
    return path


async def palette_hits(app: object, pilot: object, query: str) -> list[str]:
    from textual.app import App
    from textual.pilot import Pilot

    assert isinstance(app, App) and isinstance(pilot, Pilot)
    await pilot.press("ctrl+p")
    await pilot.press(*query)
    hits = app.screen.query_one(OptionList)
    await wait_until(lambda: hits.option_count, "the palette to list commands")
    return [str(hits.get_option_at_index(index).prompt) for index in range(hits.option_count)]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed (.ci/run installs it)")
async def test_compare_with_head_shows_the_changed_blocks(tmp_path: Path) -> None:
    path = committed_canvas(tmp_path)
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.session.set_status("model_governance", Status.DONE)  # unsaved: compared as it is now
        hits = await palette_hits(app, pilot, "compare with head")
        assert any("Compare with HEAD" in hit for hit in hits)
        await pilot.press("enter")
        await wait_until(lambda: isinstance(app.screen, CompareScreen), "the comparison to open")
        shown = screen_text(app)
        assert "Model / Model Governance  draft -> done" in shown
        assert "Background" not in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, CompareScreen)


async def test_outside_git_the_palette_has_no_compare(tmp_path: Path) -> None:
    path = tmp_path / "canvas.toml"
    shutil.copyfile(example_canvas_path(), path)
    app = make_app(path)
    async with app.run_test(size=(120, 40)) as pilot:
        hits = await palette_hits(app, pilot, "")  # every command the canvas offers
        assert any(hit.startswith("Save") for hit in hits)
        assert not any("Compare with HEAD" in hit for hit in hits)
