"""Textual's command palette, closing once however many keys ask."""

from __future__ import annotations

from textual.command import CommandPalette

from canvas_tui.tui.screens.closing import ClosesOnce


class CanvasCommandPalette(CommandPalette, ClosesOnce[None]):
    """The palette (ctrl+p, and the theme picker), which closes only while it is on top.

    A choice (enter) and escape that arrive together both reach the palette: escape closes it, and
    the choice, handled a moment later from the palette's own queue, closes it again. That second
    close took the canvas screen with it (ScreenStackError on the last screen). The choice still
    runs: it was typed first.
    """
