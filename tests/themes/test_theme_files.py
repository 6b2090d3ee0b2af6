"""Theme files: the bundled ones load and work, broken ones are reported by file and field."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from canvas_tui.storage import CanvasFile
from canvas_tui.tui.app import CanvasApp
from canvas_tui.tui.appearance import Appearance
from canvas_tui.tui.themes import (
    ANSI_THEME,
    DEFAULT_THEME,
    MONO_THEME,
    ThemeCatalog,
    ThemeFileError,
    bundled_themes_folder,
    is_greyscale,
    load_folder,
    load_theme_file,
)

DATA = Path(__file__).parent / "data"
BUNDLED = ["canvas", "canvas-ansi", "canvas-dark", "high-contrast", "mono"]

# Each broken file, and the field (or problem) its message must name.
BROKEN = {
    "not_toml.toml": "not valid TOML",
    "not_utf8.toml": "not UTF-8",
    "bad_colour.toml": "field 'primary'",
    "colour_not_text.toml": "field 'primary'",
    "missing_primary.toml": "field 'primary' is missing",
    "unknown_field.toml": "field 'primay' is not a theme field (did you mean 'primary'?)",
    "dark_not_bool.toml": "field 'dark'",
    "bad_variable.toml": "field 'variables.canvas-border'",
    "border_keyword.toml": "field 'variables.canvas-border'",
    "bad_text_style.toml": "field 'variables.block-cursor-text-style'",
    "bad_name.toml": "field 'name'",
    "variables_not_table.toml": "field 'variables'",
    "spread_out_of_range.toml": "field 'luminosity_spread'",
}


def test_bundled_themes_are_all_there_and_load() -> None:
    entries, warnings = load_folder(bundled_themes_folder(), "bundled")
    assert warnings == []
    assert sorted(entry.name for entry in entries) == BUNDLED
    for entry in entries:
        assert entry.description, f"{entry.path} has no description"
        assert "canvas-border" in entry.theme.variables, f"{entry.path} sets no canvas-border"
    assert {DEFAULT_THEME, MONO_THEME, ANSI_THEME} <= {entry.name for entry in entries}


def test_the_default_theme_is_the_official_look() -> None:
    theme = load_theme_file(bundled_themes_folder() / "canvas.toml").theme
    assert theme.dark is False
    assert theme.variables["canvas-border"].lower() == "#990000"
    assert theme.background is not None and theme.surface is not None
    assert theme.background.lower() == "#d0d0d0"  # the light grey paper of the official page
    assert theme.surface.lower() == "#ffffff"  # white blocks


def test_mono_has_no_colour_and_the_ansi_theme_uses_the_terminal_palette() -> None:
    catalog = ThemeCatalog.load()
    assert is_greyscale(catalog.entries[MONO_THEME].theme)
    assert not is_greyscale(catalog.entries[DEFAULT_THEME].theme)
    ansi = catalog.entries[ANSI_THEME].theme
    assert ansi.ansi
    assert all(
        value is None or value.startswith("ansi_")
        for value in (ansi.primary, ansi.secondary, ansi.warning, ansi.success, ansi.accent, ansi.background)
    )


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_theme_file_names_the_file_and_the_field(name: str) -> None:
    path = DATA / "bad" / name
    with pytest.raises(ThemeFileError) as caught:
        load_theme_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert BROKEN[name] in message
    assert "\n" not in message


def test_every_bad_fixture_is_checked() -> None:
    assert sorted(path.name for path in (DATA / "bad").glob("*.toml")) == sorted(BROKEN)


def test_a_folder_with_broken_files_loads_the_rest_and_warns_per_file(tmp_path: Path) -> None:
    shutil.copy(DATA / "bad" / "bad_colour.toml", tmp_path)
    shutil.copy(DATA / "good" / "custom.toml", tmp_path)
    entries, warnings = load_folder(tmp_path, "user")
    assert [entry.name for entry in entries] == ["sunrise"]
    assert len(warnings) == 1
    assert str(tmp_path / "bad_colour.toml") in warnings[0] and "field 'primary'" in warnings[0]


def test_a_missing_user_folder_is_no_themes(tmp_path: Path) -> None:
    assert load_folder(tmp_path / "nowhere", "user") == ([], [])


def test_good_files_become_textual_themes() -> None:
    minimal = load_theme_file(DATA / "good" / "minimal.toml")
    assert minimal.name == "minimal"  # from the file name
    assert minimal.theme.primary == "#336699"
    assert minimal.origin == "user"
    custom = load_theme_file(DATA / "good" / "custom.toml").theme
    assert custom.name == "sunrise"
    assert custom.dark is False
    assert custom.luminosity_spread == 0.2
    assert custom.variables["text-muted"] == "#222222 70%"


def test_user_themes_override_bundled_ones_and_textual_stays_untouched(tmp_path: Path) -> None:
    from textual.theme import BUILTIN_THEMES

    before = dict(BUILTIN_THEMES)
    (tmp_path / "canvas.toml").write_text('primary = "#123456"\n[variables]\ncanvas-border = "#123456"\n')
    catalog = ThemeCatalog.load(tmp_path)
    assert catalog.entries["canvas"].origin == "user"
    assert catalog.entries["canvas"].theme.primary == "#123456"
    assert "textual-dark" in catalog.names and "nord" in catalog.names
    assert {entry.origin for entry in catalog.ours()} == {"bundled", "user"}
    assert before == BUILTIN_THEMES


THEMED = [*BUNDLED, "good/minimal", "good/plain-ansi", "good/custom", "nord", "textual-light"]


@pytest.mark.parametrize("theme", THEMED)
async def test_the_app_runs_in_every_theme(example: Path, theme: str) -> None:
    """Each theme must give every variable our CSS and Textual's needs, or the app cannot start."""
    appearance = Appearance.fixed()
    if theme.startswith("good/"):
        entry = load_theme_file(DATA / f"{theme}.toml")
        appearance.catalog.add([entry])
        theme = entry.name
    appearance.choice = type(appearance.choice)(theme, "test")
    app = CanvasApp(CanvasFile.load(example), autosave=False, appearance=appearance)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("enter")  # the editor too
        await pilot.pause()
        assert app.theme == theme
        assert "canvas-border" in app.theme_variables
