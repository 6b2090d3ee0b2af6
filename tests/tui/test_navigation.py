"""Moving around the canvas: by geometry, in fill order, and to unresolved blocks."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from tests.observe import screen_text
from tests.tui.helpers import make_app
from tests.waiting import wait_until
from textual.widgets import Input
from textual.widgets._footer import FooterKey

from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.editor_screen import EditorScreen
from canvas_tui.tui.widgets.block_editor import BlockEditor
from canvas_tui.tui.widgets.key_footer import KeyFooter

# From each block, freshly selected, where each arrow lands on the official 6-row grid.
# (block, up, down, left, right)
EXPECTED_MOVES = [
    ("background", "background", "value_proposition", "background", "data_collection"),
    ("value_proposition", "background", "objectives", "value_proposition", "data_collection"),
    ("objectives", "value_proposition", "objectives", "objectives", "data_verification_and_governance"),
    ("data_collection", "data_collection", "data_verification_and_governance", "background", "modelling"),
    (
        "data_verification_and_governance",
        "data_collection",
        "data_verification_and_governance",
        "value_proposition",
        "metrics_and_evaluation",
    ),
    ("modelling", "modelling", "metrics_and_evaluation", "data_collection", "inference"),
    ("metrics_and_evaluation", "modelling", "model_governance", "data_collection", "inference"),
    (
        "model_governance",
        "metrics_and_evaluation",
        "model_governance",
        "data_verification_and_governance",
        "decision",
    ),
    ("inference", "inference", "decision", "modelling", "feedback"),
    ("decision", "inference", "decision", "metrics_and_evaluation", "lifetime"),
    ("feedback", "feedback", "lifetime", "inference", "fairness"),
    ("lifetime", "feedback", "lifetime", "decision", "explainability"),
    ("fairness", "fairness", "explainability", "feedback", "fairness"),
    ("explainability", "fairness", "security", "feedback", "explainability"),
    ("security", "explainability", "security", "lifetime", "security"),
]


@pytest.mark.parametrize(("start", "up", "down", "left", "right"), EXPECTED_MOVES)
async def test_every_arrow_move_lands_where_the_grid_says(
    example_copy: Path, start: str, up: str, down: str, left: str, right: str
) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        for key, vim_key, expected in (
            ("up", "k", up),
            ("down", "j", down),
            ("left", "h", left),
            ("right", "l", right),
        ):
            for pressed in (key, vim_key):
                screen.select(start)
                await pilot.press(pressed)
                assert screen.current == expected, f"{pressed} from {start}"


async def test_left_right_keeps_the_row_it_came_from(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        screen.select("background")
        await pilot.press("right", "right")
        assert screen.current == "modelling"
        screen.select("value_proposition")
        await pilot.press("right", "right")
        assert screen.current == "metrics_and_evaluation"
        # Up from the lower Data block lands on the upper one next to where it came from.
        screen.select("data_verification_and_governance")
        await pilot.press("up", "right")
        assert screen.current == "metrics_and_evaluation"


async def test_tab_cycles_through_all_blocks_in_fill_order(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        order = list(app.canvas.template.block_ids)
        assert screen.current == order[0]
        seen = []
        for _ in order:
            await pilot.press("tab")
            seen.append(screen.current)
        assert seen == [*order[1:], order[0]]
        await pilot.press("shift+tab")
        assert screen.current == order[-1]


async def test_n_and_shift_n_skip_resolved_blocks(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        unresolved = [b for b in app.canvas.template.block_ids if not app.canvas.blocks[b].resolved]
        assert unresolved[0] == "model_governance"  # the example's first open block
        visited = []
        for _ in unresolved:
            await pilot.press("n")
            visited.append(screen.current)
        assert visited == unresolved
        await pilot.press("N")
        assert screen.current == unresolved[-2]
        # Resolving a block takes it out of the tour.
        screen.select("background")
        app.canvas.set_status("model_governance", app.canvas.blocks["model_governance"].status.DONE)
        await pilot.press("n")
        assert screen.current == unresolved[1]


async def test_search_marks_hits_and_jumps_between_them(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        await pilot.press("slash")
        await pilot.press(*"discount")
        hits = app.canvas.search("discount")
        assert len(hits) > 1, "the example mentions discounts in several blocks"
        assert screen.hits == hits
        assert all(screen.card(b).has_class("-hit") for b in hits)
        assert screen.current == hits[0], "the first match is brought into view while typing"
        await pilot.press("down")
        assert screen.current == hits[1]
        await pilot.press("up")
        assert screen.current == hits[0]
        await pilot.press("escape")
        assert not screen.has_class("-searching")
        assert not any(screen.card(b).has_class("-hit") for b in hits)
        # Keys act on the canvas again, not on the search field.
        order = list(app.canvas.template.block_ids)
        here = screen.current
        await pilot.press("tab")
        assert screen.current == order[(order.index(here) + 1) % len(order)]
        assert screen.query_one("#search").value == "discount"  # type: ignore[attr-defined]


async def test_search_counts_matches_in_text_and_titles_only_when_asked(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        search = screen.query_one("#search", Input)
        await pilot.press("slash", *"dashboard")
        assert app.canvas.search("dashboard") == ["feedback"], "one block of the example says dashboard"
        assert search.border_title == "1 block matches"
        search.value = "governance"  # in two block titles, in no block text of the example
        await pilot.pause()
        assert screen.hits == app.canvas.search("governance")
        await pilot.press("ctrl+t")
        assert {"data_verification_and_governance", "model_governance"} <= set(screen.hits)
        assert search.border_title == f"{len(screen.hits)} blocks match (text and titles)"


async def test_a_match_far_into_a_block_is_shown_marked_on_its_card(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        long_text = "Opening words. " * 80 + "The needle-word sits here."
        app.session.set_text("lifetime", long_text)
        await pilot.press("slash", *"needle-word")
        card = screen.card("lifetime")
        shown = card.render()
        assert isinstance(shown, Text)
        assert "needle-word" in shown.plain, "the preview shows the match, not only the start"
        marked = [
            span for span in shown.spans if shown.plain[span.start : span.end].casefold() == "needle-word"
        ]
        assert marked, "the match is marked"


async def test_enter_in_search_opens_the_editor_at_the_match_marked_not_selected(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash", *"dashboard", "enter")
        editor_screen = app.screen
        assert isinstance(editor_screen, EditorScreen)
        assert editor_screen.block_id == "feedback"
        editor = editor_screen.query_one(BlockEditor)
        assert editor.selected_text == "", "a selected match is replaced by the first key typed"
        row, column = editor.cursor_location
        line = editor.document.get_line(row)
        assert line[column : column + len("dashboard")].casefold() == "dashboard"
        assert editor.match == ((row, column), (row, column + len("dashboard")))
        shown = editor.get_line(row)
        span = (column, column + len("dashboard"))
        marked = [mark for mark in shown.spans if (mark.start, mark.end) == span]
        assert marked, "the match is marked where the cursor landed"


async def test_typing_after_a_search_inserts_at_the_match_and_undo_keeps_it(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        before = app.canvas.blocks["feedback"].text
        at = before.casefold().find("dashboard")
        word = before[at : at + len("dashboard")]
        await pilot.press("slash", *"dashboard", "enter", "x")
        assert app.canvas.blocks["feedback"].text == before[:at] + "x" + before[at:]
        editor = app.screen.query_one(BlockEditor)
        assert editor.match is None, "the mark goes with the first edit"
        await pilot.press("ctrl+z")
        assert app.canvas.blocks["feedback"].text == before
        assert editor.selected_text == ""
        await pilot.press("y")
        after = app.canvas.blocks["feedback"].text
        assert word in after and after.count(word) == before.count(word)
        assert after == before[:at] + "y" + before[at:]


async def test_undo_of_typing_over_a_selection_does_not_select_it_again(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        editor = app.screen.query_one(BlockEditor)
        before = editor.text
        editor.move_cursor((0, 0))
        await pilot.press("shift+right", "shift+right", "shift+right", "z")
        assert editor.text == "z" + before[3:]
        await pilot.press("ctrl+z")
        assert editor.text == before
        assert editor.selected_text == ""
        await pilot.press("q")
        assert editor.text.replace("q", "", 1) == before


async def test_small_terminal_shows_a_list_with_every_block(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = app.screen
        assert screen.has_class("-list")
        assert isinstance(screen, CanvasScreen)
        await pilot.press("tab", "tab", "tab", "tab", "tab")
        assert screen.current == "modelling"
        # Every block is in the list; scrolling brings each one into view.
        for spec in app.canvas.template.blocks:
            screen.select(spec.id)
            await pilot.pause()
            shown = screen_text(app)
            assert spec.title in shown, spec.id
        for size, as_list in [((40, 12), True), ((80, 24), False), ((120, 40), False), ((45, 15), True)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
            assert screen.has_class("-list") is as_list, size


async def test_resizing_with_an_editor_open_does_not_crash(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        for size in [(40, 12), (80, 24), (50, 14), (120, 40), (41, 12)]:
            await pilot.resize_terminal(*size)
            await pilot.pause()
        await pilot.press(*"still here")
        assert "still here" in app.canvas.blocks["background"].text


async def test_up_and_down_walk_the_small_terminal_list_line_by_line(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(60, 20)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        order = list(app.canvas.template.block_ids)
        for expected in order[1:]:
            await pilot.press("down")
            assert screen.current == expected
        await pilot.press("up", "k")
        assert screen.current == order[-3]


async def test_a_block_too_long_to_print_says_so_on_its_card(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        card = screen.card("objectives")
        assert not card.too_long_to_print
        assert "too long" not in str(card.render())
        app.session.set_text("objectives", "A sentence that keeps going. " * 400)
        await pilot.pause()
        assert card.too_long_to_print
        assert "too long" in str(card.render())


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (50, 15), (30, 10)])
async def test_the_footer_shows_help_first_and_only_whole_keys(
    example_copy: Path, size: tuple[int, int]
) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=size) as pilot:
        for opens_editor in (False, True):
            if opens_editor:
                await pilot.press("e")
            footer = app.screen.query_one(KeyFooter)
            await wait_until(lambda: "^p palette" in screen_text(app).splitlines()[-1], "the footer is drawn")
            last = screen_text(app).splitlines()[-1]
            assert last.startswith("f1 Help"), last
            assert last.rstrip().endswith("^p palette"), last
            labels = [f"{key.key_display} {key.description}" for key in footer.query(FooterKey)]
            assert all(label in last for label in labels), (labels, last)


async def test_search_hits_stay_readable_in_the_small_list(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(50, 15)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen) and screen.has_class("-list")
        await pilot.press("slash", *"discount", "down")
        await pilot.pause()
        title = app.canvas.template.block(screen.current).title
        row = screen.card(screen.current).region.y
        assert title in screen_text(app).splitlines()[row], "the current hit keeps its row"
