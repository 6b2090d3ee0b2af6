"""The settings file: comments survive, broken files are reported and never overwritten."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from canvas_tui.files.settings import Settings, SettingsError, config_folder, settings_path

HAND_WRITTEN = """\
# My canvas-tui settings.
theme = "canvas-dark"   # dark at home

# Off: I copy text with the mouse.
mouse = false

[future]
# something a later version reads
key = 1
"""


def test_round_trip_keeps_comments_and_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(HAND_WRITTEN)
    settings = Settings.load(path)
    assert settings.warnings == []
    assert (settings.theme, settings.mouse) == ("canvas-dark", False)
    settings.remember_theme("high-contrast")
    assert path.read_text() == HAND_WRITTEN.replace('"canvas-dark"', '"high-contrast"')
    assert Settings.load(path).theme == "high-contrast"


def test_remembering_the_same_theme_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(HAND_WRITTEN)
    before = path.stat().st_mtime_ns
    Settings.load(path).remember_theme("canvas-dark")
    assert path.stat().st_mtime_ns == before


def test_a_new_file_is_created_with_its_folder_and_explained(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "canvas-tui" / "config.toml"
    settings = Settings.load(path)
    assert (settings.theme, settings.mouse, settings.warnings) == (None, True, [])
    settings.remember_theme("mono")
    text = path.read_text()
    assert text.startswith("# canvas-tui settings.")
    assert tomllib.loads(text) == {"theme": "mono"}


def test_a_theme_key_goes_before_tables(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("# mine\n[future]\nkey = 1\n")
    Settings.load(path).remember_theme("mono")
    assert tomllib.loads(path.read_text()) == {"theme": "mono", "future": {"key": 1}}
    assert path.read_text().startswith("# mine\n")


def test_a_broken_file_is_a_warning_and_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('theme = "canvas\n')
    settings = Settings.load(path)
    assert settings.theme is None
    assert len(settings.warnings) == 1 and str(path) in settings.warnings[0]
    with pytest.raises(SettingsError):
        settings.remember_theme("mono")
    assert path.read_text() == 'theme = "canvas\n'


@pytest.mark.parametrize(
    ("text", "field"),
    [("theme = 3\n", "'theme'"), ('mouse = "no"\n', "'mouse'"), ('theme = ""\n', "'theme'")],
)
def test_wrong_types_are_warnings_naming_the_field(tmp_path: Path, text: str, field: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    settings = Settings.load(path)
    assert len(settings.warnings) == 1 and field in settings.warnings[0]
    assert (settings.theme, settings.mouse) == (None, True)


def test_saving_is_atomic_and_keeps_permissions(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(HAND_WRITTEN)
    os.chmod(path, 0o600)
    Settings.load(path).remember_theme("mono")
    assert Settings.load(path).theme == "mono"
    assert path.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]  # no temp files left


def test_a_settings_link_is_read_but_never_written_through(tmp_path: Path) -> None:
    """canvas-tui writes the file on its own (remembering a theme): by the rule for every name the
    user did not type, a link there is refused in one line and left as it is, target untouched."""
    real = tmp_path / "dotfiles" / "config.toml"
    real.parent.mkdir()
    real.write_text(HAND_WRITTEN)
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    settings = Settings.load(link)
    assert settings.warnings == []
    with pytest.raises(OSError) as caught:
        settings.remember_theme("mono")
    assert str(caught.value) == (
        f"{link}: is a symbolic link; canvas-tui does not follow links it did not create"
    )
    assert link.is_symlink()
    assert real.read_text() == HAND_WRITTEN
    assert sorted(path.name for path in real.parent.iterdir()) == ["config.toml"]


def test_the_config_folder_follows_xdg_config_home(tmp_path: Path) -> None:
    environ = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert config_folder(environ) == tmp_path / "canvas-tui"
    assert settings_path(environ) == tmp_path / "canvas-tui" / "config.toml"
    # A relative XDG_CONFIG_HOME is invalid by the spec and ignored.
    assert config_folder({"XDG_CONFIG_HOME": "relative"}).name == "canvas-tui"
    assert config_folder({"XDG_CONFIG_HOME": "relative"}).is_absolute()
