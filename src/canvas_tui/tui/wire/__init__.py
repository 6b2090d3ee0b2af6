"""The output layer: only the cells that changed reach the terminal (screen.py), through a driver
given to the app (driver.py). `--wire plain` or CANVAS_TUI_WIRE=plain (cli/editor.py) turns it off:
for debugging, and for the browser mode, whose terminal is a page that textual-serve draws.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from textual.driver import Driver


def driver_class(wire: str, environ: Mapping[str, str]) -> type[Driver] | None:
    """The driver for the app: the layer's for `wire` "diff", else None, Textual's own choice (also
    for a driver named in TEXTUAL_DRIVER, as textual-serve does; on Windows; and with a Textual the
    layer was not checked with)."""
    if wire != "diff" or environ.get("TEXTUAL_DRIVER") or sys.platform == "win32":
        return None
    from canvas_tui.tui.wire.driver import WireDriver, supported

    return WireDriver if supported() else None
