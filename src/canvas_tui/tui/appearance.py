"""How the app looks in this terminal: the themes it registers, the one it starts with, a live
preview in the theme picker, remembering the theme chosen there, and no blinking cursors.

The app delegates to one `Appearance`. The command line builds it with `Appearance.at_startup`
(reading `--theme`, the environment, the settings file and the user's theme folder); tests use
`Appearance.fixed(...)`, which reads nothing and remembers nothing, so they never depend on the
machine they run on.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rich.terminal_theme import TerminalTheme
from textual.app import App
from textual.color import Color
from textual.command import Command, CommandPalette
from textual.filter import LineFilter, NoColor
from textual.theme import ThemeProvider
from textual.widget import Widget
from textual.widgets import Input, TextArea

from canvas_tui.files.settings import Settings, SettingsError, settings_path
from canvas_tui.tui.screens.command_palette import CanvasCommandPalette
from canvas_tui.tui.themes import (
    DEFAULT_THEME,
    ThemeCatalog,
    ThemeChoice,
    is_colourless,
    is_greyscale,
    pick_theme,
    user_themes_folder,
)

THEME_PICKER_ID = "theme-picker"


@dataclass
class Appearance:
    catalog: ThemeCatalog
    choice: ThemeChoice
    settings: Settings | None = None
    """The user's settings (mouse, keymap, the saved theme); None: none are read."""
    remembers: bool = True
    """A theme chosen in the palette is written to the settings (not in a demo: it leaves nothing)."""
    notices: list[str] = field(default_factory=list)
    _theme_before_preview: str | None = None
    _ansi_palettes: tuple[TerminalTheme, TerminalTheme] | None = None
    _no_colour: NoColor = field(default_factory=NoColor)
    """Enabled under a colourless theme (mono): every cell in the terminal's own colours."""

    @classmethod
    def fixed(cls, theme: str = DEFAULT_THEME) -> Appearance:
        """The bundled themes and `theme`; no environment, no user files, nothing remembered."""
        return cls(ThemeCatalog.load(user_folder=None), ThemeChoice(theme, "fixed"))

    @classmethod
    def at_startup(
        cls,
        requested: str | None,
        environ: Mapping[str, str],
        settings: Settings | None = None,
        *,
        remember: bool = True,
    ) -> Appearance:
        """What a user's session starts with: see `canvas_tui.tui.themes.pick_theme` for the order.

        `settings`: the user's config.toml, as the app has it (read from `environ`'s place if not
        given); a theme chosen in the palette is remembered there, unless `remember` is False (the
        demo: the settings are read, but a theme chosen is not written).
        """
        if settings is None:
            settings = Settings.load(settings_path(environ))
        catalog = ThemeCatalog.load(user_themes_folder(environ))
        choice = pick_theme(
            requested=requested, environ=environ, saved=settings.theme, available=catalog.names
        )
        notices = [*settings.warnings, *catalog.warnings]
        if choice.notice:
            notices.append(choice.notice)
        return cls(catalog, choice, settings, remember, notices)

    # -- wiring, called by the app ------------------------------------------------------------

    def install(self, app: App[Any]) -> None:
        """In the app's __init__: register our themes and switch to the chosen one."""
        for entry in self.catalog.ours():
            app.register_theme(entry.theme)
        self._ansi_palettes = (app.ansi_theme_dark, app.ansi_theme_light)
        app.theme = self.choice.name
        self._match_ansi_palette(app)

    def line_filters(self) -> list[LineFilter]:
        """Added after Textual's own by the app, so under a colourless theme no colour gets through."""
        return [self._no_colour] if self._no_colour.enabled else []

    def mounted(self, app: App[Any]) -> None:
        """In the app's on_mount: show what went wrong, then remember later theme changes."""
        for notice in self.notices:
            app.notify(notice, title="Theme", severity="warning", timeout=12)
        app.watch(app, "theme", lambda name: self._changed(app, name), init=False)

    def open_picker(self, app: App[Any]) -> None:
        """The palette's "Theme" command: every theme, previewed as the highlight moves."""
        self._theme_before_preview = app.theme
        app.push_screen(
            CanvasCommandPalette(
                providers=[CurrentThemeFirst], placeholder="Search for themes…", id=THEME_PICKER_ID
            )
        )

    def highlighted(self, app: App[Any], event: CommandPalette.OptionHighlighted) -> None:
        if self._theme_before_preview is None:
            return
        option = event.highlighted_event.option
        name = str(option.hit.text) if isinstance(option, Command) else ""
        if name in app.available_themes:
            app.theme = name

    def closed(self, app: App[Any], event: CommandPalette.Closed) -> None:
        before = self._theme_before_preview
        if before is None:
            return
        if event.option_selected:
            self._theme_before_preview = None
            # The chosen command sets the theme after this message; remember what it set then.
            app.call_later(lambda: self._remember(app, app.theme))
        else:
            # Still in the preview while the theme goes back: cancelling chooses nothing, so
            # nothing is remembered (a remembered theme would beat NO_COLOR and TERM for good).
            app.theme = before
            self._theme_before_preview = None

    def _changed(self, app: App[Any], name: str) -> None:
        self._match_ansi_palette(app)
        if self._theme_before_preview is None:  # a preview is not a choice
            self._remember(app, name)

    def _match_ansi_palette(self, app: App[Any]) -> None:
        """Under a greyscale theme, text that names an ANSI colour ("bold yellow") is grey too;
        under a colourless one (mono, for NO_COLOR and TERM=dumb) no colour is sent at all, not
        even a named one: the terminal's own foreground and background show everywhere."""
        self._no_colour.enabled = is_colourless(app.current_theme)
        app.set_class(self._no_colour.enabled, "-no-colour")
        if self._ansi_palettes is None:
            return
        dark, light = self._ansi_palettes
        if is_greyscale(app.current_theme):
            dark, light = _greyscale(dark), _greyscale(light)
        app.ansi_theme_dark, app.ansi_theme_light = dark, light

    def _remember(self, app: App[Any], name: str) -> None:
        if self.settings is None or not self.remembers:
            return
        try:
            self.settings.remember_theme(name)
        except (OSError, SettingsError) as error:
            app.notify(f"The theme is not remembered: {error}", title="Theme", severity="warning")


class CurrentThemeFirst(ThemeProvider):
    """Textual's theme list with the current theme first: the picker opens highlighting it, so
    opening the picker previews (and changes) nothing."""

    @property
    def commands(self) -> list[tuple[str, Callable[[], None]]]:
        current = self.app.theme
        return sorted(super().commands, key=lambda command: command[0] != current)


def _greyscale(palette: TerminalTheme) -> TerminalTheme:
    def grey(triplet: tuple[int, int, int]) -> tuple[int, int, int]:
        return Color(*triplet).monochrome.rgb

    colours = [grey(palette.ansi_colors[index]) for index in range(16)]
    return TerminalTheme(
        grey(palette.background_color), grey(palette.foreground_color), colours[:8], colours[8:]
    )


def stop_blinking(widget: Widget) -> None:
    """A blinking cursor repaints twice a second, which an SSH link pays for even when idle."""
    if isinstance(widget, Input | TextArea):
        widget.cursor_blink = False
