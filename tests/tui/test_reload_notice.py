"""A reload names the blocks that changed and who saved them; the text it replaced in an open
editor comes back with ctrl+z there, and the notice says so."""

from __future__ import annotations

from pathlib import Path

from tests.tui.helpers import make_app
from tests.tui.test_presence import notices, open_as
from tests.waiting import wait_until

from canvas_tui.tui.screens.editor_screen import EditorScreen
from canvas_tui.tui.widgets.block_editor import BlockEditor


async def test_a_reload_names_the_block_and_who_saved_and_ctrl_z_brings_my_text_back(
    example_copy: Path,
) -> None:
    app = make_app(example_copy, user="alice")
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await pilot.press("e")
        assert isinstance(app.screen, EditorScreen)
        await pilot.press(*" Mine, saved.", "ctrl+s")
        await wait_until(lambda: not app.dirty, "my save")
        mine = app.canvas.blocks["background"].text
        assert mine.endswith("Mine, saved.")
        bob = open_as(example_copy, "bob")
        bob.set_text("background", "Bob's version of the background.")
        bob.set_text("lifetime", "Retrain monthly.")
        bob.save()
        app.check_disk()
        editor = app.screen.query_one(BlockEditor)
        assert editor.text == "Bob's version of the background."
        await wait_until(lambda: any("Changed by bob" in text for text in notices(app)), "the notice")
        (notice,) = [text for text in notices(app) if "Changed by bob" in text]
        assert "canvas.toml changed on disk; reloaded.\nChanged by bob: Background, Lifetime." in notice
        assert (
            "The text open in your editor (Background) changed with it; "
            "ctrl+z there brings back what it showed."
        ) in notice
        await pilot.press("ctrl+z")
        assert editor.text == mine
        assert app.canvas.blocks["background"].text == mine
        assert app.dirty, "mine is back, to be saved again"
        await pilot.press("ctrl+y")
        assert editor.text == "Bob's version of the background."
        bob.close()


async def test_typing_right_before_a_reload_is_not_undone_with_it(example_copy: Path) -> None:
    app = make_app(example_copy, user="alice", autosave=True)
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        app.canvas_screen.select("lifetime")
        await pilot.press("e", *"Mine")
        await wait_until(lambda: not app.dirty, "autosave")
        bob = open_as(example_copy, "bob")
        bob.set_text("lifetime", "Theirs")
        bob.save()
        app.check_disk()
        editor = app.screen.query_one(BlockEditor)
        assert editor.text == "Theirs"
        await pilot.press("ctrl+z")
        assert editor.text == "Mine", "one undo step: the reload, not my typing with it"
        bob.close()
