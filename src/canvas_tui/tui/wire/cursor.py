"""Which running app has the layer's driver, so the block editor can ask it for the terminal's
own cursor (driver.py registers itself; widgets/block_editor.py asks). No Textual driver import
here: the editor imports this on every platform."""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from textual.app import App


class CursorDriver(Protocol):
    def show_cursor(self, shown: bool) -> None: ...


DRIVERS: weakref.WeakKeyDictionary[App[Any], CursorDriver] = weakref.WeakKeyDictionary()
"""The layer's driver of each running app (WireDriver registers itself as it is made)."""


def wire_driver(app: App[Any]) -> CursorDriver | None:
    """The layer's driver that `app` runs on, or None (plain output, headless, a browser)."""
    return DRIVERS.get(app)
