"""Never lose a word: recovery file, changes on disk, read-only files, failed saves, hard text."""

from __future__ import annotations

import errno
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest
from tests.observe import Notices
from tests.tui.helpers import QUICK, leave_recovery, make_app
from tests.waiting import wait_until
from textual.content import Content
from textual.widgets import Button, Static

from canvas_tui import storage
from canvas_tui.files import recovery
from canvas_tui.model import Status
from canvas_tui.session import Timing
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.app import CanvasApp
from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.conflict_screen import ConflictScreen
from canvas_tui.tui.screens.editor_screen import EditorScreen
from canvas_tui.tui.screens.recovery_screen import RecoveryScreen
from canvas_tui.tui.screens.save_as_screen import SaveAsScreen
from canvas_tui.tui.widgets.block_editor import BlockEditor


def on_disk(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def edit_on_disk(path: Path, old: str, new: str) -> None:
    """Another program changes the file (and its mtime, even within the same clock tick)."""
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


# -- the recovery file -------------------------------------------------------------------------


async def test_recovery_file_follows_unsaved_work_and_goes_on_save(example_copy: Path) -> None:
    app = make_app(example_copy)
    rec = recovery.recovery_path(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e", *"unsaved words")
        await wait_until(
            lambda: (
                (found := recovery.read(rec))
                and found.mine.blocks["background"].text.endswith("unsaved words")
            ),
            "the recovery file holds the last word typed",
        )
        assert rec.stat().st_mode & 0o777 == 0o600
        found = recovery.read(rec)
        assert found is not None and found.base is not None
        assert (
            found.base.blocks["background"]
            == CanvasFile.load(example_copy).canvas.state().blocks["background"]
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not rec.exists()


async def test_clean_exit_leaves_no_recovery_file(example_copy: Path) -> None:
    app = make_app(example_copy, autosave=False)
    rec = recovery.recovery_path(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await wait_until(rec.exists, "the recovery file is written")
        await pilot.press("q", "d")  # quit, discard
        await pilot.pause()
    assert not rec.exists()


async def test_recovery_is_offered_on_start_and_restores(example_copy: Path) -> None:
    crashed = CanvasFile.load(example_copy)
    base = crashed.canvas.state()
    crashed.canvas.set_text("lifetime", "Written just before the crash.")
    crashed.canvas.set_status("fairness", Status.DONE)
    leave_recovery(example_copy, base, crashed.canvas.state())

    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        assert app.screen.differing == ["Lifetime", "Fairness"]
        await pilot.press("r")
        assert isinstance(app.screen, CanvasScreen)
        assert app.canvas.blocks["lifetime"].text == "Written just before the crash."
        assert app.dirty
        await pilot.press("ctrl+s")
    blocks = on_disk(example_copy)["blocks"]
    assert blocks["lifetime"]["text"] == "Written just before the crash."
    assert blocks["fairness"]["status"] == "done"
    assert not recovery.recovery_path(example_copy).exists()


async def test_recovery_discard_keeps_the_file_and_removes_the_recovery(example_copy: Path) -> None:
    before = example_copy.read_bytes()
    crashed = CanvasFile.load(example_copy)
    base = crashed.canvas.state()
    crashed.canvas.set_text("lifetime", "Not wanted.")
    leave_recovery(example_copy, base, crashed.canvas.state())
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        assert not app.dirty
    assert not recovery.recovery_path(example_copy).exists()
    kept = recovery.recovery_path(example_copy).with_name(".canvas.toml.recovery.bak")
    assert "Not wanted." in kept.read_text(encoding="utf-8"), "set aside, not destroyed"
    assert example_copy.read_bytes() == before


async def test_a_recovery_equal_to_the_file_is_not_offered(example_copy: Path) -> None:
    state = CanvasFile.load(example_copy).canvas.state()
    leave_recovery(example_copy, state, state)
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CanvasScreen)
    assert not recovery.recovery_path(example_copy).exists()


# -- changes on disk ---------------------------------------------------------------------------


async def test_external_change_without_local_edits_reloads(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        edit_on_disk(example_copy, 'product = "Churn early warning"', 'product = "Renamed"')
        app.saver.check_disk()
        await pilot.pause()
        assert app.canvas.fields["product"] == "Renamed"
        assert not app.dirty


async def test_external_edit_to_another_block_merges_without_asking(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CanvasScreen)
        app.screen.select("lifetime")
        await pilot.press("e", *"Mine.", "escape")  # autosave is off in make_app
        edit_on_disk(
            example_copy, '[blocks.security]\nstatus = "draft"', '[blocks.security]\nstatus = "done"'
        )
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not isinstance(app.screen, ConflictScreen)
    blocks = on_disk(example_copy)["blocks"]
    assert blocks["lifetime"]["text"] == "Mine."
    assert blocks["security"]["status"] == "done"


@pytest.mark.parametrize(
    ("key", "expected"),
    [("m", "Mine."), ("t", "Theirs."), ("b", "<<<<<<< alice\nMine.\n=======\nTheirs.\n>>>>>>> on disk\n")],
)
async def test_external_edit_to_the_same_block_asks(example_copy: Path, key: str, expected: str) -> None:
    app = make_app(example_copy, user="alice")
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CanvasScreen)
        app.screen.select("lifetime")
        await pilot.press("e", *"Mine.", "escape")
        edit_on_disk(
            example_copy,
            '[blocks.lifetime]\nstatus = "todo"\ntext = ""',
            '[blocks.lifetime]\nstatus = "todo"\ntext = "Theirs."',
        )
        app.saver.check_disk()
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        await pilot.press(key)
        await pilot.pause()
        assert app.canvas.blocks["lifetime"].text == expected
        await pilot.press("ctrl+s")
    assert on_disk(example_copy)["blocks"]["lifetime"]["text"] == expected


async def test_open_editor_shows_text_reloaded_from_disk(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CanvasScreen)
        app.screen.select("lifetime")
        await pilot.press("e")
        edit_on_disk(
            example_copy,
            '[blocks.lifetime]\nstatus = "todo"\ntext = ""',
            '[blocks.lifetime]\nstatus = "todo"\ntext = "From git pull."',
        )
        app.saver.check_disk()
        await pilot.pause()
        editor_screen = app.screen
        assert isinstance(editor_screen, EditorScreen)
        assert editor_screen.query_one(BlockEditor).text == "From git pull."


async def test_deleted_file_is_reported_and_written_again_only_on_ctrl_s(example_copy: Path) -> None:
    app = make_app(example_copy, autosave=True)
    async with app.run_test(size=(120, 40)) as pilot:
        example_copy.unlink()
        app.saver.check_disk()
        await pilot.press("space")
        assert not app.session.autosaving
        app.saver.autosave_now()  # what the timer does
        await pilot.pause()
        assert not example_copy.exists(), "autosave must not silently recreate a deleted file"
        assert app.session.file_mark == "file gone from disk"
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert on_disk(example_copy)["blocks"]["background"]["status"] == "todo"


async def test_unparsable_file_on_disk_is_never_written_over(example_copy: Path) -> None:
    app = make_app(example_copy)
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices.hook) as pilot:
        await pilot.press("space")
        broken = b"[canvas\nthis is not TOML\n"
        example_copy.write_bytes(broken)
        stat = example_copy.stat()
        os.utime(example_copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.dirty
        assert recovery.recovery_path(example_copy).exists()
        await pilot.press("ctrl+s")  # asked again: said again, with a way out
        await pilot.pause()
        assert ("Not saved" in (title for title, _ in notices.titled)) and isinstance(
            app.screen, SaveAsScreen
        )
    assert example_copy.read_bytes() == broken


# -- files that cannot be written ----------------------------------------------------------------


async def test_read_only_file_is_marked_and_save_offers_save_as(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = example_copy.read_bytes()
    monkeypatch.setattr(CanvasFile, "writable", lambda self: False)
    app = make_app(example_copy, autosave=True)
    copy = example_copy.with_name("elsewhere.toml")
    async with app.run_test(size=(120, 40)) as pilot:
        assert app.session.file_mark == "read-only"
        await pilot.press("space")
        assert not app.dirty, "read-only takes no edits"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveAsScreen)
        field = app.screen.query_one("#save-as-path")
        field.value = str(copy)  # type: ignore[attr-defined]
        await pilot.press("enter")
        await pilot.pause()
        assert not app.dirty
        assert app.document.path == copy
    assert example_copy.read_bytes() == before
    assert on_disk(copy)["blocks"]["background"]["status"] == "done"  # the canvas as it was shown


async def test_failed_save_keeps_edits_in_memory_and_in_the_recovery_file(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = example_copy.read_bytes()

    def disk_full(path: Path, data: bytes, *, mode: int | None = None) -> None:
        if path == example_copy:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(path, data, mode=mode)

    real_write = storage.atomic_write
    monkeypatch.setattr(storage.canvas_file, "atomic_write", disk_full)
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e", *"keep me", "escape", "ctrl+s")
        await pilot.pause()
        assert app.dirty
        assert app.canvas.blocks["background"].text.endswith("keep me")
    assert example_copy.read_bytes() == before
    found = recovery.read(recovery.recovery_path(example_copy))
    assert found is not None and found.mine.blocks["background"].text.endswith("keep me")


# -- text that terminals and TOML find hard ------------------------------------------------------

HARD_TEXT = (
    "tab\there, form\x0cfeed, vertical\x0btab, NEL\x85, line\u2028sep, para\u2029sep,\n"
    "bell\x07 escape\x1b[31m null\x00 del\x7f, emoji 🧪🚀, CJK 機械学習, "
    "RTL עברית العربية, trailing spaces   \n\"quotes\" and \\backslashes\\ '''"
)


async def test_hard_text_edits_and_round_trips_through_the_editor(example_copy: Path) -> None:
    document = CanvasFile.load(example_copy)
    document.canvas.set_text("lifetime", HARD_TEXT)
    document.save()
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CanvasScreen)
        app.screen.select("lifetime")
        await pilot.press("e")
        shown = app.screen.query_one(BlockEditor).text
        assert "␌" in shown and "␊" in shown and "␛" in shown
        assert len(shown.splitlines()) == HARD_TEXT.count("\n") + 1, "no extra line breaks"
        await pilot.press("end", "!", "escape", "ctrl+s")
    text = on_disk(example_copy)["blocks"]["lifetime"]["text"]
    assert text == HARD_TEXT + "!"


async def test_crlf_paste_is_stored_with_lf(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CanvasScreen)
        app.screen.select("lifetime")
        await pilot.press("e")
        app.screen.query_one(BlockEditor).insert("from\r\nwindows\r\n")
        await pilot.press(*"typed", "escape", "ctrl+s")
    assert on_disk(example_copy)["blocks"]["lifetime"]["text"] == "from\nwindows\ntyped"


async def test_a_long_single_line_and_a_big_file_display(example_copy: Path) -> None:
    document = CanvasFile.load(example_copy)
    document.canvas.set_text("background", "x" * 100_000)
    document.canvas.set_text("security", ("A fairly long paragraph of words. " * 30 + "\n") * 11_000)
    document.save()
    assert example_copy.stat().st_size > 10 * 1024 * 1024
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, CanvasScreen)
        await pilot.press("e", "end", *"!", "escape", "ctrl+s")
    assert on_disk(example_copy)["blocks"]["background"]["text"] == "x" * 100_000 + "!"


async def test_picture_characters_already_in_a_block_survive_open_and_save(example_copy: Path) -> None:
    text = "Symbols ␀ ␊ and ␤ stay, real \x00 and \u2028 too."
    document = CanvasFile.load(example_copy)
    document.canvas.set_text("lifetime", text)
    document.save()
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CanvasScreen)
        app.screen.select("lifetime")
        await pilot.press("e", "end", "!", "escape", "ctrl+s")
    assert on_disk(example_copy)["blocks"]["lifetime"]["text"] == text + "!"


async def test_a_second_disk_change_while_the_question_is_open_does_not_ask_twice(
    example_copy: Path,
) -> None:
    # Autosave on, but its timer never fires by itself here: the test runs it when it wants.
    app = make_app(example_copy, autosave=True, timing=Timing(autosave=3600, recovery=0.01, disk_check=3600))
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CanvasScreen)
        app.screen.select("lifetime")
        await pilot.press("e", *"Mine.", "escape")  # leaving the editor autosaves
        app.session.set_text("lifetime", "Mine, again.")  # unsaved, and the same block's text
        edit_on_disk(
            example_copy,
            '[blocks.lifetime]\nstatus = "draft"\ntext = "Mine."',
            '[blocks.lifetime]\nstatus = "draft"\ntext = "Theirs."',
        )
        app.saver.check_disk()
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        app.save(quiet=True)  # what the autosave timer would do meanwhile
        await pilot.pause()
        assert sum(isinstance(s, ConflictScreen) for s in app.screen_stack) == 1
        await pilot.press("t")
        await pilot.pause()
    lifetime = on_disk(example_copy)["blocks"]["lifetime"]
    assert lifetime == {"status": "draft", "text": "Theirs."}, "the answer given is the one kept"


