"""A key that opens a dialog or the editor, and the keys typed right behind it in one read: those
keys reach what it opened, although dialogs now wait for their answer in workers."""

from __future__ import annotations

from pathlib import Path

from tests.tui.helpers import make_app
from tests.tui.test_key_bursts import burst
from tests.waiting import wait_until


async def test_a_quit_then_discard_in_one_read_answers_the_quit_dialog(example_copy: Path) -> None:
    before = example_copy.read_bytes()
    app = make_app(example_copy, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")  # done -> todo, unsaved
        burst(app, "ctrl+q", "d")
        await wait_until(lambda: app.return_code is not None, "the app to quit, discarding")
    assert example_copy.read_bytes() == before


async def test_text_typed_right_behind_the_key_that_opens_the_editor_lands_in_it(example_copy: Path) -> None:
    app = make_app(example_copy, autosave=False)
    async with app.run_test(size=(120, 40)):
        burst(app, "e", *"Hi", "escape", "ctrl+s")
        await wait_until(
            lambda: not app.dirty and app.canvas.blocks["background"].text.endswith("Hi"),
            "the text typed into the editor, saved",
        )
