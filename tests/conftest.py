"""Fixtures shared by the core tests: the bundled template, the example canvas and fixture files."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from canvas_tui.model import Template
from canvas_tui.templates import load_template

TESTS = Path(__file__).parent
DATA = TESTS / "data"
EXAMPLE = TESTS.parent / "examples" / "churn-early-warning.toml"


@pytest.fixture
def template() -> Template:
    return load_template()


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A private copy of the example canvas, safe to save over."""
    return Path(shutil.copy(EXAMPLE, tmp_path / EXAMPLE.name))


@pytest.fixture
def fixture_copy(tmp_path: Path) -> Callable[[str], Path]:
    """Copy `tests/data/<name>` (a file or a folder) into tmp_path and return the copy's path."""

    def copy(name: str) -> Path:
        source = DATA / name
        target = tmp_path / source.name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copyfile(source, target)
        return target

    return copy


@pytest.fixture
def bashrc(tmp_path: Path) -> Path:
    """A file outside the canvas's folder that a planted link points at (think ~/.bashrc)."""
    home = tmp_path / "home"
    home.mkdir()
    target = home / ".bashrc"
    target.write_text("alias ll='ls -l'\n", encoding="utf-8")
    return target
