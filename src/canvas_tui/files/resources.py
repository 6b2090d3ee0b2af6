"""Where the data folders that live at the top of the repository (themes/, examples/) are found.

A wheel carries them inside the package as `<name>_data/`; an editable install or a source checkout
reads them from the repository itself.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
EXAMPLE_NAME = "churn-early-warning.toml"


def data_folder(name: str) -> Path:
    """The folder `name` (e.g. "themes") from the installed package or the source checkout."""
    bundled = _PACKAGE / f"{name}_data"
    if bundled.is_dir():
        return bundled
    return _PACKAGE.parent.parent / name


def example_canvas_path() -> Path:
    return data_folder("examples") / EXAMPLE_NAME
