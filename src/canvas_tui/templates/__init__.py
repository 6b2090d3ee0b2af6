"""The canvas templates: the ones canvas-tui ships (TOML data files here) and the user's own.

A new canvas is a new data file, not new code. The bundled ones live in this folder; a user's own
go in `<config folder>/templates/*.toml` (next to `themes/`), in the same format, and are checked
the same way. A user file that does not load is one warning naming the file and the field; the
other templates load as usual. A user template cannot take the id of a bundled one: canvases
written with the bundled template must keep meaning what they meant.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Literal

from canvas_tui.files import nesting
from canvas_tui.files.atomic import read_file
from canvas_tui.files.settings import config_folder
from canvas_tui.model.template import Template, TemplateError, parse_template

DEFAULT_TEMPLATE = "mlops-canvas-v1.1"
MAX_TEMPLATE_BYTES = 4 * 1024 * 1024
"""A template describes a page of blocks; a file above this (or one that never ends) is refused."""

Origin = Literal["bundled", "user"]

_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass(frozen=True)
class TemplateEntry:
    """One template canvas-tui can start a canvas with, and where it came from."""

    template: Template
    origin: Origin
    path: Path | None = None

    @property
    def id(self) -> str:
        return self.template.id


def user_templates_folder(environ: Mapping[str, str] | None = None) -> Path:
    """`<config folder>/templates`: where a user's own canvas templates live."""
    return config_folder(environ) / "templates"


def available_templates() -> list[str]:
    """Ids of the bundled templates (file names without `.toml`): the default first, then sorted."""
    folder = resources.files(__name__)
    found = sorted(
        entry.name.removesuffix(".toml") for entry in folder.iterdir() if entry.name.endswith(".toml")
    )
    return sorted(found, key=lambda template_id: template_id != DEFAULT_TEMPLATE)


@cache
def _load_bundled(template_id: str) -> Template:
    entry = resources.files(__name__).joinpath(f"{template_id}.toml")
    name = f"templates/{template_id}.toml"
    try:
        data = tomllib.loads(entry.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as error:
        raise TemplateError(f"{name}: {error}") from None
    template = parse_template(data, name)
    if template.id != template_id:
        raise TemplateError(f"{name}: field 'id' is '{template.id}', expected '{template_id}'")
    return template


def load_template(template_id: str = DEFAULT_TEMPLATE, user_folder: Path | None = None) -> Template:
    """A bundled template, else the user's template with that id (from `user_folder`, by default
    the config folder's `templates/`). An unknown id raises TemplateError listing the known; a
    user file meant for that id that does not load raises its own error, naming file and field."""
    if template_id in available_templates():
        return _load_bundled(template_id)
    catalog = TemplateCatalog.load(user_templates_folder() if user_folder is None else user_folder)
    entry = catalog.entries.get(template_id)
    if entry is not None:
        return entry.template
    if template_id in catalog.broken:
        raise TemplateError(catalog.broken[template_id])
    known = ", ".join(catalog.entries)
    broken = len(catalog.warnings)
    hint = f"; {broken} template file(s) did not load: `canvas-tui templates` says why" if broken else ""
    raise TemplateError(f"unknown template '{template_id}' (known: {known}){hint}")


# -- user template files --------------------------------------------------------------------------

_file_cache: dict[Path, tuple[tuple[int, int], Template | TemplateError]] = {}
"""Each user file read once per version on disk: a canvas keeps one Template object while open."""


def load_template_file(path: Path) -> Template:
    """Read and check one template file; raises TemplateError naming the file (and the field)."""
    try:
        info = path.stat()
    except OSError as error:
        raise TemplateError(f"{path}: cannot read it ({error.strerror or error})") from None
    key = (info.st_mtime_ns, info.st_size)
    cached = _file_cache.get(path)
    if cached is not None and cached[0] == key:
        result = cached[1]
    else:
        try:
            result = _read_template_file(path)
        except TemplateError as error:
            result = error
        _file_cache[path] = (key, result)
    if isinstance(result, TemplateError):
        raise result
    return result


def _read_template_file(path: Path) -> Template:
    try:
        data = nesting.loads(read_file(path, limit=MAX_TEMPLATE_BYTES).decode("utf-8"))
    except nesting.TooDeepError as error:
        raise TemplateError(error.located(path)) from None
    except tomllib.TOMLDecodeError as error:
        raise TemplateError(f"{path}: not valid TOML ({error})") from None
    except UnicodeDecodeError:
        raise TemplateError(f"{path}: not UTF-8 text") from None
    except OSError as error:
        raise TemplateError(f"{path}: cannot read it ({error.strerror or error})") from None
    template_id = data.get("id")
    if isinstance(template_id, str) and not _ID.fullmatch(template_id):
        raise TemplateError(
            f"{path}: field 'id' must be letters, digits, '.', '-' or '_' (it is typed after --template)"
        )
    return parse_template(data, str(path))


@dataclass
class TemplateCatalog:
    """Every template there is: the bundled ones, then the user's (a bundled id cannot be taken)."""

    entries: dict[str, TemplateEntry] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    broken: dict[str, str] = field(default_factory=dict)
    """Errors of user files that did not load, by the id their file name suggests."""

    @classmethod
    def load(cls, user_folder: Path | None = None) -> TemplateCatalog:
        """The bundled templates and those in `user_folder` (None: no user templates)."""
        catalog = cls()
        for template_id in available_templates():
            catalog.entries[template_id] = TemplateEntry(_load_bundled(template_id), "bundled")
        if user_folder is not None:
            catalog._add_folder(user_folder)
        return catalog

    def _add_folder(self, folder: Path) -> None:
        try:
            paths = sorted(path for path in folder.glob("*.toml") if not path.name.startswith("."))
        except OSError:
            return
        for path in paths:
            try:
                template = load_template_file(path)
            except TemplateError as error:
                self.warnings.append(f"Template not loaded: {error}")
                self.broken.setdefault(path.stem, str(error))
                continue
            taken = self.entries.get(template.id)
            if taken is not None:
                where = "a bundled template" if taken.origin == "bundled" else f"{taken.path}"
                self.warnings.append(
                    f"Template not loaded: {path}: field 'id' is '{template.id}', already the id of "
                    f"{where}; give yours an id of its own"
                )
                continue
            self.entries[template.id] = TemplateEntry(template, "user", path)
