"""A canvas from a PDF: the official MLOps Canvas page filled in, or canvas-tui's own PDF export.

The official page has no form fields: teams type onto it under each block's printed title and
guidance. So the text is taken by position: each piece of text on the first page goes to the
header box or the block cell it starts in (`pdf_layout.official_geometry`), the printed title and
guidance at the top of each cell are taken off, and the lines the typing tool wrapped are joined
again. Free-text notes and form fields placed on the page count as typed text too.

Our own export carries the canvas as data (an embedded `canvas-tui.json`, see export/pdf.py). It
is used only when it checks out: well-formed, every value of the right kind, and the page it came
with is exactly the page that data exports to, so a page changed after export is never silently
replaced by stale data. Otherwise the export's page is read by position like the official one
(status from each cell's badge).

Every PDF comes from a stranger: it is read with a size cap and parsed in a capped child process
(`pdf_sandbox`), and every text taken from it is cleaned of control characters (`clean_text`).
UI-free.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from canvas_tui.files.atomic import FileTooLarge, read_file
from canvas_tui.importing import pdf_layout, pdf_sandbox, pdf_worker
from canvas_tui.importing.pdf_layout import Box, Geometry
from canvas_tui.importing.pdf_sandbox import Fragment, PageData
from canvas_tui.importing.result import Imported, SourceError
from canvas_tui.model import Canvas, Status
from canvas_tui.model.template import FieldTypeError, HeaderField, Template, TemplateError
from canvas_tui.templates import DEFAULT_TEMPLATE, load_template

MAX_PDF_BYTES = pdf_sandbox.MAX_PDF_BYTES


# -- cleaning text -------------------------------------------------------------------------------

_LIGATURES = {code: unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
_DROPPED = {
    **{code: None for code in range(0x20) if chr(code) not in "\n\t"},
    0x7F: None,
    **{code: None for code in range(0x80, 0xA0)},
    **{code: None for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))},
    0xFEFF: None,
}


def clean_text(text: str, *, ligatures: bool = False) -> str:
    """Text from a file as a block may hold it: newlines normalised; C0 and C1 control characters
    (ESC, BEL, ...), DEL, bidi overrides and byte-order marks removed (tab and newline kept);
    with `ligatures`, the typographic ligatures a PDF's fonts draw (ﬁ, ﬂ) as their letters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.translate(_DROPPED)
    if ligatures:
        text = text.translate(_LIGATURES)
    return "".join(char for char in text if not 0xD800 <= ord(char) <= 0xDFFF)


# -- the entry point ---------------------------------------------------------------------------------


def import_pdf(path: Path, template_id: str | None) -> Imported:
    """The canvas in the PDF at `path` (read as `template_id`, by default the PDF's own or the
    MLOps Canvas). Raises SourceError, one line naming the file, for anything it cannot read."""
    data = _read(path)
    page = pdf_sandbox.run(data, path)
    notes: list[str] = []
    if page.pages > 1:
        notes.append(f"pages 2-{page.pages} (only the first page holds the canvas)")
    if page.embedded is not None:
        try:
            imported = _from_embedded(page, path, template_id)
        except _Unusable as reason:
            notes.append(f"the canvas data embedded in the PDF ({reason}): the page's text was read instead")
        else:
            imported.left_out[:0] = notes
            return imported
    template = _template(template_id or DEFAULT_TEMPLATE, path)
    imported = _from_page(page, template, path, ours=page.creator == "canvas-tui")
    imported.left_out[:0] = notes
    return imported


def _read(path: Path) -> bytes:
    try:
        data = read_file(path, limit=MAX_PDF_BYTES)
    except FileTooLarge:
        raise SourceError(
            f"{path}: larger than {MAX_PDF_BYTES // (1024 * 1024)} MB, "
            "more than a one-page canvas needs; refused"
        ) from None
    except OSError as error:
        raise SourceError(f"{path}: cannot read it ({error.strerror or error})") from None
    if b"%PDF-" not in data[:1024]:
        raise SourceError(f"{path}: not a PDF (it does not start with %PDF-)")
    return data


def _template(template_id: str, path: Path) -> Template:
    try:
        return load_template(template_id)
    except TemplateError as error:
        raise SourceError(f"{path}: {error}") from None


# -- our own export's data ---------------------------------------------------------------------------


class _Unusable(Exception):
    """Embedded data that is not used; the message says why, for the report."""