async def test_keys_still_queued_in_the_editor_count_when_the_disk_changes(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CanvasScreen)
        app.screen.select("lifetime")
        await pilot.press("e")
        editor = app.screen.query_one(BlockEditor)
        editor.insert("TYPED")  # its change message not yet handled
        edit_on_disk(example_copy, 'product = "Churn early warning"', 'product = "Renamed"')
        app.saver.check_disk()
        await pilot.pause()
        assert app.canvas.blocks["lifetime"].text == "TYPED"
        assert app.canvas.fields["product"] == "Renamed"
        assert editor.text == "TYPED"


async def test_a_recovery_file_with_unknown_blocks_does_not_crash(example_copy: Path) -> None:
    crashed = CanvasFile.load(example_copy)
    base = crashed.canvas.state()
    crashed.canvas.set_text("lifetime", "kept")
    state = crashed.canvas.state()
    state.blocks["no_such_block"] = state.blocks["lifetime"]
    leave_recovery(example_copy, base, state)
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, RecoveryScreen)
        assert app.screen.differing == ["Lifetime"]


async def test_a_file_appearing_where_a_new_canvas_goes_offers_save_as(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    app = CanvasApp(CanvasFile.create(path), autosave=False, timing=QUICK)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        path.write_text("# someone else's file\n", encoding="utf-8")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, SaveAsScreen)
    assert path.read_text(encoding="utf-8") == "# someone else's file\n"


