"""What a new user reads at 80x24, the smallest terminal with the grid: whole names, whole words,
every question count, the editor's keys that matter and a start-up notice that leaves the cards be.

Each test reads the screen's text, as the user would, not the widgets' state.
"""

from __future__ import annotations

import re
from pathlib import Path

from tests.observe import screen_text
from tests.tui.helpers import make_app
from tests.waiting import wait_until
from textual.widgets._toast import Toast

from canvas_tui.storage import CanvasFile
from canvas_tui.tui.app import CanvasApp
from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.widgets.block_card import BlockCard
from canvas_tui.tui.widgets.canvas_header import CanvasHeader
from canvas_tui.tui.widgets.column_title import ColumnTitle

SIZE = (80, 24)


async def test_every_column_shows_its_full_name_and_count(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=SIZE):
        screen = app.screen
        assert isinstance(screen, CanvasScreen) and not screen.has_class("-list")
        row = screen.query(ColumnTitle).first().region.y
        titles = screen_text(app).splitlines()[row]
        assert "…" not in titles, titles
        for column in app.canvas.template.columns:
            progress = app.canvas.column_progress(column.id)
            assert f"{column.title} {progress.resolved}/{progress.total}" in titles, (column.id, titles)
        assert "Problem 3/3 ✓" in titles


async def test_the_header_drops_whole_parts_never_half_a_word(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=SIZE):
        top, bottom = screen_text(app).splitlines()[:2]
        assert "…" not in top + bottom, (top, bottom)
        assert top.strip() == "Churn early warning · by Growth data team · 2026-11-26 · iteration 3"
        assert "8/15 resolved" in bottom and "canvas.toml" in bottom
        assert re.search(r"● 8 done\s+◐ 6 draft\s+○ 1 todo$", bottom), bottom  # no "⊘ 0 skip" here
        header = app.screen.query_one(CanvasHeader)
        header.show(unsaved=True, file_name="a-longer-file-name.toml")
        await wait_until(lambda: "● unsaved" in screen_text(app).splitlines()[1], "the unsaved mark")
        bottom = screen_text(app).splitlines()[1]
        assert "…" not in bottom and "a-longer-file-name.toml" in bottom, bottom
        assert bottom.endswith("● unsaved   ● 8 ◐ 6 ○ 1"), "the counts per status say less, whole"
        header.show(unsaved=True, file_name="a-much-longer-file-name-for-a-canvas.toml")
        await wait_until(lambda: "much" in screen_text(app).splitlines()[1], "the new name")
        bottom = screen_text(app).splitlines()[1]
        assert bottom.endswith("a-much-longer-file-name-for-a-canvas.toml  ● unsaved"), bottom


async def test_every_card_shows_its_question_count(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=SIZE) as pilot:
        app.session.set_answered("decision", [1, 3])
        await pilot.pause()
        cards = list(app.screen.query(BlockCard))
        assert len(cards) == 15

        def shown(card: BlockCard) -> str:
            edge = screen_text(app).splitlines()[card.region.bottom - 1]
            return edge[card.region.x : card.region.right]

        await wait_until(
            lambda: all(card.question_count in shown(card) for card in cards), "every card's question count"
        )
        decision = next(card for card in cards if card.block_id == "decision")
        rows = screen_text(app).splitlines()[decision.region.y : decision.region.bottom]
        inside = [row[decision.region.x : decision.region.right] for row in rows]
        assert any("◐ draft" in row for row in inside), inside
        assert "Q 2/5" in inside[-1], inside


async def test_the_editor_footer_shows_the_keys_that_matter(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await wait_until(lambda: "^p palette" in screen_text(app).splitlines()[-1], "the footer is drawn")
        footer = screen_text(app).splitlines()[-1]
        for key in ("f1 Help", "esc Back", "f3 Status", "f4 Skip", "f5 Questions", "^o $EDITOR"):
            assert key in footer, (key, footer)
        assert footer.index("f3 Status") < footer.index("f4 Skip") < footer.index("f5 Questions"), footer


async def test_the_demo_notice_lies_on_one_row_of_card_edges(example_copy: Path) -> None:
    notice = "Demo copy: changes vanish on quit."
    app = CanvasApp(CanvasFile.load(example_copy), autosave=False, notice=notice)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await wait_until(lambda: bool(app.screen.query(Toast)), "the notice is shown")
        await pilot.pause()
        toast = app.screen.query_one(Toast)
        assert toast.region.height == 1 and toast.region.width <= len(notice) + 4, toast.region
        row = screen_text(app).splitlines()[toast.region.y]
        assert notice in row
        # It covers the cards' edges (borders), never a card's title, status or text.
        for card in app.screen.query(BlockCard):
            inner = card.region.shrink((1, 0, 1, 0))
            assert not toast.region.overlaps(inner), (card.block_id, toast.region)