def _from_embedded(page: PageData, path: Path, template_id: str | None) -> Imported:
    assert page.embedded is not None
    try:
        data = json.loads(page.embedded.decode("utf-8"))
    except (ValueError, RecursionError):
        raise _Unusable("not valid JSON") from None
    if not isinstance(data, dict) or data.get("format") != "canvas-tui-pdf" or data.get("version") != 1:
        raise _Unusable("not canvas-tui's format, version 1")
    embedded_template = data.get("template")
    if not isinstance(embedded_template, str):
        raise _Unusable("no template id")
    if template_id is not None and template_id != embedded_template:
        raise SourceError(
            f"{path}: exported from a '{embedded_template}' canvas, not '{template_id}'; "
            "import it without --template"
        )
    try:
        template = load_template(embedded_template)
    except TemplateError:
        raise _Unusable(f"template '{clean_text(embedded_template)[:60]}' is not known here") from None
    canvas = Canvas(template)
    left_out: list[str] = []
    fields = data.get("canvas")
    if not isinstance(fields, dict):
        raise _Unusable("no header fields")
    specs = {spec.id: spec for spec in template.fields}
    for key, value in fields.items():
        spec = specs.get(key)
        if spec is None:
            raise _Unusable(f"an unknown header field '{clean_text(str(key))[:40]}'")
        canvas.fields[key] = _field_value(spec, value)
    blocks = data.get("blocks")
    if not isinstance(blocks, list) or len(blocks) != len(template.blocks):
        raise _Unusable("not one entry per block")
    for entry in blocks:
        if not isinstance(entry, dict):
            raise _Unusable("a block entry is not a table")
        block_id, text, status_value, answered = (entry.get(k) for k in ("id", "text", "status", "answered"))
        if not isinstance(block_id, str) or block_id not in canvas.blocks:
            raise _Unusable("an unknown block")
        if not isinstance(text, str):
            raise _Unusable(f"block {block_id}: text is not text")
        status = Status.parse(status_value)
        if status is None or status_value != status.value:
            raise _Unusable(f"block {block_id}: not a status")
        questions = len(template.block(block_id).questions)
        if (
            not isinstance(answered, list)
            or any(not isinstance(n, int) or isinstance(n, bool) or not 1 <= n <= questions for n in answered)
            or len(set(answered)) != len(answered)
        ):
            raise _Unusable(f"block {block_id}: marked questions are not question numbers")
        block = canvas.blocks[block_id]
        block.text = clean_text(text)
        block.status = status
        block.answered = tuple(sorted(answered))
    if not _same_page(canvas, page):
        raise _Unusable("it does not match the page: the PDF was changed after export")
    placed = [
        f"embedded canvas data (canvas-tui PDF export) -> header, {len(template.blocks)} blocks "
        f"with status and marked questions (checked against the page)"
    ]
    return Imported(canvas, placed, left_out)


def _field_value(spec: HeaderField, value: object) -> str | int:
    try:
        checked = spec.from_file(value)
    except FieldTypeError:
        raise _Unusable(f"header field {spec.id} is not {spec.kind}") from None
    return clean_text(checked) if isinstance(checked, str) else checked


def _same_page(canvas: Canvas, page: PageData) -> bool:
    """Whether exporting `canvas` draws exactly the text `page` shows, where it shows it: the data
    is what the reader sees, not something planted beside another page."""
    from canvas_tui.export.pdf import render_pdf

    try:
        ours = pdf_sandbox.page_data(pdf_worker.extract(render_pdf(canvas).data))
    except (ValueError, TypeError, KeyError):  # pragma: no cover - our own export always reads
        return False

    def drawn(fragments: Iterable[Fragment]) -> list[tuple[str, float, float]]:
        return sorted((f.text, round(f.x), round(f.y)) for f in fragments)

    return (
        abs(ours.width - page.width) < 0.5
        and abs(ours.height - page.height) < 0.5
        and drawn(ours.fragments) == drawn(page.fragments)
    )


# -- text by position ----------------------------------------------------------------------------------


class _Upright(Exception):
    """The page stands upright: not a landscape canvas page."""


@dataclass(slots=True)
class _Sorted:
    fields: dict[str, list[Fragment]]
    cells: dict[str, list[Fragment]]
    notes: dict[str, list[str]]
    outside: list[Fragment]


def _sort(page: PageData, geometry: Geometry) -> _Sorted:
    """Every fragment and note into the box it starts in, scaled from the page to the geometry."""
    if page.rotate % 180 == 90:
        width, height = page.height, page.width
    else:
        width, height = page.width, page.height
    if width < height:
        raise _Upright
    sx, sy = geometry.width / width, geometry.height / height
    result = _Sorted(
        {key: [] for key in geometry.fields},
        {key: [] for key in geometry.cells},
        {key: [] for key in (*geometry.fields, *geometry.cells)},
        [],
    )

    def place(fragment: Fragment) -> Fragment:
        x, y = _turned(fragment.x, fragment.y, page)
        return Fragment(fragment.text, x * sx, y * sy, fragment.size * sy)

    def box_of(x: float, y: float) -> str | None:
        for boxes in (geometry.fields, geometry.cells):
            for key, box in boxes.items():
                if box.holds(x, y):
                    return key
        return None

    for fragment in (place(f) for f in page.fragments):
        key = box_of(*pdf_layout.anchor(fragment))
        if key is None:
            result.outside.append(fragment)
        elif key in result.fields:
            result.fields[key].append(fragment)
        else:
            result.cells[key].append(fragment)
    for note in (place(n) for n in page.notes):
        key = box_of(note.x + 2.0, note.y + 4.0)
        if key is None:
            result.outside.append(note)
        else:
            result.notes[key].append(note.text)
    return result


