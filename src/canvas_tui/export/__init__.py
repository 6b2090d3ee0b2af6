"""Exports: a registry of formats, one entry each, that the command line and the palette loop over.

Markdown (for a README), HTML (to print or share), JSON (for tools) and PDF are registered here. The
SVG is a screenshot of the running app, so the UI registers it (canvas_tui.tui.picture): this
room imports no Textual, not even inside a function (tests/test_import_hygiene.py proves it).
Adding a format is one `register(Format(...))`: `canvas-tui export --format`, its help and the
palette's "Export as ..." commands follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from canvas_tui.files.atomic import atomic_write
from canvas_tui.storage import CanvasFile


@dataclass(frozen=True, slots=True)
class Rendered:
    """An export's content, and what it could not show as written (one line each, for the user)."""

    content: str | bytes
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Format:
    id: str
    """What `--format` takes."""
    name: str
    """What people call it: "Export as Markdown"."""
    suffix: str
    about: str
    """What it is for, in a few words, for `canvas-tui export --help`."""
    render: Callable[[CanvasFile], Rendered] | None
    """The export of a canvas; loads the format's libraries only when called. None for a picture of
    the screen, which whoever has the screen makes: the running app in the palette, a headless one
    on the command line (canvas_tui.tui.screenshot)."""
    rank: int
    """Its place in lists (help, --format, the palette), whatever the order of registration."""
    binary: bool = False
    """Never written onto a terminal."""
    beside_canvas: bool = False
    """Without -o, written next to the canvas (canvas.toml -> canvas.svg) instead of to stdout."""
    picture_of_the_screen: bool = False
    """A picture of the canvas screen: inside the app the palette takes it from the running screen."""
    aliases: tuple[str, ...] = ()
    """Other suffixes that ask for this format (`.markdown`)."""


FORMATS: dict[str, Format] = {}
"""Every registered format by id, in rank order."""


def register(export_format: Format) -> Format:
    """Add `export_format` (again: no change) and keep FORMATS in rank order."""
    entries = {**FORMATS, export_format.id: export_format}
    FORMATS.clear()
    FORMATS.update(sorted(entries.items(), key=lambda item: item[1].rank))
    return export_format


def _markdown(document: CanvasFile) -> Rendered:
    from canvas_tui.export.markdown import render_markdown

    return Rendered(render_markdown(document.canvas))


def _html(document: CanvasFile) -> Rendered:
    from canvas_tui.export.html import render_html, too_long_to_print, too_long_warning

    cut_off = too_long_to_print(document.canvas)  # marked on the page; said on stderr too
    return Rendered(render_html(document.canvas), (too_long_warning(cut_off),) if cut_off else ())


def _json(document: CanvasFile) -> Rendered:
    from canvas_tui.export.json_export import render_json

    return Rendered(render_json(document))


def _pdf(document: CanvasFile) -> Rendered:
    from canvas_tui.export.pdf import render_pdf  # reportlab loads only when a PDF is made

    pdf = render_pdf(document.canvas)
    return Rendered(pdf.data, tuple(pdf.warnings()))


register(Format("md", "Markdown", ".md", "Markdown for a README", _markdown, rank=10, aliases=(".markdown",)))
register(
    Format(
        "html",
        "HTML",
        ".html",
        "one self-contained page that prints on one A4 landscape sheet",
        _html,
        rank=20,
        aliases=(".htm",),
    )
)
register(
    Format(
        "json",
        "JSON",
        ".json",
        "everything in the file plus progress; schema in docs/export.md",
        _json,
        rank=30,
    )
)
register(
    Format(
        "pdf",
        "PDF",
        ".pdf",
        "the printable page as one A4 landscape PDF, made here: no browser needed",
        _pdf,
        rank=50,
        binary=True,
        beside_canvas=True,
    )
)


def render(document: CanvasFile, format_id: str) -> str:
    """The export of `document` in a text format (a key of FORMATS that is not binary)."""
    if format_id not in FORMATS:
        raise ValueError(f"unknown export format {format_id!r}; choose one of {', '.join(FORMATS)}")
    renderer = FORMATS[format_id].render
    if renderer is None:
        raise ValueError(f"the {FORMATS[format_id].name} export is a picture of the running app")
    content = renderer(document).content
    if isinstance(content, bytes):
        raise ValueError(f"the {FORMATS[format_id].name} export is binary: use FORMATS[{format_id!r}].render")
    return content


def format_for_path(path: Path) -> str | None:
    """The format an output file name asks for by its suffix (`.md`, `.markdown`, `.htm`, ...)."""
    suffix = path.suffix.lower()
    for format_id, spec in FORMATS.items():
        if suffix == spec.suffix or suffix in spec.aliases:
            return format_id
    return None


def default_output(canvas_path: Path, format_id: str) -> Path:
    """Where an export goes when no name is given: next to the canvas, e.g. canvas.toml -> canvas.md."""
    suffix = FORMATS[format_id].suffix
    target = canvas_path.with_suffix(suffix)
    if target.name == canvas_path.name:  # a canvas named like its export: never write over it
        target = canvas_path.with_name(canvas_path.name + suffix)
    return target


def write_export(path: Path, content: str | bytes, *, named: bool) -> None:
    """Write an export atomically (an interrupted export never leaves half a file).

    `named`: the user typed this name (`-o OUT`), so a link there is written through. The default
    name beside the canvas came with the canvas's folder, where anyone may have planted a link
    (`canvas.pdf -> ~/.bashrc`): there a link, or anything but a regular file, is refused."""
    atomic_write(path, content.encode("utf-8") if isinstance(content, str) else content, follow_links=named)


__all__ = [
    "FORMATS",
    "Format",
    "Rendered",
    "default_output",
    "format_for_path",
    "register",
    "render",
    "write_export",
]
