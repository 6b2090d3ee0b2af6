"""Read-only is read-only: in a canvas another instance has open (the user chose read-only) or whose
file cannot be written, every way of editing changes nothing and says so once; "Open anyway" (or a
copy, for a file that cannot be written) is the way to edit."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from tests.observe import Notices, screen_text
from tests.tui.helpers import make_app
from tests.waiting import wait_until
from textual import events
from textual.widgets import OptionList

from canvas_tui.files.lock import LOCK_FORMAT, lock_path
from canvas_tui.model.conflicts import has_conflict_marker
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.app import CanvasApp
from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.editor_screen import EditorScreen
from canvas_tui.tui.screens.info_screen import InfoScreen
from canvas_tui.tui.screens.lock_screen import LockScreen
from canvas_tui.tui.widgets.block_editor import BlockEditor
from canvas_tui.tui.widgets.guidance_panel import GuidancePanel


def plant_lock(canvas: Path) -> None:
    """Another machine's instance has the canvas open (never stale from here)."""
    holder = {"host": "laptop", "pid": 9220, "started": "", "token": "other", "since": "2026-01-01T10:00:00"}
    lock_path(canvas).write_text(json.dumps({"format": LOCK_FORMAT, "holder": holder}), encoding="utf-8")


async def open_read_only(app: CanvasApp, pilot: object, choice: str = "r") -> None:
    await wait_until(lambda: isinstance(app.screen, LockScreen), "the lock dialog opens")
    await pilot.press(choice)  # type: ignore[attr-defined]
    await wait_until(lambda: isinstance(app.screen, CanvasScreen), "the canvas shows")


def read_only_notices(notices: Notices) -> list[str]:
    return [text for title, text in notices.titled if title == "Read-only" and "nothing changed" in text]


def assert_unchanged(app: CanvasApp, before: bytes, path: Path) -> None:
    assert not app.dirty
    assert app.session.take_recovery() is None
    assert path.read_bytes() == before
    assert "unsaved" not in screen_text(app)


async def test_typing_in_the_editor_changes_nothing_and_says_so_once(example_copy: Path) -> None:
    plant_lock(example_copy)
    before_bytes = example_copy.read_bytes()
    notices = Notices()
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40), message_hook=notices.hook) as pilot:
        await open_read_only(app, pilot)
        assert app.session.read_only
        before = app.canvas.blocks["background"].text
        await pilot.press("enter")
        assert isinstance(app.screen, EditorScreen)
        editor = app.screen.query_one(BlockEditor)
        assert editor.read_only
        await pilot.press(*"typed", "enter", "backspace", "delete", "ctrl+k", "ctrl+u", "ctrl+w", "ctrl+x")
        app.screen.post_message(events.Paste("pasted"))
        await pilot.pause()
        assert editor.text == before
        assert app.canvas.blocks["background"].text == before
        assert len(read_only_notices(notices)) == 1, notices.titled
        assert '"Open anyway"' in read_only_notices(notices)[0]
        assert_unchanged(app, before_bytes, example_copy)
        await pilot.press("escape", "ctrl+s")
        await pilot.pause()
    assert example_copy.read_bytes() == before_bytes


async def test_status_skip_questions_undo_and_outside_edits_change_nothing(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plant_lock(example_copy)
    before_bytes = example_copy.read_bytes()
    launched: list[object] = []

    def call(*args: object, **kwargs: object) -> int:
        launched.append(args)
        return 0

    monkeypatch.setattr(subprocess, "call", call)
    notices = Notices()
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40), message_hook=notices.hook) as pilot:
        await open_read_only(app, pilot)
        status = app.canvas.blocks["background"].status
        await pilot.press("space", "x", "ctrl+z", "ctrl+y")  # canvas: cycle status, skip, undo, redo
        assert app.canvas.blocks["background"].status == status
        await pilot.press("enter", "f3", "f4", "ctrl+o")  # editor: cycle status, skip, $EDITOR
        assert launched == [], "the outside editor is not opened: what is written there would be lost"
        await pilot.press("f5", "space")  # a guiding question marked
        questions = app.screen.query_one(GuidancePanel).questions
        assert questions.answered == app.canvas.blocks["background"].answered
        assert app.canvas.blocks["background"].status == status
        assert read_only_notices(notices), "the user is told why nothing happened"
        assert_unchanged(app, before_bytes, example_copy)


async def test_f9_does_not_settle_a_conflict_in_a_read_only_canvas(example_copy: Path) -> None:
    document = CanvasFile.load(example_copy)
    document.canvas.set_text("background", "<<<<<<< ours\nmine\n=======\ntheirs\n>>>>>>> theirs\n")
    document.save()
    plant_lock(example_copy)
    before_bytes = example_copy.read_bytes()
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_read_only(app, pilot)
        await pilot.press("enter", "f9")
        await pilot.pause()
        assert isinstance(app.screen, EditorScreen), "no resolve dialog"
        assert has_conflict_marker(app.canvas.blocks["background"].text)
        assert_unchanged(app, before_bytes, example_copy)


async def test_info_form_and_palette_status_change_nothing(example_copy: Path) -> None:
    plant_lock(example_copy)
    before_bytes = example_copy.read_bytes()
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_read_only(app, pilot)
        fields = dict(app.canvas.fields)
        await pilot.press("i")
        assert isinstance(app.screen, InfoScreen)
        app.screen.query_one("#field-product").focus()
        await pilot.press("end", *" v2", "enter")
        await pilot.pause()
        assert app.canvas.fields == fields
        status = app.canvas.blocks["background"].status
        await pilot.press("ctrl+p", *"set status: done")
        hits = app.screen.query_one(OptionList)
        await wait_until(
            lambda: hits.option_count and "Set status: done" in str(hits.get_option_at_index(0).prompt),
            "the palette to find the command",
        )
        await pilot.press("enter")
        await pilot.pause()
        assert app.canvas.blocks["background"].status == status
        assert_unchanged(app, before_bytes, example_copy)


async def test_open_anyway_edits(example_copy: Path) -> None:
    plant_lock(example_copy)
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_read_only(app, pilot, "o")
        await pilot.press("enter", *"typed")
        editor = app.screen.query_one(BlockEditor)
        assert not editor.read_only
        assert app.canvas.blocks["background"].text.endswith("typed")
        assert app.dirty


async def test_a_file_that_cannot_be_written_takes_no_edits_until_saved_as_a_copy(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before_bytes = example_copy.read_bytes()
    monkeypatch.setattr(CanvasFile, "writable", lambda self: False)
    notices = Notices()
    app = make_app(example_copy)
    copy = example_copy.with_name("elsewhere.toml")
    async with app.run_test(size=(120, 40), message_hook=notices.hook) as pilot:
        await pilot.press("enter", *"typed")
        assert not app.canvas.blocks["background"].text.endswith("typed")
        assert "ctrl+s saves a copy" in read_only_notices(notices)[0]
        assert_unchanged(app, before_bytes, example_copy)
        app.session.save_as(copy)
        await pilot.pause()
        assert not app.screen.query_one(BlockEditor).read_only
        await pilot.press(*"typed")
        assert app.canvas.blocks["background"].text.endswith("typed")
