"""Keys that arrive in one read are handled in the order they were typed (Pilot, without a pty).

Pilot's `press` waits for the app to go idle after every key; a burst from the terminal does not.
Here the keys are posted to the app back to back, as its driver does with the keys of one read.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from tests.tui.helpers import make_app
from tests.waiting import wait_until
from textual import events

from canvas_tui.tui.app import CanvasApp
from canvas_tui.tui.screens.quit_screen import QuitScreen
from canvas_tui.tui.widgets.block_editor import BlockEditor


def burst(app: CanvasApp, *keys: str) -> None:
    """Post `keys` to the app together, as the driver posts the keys of one read."""
    for key in keys:
        app.post_message(events.Key(key, key if len(key) == 1 else None))


def background_on_disk(path: Path) -> dict[str, object]:
    block: dict[str, object] = tomllib.loads(path.read_text(encoding="utf-8"))["blocks"]["background"]
    return block


async def test_a_save_then_a_quit_in_one_read_saves_then_quits_without_asking(example_copy: Path) -> None:
    app = make_app(example_copy, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")  # done -> todo, unsaved
        assert app.dirty
        # The quit is bound ahead of every widget (priority); the save comes back up from the
        # focused widget. Taken in one read, the quit used to run first and ask.
        burst(app, "ctrl+s", "ctrl+q")
        await wait_until(
            lambda: app.return_code is not None or isinstance(app.screen, QuitScreen),
            "the app to quit, or to ask",
        )
        assert not isinstance(app.screen, QuitScreen)
    assert app.return_code == 0
    assert background_on_disk(example_copy)["status"] == "todo"


async def test_keys_behind_a_widget_key_wait_for_it(example_copy: Path) -> None:
    app = make_app(example_copy, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await wait_until(lambda: isinstance(app.focused, BlockEditor), "the editor, focused")
        # backspace is the text area's own key, handled as it comes back up from the text area;
        # the letters behind it are typed by the text area itself, on their way down.
        burst(app, *"Kept.X", "backspace", *"Typed", "ctrl+s", "ctrl+q")
        await wait_until(
            lambda: app.return_code is not None or isinstance(app.screen, QuitScreen),
            "the app to quit, or to ask",
        )
        assert not isinstance(app.screen, QuitScreen)
    assert app.return_code == 0
    assert str(background_on_disk(example_copy)["text"]).endswith("Kept.Typed")


async def test_a_paste_waits_for_the_keys_before_it(example_copy: Path) -> None:
    app = make_app(example_copy, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await wait_until(lambda: isinstance(app.focused, BlockEditor), "the editor, focused")
        burst(app, *"Kept.X", "backspace")
        app.post_message(events.Paste("Pasted"))
        burst(app, "ctrl+s")
        await wait_until(
            lambda: "Kept." in str(background_on_disk(example_copy)["text"]), "the save after the paste"
        )
    assert str(background_on_disk(example_copy)["text"]).rstrip().endswith("Kept.Pasted")
