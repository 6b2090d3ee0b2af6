"""The canvas templates canvas-tui ships, as TOML data files, and their loader.

A new canvas is a new data file in this folder, not new code.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from canvas_tui.model.template import Template, TemplateError, parse_template

DEFAULT_TEMPLATE = "mlops-canvas-v1.1"


def available_templates() -> list[str]:
    """Ids of the bundled templates (file names without `.toml`), sorted."""
    folder = resources.files(__name__)
    return sorted(
        entry.name.removesuffix(".toml") for entry in folder.iterdir() if entry.name.endswith(".toml")
    )


@cache
def load_template(template_id: str = DEFAULT_TEMPLATE) -> Template:
    """Load and validate a bundled template; an unknown id raises TemplateError listing the known."""
    known = available_templates()
    if template_id not in known:
        raise TemplateError(f"unknown template '{template_id}' (known: {', '.join(known)})")
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
