"""Shared helpers for Pilot tests."""

from __future__ import annotations

from pathlib import Path

from canvas_tui.storage import CanvasFile
from canvas_tui.tui.app import CanvasApp


def make_app(path: Path, *, autosave: bool = False) -> CanvasApp:
    """Autosave off by default so each test decides when the file is written."""
    return CanvasApp(CanvasFile.load(path), autosave=autosave)
