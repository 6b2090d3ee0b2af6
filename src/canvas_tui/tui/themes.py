"""Theme files (TOML) loaded into Textual themes, and which theme a session starts with.

A theme file holds one `textual.theme.Theme`: `name` (default: the file name without `.toml`), an
optional `description`, `dark`, the colour slots (`primary` is required), `luminosity_spread`,
`text_alpha`, `ansi`, and a `[variables]` table for Textual's variables and our own
(`canvas-border`). The bundled files live in the repository's `themes/` folder (inside the wheel
as `canvas_tui/themes_data/`); a user's own go in `<config folder>/themes/` and win over a bundled
theme of the same name. A file that does not load is a warning naming the file and the field;
the other themes load as usual.

Which theme a session starts with (`pick_theme`): `--theme`, then `CANVAS_TUI_THEME`, then the
settings file, then what the terminal can show (NO_COLOR: `mono`; 16 colours: `canvas-ansi`),
then `canvas`. Textual's own themes stay available; `BUILTIN_THEMES` is only read, never changed.
"""

from __future__ import annotations

import difflib
import io
import re
import tomllib
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from textual.color import Color, ColorParseError
from textual.css.constants import VALID_STYLE_FLAGS
from textual.theme import BUILTIN_THEMES, Theme

from canvas_tui.errors import UserFacingError
from canvas_tui.files import nesting
from canvas_tui.files.atomic import read_file
from canvas_tui.files.resources import data_folder
from canvas_tui.files.settings import config_folder

DEFAULT_THEME = "canvas"
MONO_THEME = "mono"
ANSI_THEME = "canvas-ansi"
THEME_ENV = "CANVAS_TUI_THEME"
MAX_THEME_BYTES = 1024 * 1024
"""A theme is a few dozen lines; a file above this (or one that never ends) is refused."""

COLOUR_FIELDS = (
    "primary",
    "secondary",
    "warning",
    "error",
    "success",
    "accent",
    "foreground",
    "background",
    "surface",
    "panel",
    "boost",
)
_FRACTION_FIELDS = ("luminosity_spread", "text_alpha")
_BOOL_FIELDS = ("dark", "ansi")
_TEXT_FIELDS = ("name", "description")
KNOWN_FIELDS = (*_TEXT_FIELDS, *_BOOL_FIELDS, *COLOUR_FIELDS, *_FRACTION_FIELDS, "variables")

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
_VARIABLE_NAME = re.compile(r"[a-z][a-z0-9-]*")
_COLOUR_WITH_ALPHA = re.compile(r"(?P<colour>.+?)(?:\s+(?P<alpha>\d+(?:\.\d+)?%))?")
_COLOUR_KEYWORDS = {"auto", "transparent", "initial"}
_BORDER_VARIABLES = {"canvas-border"}

Origin = Literal["bundled", "user", "textual"]


class ThemeFileError(UserFacingError):
    """A theme file that cannot be used; the message names the file and the field."""


@dataclass(frozen=True)
class ThemeEntry:
    """One theme the app can use, and where it came from."""

    theme: Theme
    origin: Origin
    description: str = ""
    path: Path | None = None

    @property
    def name(self) -> str:
        return self.theme.name


# -- loading theme files ------------------------------------------------------------------------


def bundled_themes_folder() -> Path:
    return data_folder("themes")


def user_themes_folder(environ: Mapping[str, str] | None = None) -> Path:
    return config_folder(environ) / "themes"


def load_theme_file(path: Path, origin: Origin = "user") -> ThemeEntry:
    """Read and check one theme file; raises ThemeFileError naming the file and the field."""
    try:
        data = nesting.loads(read_file(path, limit=MAX_THEME_BYTES).decode("utf-8"))
    except nesting.TooDeepError as error:
        raise ThemeFileError(error.located(path)) from None
    except tomllib.TOMLDecodeError as error:
        raise ThemeFileError(f"{path}: not valid TOML ({error})") from None
    except UnicodeDecodeError:
        raise ThemeFileError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise ThemeFileError(f"{path}: cannot read it ({error.strerror or error})") from None
    return _theme_from_data(path, data, origin)


