"""A key that opens a dialog or the editor, and the keys typed right behind it in one read: those
keys reach what it opened, although dialogs now wait for their answer in workers."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.tui.helpers import make_app
from tests.tui.test_key_bursts import burst
from tests.waiting import wait_until
from textual.command import CommandPalette
from textual.widgets import OptionList

from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.editor_screen import EditorScreen
from canvas_tui.tui.screens.quit_screen import QuitScreen
from canvas_tui.tui.widgets.guidance_panel import GuidancePanel


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


async def test_a_screen_asked_to_close_twice_closes_once(example_copy: Path) -> None:
    """Escape twice, or a choice key twice, can both reach a screen before it has gone (a burst, a
    slow link): the second must not close the screen below, nor the last one (ScreenStackError)."""
    app = make_app(example_copy, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await wait_until(lambda: isinstance(app.screen, EditorScreen), "the editor")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        editor.action_close()
        editor.action_close()
        await wait_until(lambda: isinstance(app.screen, CanvasScreen), "back on the canvas")
        await pilot.press("space", "ctrl+q")  # unsaved, so quitting asks
        await wait_until(lambda: isinstance(app.screen, QuitScreen), "the quit dialog")
        dialog = app.screen
        assert isinstance(dialog, QuitScreen)
        dialog.action_choose("cancel")
        dialog.action_choose("cancel")
        await wait_until(lambda: isinstance(app.screen, CanvasScreen), "the canvas, still open")
        assert app.return_code is None


async def test_a_palette_choice_and_escape_in_one_read_close_the_palette_once(example_copy: Path) -> None:
    """Enter on a command and escape, together: escape closes the palette, and the choice, handled
    a moment later from the palette's queue, closed it again, taking the canvas screen with it."""
    app = make_app(example_copy, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")  # unsaved: the chosen Save has something to do
        await pilot.press("ctrl+p")
        await wait_until(lambda: isinstance(app.screen, CommandPalette), "the palette")
        await pilot.press(*"save")
        hits = app.screen.query_one(OptionList)
        await wait_until(
            lambda: hits.option_count and str(hits.get_option_at_index(0).prompt).startswith("Save"),
            "the palette to find Save",
        )
        hits.highlighted = 0  # Save (down would pick the second once the search has highlighted it)
        burst(app, "enter", "escape")
        await wait_until(lambda: not app.dirty, "the chosen command run (it was typed first)")
        await wait_until(lambda: isinstance(app.screen, CanvasScreen), "back on the canvas")
        await pilot.pause()
        assert app.return_code is None
        assert [type(screen) for screen in app.screen_stack] == [CanvasScreen]


@pytest.mark.parametrize("keys", [("e", "escape"), ("enter", "escape")])
async def test_escape_right_behind_the_key_that_opens_the_editor_closes_it(
    example_copy: Path, keys: tuple[str, ...]
) -> None:
    """escape reaches the editor before its widgets exist, and its action reaches into them: the
    key waits until the editor is built."""
    app = make_app(example_copy, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        burst(app, *keys)
        await wait_until(lambda: isinstance(app.screen, CanvasScreen), "escape closed the editor")
        await pilot.pause()
        assert app.return_code is None


async def test_f5_right_behind_the_key_that_opens_the_editor_goes_to_the_questions(
    example_copy: Path,
) -> None:
    app = make_app(example_copy, autosave=False)
    async with app.run_test(size=(120, 40)):
        burst(app, "e", "f5")

        def questions_focused() -> bool:
            screen = app.screen
            if not isinstance(screen, EditorScreen):
                return False
            # The editor may be on top and not yet built: no panel to ask yet.
            return any(panel.questions.has_focus for panel in screen.query(GuidancePanel))

        await wait_until(questions_focused, "the guiding questions focused in the editor")
        assert app.return_code is None
