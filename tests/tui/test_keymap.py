"""Your own keys: a [keymap] table in config.toml maps binding ids to keys."""

from __future__ import annotations

from pathlib import Path

from tests.observe import Notices
from tests.tui.helpers import make_app

from canvas_tui.files.settings import Settings
from canvas_tui.model import Status
from canvas_tui.tui.app import CanvasApp
from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.help_screen import binding_ids, help_sections


def app_with_keymap(path: Path, keymap: dict[str, str]) -> CanvasApp:
    app = make_app(path)
    return CanvasApp(app.session.document, autosave=False, places=app.places, keymap=keymap)


async def test_remapped_keys_fire_and_the_old_ones_no_longer_do(example_copy: Path) -> None:
    app = app_with_keymap(example_copy, {"canvas.cycle": "c", "canvas.skip": "z"})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        screen.select("lifetime")  # todo
        await pilot.press("space", "x")
        assert app.canvas.blocks["lifetime"].status is Status.TODO, "the old keys do nothing now"
        await pilot.press("c")
        assert app.canvas.blocks["lifetime"].status is Status.DRAFT
        await pilot.press("z")
        assert app.canvas.blocks["lifetime"].status is Status.SKIP
        canvas_rows = dict(dict(help_sections(app))["Canvas"])
        assert canvas_rows["c"] == "Cycle the status: todo, draft, done"
        assert canvas_rows["z"] == "Mark as not applicable"
        assert "space" not in canvas_rows


async def test_an_unknown_id_and_a_clash_are_warnings_that_name_them(example_copy: Path) -> None:
    app = app_with_keymap(example_copy, {"canvas.no_such": "w", "canvas.info": "e"})
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices.hook) as pilot:
        await pilot.press("e")
        await pilot.pause()
        messages = " ".join(notices.messages)
        assert "canvas.no_such" in messages
        assert "canvas.edit" in messages or "canvas.info" in messages


def test_the_settings_file_reads_the_keymap_and_warns_about_bad_entries(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[keymap]\n"canvas.cycle" = "c"\n"canvas.skip" = 3\n', encoding="utf-8")
    settings = Settings.load(path)
    assert settings.keymap == {"canvas.cycle": "c"}
    assert any("canvas.skip" in warning for warning in settings.warnings)


def test_every_binding_has_an_id_and_the_keys_page_lists_them() -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "keys.md").read_text(encoding="utf-8")
    missing = sorted(binding_id for binding_id in binding_ids() if f"`{binding_id}`" not in page)
    assert not missing, f"docs/keys.md's keymap table lacks {missing}"
