"""What a new user sees of completion: per column, per block, where the work is, and undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from rich.text import Text
from tests.observe import screen_text
from tests.tui.helpers import make_app
from tests.waiting import wait_until
from textual.widgets._toast import Toast

from canvas_tui.files.places import Places
from canvas_tui.model import Status
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.app import CanvasApp
from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.widgets.block_card import preview_lines
from canvas_tui.tui.widgets.column_title import ColumnTitle, fit_column_title, title_row


def canvas_screen(app: CanvasApp) -> CanvasScreen:
    screen = app.screen
    assert isinstance(screen, CanvasScreen)
    return screen


@pytest.mark.parametrize("size", [(120, 40), (80, 24), (50, 15)])
async def test_each_column_shows_its_count_at_every_size(example_copy: Path, size: tuple[int, int]) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=size) as pilot:
        screen = canvas_screen(app)
        counts = {column.id: app.canvas.column_progress(column.id) for column in app.canvas.template.columns}
        assert counts["problem"].resolved == counts["problem"].total == 3
        shown = screen_text(app)
        if screen.has_class("-list"):
            assert "Problem 3/3 ✓" in shown  # the list shows the first column at the top
        else:
            for column in app.canvas.template.columns:
                progress = counts[column.id]
                assert f"{progress.resolved}/{progress.total}" in shown, column.id
        first = app.canvas.template.blocks_in("monitoring")[0].id
        screen.select(first)
        before = counts["monitoring"]
        app.session.set_status(first, Status.DONE)
        await pilot.pause()
        after = app.canvas.column_progress("monitoring")
        assert after.resolved == before.resolved + 1
        title = screen.query_one("#column-title-monitoring", ColumnTitle)
        assert title.count == f"{after.resolved}/{after.total}" + (
            " ✓" if after.resolved == after.total else ""
        )
        if not screen.has_class("-list"):
            row = title.region.y
            await wait_until(
                lambda: title.count in screen_text(app).splitlines()[row][title.region.x :],
                "the Monitoring column's own title shows the new count",
            )


def test_a_narrow_column_shortens_its_count_then_its_title_never_the_count() -> None:
    assert fit_column_title("Operations", "1/2", 20) == "Operations 1/2"
    assert fit_column_title("Operations", "2/2 ✓", 13) == "Operations ✓"
    assert fit_column_title("Operations", "1/2", 12) == "Operati… 1/2"
    assert fit_column_title("Operations", "2/2 ✓", 6) == "Ope… ✓"
    assert fit_column_title("Operations", "2/2 ✓", 1) == "✓"


def test_a_title_wider_than_its_column_borrows_what_a_short_neighbour_leaves() -> None:
    titles = [("Problem", "3/3 ✓"), ("Operations", "1/2"), ("Risk", "0/3")]
    row = "".join(title_row(titles, [(0, 13), (13, 13), (26, 13)], 39))
    assert row.split() == ["Problem", "3/3", "✓", "Operations", "1/2", "Risk", "0/3"]
    assert "✓ Operations" in row and "1/2 Risk" in row, "a blank cell at least between titles"
    # No room to borrow: the finished column says only ✓, then titles are cut in their own columns.
    tight = "".join(title_row(titles[:2], [(0, 13), (13, 13)], 26))
    assert tight.split() == ["Problem", "✓", "Operations", "1/2"]
    cut = "".join(title_row(titles[1:] * 2, [(0, 10), (10, 10), (20, 10), (30, 10)], 40))
    assert cut.split() == ["Oper…", "1/2", "Risk", "0/3"] * 2


async def test_an_empty_block_says_so_on_its_card(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)):
        screen = canvas_screen(app)
        assert not app.canvas.blocks["lifetime"].text
        shown = screen.card("lifetime").render()
        assert isinstance(shown, Text)
        assert "\nempty\nGuide:" in shown.plain
        assert "empty" not in str(screen.card("background").render())


async def test_an_empty_block_says_so_in_the_small_list(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(50, 15)):
        screen = canvas_screen(app)
        assert "(empty)" in str(screen.card("lifetime").render())


def test_previews_keep_the_line_breaks_of_a_list() -> None:
    text = "Risks:\n- bias against older users\n- data leak\n\nMitigation: audits"
    assert preview_lines(text, 40, 10) == [
        "Risks:",
        "- bias against older users",
        "- data leak",
        "Mitigation: audits",
    ]


async def test_the_header_names_the_file_also_after_save_as(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        assert example_copy.name in screen_text(app)
        copy = example_copy.with_name("another-name.toml")
        app.session.save_as(copy)
        await wait_until(lambda: "another-name.toml" in screen_text(app), "the header shows the new name")
        await pilot.pause()


async def test_a_first_open_starts_on_the_first_unresolved_block(example_copy: Path) -> None:
    app = make_app(example_copy, start=None)
    async with app.run_test(size=(120, 40)):
        assert canvas_screen(app).current == "model_governance"


async def test_the_cursor_starts_where_it_was_when_the_file_was_closed(
    example_copy: Path, tmp_path: Path
) -> None:
    places = Places(tmp_path / "state" / "places.json")
    app = CanvasApp(CanvasFile.load(example_copy), autosave=False, places=places)
    async with app.run_test(size=(120, 40)) as pilot:
        canvas_screen(app).select("security")
        await pilot.press("q")
    assert places.last_block(example_copy) == "security"
    app = CanvasApp(CanvasFile.load(example_copy), autosave=False, places=places)
    async with app.run_test(size=(120, 40)):
        assert canvas_screen(app).current == "security"


async def test_status_and_info_changes_undo_and_redo_on_the_canvas(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = canvas_screen(app)
        screen.select("background")  # done
        await pilot.press("x", "x")
        assert app.canvas.blocks["background"].status is Status.DONE, "un-skip gives back done"
        await pilot.press("space")
        assert app.canvas.blocks["background"].status is Status.TODO
        app.session.set_fields({"product": "Renamed"})
        await pilot.press("ctrl+z")
        assert app.canvas.fields["product"] == "Churn early warning"
        await pilot.press("ctrl+z")
        assert app.canvas.blocks["background"].status is Status.DONE
        await pilot.press("ctrl+y")
        assert app.canvas.blocks["background"].status is Status.TODO
        await pilot.press("ctrl+z", "ctrl+z")
        assert app.canvas.blocks["background"].status is Status.SKIP
        await pilot.press("ctrl+z")
        assert app.canvas.blocks["background"].status is Status.DONE
        assert not app.dirty, "undone back to what is on disk"


async def test_undo_never_reverts_a_change_that_came_from_disk(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        canvas_screen(app).select("security")
        await pilot.press("space")  # draft -> done, saved
        app.save(quiet=True)
        theirs = CanvasFile.load(example_copy)
        theirs.canvas.set_status("security", Status.SKIP)
        theirs.save()
        app.saver.check_disk()  # reloaded: security is skip now
        assert app.canvas.blocks["security"].status is Status.SKIP
        await pilot.press("ctrl+z")
        assert app.canvas.blocks["security"].status is Status.SKIP


@pytest.mark.parametrize("block_id", ["security", "background", "fairness", "objectives"])
async def test_notifications_keep_off_the_current_block(example_copy: Path, block_id: str) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = canvas_screen(app)
        screen.select(block_id)
        await pilot.pause()
        app.notify("A long enough message to take some room on the screen. " * 3, timeout=30)
        await wait_until(lambda: bool(screen.query(Toast)), "the notification is shown")
        await pilot.pause()
        toast = screen.query_one(Toast)
        assert not toast.region.overlaps(screen.card(block_id).region), (toast.region, block_id)


async def test_warnings_on_opening_are_one_notice(tmp_path: Path) -> None:
    path = tmp_path / "canvas.toml"
    path.write_text(
        '[blocks.background]\nstatus = "wip"\n[blocks.lifetime]\nstatus = "later"\n[blocks.extra]\n',
        encoding="utf-8",
    )
    document = CanvasFile.load(path)
    assert len(document.warnings) == 3
    app = CanvasApp(document, autosave=False)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(lambda: bool(app.screen.query(Toast)), "the warnings are shown")
        await pilot.pause()
        assert len(app.screen.query(Toast)) == 1
