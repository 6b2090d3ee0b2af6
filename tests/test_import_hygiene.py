"""The core imports no Textual (design.md §7): each module is imported in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "src" / "canvas_tui"


def modules_in(folder: str) -> list[str]:
    """Every module of a core package, found on disk so that new modules are covered too."""
    return [
        f"canvas_tui.{folder}.{path.stem}"
        for path in sorted((PACKAGE / folder).glob("*.py"))
        if path.stem != "__init__"
    ]


CORE = [
    "canvas_tui",
    "canvas_tui.model",
    *modules_in("model"),
    "canvas_tui.storage",
    "canvas_tui.templates",
    "canvas_tui.resources",
    *(["canvas_tui.export", *modules_in("export")] if any(PACKAGE.glob("export/*.py")) else []),
    # The command line imports the TUI only when a canvas is opened.
    "canvas_tui.cli",
]

CHECK = """
import importlib, sys
importlib.import_module(sys.argv[1])
print(" ".join(sorted(name for name in sys.modules if name.startswith("textual"))))
"""


@pytest.mark.parametrize("module", CORE)
def test_core_module_does_not_import_textual(module: str) -> None:
    result = subprocess.run(
        [sys.executable, "-c", CHECK, module],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"


def test_the_check_sees_textual_when_it_is_imported() -> None:
    """Guards the test above against passing vacuously."""
    result = subprocess.run(
        [sys.executable, "-c", CHECK, "textual.app"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    assert "textual.app" in result.stdout.split()
