"""Snapshot tests of the bundled themes: the canvas at 120x40 in each, and the looks meant for
poor terminals (mono for NO_COLOR, canvas-ansi for 16 colours) at 80x24 too.

Update after an intended change with `make snapshots`, and review the SVG diff like code.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from canvas_tui.files.resources import example_canvas_path
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.app import CanvasApp
from canvas_tui.tui.appearance import Appearance

BUNDLED = ["canvas", "canvas-dark", "high-contrast", "mono", "canvas-ansi"]
SMALL_TERMINAL_LOOKS = ["mono", "canvas-ansi"]


def themed_app(folder: Path, theme: str) -> CanvasApp:
    copy = folder / "canvas.toml"
    shutil.copyfile(example_canvas_path(), copy)
    return CanvasApp(CanvasFile.load(copy), autosave=False, appearance=Appearance.fixed(theme))


def test_every_bundled_theme_has_a_snapshot() -> None:
    from canvas_tui.tui.themes import bundled_themes_folder

    assert sorted(path.stem for path in bundled_themes_folder().glob("*.toml")) == sorted(BUNDLED)


@pytest.mark.parametrize("theme", BUNDLED)
def test_canvas_at_120x40(snap_compare, tmp_path: Path, theme: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(themed_app(tmp_path, theme), terminal_size=(120, 40))


@pytest.mark.parametrize("theme", SMALL_TERMINAL_LOOKS)
def test_canvas_at_80x24(snap_compare, tmp_path: Path, theme: str) -> None:  # type: ignore[no-untyped-def]
    """Moved once and a status changed, so focus and a status change show in the snapshot too."""
    assert snap_compare(themed_app(tmp_path, theme), terminal_size=(80, 24), press=["l", "j", "space"])


@pytest.mark.parametrize("theme", SMALL_TERMINAL_LOOKS)
def test_editor_at_80x24(snap_compare, tmp_path: Path, theme: str) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(themed_app(tmp_path, theme), terminal_size=(80, 24), press=["n", "enter"])
