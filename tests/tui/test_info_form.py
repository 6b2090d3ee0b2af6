"""The Canvas info form at small sizes, and what it accepts."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.observe import Notices
from tests.tui.helpers import make_app
from tests.waiting import wait_until
from textual.widgets import Button, Input

from canvas_tui.tui.screens.info_screen import InfoScreen


@pytest.mark.parametrize("button", ["apply", "new-iteration", "cancel"])
async def test_a_focused_button_is_on_screen_at_50x15(example_copy: Path, button: str) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, InfoScreen)
        target = app.screen.query_one(f"#{button}", Button)
        while app.focused is not target:  # tab through the form as a user does
            await pilot.press("tab")
        await wait_until(
            lambda: app.screen.region.contains_region(target.region) and target.region.height > 0,
            f"the {button} button inside the 50x15 screen (it is at {target.region})",
        )


async def test_every_field_is_reachable_and_visible_at_50x15(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(50, 15)) as pilot:
        await pilot.press("i")
        for field in app.screen.query(Input):
            field.focus()

            def in_view(field: Input = field) -> bool:
                return app.screen.region.contains_region(field.region)

            await wait_until(in_view, f"{field.id} inside the screen (it is at {field.region})")


@pytest.mark.parametrize("typed", ["-5", "0"])
async def test_the_form_refuses_an_iteration_below_one(example_copy: Path, typed: str) -> None:
    notices = Notices()
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40), message_hook=notices.hook) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, InfoScreen)
        app.screen.query_one("#field-iteration", Input).value = typed
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, InfoScreen), "the form stays open to fix the iteration"
        assert app.canvas.fields["iteration"] == 3
        assert any("Iteration must be a whole number of 1 or more" in text for text in notices.messages)
