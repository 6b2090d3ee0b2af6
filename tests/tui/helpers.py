"""Shared helpers for Pilot tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from canvas_tui.files import recovery
from canvas_tui.files.lock import Instance
from canvas_tui.files.places import Places
from canvas_tui.model import Snapshot
from canvas_tui.session import Timing
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.app import CanvasApp

QUICK = Timing(autosave=0.05, recovery=0.01, disk_check=3600)
"""Delays short enough that tests wait for what happens, not for a timer; the disk is checked
only when a test asks (`app.saver.check_disk()`)."""


def make_app(
    path: Path,
    *,
    autosave: bool = False,
    timing: Timing = QUICK,
    start: str | None = "background",
    user: str | None = None,
) -> CanvasApp:
    """Autosave off by default so each test decides when the file is written.

    The cursor starts on `start`, as if the file was last closed there (a places file beside the
    canvas); None starts where a first-time user starts, on the first unresolved block.
    """
    places = Places(path.parent / "places.json")
    if start is not None:
        places.remember(path, start)
    return CanvasApp(CanvasFile.load(path), autosave=autosave, timing=timing, places=places, user=user)


def dead_instance() -> Instance:
    """An instance whose process has ended: what a crash or a kill -9 leaves behind."""
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    me = Instance.current()
    return Instance(me.host, int(child.stdout), "", "crashed", me.since)


def leave_recovery(canvas_path: Path, base: Snapshot, mine: Snapshot) -> Path:
    """Write the recovery file a crashed canvas-tui would have left, and return its path."""
    path = recovery.recovery_path(canvas_path)
    recovery.write(path, canvas_path, base, mine, dead_instance())
    return path
