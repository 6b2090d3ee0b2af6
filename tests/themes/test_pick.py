"""Which theme a session starts with: --theme, CANVAS_TUI_THEME, settings, NO_COLOR, 16 colours."""

from __future__ import annotations

import pytest

from canvas_tui.tui.themes import ANSI_THEME, DEFAULT_THEME, MONO_THEME, color_system, pick_theme

AVAILABLE = ["canvas", "canvas-ansi", "canvas-dark", "high-contrast", "mono", "nord"]
TRUECOLOR = {"TERM": "xterm-256color", "COLORTERM": "truecolor"}


def pick(requested: str | None = None, saved: str | None = None, **environ: str) -> tuple[str, str]:
    choice = pick_theme(requested=requested, environ=environ, saved=saved, available=AVAILABLE)
    assert choice.notice is None
    return choice.name, choice.reason


def test_default_in_a_colour_terminal() -> None:
    assert pick(**TRUECOLOR) == (DEFAULT_THEME, "the default")
    assert pick(TERM="xterm-256color") == (DEFAULT_THEME, "the default")
    assert pick(TERM="tmux-256color") == (DEFAULT_THEME, "the default")


def test_the_order_is_flag_then_environment_then_settings_then_terminal() -> None:
    environ = {"CANVAS_TUI_THEME": "canvas-dark", "NO_COLOR": "1", "TERM": "linux"}
    assert pick("nord", "high-contrast", **environ) == ("nord", "--theme")
    assert pick(None, "high-contrast", **environ) == ("canvas-dark", "CANVAS_TUI_THEME")
    del environ["CANVAS_TUI_THEME"]
    # The NO_COLOR convention: a user's settings and command-line arguments win over it.
    assert pick(None, "high-contrast", **environ) == ("high-contrast", "the settings file")
    assert pick(None, None, **environ) == (MONO_THEME, "NO_COLOR")


def test_no_color_gives_mono() -> None:
    assert pick(NO_COLOR="1", **TRUECOLOR)[0] == MONO_THEME
    assert pick(NO_COLOR="anything")[0] == MONO_THEME


def test_an_empty_no_color_is_not_set() -> None:
    """no-color.org: NO_COLOR counts when it is present *and not empty*."""
    assert pick(NO_COLOR="", **TRUECOLOR)[0] == DEFAULT_THEME


@pytest.mark.parametrize("term", ["linux", "screen", "xterm", "vt220", "xterm-16color"])
def test_a_16_colour_terminal_gets_the_ansi_theme(term: str) -> None:
    name, reason = pick(TERM=term)
    assert name == ANSI_THEME
    assert f"TERM={term}" in reason


def test_colorterm_forwarded_into_screen_means_full_colour() -> None:
    """The SSH advice in docs/ssh.md: with COLORTERM forwarded, TERM=screen draws in full colour."""
    assert pick(TERM="screen", COLORTERM="truecolor")[0] == DEFAULT_THEME
    assert pick(TERM="screen-256color")[0] == DEFAULT_THEME


def test_a_terminal_without_colour_gets_mono() -> None:
    assert pick(TERM="dumb")[0] == MONO_THEME


def test_textual_color_system_is_what_textual_will_draw_with() -> None:
    assert color_system({"TERM": "xterm-256color", "TEXTUAL_COLOR_SYSTEM": "standard"}) == "standard"
    assert pick(TEXTUAL_COLOR_SYSTEM="standard", **TRUECOLOR)[0] == ANSI_THEME
    assert pick(TEXTUAL_COLOR_SYSTEM="truecolor", TERM="linux")[0] == DEFAULT_THEME
    assert color_system({"TERM": "linux", "TEXTUAL_COLOR_SYSTEM": "nonsense"}) == "standard"


@pytest.mark.parametrize(
    ("requested", "environ", "saved", "source"),
    [
        ("nope", {}, None, "--theme"),
        (None, {"CANVAS_TUI_THEME": "nope"}, None, "CANVAS_TUI_THEME"),
        (None, {}, "nope", "the settings file"),
    ],
)
def test_an_unknown_name_is_a_notice_listing_the_names_then_the_default(
    requested: str | None, environ: dict[str, str], saved: str | None, source: str
) -> None:
    choice = pick_theme(
        requested=requested, environ={**TRUECOLOR, **environ}, saved=saved, available=AVAILABLE
    )
    assert choice.name == DEFAULT_THEME
    assert choice.notice is not None
    assert "'nope'" in choice.notice and source in choice.notice
    assert ", ".join(sorted(AVAILABLE)) in choice.notice


def test_blank_names_are_not_requests() -> None:
    assert pick(" ", None, CANVAS_TUI_THEME="", **TRUECOLOR)[0] == DEFAULT_THEME
