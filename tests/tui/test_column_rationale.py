"""Why each column is on the canvas (its rationale, from the canvas's guide): on hovering the
column's title, and in the About box for the keyboard. Neither changes how the canvas looks."""

from __future__ import annotations

from pathlib import Path

from tests.observe import screen_text
from tests.tui.helpers import make_app
from tests.waiting import wait_until
from textual.widget import Widget

from canvas_tui.tui.screens.about_screen import AboutScreen


def _words(text: str, count: int = 6) -> str:
    """The rationale's first words: what fits on one row of a tooltip or a narrow box."""
    return " ".join(text.split()[:count])


async def test_hovering_a_column_title_tells_why_the_column_is_there(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40), tooltips=True) as pilot:
        column = app.canvas.template.columns[1]
        assert _words(column.rationale) not in screen_text(app)
        await pilot.hover(f"#column-title-{column.id}")
        tooltip = app.screen.query_one("#textual-tooltip", Widget)
        await wait_until(lambda: tooltip.display, "the column title's tooltip to show")
        await pilot.pause()
        assert _words(column.rationale) in screen_text(app)


async def test_the_about_box_gives_every_columns_rationale(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        about = AboutScreen(app.canvas.template)
        app.push_screen(about)
        await pilot.pause()
        shown = " ".join(about.query_one("Static").render().plain.split())  # type: ignore[union-attr]
        for column in app.canvas.template.columns:
            assert f"{column.title}: {' '.join(column.rationale.split())}" in shown
