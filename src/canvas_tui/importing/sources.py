"""`canvas-tui import`'s dispatcher: what a source is (by its content first, then its name), which
importer reads it, and the canvas file the result becomes.

A PDF (`%PDF` at the start) goes to the PDF importer, loaded only then; canvas-tui's own JSON and
HTML exports are known by their content, its Markdown export by its hidden comment; any other
text is read as a Markdown canvas, into the template whose blocks its headings name best (or the
one `--template` gives). Every source is read once, bounded (`files.atomic.read_file`), and nothing
in it is fetched or run.
"""

from __future__ import annotations

import errno
import importlib
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import cast

import tomlkit
import tomlkit.exceptions

from canvas_tui.files.atomic import FileRefused, FileTooLarge, read_file
from canvas_tui.importing import markdown, own_exports
from canvas_tui.importing.result import Imported, SourceError
from canvas_tui.model.template import Template, TemplateError
from canvas_tui.templates import DEFAULT_TEMPLATE, TemplateCatalog, load_template, user_templates_folder

MAX_SOURCE_BYTES = 2 * 1024 * 1024
"""A Markdown, JSON or HTML canvas above this is refused: a filled canvas is some kilobytes."""

PdfImporter = Callable[[Path, str | None], Imported]


def import_source(path: Path, template_id: str | None = None) -> Imported:
    """The canvas in `path`, whatever it is; SourceError (one line naming the file) when it is none."""
    if _starts_with(path, b"%PDF"):
        return _pdf_importer(path)(path, template_id)
    text = _text(path, _read(path))
    stripped = text.lstrip()
    if stripped.startswith("{"):
        return own_exports.import_json(path, text, template_id)
    if own_exports.is_own_html(text):
        return own_exports.import_html(path, text, template_id)
    if stripped[:64].lower().startswith(("<!doctype html", "<html")):
        raise SourceError(
            f"{path}: an HTML page that canvas-tui did not export; import its Markdown or PDF instead"
        )
    if path.suffix.lower() == ".toml":
        raise SourceError(
            f"{path}: is a TOML file; a canvas file needs no import: open it with `canvas-tui {path}`"
        )
    lines = text.split("\n")
    meta = own_exports.own_markdown_meta(lines)
    if meta is not None:
        markdown.check_bounds(path, text)
        return own_exports.import_markdown_export(path, lines, meta, template_id)
    found = markdown.outline(path, text)
    template = _template(path, found, template_id)
    return markdown.import_markdown(found, template)


def _pdf_importer(path: Path) -> PdfImporter:
    """canvas_tui.importing.pdf.import_pdf, loaded only for a PDF (it brings the PDF library)."""
    try:
        module = importlib.import_module("canvas_tui.importing.pdf")
    except ModuleNotFoundError as error:
        if error.name not in ("canvas_tui.importing.pdf",):
            raise SourceError(
                f"{path}: is a PDF; PDF import needs {error.name}, which is not installed"
            ) from None
        raise SourceError(
            f"{path}: is a PDF; PDF import is not available in this version of canvas-tui"
        ) from None
    return cast(PdfImporter, module.import_pdf)


def _template(path: Path, found: markdown.Outline, template_id: str | None) -> Template:
    """--template's, else the template whose blocks the document's titles name most (then: most by
    their own titles; then the default template)."""
    if template_id is not None:
        try:
            return load_template(template_id)
        except TemplateError as error:
            raise SourceError(f"{path}: {error}") from None
    titles = markdown.titles(found)
    entries = TemplateCatalog.load(user_templates_folder()).entries
    from canvas_tui.importing.names import matches

    scored = [
        (matches(titles, entry.template), entry.id == DEFAULT_TEMPLATE, entry.template)
        for entry in entries.values()
    ]
    best = max(scored, key=lambda item: (*item[0], item[1]))
    return best[2]


def _starts_with(path: Path, magic: bytes) -> bool:
    """Whether a regular file starts with `magic` (read without blocking; anything else says no
    here and is refused by the full read)."""
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return False
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError:
        return False
    try:
        return os.read(fd, len(magic)) == magic
    except OSError:
        return False
    finally:
        os.close(fd)


def _read(path: Path) -> bytes:
    try:
        return read_file(path, limit=MAX_SOURCE_BYTES)
    except FileTooLarge:
        raise SourceError(
            f"{path}: larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MiB; a canvas is far smaller: refused"
        ) from None
    except FileRefused as error:
        raise SourceError(str(error)) from None
    except FileNotFoundError:
        raise SourceError(f"{path}: no such file") from None
    except PermissionError:
        raise SourceError(f"{path}: permission denied (cannot read the file)") from None
    except OSError as error:
        if error.errno == errno.EISDIR:
            raise SourceError(f"{path}: is a folder, not a file") from None
        raise SourceError(f"{path}: cannot read: {error.strerror or error}") from None


def _text(path: Path, raw: bytes) -> str:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise SourceError(f"{path}:{line}:{column}: not UTF-8 text (byte 0x{raw[error.start]:02x})") from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


IMPORTED_TABLE = "imported"
"""The one table of the canvas file that keeps the sections that named no block, title -> text."""


def canvas_toml(imported: Imported, out: Path) -> str:
    """The canvas file for `imported`: the text `canvas-tui new` would write, with its values, and
    the sections that named no block in one `[imported]` table (kept by every save, shown by the
    JSON export under `extra`)."""
    from canvas_tui.storage import CanvasFile, block_text_item

    document = CanvasFile.create(out, imported.canvas.template.id)
    document.canvas = imported.canvas
    document.render()  # the blocks first: the kept sections go after them, at the end of the file
    for block in imported.canvas.blocks.values():
        if block.unknown_status is not None:  # a status none of ours, kept as the file had it
            try:
                document.document["blocks"][block.id]["status"] = tomlkit.parse(
                    f"v = {block.unknown_status}"
                )["v"]
            except tomlkit.exceptions.TOMLKitError:
                raise SourceError(f"{out}: block {block.id} has a status that is not a TOML value") from None
    if imported.unplaced:
        table = tomlkit.table()
        table.comment("sections of the imported file that name no block of this canvas, as written")
        for title, text in imported.unplaced.items():
            table[title] = block_text_item(text)
        document.document[IMPORTED_TABLE] = table
    text = document.render()
    _check_reads_back(out, text, imported)
    return text


def _check_reads_back(out: Path, text: str, imported: Imported) -> None:
    """The file must mean what was imported, read back by the strict reader, as every save is."""
    import tomllib

    from canvas_tui.storage import canvas_from_text

    again = canvas_from_text(str(out), text)
    kept = tomllib.loads(text).get(IMPORTED_TABLE, {})
    if again.state() != imported.canvas.state() or kept != imported.unplaced:
        raise SourceError(f"{out}: the canvas would not read back as imported; nothing written")
