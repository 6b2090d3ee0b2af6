"""Fixtures for the export tests: the example canvas loaded as the CLI would, and golden files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from canvas_tui.storage import CanvasFile

REPO = Path(__file__).parents[2]
GOLDEN = Path(__file__).parent / "golden"
EXAMPLE_RELATIVE = Path("examples") / "churn-early-warning.toml"


@pytest.fixture
def example_document(monkeypatch: pytest.MonkeyPatch) -> CanvasFile:
    """The example canvas, loaded by the relative path a user would type, so `file` is stable."""
    monkeypatch.chdir(REPO)
    return CanvasFile.load(EXAMPLE_RELATIVE)


def check_golden(name: str, text: str) -> None:
    """Compare `text` with tests/export/golden/<name>; UPDATE_GOLDEN=1 rewrites the file instead."""
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.write_bytes(text.encode("utf-8"))
        return
    assert path.exists(), f"{path} is missing; create it with UPDATE_GOLDEN=1 pytest tests/export"
    expected = path.read_bytes().decode("utf-8")
    assert text == expected, (
        f"the export differs from {path.relative_to(REPO)}; if the change is intended, "
        "regenerate with UPDATE_GOLDEN=1 pytest tests/export and review the diff"
    )
