"""The user settings file: `config.toml` in the user config folder (theme, mouse, lint rules off).

Read and written with tomlkit, so the user's comments, key order and keys this version does not
know survive a save; saving is atomic. A file that cannot be read is reported and never written,
the same rule canvas files follow. No Textual here.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs
import tomlkit
from tomlkit.exceptions import TOMLKitError
from tomlkit.toml_document import TOMLDocument

from canvas_tui.errors import UserFacingError
from canvas_tui.files import nesting
from canvas_tui.files.atomic import atomic_write, read_file

APP_NAME = "canvas-tui"
FILE_NAME = "config.toml"
MAX_SETTINGS_BYTES = 1024 * 1024
"""A settings file is a few lines; a larger one is refused with a warning, like a broken one."""

NEW_FILE_HEADER = """\
# canvas-tui settings. canvas-tui changes only the values it sets; your comments stay.
#
# theme = "canvas"    # a theme name; `canvas-tui themes` lists them. --theme and
#                     # CANVAS_TUI_THEME win over this line.
# mouse = true        # false: leave mouse reporting off, so the terminal selects and copies
#                     # text as usual (the same as --no-mouse)
"""


def config_folder(environ: Mapping[str, str] | None = None) -> Path:
    """canvas-tui's folder in the user config folder.

    `$XDG_CONFIG_HOME/canvas-tui` whenever XDG_CONFIG_HOME is set to an absolute path (on every
    system, as people who set it expect), else platformdirs' answer for the system
    (`~/.config/canvas-tui` on Linux).
    """
    env = os.environ if environ is None else environ
    xdg = env.get("XDG_CONFIG_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / APP_NAME
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def settings_path(environ: Mapping[str, str] | None = None) -> Path:
    return config_folder(environ) / FILE_NAME


@dataclass
class Settings:
    """The settings file as read; `remember_theme` writes one value back."""

    path: Path
    document: TOMLDocument = field(default_factory=tomlkit.document)
    warnings: list[str] = field(default_factory=list)
    readable: bool = True
    """False when the file exists but could not be read: it is then never written."""

    @classmethod
    def load(cls, path: Path) -> Settings:
        """Read `path`; a missing file is empty settings, a broken one a warning and defaults."""
        try:
            text = read_file(path, limit=MAX_SETTINGS_BYTES).decode("utf-8")
        except FileNotFoundError:
            return cls(path)
        except (OSError, UnicodeDecodeError) as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
            return cls(
                path,
                warnings=[f"{path}: cannot read the settings ({reason}); using defaults"],
                readable=False,
            )
        try:
            nesting.check(text)
            document = tomlkit.parse(text)
        except nesting.TooDeepError as error:
            return cls(path, warnings=[f"{error.located(path)}; using defaults"], readable=False)
        except TOMLKitError as error:
            return cls(path, warnings=[f"{path}: not valid TOML ({error}); using defaults"], readable=False)
        settings = cls(path, document)
        settings.warnings = settings._check()
        return settings

    def _check(self) -> list[str]:
        warnings = []
        theme = self.document.get("theme")
        if theme is not None and not (isinstance(theme, str) and theme.strip()):
            warnings.append(f"{self.path}: field 'theme' must be a theme name in quotes; ignoring it")
        mouse = self.document.get("mouse")
        if mouse is not None and not isinstance(mouse, bool):
            warnings.append(f"{self.path}: field 'mouse' must be true or false; ignoring it")
        keymap = self.document.get("keymap")
        if keymap is not None and not isinstance(keymap, dict):
            warnings.append(f'{self.path}: [keymap] must be a table of binding id = "keys"; ignoring it')
        elif keymap is not None:
            for binding_id, keys in keymap.items():
                if not (isinstance(keys, str) and keys.strip()):
                    warnings.append(f"{self.path}: [keymap] {binding_id} must be keys in quotes; ignoring it")
        warnings += self._lint()[1]
        return warnings

    def _lint(self) -> tuple[list[str], list[str]]:
        from canvas_tui.lint import off_list

        return off_list(self.document.unwrap(), str(self.path))

    @property
    def lint_off(self) -> list[str]:
        """The lint rules this user turned off (`[lint] off = [...]`), known ids only."""
        return self._lint()[0]

    @property
    def keymap(self) -> dict[str, str]:
        """Binding id -> keys (comma-separated), from the `[keymap]` table; bad entries left out."""
        table = self.document.get("keymap")
        if not isinstance(table, dict):
            return {}
        return {
            str(binding_id): keys.strip()
            for binding_id, keys in table.items()
            if isinstance(keys, str) and keys.strip()
        }

    @property
    def theme(self) -> str | None:
        value = self.document.get("theme")
        return str(value).strip() if isinstance(value, str) and value.strip() else None

    @property
    def mouse(self) -> bool:
        value = self.document.get("mouse")
        return value if isinstance(value, bool) else True

    def remember_theme(self, name: str) -> None:
        """Store `name` as the theme; raises OSError or SettingsError when it cannot be saved."""
        if self.theme == name:
            return
        self._set("theme", name)

    def _set(self, key: str, value: str | bool) -> None:
        if not self.readable:
            raise SettingsError(f"{self.path} could not be read, so it is left as it is")
        if key in self.document:
            self.document[key] = value
        else:
            if not self.document.body:
                self.document = tomlkit.parse(NEW_FILE_HEADER)
            self.document.add(key, value)
        self.save()

    def save(self) -> None:
        """Write the file back. canvas-tui writes it on its own (remembering a theme), so a link
        under its name is refused rather than written through."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, tomlkit.dumps(self.document).encode("utf-8"), follow_links=False)


class SettingsError(UserFacingError):
    """The settings file cannot be written (it could not be read)."""
