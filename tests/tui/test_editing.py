"""Editing blocks, statuses and the header, and what reaches the file."""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Any

from tests.observe import screen_text
from tests.tui.helpers import make_app
from tests.waiting import wait_until
from textual.command import Command, CommandList, CommandPalette
from textual.widgets import OptionList

from canvas_tui.model import Status
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.app import CanvasApp
from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.editor_screen import EditorScreen
from canvas_tui.tui.screens.help_screen import HelpScreen, help_sections
from canvas_tui.tui.screens.info_screen import InfoScreen
from canvas_tui.tui.screens.quit_screen import QuitScreen
from canvas_tui.tui.widgets.block_editor import BlockEditor


def on_disk(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


async def test_edit_escape_save_writes_the_text_to_the_file(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        assert isinstance(app.screen, EditorScreen)
        await pilot.press(*" Added in the editor.")
        await pilot.press("escape")
        assert isinstance(app.screen, CanvasScreen)
        assert app.screen.current == "background"
        assert app.dirty
        await pilot.press("ctrl+s")
        assert not app.dirty
    text = on_disk(example_copy)["blocks"]["background"]["text"]
    assert text.rstrip().endswith("Added in the editor.")


async def test_typing_into_a_todo_block_makes_it_a_draft(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CanvasScreen)
        app.screen.select("lifetime")
        assert app.canvas.blocks["lifetime"].status is Status.TODO
        await pilot.press("e", *"Retrain monthly.", "escape", "ctrl+s")
    block = on_disk(example_copy)["blocks"]["lifetime"]
    assert block == {"status": "draft", "text": "Retrain monthly."}


async def test_editor_to_editor_jumps_keep_both_texts(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e", *"one", "alt+down")
        editor_screen = app.screen
        assert isinstance(editor_screen, EditorScreen)
        assert editor_screen.block_id == "value_proposition"
        await pilot.press(*"two", "ctrl+pagedown")
        assert editor_screen.block_id == "objectives"
        await pilot.press("alt+up", "ctrl+pageup")
        assert editor_screen.block_id == "background"
        assert editor_screen.query_one(BlockEditor).text.endswith("one")
        await pilot.press("escape", "ctrl+s")
    blocks = on_disk(example_copy)["blocks"]
    assert blocks["background"]["text"].endswith("one")
    assert blocks["value_proposition"]["text"].endswith("two")


async def test_undo_and_redo_in_the_editor(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        original = app.canvas.blocks["background"].text
        await pilot.press("e", *"xyz")
        assert app.canvas.blocks["background"].text != original
        await pilot.press("ctrl+z")
        assert app.canvas.blocks["background"].text == original
        await pilot.press("ctrl+y")
        assert app.canvas.blocks["background"].text.endswith("xyz")


async def test_status_keys_on_the_canvas_change_the_file(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CanvasScreen)
        app.screen.select("lifetime")  # todo
        await pilot.press("space")  # -> draft
        app.screen.select("decision")  # draft
        await pilot.press("space")  # -> done
        app.screen.select("background")  # done
        await pilot.press("space")  # -> todo
        app.screen.select("security")  # draft
        await pilot.press("x")  # -> skip
        assert app.canvas.progress().counts[Status.SKIP] == 1
        await pilot.press("ctrl+s")
    blocks = on_disk(example_copy)["blocks"]
    assert blocks["lifetime"]["status"] == "draft"
    assert blocks["decision"]["status"] == "done"
    assert blocks["background"]["status"] == "todo"
    assert blocks["security"]["status"] == "skip"


async def test_status_keys_inside_the_editor(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CanvasScreen)
        app.screen.select("decision")  # draft
        await pilot.press("e", "f3")
        assert app.canvas.blocks["decision"].status is Status.DONE
        await pilot.press("f4")
        assert app.canvas.blocks["decision"].status is Status.SKIP
        await pilot.press("f4")
        assert app.canvas.blocks["decision"].status is Status.DONE, "un-skip gives back the status"


async def test_progress_in_the_header_updates_at_once(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        assert isinstance(app.screen, CanvasScreen)
        header = app.screen.query_one("#canvas-header")
        assert "8/15 resolved" in str(header.render())
        app.screen.select("decision")
        await pilot.press("space")
        await pilot.pause()
        assert "9/15 resolved" in str(header.render())
        assert "unsaved" in str(header.render())


async def test_info_form_changes_the_header_fields_in_the_file(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, InfoScreen)
        product = app.screen.query_one("#field-product")
        product.focus()
        await pilot.press("ctrl+u" if False else "end")
        await pilot.press(*" v2")
        await pilot.press("f5")  # new iteration
        await pilot.press("enter")
        assert isinstance(app.screen, CanvasScreen)
        await pilot.press("ctrl+s")
    header = on_disk(example_copy)["canvas"]
    assert header["product"] == "Churn early warning v2"
    assert header["iteration"] == 4
    assert header["date"] == dt.date.today().isoformat()


async def test_info_form_escape_changes_nothing(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", *"zzz", "escape")
        assert isinstance(app.screen, CanvasScreen)
        assert not app.dirty


async def test_quit_without_changes_exits_without_asking(example_copy: Path) -> None:
    before = example_copy.read_bytes()
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
        assert not isinstance(app.screen, QuitScreen)
    assert app.return_code == 0
    assert example_copy.read_bytes() == before


async def test_quit_guard_asks_only_when_work_would_be_lost(example_copy: Path) -> None:
    before = example_copy.read_bytes()
    app = make_app(example_copy, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "q")
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("escape")  # cancel
        assert isinstance(app.screen, CanvasScreen)
        await pilot.press("ctrl+q")
        assert isinstance(app.screen, QuitScreen)
        await pilot.press("d")  # discard
        await pilot.pause()
    assert app.return_code == 0
    assert example_copy.read_bytes() == before


async def test_quit_guard_save_choice_writes_the_file(example_copy: Path) -> None:
    app = make_app(example_copy, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "q", "s")
        await pilot.pause()
    assert on_disk(example_copy)["blocks"]["background"]["status"] == "todo"


async def test_with_autosave_quit_saves_instead_of_asking(example_copy: Path) -> None:
    app = make_app(example_copy, autosave=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space", "q")
        await pilot.pause()
        assert not isinstance(app.screen, QuitScreen)
    assert on_disk(example_copy)["blocks"]["background"]["status"] == "todo"


async def test_autosave_writes_when_leaving_the_editor(example_copy: Path) -> None:
    app = make_app(example_copy, autosave=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e", *"autosaved", "escape")
        assert not app.dirty
        assert on_disk(example_copy)["blocks"]["background"]["text"].endswith("autosaved")


async def test_autosave_writes_a_moment_after_the_last_change(example_copy: Path) -> None:
    app = make_app(example_copy, autosave=True)  # tests.tui.helpers.QUICK: a short autosave delay
    unsaved_when_changed: list[bool] = []
    app.session.listeners.append(lambda change: unsaved_when_changed.append(app.dirty))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await wait_until(lambda: not app.dirty, "the autosave timer saved the change")
        assert unsaved_when_changed[0], "the change was unsaved until the timer fired"
        assert on_disk(example_copy)["blocks"]["background"]["status"] == "todo"


async def test_a_missing_file_is_written_on_first_save(tmp_path: Path) -> None:
    path = tmp_path / "new.toml"
    app = CanvasApp(CanvasFile.create(path), autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert not path.exists(), "quitting an untouched new canvas writes nothing"
    app = CanvasApp(CanvasFile.create(path), autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e", *"First words.", "escape", "ctrl+s")
    data = on_disk(path)
    assert data["blocks"]["background"] == {"status": "draft", "text": "First words."}
    assert list(data["blocks"]) == list(app.canvas.template.block_ids)


async def test_help_lists_keys_of_every_screen_search_and_every_palette_command(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("question_mark")
        assert "Canvas" in screen_text(app)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        sections = dict(help_sections(app))
        assert list(sections) == [
            "Canvas",
            "Search",
            "Block editor",
            "Guiding questions (f5 in the editor)",
            "Typing in the editor",
            "Canvas info",
            "Anywhere",
            "Command palette (ctrl+p)",
        ]
        rows = {title: dict(section) for title, section in sections.items()}
        assert "alt+↓ / ctrl+pagedown" in rows["Block editor"] and "f2" in rows["Block editor"]
        assert "ctrl+s" in rows["Anywhere"]
        assert "ctrl+z" in rows["Canvas"] and "ctrl+t" in rows["Search"] and "enter" in rows["Search"]
        await pilot.press("escape")
        await pilot.press("ctrl+p")
        await pilot.pause()
        palette = app.screen
        assert isinstance(palette, CommandPalette)
        await wait_until(
            lambda: palette.query_one(CommandList).option_count > 0, "the palette lists its commands"
        )
        options = palette.query_one(CommandList).options
        offered = {option.hit.text for option in options if isinstance(option, Command) and option.hit.text}
        await pilot.press("escape")
        listed = set(rows["Command palette (ctrl+p)"])
        for name in offered:
            family = "Go to BLOCK" if name.startswith("Go to ") else name
            family = "Set status: todo / draft / done / skip" if name.startswith("Set status") else family
            assert family in listed, f"the palette offers {name!r} and help does not list it"
        await pilot.press("f1")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, CanvasScreen)
        assert isinstance(app.screen, CanvasScreen)


async def test_command_palette_goes_to_a_block(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.press(*"go to security")
        hits = app.screen.query_one(OptionList)
        await wait_until(
            lambda: hits.option_count and "Security" in str(hits.get_option_at_index(0).prompt),
            "the palette to find the command",
        )
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, CanvasScreen)
        assert app.screen.current == "security"


async def test_info_form_rejects_a_date_that_is_not_a_date(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i")
        assert isinstance(app.screen, InfoScreen)
        app.screen.query_one("#field-date").value = "yes"  # type: ignore[attr-defined]
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, InfoScreen), "the form stays open to fix the date"
        assert app.canvas.fields["date"] == "2026-11-26"


async def test_new_iteration_twice_is_still_one_iteration(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("i", "f5", "f5", "ctrl+s")
        assert app.canvas.fields["iteration"] == 4


async def test_the_palette_quit_command_goes_through_the_quit_guard(example_copy: Path) -> None:
    app = make_app(example_copy, autosave=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("space")
        await app.action_quit()  # what the palette's built-in "Quit" runs
        await pilot.pause()
        assert isinstance(app.screen, QuitScreen)


async def test_keys_typed_just_before_a_jump_stay_in_their_block(example_copy: Path) -> None:
    """Escape and alt+down run before the editor's change message: nothing typed is lost."""
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        editor_screen = app.screen
        assert isinstance(editor_screen, EditorScreen)
        editor = editor_screen.query_one(BlockEditor)
        editor.insert("typed")  # in the editor, with its change message not yet handled
        editor_screen.action_step(1)
        assert app.canvas.blocks["background"].text.endswith("typed")
        editor.insert("more")
        editor_screen.action_close()
        assert app.canvas.blocks["value_proposition"].text.endswith("more")


async def test_undo_history_is_kept_per_block_across_editor_jumps(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        original = app.canvas.blocks["background"].text
        await pilot.press("e", *" first", "alt+down", *" second", "alt+up")
        assert app.canvas.blocks["background"].text == original + " first"
        await pilot.press("ctrl+z")
        assert app.canvas.blocks["background"].text == original
        await pilot.press("ctrl+y", "alt+down", "ctrl+z")
        assert app.canvas.blocks["background"].text == original + " first"
        assert not app.canvas.blocks["value_proposition"].text.endswith(" second")
