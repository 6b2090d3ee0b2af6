"""The app's looks from a user's point of view: the theme it starts with, warnings, the theme
picker's live preview and its memory, and cursors that do not blink."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.observe import Notices
from textual.command import Command, CommandPalette
from textual.widgets import Input, OptionList

from canvas_tui.files.settings import settings_path
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.app import CanvasApp
from canvas_tui.tui.appearance import Appearance

DATA = Path(__file__).parent / "data"
COLOUR_TERMINAL = {"TERM": "xterm-256color", "COLORTERM": "truecolor"}


@pytest.fixture
def config_home(tmp_path: Path) -> Path:
    home = tmp_path / "config-home"
    home.mkdir()
    return home


def startup_app(example: Path, config_home: Path, requested: str | None = None, **environ: str) -> CanvasApp:
    env = {"XDG_CONFIG_HOME": str(config_home), **COLOUR_TERMINAL, **environ}
    return CanvasApp(
        CanvasFile.load(example), autosave=False, appearance=Appearance.at_startup(requested, env)
    )


async def test_no_color_starts_in_mono(example: Path, config_home: Path) -> None:
    app = startup_app(example, config_home, NO_COLOR="1")
    notices = Notices()
    async with app.run_test(message_hook=notices.hook):
        assert app.theme == "mono"
        assert notices.messages == []


async def test_term_linux_starts_in_the_ansi_theme(example: Path, config_home: Path) -> None:
    app = startup_app(example, config_home, TERM="linux", COLORTERM="")
    async with app.run_test():
        assert app.theme == "canvas-ansi"
        assert app.current_theme.ansi


async def test_an_unknown_theme_is_a_notification_then_the_default(example: Path, config_home: Path) -> None:
    app = startup_app(example, config_home, requested="solarised")
    notices = Notices()
    async with app.run_test(message_hook=notices.hook) as pilot:
        await pilot.pause()
        assert app.theme == "canvas"
        [message] = notices.messages
        assert "'solarised'" in message and "--theme" in message
        for name in ("canvas", "canvas-dark", "high-contrast", "mono", "canvas-ansi", "solarized-light"):
            assert name in message


async def test_a_broken_user_theme_warns_and_the_app_starts_with_the_default(
    example: Path, config_home: Path
) -> None:
    themes = config_home / "canvas-tui" / "themes"
    themes.mkdir(parents=True)
    shutil.copy(DATA / "bad" / "bad_variable.toml", themes / "broken.toml")
    shutil.copy(DATA / "good" / "custom.toml", themes)
    app = startup_app(example, config_home, CANVAS_TUI_THEME="broken")
    notices = Notices()
    async with app.run_test(message_hook=notices.hook) as pilot:
        await pilot.pause()
        assert app.theme == "canvas"
        messages = notices.messages
        assert any(str(themes / "broken.toml") in m and "variables.canvas-border" in m for m in messages)
        assert any("'broken'" in m and "CANVAS_TUI_THEME" in m for m in messages)
        assert "sunrise" in app.available_themes  # the good user theme loaded all the same


async def test_the_settings_file_picks_the_theme(example: Path, config_home: Path) -> None:
    path = settings_path({"XDG_CONFIG_HOME": str(config_home)})
    path.parent.mkdir(parents=True)
    path.write_text('theme = "high-contrast"\n')
    app = startup_app(example, config_home)
    async with app.run_test():
        assert app.theme == "high-contrast"


async def open_picker_and_type(app: CanvasApp, pilot, text: str) -> None:  # type: ignore[no-untyped-def]
    app.action_change_theme()
    await pilot.pause()
    assert isinstance(app.screen, CommandPalette)
    await pilot.press(*text)
    await app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.press("down")  # highlight the first match
    await pilot.pause()


async def test_the_picker_previews_and_escape_puts_the_theme_back(example: Path, config_home: Path) -> None:
    path = settings_path({"XDG_CONFIG_HOME": str(config_home)})
    path.parent.mkdir(parents=True)
    path.write_text('# mine\ntheme = "canvas-dark"\n')
    app = startup_app(example, config_home)
    async with app.run_test() as pilot:
        assert app.theme == "canvas-dark"
        await open_picker_and_type(app, pilot, "high-contrast")
        assert app.theme == "high-contrast"  # live preview
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == "canvas-dark"
    assert path.read_text() == '# mine\ntheme = "canvas-dark"\n'


async def test_the_theme_chosen_in_the_picker_is_remembered(example: Path, config_home: Path) -> None:
    path = settings_path({"XDG_CONFIG_HOME": str(config_home)})
    path.parent.mkdir(parents=True)
    path.write_text('# mine\ntheme = "canvas-dark"   # at home\n')
    app = startup_app(example, config_home, NO_COLOR="1")  # the settings file wins over NO_COLOR
    async with app.run_test() as pilot:
        await open_picker_and_type(app, pilot, "high-contrast")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.theme == "high-contrast"
    assert path.read_text() == '# mine\ntheme = "high-contrast"   # at home\n'


async def test_a_theme_from_the_command_line_is_not_remembered(example: Path, config_home: Path) -> None:
    app = startup_app(example, config_home, requested="mono", CANVAS_TUI_THEME="canvas-dark")
    async with app.run_test() as pilot:
        await pilot.pause()
        assert app.theme == "mono"
    assert not settings_path({"XDG_CONFIG_HOME": str(config_home)}).exists()


async def test_tests_never_touch_the_users_settings(example: Path) -> None:
    app = CanvasApp(CanvasFile.load(example), autosave=False)
    assert app.appearance.settings is None
    async with app.run_test() as pilot:
        app.theme = "nord"
        await pilot.pause()
        assert app.theme == "nord"
        assert app.theme_variables["canvas-border"] == app.current_theme.primary


async def test_text_fields_do_not_blink(example: Path) -> None:
    app = CanvasApp(CanvasFile.load(example), autosave=False)
    async with app.run_test() as pilot:
        await pilot.press("slash")
        await pilot.pause()
        search = app.screen.query_one("#search", Input)
        assert search.has_focus and not search.cursor_blink
        await pilot.press("escape", "i")
        await pilot.pause()
        fields = list(app.screen.query(Input))
        assert fields and any(field.has_focus for field in fields)
        assert not any(field.cursor_blink for field in fields if field.has_focus)
        await pilot.press("escape")
        await pilot.pause()
        app.action_command_palette()
        await pilot.pause()
        palette_input = app.screen.query_one(Input)
        assert palette_input.has_focus and not palette_input.cursor_blink


async def test_the_editor_does_not_blink(example: Path) -> None:
    from canvas_tui.tui.widgets.block_editor import BlockEditor

    app = CanvasApp(CanvasFile.load(example), autosave=False)
    async with app.run_test() as pilot:
        await pilot.press("enter")
        await pilot.pause()
        editor = app.screen.query_one(BlockEditor)
        assert editor.has_focus and not editor.cursor_blink


async def test_the_picker_opens_on_the_current_theme_and_escape_remembers_nothing(
    example: Path, config_home: Path
) -> None:
    """Cancelling once wrote theme = "canvas", which then beat NO_COLOR and TERM for good."""
    app = startup_app(example, config_home, NO_COLOR="1")
    async with app.run_test() as pilot:
        assert app.theme == "mono"
        app.action_change_theme()
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await app.workers.wait_for_complete()
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.highlighted is not None
        highlighted = options.get_option_at_index(options.highlighted)
        assert isinstance(highlighted, Command)
        assert str(highlighted.hit.text) == "mono"
        assert app.theme == "mono"  # opening previews nothing
        await pilot.press("down")  # a preview of the next theme
        await pilot.pause()
        assert app.theme != "mono"
        await pilot.press("escape")
        await pilot.pause()
        assert app.theme == "mono"
    assert not settings_path({"XDG_CONFIG_HOME": str(config_home)}).exists()


async def test_a_demo_reads_the_settings_but_remembers_no_theme(example: Path, config_home: Path) -> None:
    path = settings_path({"XDG_CONFIG_HOME": str(config_home)})
    path.parent.mkdir(parents=True)
    path.write_text('theme = "canvas-dark"\n')
    env = {"XDG_CONFIG_HOME": str(config_home), **COLOUR_TERMINAL}
    appearance = Appearance.at_startup(None, env, remember=False)
    app = CanvasApp(CanvasFile.load(example), autosave=False, appearance=appearance)
    async with app.run_test() as pilot:
        assert app.theme == "canvas-dark"
        await open_picker_and_type(app, pilot, "high-contrast")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.theme == "high-contrast"
    assert path.read_text() == 'theme = "canvas-dark"\n'
