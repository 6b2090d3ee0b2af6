"""The canvas screen as SVG, through Textual's own screenshot support.

The SVG export is a picture of the running app, so it lives with the UI, not in `export/` (which
never imports Textual). From the command line (`canvas-tui export --format svg`) the canvas screen is
rendered headless at a fixed size (`render_svg`); inside the TUI the palette takes the running app's
screenshot (see tui/commands.py). Both name and attribute the picture the same way (tui/picture.py).
"""

from __future__ import annotations

import asyncio

from canvas_tui.storage import CanvasFile
from canvas_tui.tui.picture import screenshot_title, with_attribution

SIZE = (120, 40)
"""Terminal size of the headless render: the full grid with previews."""


def render_svg(document: CanvasFile, size: tuple[int, int] = SIZE) -> str:
    """The canvas screen for `document` at `size` (columns, lines), as an SVG document."""
    return asyncio.run(_render(document, size))


async def _render(document: CanvasFile, size: tuple[int, int]) -> str:
    # The one module of the UI besides the command line that builds the app: nothing the app is
    # made of imports this one (test_import_hygiene.py, the UI's import graph).
    from canvas_tui.tui.app import CanvasApp

    app = CanvasApp(document, autosave=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.clear_notifications()  # start-up notices are not part of the canvas
        await pilot.pause()
        svg = app.export_screenshot(title=screenshot_title(document.canvas.template))
    return with_attribution(svg, document.canvas.template)
