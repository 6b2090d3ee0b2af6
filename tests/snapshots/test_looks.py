"""Snapshot tests: what the screens look like at 120x40, 80x24 and the small-terminal fallback.

Update after an intended change with `make snapshots`, and review the SVG diff like code.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.tui.helpers import make_app

from canvas_tui.files.resources import example_canvas_path

SIZES = [(120, 40), (80, 24)]


@pytest.fixture
def example_app(tmp_path: Path):  # type: ignore[no-untyped-def]
    copy = tmp_path / "canvas.toml"
    shutil.copyfile(example_canvas_path(), copy)
    return make_app(copy)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_canvas(snap_compare, example_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(example_app, terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_canvas_after_moving_and_marking(snap_compare, example_app, size) -> None:  # type: ignore[no-untyped-def]
    """The focused card moves and the header counts change at once."""
    assert snap_compare(example_app, terminal_size=size, press=["l", "j", "space"])


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_editor(snap_compare, example_app, size) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(example_app, terminal_size=size, press=["n", "enter"])


def test_editor_with_guidance_hidden(snap_compare, example_app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(example_app, terminal_size=(120, 40), press=["enter", "f2"])


def test_help(snap_compare, example_app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(example_app, terminal_size=(120, 40), press=["question_mark"])


def test_fallback_list_at_60x20(snap_compare, example_app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(example_app, terminal_size=(60, 20), press=["tab", "tab", "tab"])


def test_canvas_info(snap_compare, example_app) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(example_app, terminal_size=(80, 24), press=["i"])