def _turned(x: float, y: float, page: PageData) -> tuple[float, float]:
    """A point of the page's unrotated space (from its top-left corner) as seen on the rotated page."""
    turn = page.rotate % 360
    if turn == 90:
        return page.height - y, x
    if turn == 180:
        return page.width - x, page.height - y
    if turn == 270:
        return y, page.width - x
    return x, y


_BADGES = {status.label: status for status in Status}


def _from_page(page: PageData, template: Template, path: Path, *, ours: bool) -> Imported:
    if ours:
        from canvas_tui.export.html import FIT_MARK, NOT_APPLICABLE, NOT_FILLED
        from canvas_tui.export.pdf import mm, page_boxes
        from canvas_tui.model.fit import DEFAULT_LAYOUT

        boxes = page_boxes(template, DEFAULT_LAYOUT)
        geometry = Geometry(
            mm(DEFAULT_LAYOUT.page_width_mm),
            mm(DEFAULT_LAYOUT.page_height_mm),
            {key: Box(x, y, x + w, y + h) for key, (x, y, w, h) in boxes.fields.items()},
            {key: Box(x, y, x + w, y + h) for key, (x, y, w, h) in boxes.cells.items()},
        )
        furniture: tuple[str, ...] = (
            template.title,
            *(f"{spec.label}:" for spec in template.fields),
            *(column.title for column in template.columns),
        )
    else:
        geometry = pdf_layout.official_geometry(template)
        furniture = (
            template.title,
            *pdf_layout.OFFICIAL_FURNITURE,
            *(column.title for column in template.columns),
        )
    try:
        sorted_page = _sort(page, geometry)
    except _Upright:
        raise SourceError(
            f"{path}: the first page is upright ({page.width:.0f} x {page.height:.0f} pt); "
            "the canvas is a landscape page"
        ) from None
    canvas = Canvas(template)
    placed: list[str] = []
    left_out: list[str] = []
    for field_spec in template.fields:
        if field_spec.id not in sorted_page.fields:
            continue
        value = clean_text(
            " ".join(
                [pdf_layout.one_line(sorted_page.fields[field_spec.id]), *sorted_page.notes[field_spec.id]]
            ),
            ligatures=True,
        ).strip()
        value = " ".join(value.split())
        if not value:
            continue
        if field_spec.kind == "integer":
            number = re.fullmatch(r"\D{0,12}?(\d{1,9})\D{0,3}", value)
            if number is None or int(number.group(1)) < 1:
                left_out.append(
                    f'"{value[:60]}" in the {field_spec.label} box: not a whole number of 1 or more'
                )
                continue
            canvas.fields[field_spec.id] = int(number.group(1))
        else:
            canvas.fields[field_spec.id] = value
        placed.append(f"the {field_spec.label} box -> [canvas] {field_spec.id}")
    for spec in template.blocks:
        fragments = sorted_page.cells[spec.id]
        status: Status | None = None
        printed: list[str] = [spec.title, spec.guidance]
        if ours:
            badges = [f for f in fragments if f.text.strip() in _BADGES]
            if badges:
                top = min(badges, key=lambda f: f.y)
                status = _BADGES[top.text.strip()]
                fragments = [f for f in fragments if f is not top]
            printed = [spec.title, FIT_MARK, NOT_APPLICABLE, NOT_FILLED, spec.guidance]
        text = pdf_layout.cell_text(fragments, printed)
        text = "\n\n".join(part for part in (text, *sorted_page.notes[spec.id]) if part.strip())
        text = clean_text(text, ligatures=True).strip("\n")
        block = canvas.blocks[spec.id]
        block.text = text
        block.status = status if status is not None else Status.derived(text)
        if text.strip():
            lines = text.count("\n") + 1
            placed.append(f'text in the "{spec.title}" cell ({lines} line(s)) -> block {spec.id}')
    for fragment in sorted_page.outside:
        if ours or pdf_layout.is_furniture(fragment.text, furniture):  # our export's own header and footer
            continue
        shown = " ".join(clean_text(fragment.text, ligatures=True).split())
        left_out.append(f'"{shown[:60]}" at ({fragment.x:.0f}, {fragment.y:.0f}) pt: in no block\'s cell')
    return Imported(canvas, placed, left_out)


__all__ = ["MAX_PDF_BYTES", "clean_text", "import_pdf"]