def _theme_from_data(path: Path, data: dict[str, Any], origin: Origin) -> ThemeEntry:
    def fail(key: str, problem: str) -> ThemeFileError:
        return ThemeFileError(f"{path}: field '{key}' {problem}")

    for key in data:
        if key not in KNOWN_FIELDS:
            close = difflib.get_close_matches(key, KNOWN_FIELDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; known fields: {', '.join(KNOWN_FIELDS)}"
            raise fail(key, f"is not a theme field{hint}")

    name = data.get("name", path.stem)
    if not isinstance(name, str) or not _NAME.fullmatch(name):
        raise fail("name", "must be letters, digits, '-' or '_' (it is typed after --theme)")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise fail("description", "must be text in quotes")
    for key in _BOOL_FIELDS:
        if key in data and not isinstance(data[key], bool):
            raise fail(key, "must be true or false")
    for key in _FRACTION_FIELDS:
        value = data.get(key)
        if key in data and (
            isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1
        ):
            raise fail(key, "must be a number from 0 to 1")
    if "primary" not in data:
        raise fail("primary", "is missing (every theme needs a primary colour)")
    colours: dict[str, str] = {}
    for key in COLOUR_FIELDS:
        if key in data:
            colours[key] = _check_colour(data[key], lambda problem, key=key: fail(key, problem))
    variables_data = data.get("variables", {})
    if not isinstance(variables_data, dict):
        raise fail("variables", "must be a table: [variables]")
    variables: dict[str, str] = {}
    for key, value in variables_data.items():
        where = f"variables.{key}"
        if not _VARIABLE_NAME.fullmatch(key):
            raise fail(where, "is not a variable name (lower-case letters, digits and '-')")
        if key.endswith("style"):
            variables[key] = _check_text_style(value, lambda problem, where=where: fail(where, problem))
        else:
            # Our own variables colour borders, where "auto" or "initial" would stop the app.
            variables[key] = _check_colour(
                value,
                lambda problem, where=where: fail(where, problem),
                keywords=key not in _BORDER_VARIABLES,
            )
    dark = data.get("dark", True)
    if data.get("ansi", False):
        # Textual's CSS needs variables (ansi-background, ...) that only its own ANSI themes set.
        ansi_base = BUILTIN_THEMES["ansi-dark" if dark else "ansi-light"]
        variables = {**ansi_base.variables, **variables}
    options: dict[str, Any] = {key: float(data[key]) for key in _FRACTION_FIELDS if key in data}
    theme = Theme(
        name=name,
        dark=dark,
        ansi=data.get("ansi", False),
        variables=variables,
        **colours,  # type: ignore[arg-type]
        **options,
    )
    try:
        theme.to_color_system().generate()
    except (ColorParseError, ValueError) as error:
        raise ThemeFileError(f"{path}: the colours do not combine into a theme ({error})") from None
    return ThemeEntry(theme, origin, description, path)


def _check_colour(value: object, fail: Any, *, keywords: bool = False) -> str:
    if not isinstance(value, str):
        raise fail('must be a colour in quotes, such as "#990000"')
    text = value.strip()
    match = _COLOUR_WITH_ALPHA.fullmatch(text) if keywords else None
    colour = match.group("colour") if match else text
    if keywords and colour in _COLOUR_KEYWORDS:
        return text
    try:
        Color.parse(colour)
    except ColorParseError:
        raise fail(
            f"is {value!r}, not a colour (use '#rrggbb', 'rgb(r, g, b)', a name such as 'darkred', "
            "or 'ansi_red')"
        ) from None
    return text


def _check_text_style(value: object, fail: Any) -> str:
    words = value.split() if isinstance(value, str) else []
    if not words or any(word not in VALID_STYLE_FLAGS for word in words):
        raise fail(f"is {value!r}, not a text style (words from: {', '.join(sorted(VALID_STYLE_FLAGS))})")
    assert isinstance(value, str)
    return value


def load_folder(folder: Path, origin: Origin) -> tuple[list[ThemeEntry], list[str]]:
    """Every `*.toml` theme in `folder` (missing folder: none), and a warning per broken file."""
    entries: list[ThemeEntry] = []
    warnings: list[str] = []
    try:
        paths = sorted(path for path in folder.glob("*.toml") if not path.name.startswith("."))
    except OSError:
        return entries, warnings
    for path in paths:
        try:
            entries.append(load_theme_file(path, origin))
        except ThemeFileError as error:
            warnings.append(f"Theme not loaded: {error}")
    return entries, warnings


@dataclass
class ThemeCatalog:
    """Every theme a session can use: Textual's, the bundled ones and the user's (later wins)."""

    entries: dict[str, ThemeEntry] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @classmethod
    def load(cls, user_folder: Path | None = None) -> ThemeCatalog:
        """Textual's themes, then `themes/`, then the user's folder (None: no user themes)."""
        catalog = cls()
        catalog.add(ThemeEntry(theme, "textual") for theme in BUILTIN_THEMES.values())
        for folder, origin in ((bundled_themes_folder(), "bundled"), (user_folder, "user")):
            if folder is None:
                continue
            entries, warnings = load_folder(folder, origin)  # type: ignore[arg-type]
            catalog.add(entries)
            catalog.warnings += warnings
        return catalog

    def add(self, entries: Iterable[ThemeEntry]) -> None:
        for entry in entries:
            self.entries[entry.name] = entry

    @property
    def names(self) -> list[str]:
        return sorted(self.entries)

    def ours(self) -> list[ThemeEntry]:
        """The bundled and user themes, the ones the app registers (Textual's are there already)."""
        return [entry for entry in self.entries.values() if entry.origin != "textual"]


def _named_colours(theme: Theme) -> list[str]:
    values = [getattr(theme, key) for key in COLOUR_FIELDS]
    values += [value for key, value in theme.variables.items() if not key.endswith("style")]
    colours = []
    for value in values:
        if value is None:
            continue
        match = _COLOUR_WITH_ALPHA.fullmatch(value.strip())
        colour = match.group("colour") if match else value
        if colour not in _COLOUR_KEYWORDS:
            colours.append(colour)
    return colours


def is_colourless(theme: Theme) -> bool:
    """True for an ANSI theme that names no colour but the terminal's own foreground and
    background (`ansi_default`): under it canvas-tui sends no colour codes at all."""
    return theme.ansi and all(colour == "ansi_default" for colour in _named_colours(theme))


def is_greyscale(theme: Theme) -> bool:
    """True when every colour the theme names is a grey, or the terminal's own: a theme meant
    to show no colour at all."""
    if theme.ansi:
        return is_colourless(theme)
    for colour in _named_colours(theme):
        red, green, blue = Color.parse(colour).rgb
        if not red == green == blue:
            return False
    return True


# -- choosing the theme at startup --------------------------------------------------------------


@dataclass(frozen=True)
class ThemeChoice:
    name: str
    reason: str
    """Where the name came from, for people: "--theme", "NO_COLOR", "the default", ..."""
    notice: str | None = None
    """Set when a requested name was unknown: what was asked for and which names exist."""


def pick_theme(
    *,
    requested: str | None,
    environ: Mapping[str, str],
    saved: str | None,
    available: Collection[str],
) -> ThemeChoice:
    """The theme to start with: --theme, CANVAS_TUI_THEME, settings, NO_COLOR, 16 colours, default.

    A name that is not available is not skipped silently: the choice falls back to the default
    with a notice that names the source and lists the names there are.
    """
    asked = [
        (requested, "--theme"),
        (environ.get(THEME_ENV), THEME_ENV),
        (saved, "the settings file"),
    ]
    for name, source in asked:
        if name is None or not name.strip():
            continue
        name = name.strip()
        if name in available:
            return ThemeChoice(name, source)
        names = ", ".join(sorted(available))
        return ThemeChoice(
            DEFAULT_THEME,
            "the default",
            notice=f"Unknown theme {name!r} (from {source}); using {DEFAULT_THEME!r}. Themes: {names}",
        )
    detected = theme_for_terminal(environ)
    if detected is not None and detected[0] in available:
        return ThemeChoice(*detected)
    return ThemeChoice(DEFAULT_THEME, "the default")


def theme_for_terminal(environ: Mapping[str, str]) -> tuple[str, str] | None:
    """`mono` for NO_COLOR or a terminal without colour, `canvas-ansi` for 16 colours, else None."""
    if environ.get("NO_COLOR"):  # no-color.org: set and not empty
        return MONO_THEME, "NO_COLOR"
    system = color_system(environ)
    if system is None:
        return MONO_THEME, f"TERM={environ.get('TERM', '')} has no colours"
    if system in ("standard", "windows"):
        return ANSI_THEME, f"TERM={environ.get('TERM', '')} has 16 colours"
    return None


def color_system(environ: Mapping[str, str]) -> str | None:
    """The colour system Textual will draw with in this environment, as Rich detects it.

    Textual's console uses TEXTUAL_COLOR_SYSTEM when set, else Rich's detection from COLORTERM
    and TERM; asking Rich the same way keeps the two in step. Returns "truecolor", "256",
    "standard" (16 colours), "windows" (16) or None (no colour: TERM=dumb).
    """
    from rich.console import Console

    forced = environ.get("TEXTUAL_COLOR_SYSTEM", "auto").strip().lower() or "auto"
    if forced not in ("auto", "standard", "256", "truecolor", "windows"):
        forced = "auto"
    env = {key: value for key, value in environ.items() if key != "NO_COLOR"}
    console = Console(
        file=io.StringIO(),
        force_terminal=True,
        color_system=forced,  # type: ignore[arg-type]
        _environ=env,
    )
    return console.color_system
