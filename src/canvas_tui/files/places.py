"""Where the user was: the block the cursor was on when a canvas was last closed, per canvas file.

Kept in the user's state folder (`$XDG_STATE_HOME/canvas-tui/places.json`, platformdirs' answer
elsewhere), never next to the canvas: it is this user's place, not the team's. Losing it costs a
few key presses, so every error reading or writing it is ignored. It is canvas-tui's own file:
a link or anything but a regular file under its name is neither read nor written through.
No Textual here.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

from canvas_tui.files.atomic import atomic_write, read_file

KEEP = 200
"""Canvases remembered; the ones opened longest ago are forgotten first."""
MAX_PLACES_BYTES = 4 * 1024 * 1024
"""200 paths and block ids fit many times over."""


def places_path(environ: Mapping[str, str] | None = None) -> Path:
    env = os.environ if environ is None else environ
    xdg = env.get("XDG_STATE_HOME", "")
    folder = Path(xdg) if xdg and os.path.isabs(xdg) else Path(platformdirs.user_state_dir(appauthor=False))
    return folder / "canvas-tui" / "places.json"


class Places:
    """The last block per canvas file, read once and written when a canvas closes."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def _read(self) -> dict[str, str]:
        try:
            data = json.loads(read_file(self.path, limit=MAX_PLACES_BYTES, follow_links=False))
        except (OSError, ValueError, RecursionError):  # RecursionError: JSON nested too deeply
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(k): v for k, v in data.items() if isinstance(v, str)}

    def last_block(self, canvas_path: Path) -> str | None:
        return self._read().get(str(Path(canvas_path).resolve()))

    def remember(self, canvas_path: Path, block_id: str) -> None:
        places = self._read()
        key = str(Path(canvas_path).resolve())
        places.pop(key, None)
        places[key] = block_id  # newest last
        kept = dict(list(places.items())[-KEEP:])
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps(kept, indent=1).encode("utf-8"), follow_links=False)