async def test_the_conflict_dialog_shows_where_two_long_texts_differ(example_copy: Path) -> None:
    common = "The same long opening that both versions share, word for word. " * 20
    document = CanvasFile.load(example_copy)
    document.canvas.set_text("lifetime", common + "Retrain monthly.")
    document.save()
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        app.session.set_text("lifetime", common + "Retrain weekly, mine.")
        theirs = CanvasFile.load(example_copy)
        theirs.canvas.set_text("lifetime", common + "Retrain quarterly, theirs.")
        theirs.save()
        stat = example_copy.stat()
        os.utime(example_copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))
        app.saver.check_disk()
        await pilot.pause()
        assert isinstance(app.screen, ConflictScreen)
        body = app.screen.query_one("#conflict-body", Static).render()
        assert isinstance(body, Content)
        assert "weekly, mine." in body.plain and "quarterly, theirs." in body.plain
        marked = {body.plain[span.start : span.end] for span in body.spans if "reverse" in repr(span.style)}
        assert {"weekly,", "mine.", "quarterly,", "theirs."} <= marked
        # What each choice keeps is said where it is chosen: line by line, the rest merged.
        assert "Lines only one side changed are kept whatever you choose." in body.plain
        tooltips = {button.id: str(button.tooltip) for button in app.screen.query(Button)}
        assert "lines we both changed" in tooltips["mine"] and "lines we both changed" in tooltips["theirs"]
        assert "between markers" in tooltips["both"] and "f9" in tooltips["both"]
