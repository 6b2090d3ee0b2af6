"""The search field's keys: bindings with ids (a [keymap] changes them), and a burst typed behind `/`
(a paste, a slow link) handled in the order it was typed."""

from __future__ import annotations

from pathlib import Path

from tests.tui.helpers import make_app
from textual import events

from canvas_tui.tui.app import CanvasApp
from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.help_screen import help_sections
from canvas_tui.tui.widgets.search_bar import SearchBar, next_hit


async def test_a_burst_behind_the_slash_is_typed_and_walked_in_order(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        start = screen.current
        for key in ["slash", *"discount", "down", "down"]:
            app.post_message(events.Key(key, key if len(key) == 1 else None))  # no pause between
        for _ in range(5):
            await pilot.pause()
        hits = app.canvas.search("discount")
        assert screen.query_one(SearchBar).value == "discount"
        assert screen.hits == hits
        # Typing brought the first hit into view; each down then went one hit further.
        order = app.canvas.template.block_ids
        expected = start if start in hits else next_hit(order, start, hits, 1)
        for _ in range(2):
            expected = next_hit(order, expected, hits, 1)
        assert screen.current == expected


async def test_search_keys_follow_the_keymap(example_copy: Path) -> None:
    document = make_app(example_copy).session.document
    app = CanvasApp(document, autosave=False, keymap={"search.close": "ctrl+g", "search.next": "ctrl+n"})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        await pilot.press("slash", *"discount")
        here = screen.current
        await pilot.press("ctrl+n")
        assert screen.current != here
        await pilot.press("escape")
        assert screen.has_class("-searching"), "escape no longer closes the search"
        await pilot.press("ctrl+g")
        assert not screen.has_class("-searching")
        rows = dict(dict(help_sections(app))["Search"])
        assert rows["ctrl+g"] == "Close the search"
        assert rows["ctrl+n"] == "Next block that matches"
