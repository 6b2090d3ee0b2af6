"""Exports: the canvas as Markdown (for a README), HTML (to print or share), JSON (for tools) and PDF.

No Textual here, not even inside a function (tests/test_import_hygiene.py proves it). The SVG export
is listed in FORMATS so that the command line and the palette offer it, but it is a screenshot of
the running app, so the UI renders it (canvas_tui.tui.screenshot), not `render`. The PDF is binary
and comes with warnings (characters its font cannot draw): `render_pdf` gives both. The command line
(`canvas-tui export`) and the TUI's command palette both go through `render` for the text formats.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from canvas_tui.files.atomic import atomic_write
from canvas_tui.storage import CanvasFile

if TYPE_CHECKING:  # reportlab loads only when a PDF is made
    from canvas_tui.export.pdf import PdfExport


@dataclass(frozen=True, slots=True)
class Format:
    id: str
    name: str
    suffix: str
    binary: bool = False


FORMATS: dict[str, Format] = {
    "md": Format("md", "Markdown", ".md"),
    "html": Format("html", "HTML", ".html"),
    "json": Format("json", "JSON", ".json"),
    "svg": Format("svg", "SVG", ".svg"),
    "pdf": Format("pdf", "PDF", ".pdf", binary=True),
}


def render(document: CanvasFile, format_id: str) -> str:
    """The export of `document` in `format_id` (a key of FORMATS other than "svg") as text."""
    if format_id == "md":
        from canvas_tui.export.markdown import render_markdown

        return render_markdown(document.canvas)
    if format_id == "html":
        from canvas_tui.export.html import render_html

        return render_html(document.canvas)
    if format_id == "json":
        from canvas_tui.export.json_export import render_json

        return render_json(document)
    if format_id == "svg":
        raise ValueError("the SVG export is a screenshot of the app: use canvas_tui.tui.screenshot")
    if format_id == "pdf":
        raise ValueError("the PDF export is binary: use render_pdf")
    raise ValueError(f"unknown export format {format_id!r}; choose one of {', '.join(FORMATS)}")


def format_for_path(path: Path) -> str | None:
    """The format an output file name asks for by its suffix (`.md`, `.markdown`, `.htm`, ...)."""
    suffix = path.suffix.lower()
    aliases = {".markdown": "md", ".htm": "html"}
    for format_id, spec in FORMATS.items():
        if suffix == spec.suffix:
            return format_id
    return aliases.get(suffix)


def default_output(canvas_path: Path, format_id: str) -> Path:
    """Where an export goes when no name is given: next to the canvas, e.g. canvas.toml -> canvas.md."""
    suffix = FORMATS[format_id].suffix
    target = canvas_path.with_suffix(suffix)
    if target.name == canvas_path.name:  # a canvas named like its export: never write over it
        target = canvas_path.with_name(canvas_path.name + suffix)
    return target


def render_pdf(document: CanvasFile) -> PdfExport:
    """The one-page PDF of `document`, with what it could not draw (see export/pdf.py)."""
    from canvas_tui.export.pdf import render_pdf as render

    return render(document.canvas)


def write_export(path: Path, content: str | bytes, *, named: bool) -> None:
    """Write an export atomically (an interrupted export never leaves half a file).

    `named`: the user typed this name (`-o OUT`), so a link there is written through. The default
    name beside the canvas came with the canvas's folder, where anyone may have planted a link
    (`canvas.pdf -> ~/.bashrc`): there a link, or anything but a regular file, is refused."""
    atomic_write(path, content.encode("utf-8") if isinstance(content, str) else content, follow_links=named)


__all__ = [
    "FORMATS",
    "Format",
    "default_output",
    "format_for_path",
    "render",
    "render_pdf",
    "write_export",
]
