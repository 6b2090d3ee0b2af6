"""Fixtures for Pilot tests: a fresh copy of the example canvas."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from canvas_tui.files.resources import example_canvas_path


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "canvas.toml"
    shutil.copyfile(example_canvas_path(), copy)
    return copy
