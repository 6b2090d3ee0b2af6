"""The SVG export's entry, and how a picture of the canvas screen is named and attributed, inside
the TUI (the palette's SVG export) and from the command line (canvas_tui.tui.screenshot) alike.

Importing this module registers the entry and loads no Textual. The entry has no renderer: the
palette takes the running app's screenshot, the command line renders one headless."""

from __future__ import annotations

from html import escape

from canvas_tui.export import Format, register
from canvas_tui.model import Template


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
        None,
        rank=40,
        beside_canvas=True,
        picture_of_the_screen=True,
    )
)
