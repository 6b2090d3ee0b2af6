"""The canvas screen as SVG, through Textual's own screenshot support; the SVG export's entry.

The SVG export is a picture of the running app, so it lives with the UI, not in `export/` (which
never imports Textual): importing this module registers it, and it imports Textual only when it
renders. From the command line (`canvas-tui export --format svg`) the canvas screen is rendered
headless at a fixed size (`render_svg`); inside the TUI the palette takes the running app's
screenshot (see tui/commands.py). Both name and attribute the picture the same way.
"""

from __future__ import annotations

import asyncio
from html import escape

from canvas_tui.export import Format, Rendered, register
from canvas_tui.model import Template
from canvas_tui.storage import CanvasFile

SIZE = (120, 40)
"""Terminal size of the headless render: the full grid with previews."""


def render_svg(document: CanvasFile, size: tuple[int, int] = SIZE) -> str:
    """The canvas screen for `document` at `size` (columns, lines), as an SVG document."""
    return asyncio.run(_render(document, size))


async def _render(document: CanvasFile, size: tuple[int, int]) -> str:
    from canvas_tui.tui.app import CanvasApp  # the app imports this module (through the palette)

    app = CanvasApp(document, autosave=False)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        app.clear_notifications()  # start-up notices are not part of the canvas
        await pilot.pause()
        svg = app.export_screenshot(title=screenshot_title(document.canvas.template))
    return with_attribution(svg, document.canvas.template)


def screenshot_title(template: Template) -> str:
    return f"canvas-tui · {template.title}"


def with_attribution(svg: str, template: Template) -> str:
    """`svg` with the template's attribution as its `<desc>`, which viewers and screen readers show."""
    start = svg.find("<svg")
    end = svg.find(">", start) if start >= 0 else -1
    if end < 0:
        return svg
    desc = f"<desc>{escape(template.attribution, quote=False)}</desc>"
    return svg[: end + 1] + desc + svg[end + 1 :]


SVG = register(
    Format(
        "svg",
        "SVG",
        ".svg",
        "the canvas screen",
        lambda document: Rendered(render_svg(document)),
        rank=40,
        beside_canvas=True,
        picture_of_the_screen=True,
    )
)
