"""The command line: `canvas-tui themes`, --theme and --no-mouse."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from canvas_tui import cli
from canvas_tui.cli import editor

DATA = Path(__file__).parent / "data"


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "config"
    home.mkdir()
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home))
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLORTERM", "truecolor")
    for name in ("NO_COLOR", "CANVAS_TUI_THEME", "TEXTUAL_COLOR_SYSTEM"):
        monkeypatch.delenv(name, raising=False)
    return home


def rows(output: str) -> dict[str, str]:
    return {line[2:].split()[0]: line for line in output.splitlines() if line[:2] in ("  ", "* ")}


def test_themes_lists_bundled_user_and_textual_themes(
    config_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    themes = config_home / "canvas-tui" / "themes"
    themes.mkdir(parents=True)
    shutil.copy(DATA / "good" / "custom.toml", themes)
    shutil.copy(DATA / "bad" / "bad_colour.toml", themes)
    assert cli.main(["themes"]) == 0
    out, err = capsys.readouterr()
    listed = rows(out)
    assert listed["canvas"].startswith("* ") and "bundled" in listed["canvas"]
    assert "user" in listed["sunrise"] and "Warm colours" in listed["sunrise"]
    assert "textual" in listed["nord"]
    assert "bad_colour" not in out
    assert "canvas-tui: warning:" in err and "bad_colour.toml" in err and "field 'primary'" in err
    assert f"starts here: canvas (the default). Add your own themes in {themes}" in out


def test_themes_marks_the_theme_the_environment_picks(
    config_home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    cli.main(["themes"])
    out = capsys.readouterr().out
    assert rows(out)["mono"].startswith("* ")
    assert "starts here: mono (NO_COLOR)" in out


class RecordedRun:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from canvas_tui.tui.app import CanvasApp

        self.calls: list[dict[str, Any]] = []

        def run(app: CanvasApp, **options: Any) -> None:
            self.calls.append({"theme": app.theme, **options})

        monkeypatch.setattr(CanvasApp, "run", run)
        # The run is recorded, not shown: there is no terminal to need (tests/e2e has the real one).
        monkeypatch.setattr(editor, "_needs_terminal", lambda: None)


def test_theme_and_no_mouse_reach_the_app(
    config_home: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    recorded = RecordedRun(monkeypatch)
    assert cli.main([str(example), "--theme", "high-contrast", "--no-mouse"]) == 0
    assert cli.main([str(example)]) == 0
    assert recorded.calls == [
        {"theme": "high-contrast", "mouse": False},
        {"theme": "canvas", "mouse": True},
    ]


def test_the_settings_file_can_turn_the_mouse_off(
    config_home: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (config_home / "canvas-tui").mkdir()
    (config_home / "canvas-tui" / "config.toml").write_text('theme = "mono"\nmouse = false\n')
    recorded = RecordedRun(monkeypatch)
    cli.main([str(example)])
    assert recorded.calls == [{"theme": "mono", "mouse": False}]


def test_the_environment_variable_picks_the_theme(
    config_home: Path, example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CANVAS_TUI_THEME", "canvas-dark")
    recorded = RecordedRun(monkeypatch)
    cli.main([str(example)])
    assert recorded.calls[0]["theme"] == "canvas-dark"


def test_help_mentions_the_new_options(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli.main(["--help"])
    out = capsys.readouterr().out
    assert "--theme NAME" in out and "--no-mouse" in out and "canvas-tui themes" in out
