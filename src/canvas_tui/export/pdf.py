"""The canvas as one A4 landscape PDF page, in the official look, drawn in-process with reportlab.

The page is the HTML export's print layout (`model.fit.PrintLayout`: the same geometry, the same
font sizes, the same dark red lines, the same too-long mark and attribution footer), but the fit
decision is exact: every line is measured with the embedded font's own advance widths
(`pdfmetrics.stringWidth`), wrapped here, and drawn as the very lines that were measured. The page's
text has one size, the largest of `PrintLayout.font_sizes_pt` at which every block fits (see
`model.fit.page_level`); a block that does not fit at it gets the largest smaller size it fits at,
and a block that does not fit even at the smallest shows as much as fits, a dashed outline and
the mark. A line's glyphs are centred in its line box, so the last line needs only down to the
bottom of its glyphs, not the leading below them: a cell holds every line that can be read whole.

Text is real text (a PDF reader finds and copies it), in DejaVu Sans, shipped with the package
(export/fonts, Bitstream Vera licence) and embedded as a subset. DejaVu Sans covers Latin, Greek,
Cyrillic, Armenian, Georgian, Hebrew, Arabic, many symbols, arrows, maths operators and box
drawing, but not CJK nor most emoji: characters it has no glyph for are listed in
`PdfExport.missing` (the command line prints them) and drawn as the font's empty-box glyph
(they are not in the PDF's text either). Right-to-left scripts are drawn in stored order, neither reordered
nor joined: `PdfExport.right_to_left` says so.

The canvas also travels as data inside the file: an attachment named `canvas-tui.json` (a PDF
"embedded file", listed by any PDF reader's attachments pane) holds the template id, the header
fields and each block's text, status and marked questions, so `canvas-tui import` gives back exactly
what was exported, even text the page cut off. The importer checks that data against the page it
came with before it trusts it (importing/pdf.py).

The bytes are deterministic (reportlab's invariant mode: no timestamps, no random ids), so two
exports of the same canvas are identical. No Textual here.
"""

from __future__ import annotations

import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from reportlab.lib.colors import Color, HexColor, white
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary, PDFName, PDFStream, PDFString
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas as PdfCanvas

from canvas_tui.export.html import FIT_MARK, NOT_APPLICABLE, NOT_FILLED, too_long_warning
from canvas_tui.model import Canvas, Status
from canvas_tui.model.fit import DEFAULT_LAYOUT, PrintLayout, page_level
from canvas_tui.model.status import STATUS_ORDER
from canvas_tui.model.template import BlockSpec, Template

FONTS = Path(__file__).resolve().parent / "fonts"
REGULAR, BOLD, ITALIC = "CanvasTui-DejaVuSans", "CanvasTui-DejaVuSans-Bold", "CanvasTui-DejaVuSans-Oblique"
_FONT_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf"}
# DejaVu Sans's ascent and descent, in em: a line's baseline sits so that the glyphs are centred.
ASCENT, DESCENT = 0.93, 0.24

EMBEDDED_NAME = "canvas-tui.json"
"""The attachment that carries the canvas as data (read back by importing/pdf.py)."""
EMBEDDED_FORMAT = "canvas-tui-pdf"
EMBEDDED_VERSION = 1

PT_PER_MM = 72 / 25.4
DARK_RED = HexColor("#990000")
INK = HexColor("#111111")
GREY = HexColor("#666666")
FOOTER_INK = HexColor("#444444")
MARK_BACKGROUND = HexColor("#fde7e7")
BADGE_COLOURS: dict[Status, tuple[Color, Color]] = {  # text and border, background (as in html.py)
    Status.TODO: (HexColor("#4a4a4a"), HexColor("#efefef")),
    Status.DRAFT: (HexColor("#7a4b00"), HexColor("#fff1cc")),
    Status.DONE: (HexColor("#1b5e20"), HexColor("#e1f2e1")),
    Status.SKIP: (HexColor("#1f4e8c"), HexColor("#e3ecf8")),
}
FIELD_WIDTHS_MM = (42.0, 42.0, 26.0, 18.0)  # Product name, Designed by, Date, Iteration
FIELD_GAP_MM = 3.0
TITLE_PT, PROGRESS_PT, LABEL_PT, VALUE_PT = 14.0, 7.0, 7.0, 8.0
COLUMN_TITLE_PT, BADGE_PT, MARK_PT, FOOTER_PT = 13.0, 5.5, 6.0, 6.5
MARK_INDENT_MM = 2.6  # the mark's red bar and the space after it, plus a little on the right


def mm(value: float) -> float:
    return value * PT_PER_MM


@cache
def register_fonts() -> None:
    """Register the shipped DejaVu Sans faces with reportlab (once per process)."""
    for name, file_name in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(FONTS / file_name)))
    _fix_to_unicode_maps()


_BEYOND_BMP = re.compile(r"<([0-9A-F]{2})> <([0-9A-F]{5,6})>")


def _fix_to_unicode_maps() -> None:
    """reportlab writes a character beyond U+FFFF (😀) into a font's ToUnicode map as five hex digits,
    which PDF readers reject, so its text cannot be found or copied. PDF wants UTF-16 there: rewrite
    those entries as surrogate pairs. Entries within the BMP are left exactly as they were."""
    original = ttfonts.makeToUnicodeCMap
    if getattr(original, "canvas_tui_fixed", False):
        return

    def utf16(match: re.Match[str]) -> str:
        return f"<{match.group(1)}> <{chr(int(match.group(2), 16)).encode('utf-16-be').hex().upper()}>"

    def make_to_unicode_cmap(fontname: str, subset: list[int]) -> str:
        return _BEYOND_BMP.sub(utf16, original(fontname, subset))

    make_to_unicode_cmap.canvas_tui_fixed = True  # type: ignore[attr-defined]
    ttfonts.makeToUnicodeCMap = make_to_unicode_cmap


@cache
def _glyphs(font: str) -> frozenset[int]:
    register_fonts()
    registered = pdfmetrics.getFont(font)
    assert isinstance(registered, TTFont)
    return frozenset(registered.face.charToGlyph)


def font_covers(char: str, font: str = REGULAR) -> bool:
    """True when `font` has a glyph for `char`."""
    return ord(char) in _glyphs(font)


@dataclass(frozen=True, slots=True)
class PdfExport:
    """The PDF, and what the page could not show as written."""

    data: bytes
    missing: tuple[str, ...] = ()
    """Characters the embedded font has no glyph for (an empty box on the page), in order of appearance."""
    right_to_left: tuple[str, ...] = ()
    """Right-to-left letters (Hebrew, Arabic, ...) found; drawn left to right, unjoined."""
    overflowing: tuple[str, ...] = ()
    """Blocks whose text does not fit their cell even at the smallest size (marked on the page)."""
    overflowing_titles: tuple[str, ...] = ()
    """The same blocks by title, as the page and the warning name them."""

    def warnings(self) -> list[str]:
        """One line each, for stderr or a notification."""
        found: list[str] = []
        if self.missing:
            listed = " ".join(f"{char} (U+{ord(char):04X})" for char in self.missing)
            found.append(
                f"{len(self.missing)} character(s) have no glyph in the PDF's font (DejaVu Sans) and "
                f"print as an empty box (nor are they in the PDF's text): {listed}"
            )
        if self.right_to_left:
            found.append(
                "right-to-left text is printed left to right, letters unjoined (not supported yet): "
                + "".join(self.right_to_left)
            )
        if self.overflowing_titles:
            found.append(too_long_warning(self.overflowing_titles))
        return found


# -- measuring and wrapping ------------------------------------------------------------------------


_TOKENS = re.compile(r"\n| +|[^ \n]+")


def _clean(text: str) -> str:
    """What is drawn for `text`: tabs as four spaces, Windows/old Mac line ends as newlines."""
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ")


def width_pt(text: str, font: str, size: float) -> float:
    return float(pdfmetrics.stringWidth(text, font, size))


def wrap(text: str, font: str, size: float, width: float, limit: int) -> list[str]:
    """`text` wrapped greedily at spaces into lines no wider than `width` points (measured with
    `font`); the user's newlines are kept, a word wider than a line is broken anywhere. Stops after
    `limit + 1` lines: only the start of a long text is ever measured."""
    lines: list[str] = []
    line = ""
    used = 0.0
    space = width_pt(" ", font, size)
    for match in _TOKENS.finditer(_clean(text)):
        token = match.group()
        if token == "\n":
            lines.append(line)
            line, used = "", 0.0
        elif token[0] == " ":
            line += token
            used += space * len(token)
        else:
            token_width = width_pt(token, font, size)
            if line.strip() and used + token_width > width:
                lines.append(line.rstrip(" "))
                line, used = "", 0.0
            while token_width > width - used and len(token) > 1:  # a word wider than a line: break it
                cut = _longest_prefix(token, font, size, width - used)
                lines.append(line + token[:cut])
                line, used = "", 0.0
                token = token[cut:]
                token_width = width_pt(token, font, size)
                if len(lines) > limit:
                    return lines
            line += token
            used += token_width
        if len(lines) > limit:
            return lines
    lines.append(line.rstrip(" "))
    return lines


def _longest_prefix(word: str, font: str, size: float, width: float) -> int:
    """How many characters of `word` fit `width` (at least one, so wrapping always advances)."""
    low, high = 1, len(word)
    while low < high:
        middle = (low + high + 1) // 2
        if width_pt(word[:middle], font, size) <= width:
            low = middle
        else:
            high = middle - 1
    return low


def ellipsize(text: str, font: str, size: float, width: float) -> str:
    """One line of `text` cut with "…" to fit `width` (header fields and the footer)."""
    text = " ".join(_clean(text).split())
    if width_pt(text, font, size) <= width:
        return text
    cut = _longest_prefix(text + "…", font, size, width - width_pt("…", font, size))
    return text[: max(cut, 1)].rstrip() + "…"


# -- the fit decision --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CellPlan:
    """What one block's cell shows, decided with exact measurements."""

    title_lines: list[str]
    badge: str
    badge_width: float
    font_pt: float
    level: int
    lines: list[str]  # the block text's lines that are drawn (all of them when it fits)
    fits: bool
    empty: bool
    guidance: list[str] = field(default_factory=list)
    mark: list[str] = field(default_factory=list)  # the too-long mark's lines, when it does not fit


def rows_in(room: float, size: float, layout: PrintLayout) -> int:
    """How many lines of `size` points fit `room` points: each takes a line box, but the last one
    only down to the bottom of its glyphs (they are centred in the box; the leading below them
    may fall outside the cell)."""
    step = size * layout.line_height
    last = size * (layout.line_height + ASCENT + DESCENT) / 2
    return int((room - last) / step + 1e-9) + 1 if room >= last else 0


def plan_cell(
    layout: PrintLayout,
    width_mm: float,
    height_mm: float,
    spec: BlockSpec,
    text: str,
    status: Status,
    *,
    start_level: int = 0,
) -> CellPlan:
    """Decide how `text` is printed in a cell of `width_mm` x `height_mm` (lines included): at the
    largest size from `layout.font_sizes_pt[start_level]` down (the page's size) that it fits."""
    register_fonts()
    inner_width = mm(width_mm - 2 * layout.padding_mm)
    inner_height = mm(height_mm - 2 * layout.padding_mm)
    badge = status.label
    badge_width = min(width_pt(badge, REGULAR, BADGE_PT) + mm(1.2), mm(layout.badge_mm))
    title_width = inner_width - badge_width - mm(1.0)
    title_lines = wrap(spec.title, BOLD, layout.title_pt, title_width, 3)
    room = inner_height - len(title_lines) * layout.title_pt * layout.line_height - mm(layout.heading_gap_mm)
    text = text.strip("\n")
    if not text.strip():
        size = layout.font_sizes_pt[start_level]
        rows = max(rows_in(room, size, layout) - 1, 0)
        guidance = wrap(spec.guidance, ITALIC, size, inner_width, rows)[:rows]
        return CellPlan(title_lines, badge, badge_width, size, start_level, [], True, True, guidance)
    last = len(layout.font_sizes_pt) - 1
    for level, size in enumerate(layout.font_sizes_pt):
        if level < start_level:
            continue
        rows = rows_in(room, size, layout)
        lines = wrap(text, REGULAR, size, inner_width, rows)
        if len(lines) <= rows:
            return CellPlan(title_lines, badge, badge_width, size, level, lines, True, False)
        if level == last:
            mark = wrap(FIT_MARK, BOLD, MARK_PT, inner_width - mm(MARK_INDENT_MM), 4)
            room -= _mark_height(layout, len(mark))
            rows = rows_in(room, size, layout)
            return CellPlan(
                title_lines, badge, badge_width, size, level, lines[:rows], False, False, mark=mark
            )
    raise AssertionError("unreachable: the last size always returns")  # pragma: no cover


def _mark_height(layout: PrintLayout, lines: int) -> float:
    """The mark's box (its lines and padding) and the gap below it."""
    return lines * MARK_PT * layout.line_height + mm(0.6) + mm(0.6)


# -- drawing ---------------------------------------------------------------------------------------


class _Page:
    """A reportlab canvas addressed from the top-left corner of the content area, in points."""

    def __init__(self, pdf: PdfCanvas, layout: PrintLayout) -> None:
        self.pdf = pdf
        self.left = mm(layout.margin_mm)
        self.top = mm(layout.page_height_mm - layout.margin_mm)

    def rect(self, x: float, y: float, w: float, h: float, fill: Color) -> None:
        self.pdf.setFillColor(fill)
        self.pdf.rect(self.left + x, self.top - y - h, w, h, stroke=0, fill=1)

    def text(self, x: float, baseline: float, text: str, font: str, size: float, colour: Color) -> None:
        self.pdf.setFillColor(colour)
        self.pdf.setFont(font, size)
        self.pdf.drawString(self.left + x, self.top - baseline, text)


def baseline(line_top: float, size: float, line_height: float) -> float:
    """The baseline of a line box starting at `line_top` whose glyphs are centred in it."""
    return line_top + size * (line_height - ASCENT - DESCENT) / 2 + ASCENT * size


def render_pdf(canvas: Canvas, layout: PrintLayout = DEFAULT_LAYOUT) -> PdfExport:
    """The whole canvas as a one-page A4 landscape PDF."""
    register_fonts()
    template = canvas.template
    buffer = io.BytesIO()
    pdf = PdfCanvas(
        buffer,
        pagesize=(mm(layout.page_width_mm), mm(layout.page_height_mm)),
        invariant=1,
        pageCompression=1,
    )
    product = str(canvas.fields.get("product", "")).strip()
    pdf.setTitle(f"{product} · {template.title}" if product else template.title)
    pdf.setAuthor(str(canvas.fields.get("designed_by", "")).strip())
    pdf.setCreator("canvas-tui")
    pdf.setSubject(template.attribution)
    page = _Page(pdf, layout)
    drawn: list[tuple[str, str]] = []  # every string put on the page and its font, to check glyphs
    overflowing: list[BlockSpec] = []

    def put(x: float, base: float, text: str, font: str, size: float, colour: Color = INK) -> None:
        drawn.append((text, font))
        page.text(x, base, text, font, size, colour)

    content_width = mm(layout.content_width_mm)
    # Header: the canvas title and the progress line on the left, the four fields on the right.
    put(0, mm(6.0), template.title, BOLD, TITLE_PT)
    progress = canvas.progress()
    counts = " · ".join(f"{status.glyph} {progress.counts[status]} {status.value}" for status in STATUS_ORDER)
    summary = f"{progress.summary} · "
    put(0, mm(11.0), summary, BOLD, PROGRESS_PT)
    put(width_pt(summary, BOLD, PROGRESS_PT), mm(11.0), counts, REGULAR, PROGRESS_PT)
    x = content_width - sum(mm(w) for w in FIELD_WIDTHS_MM) - mm(FIELD_GAP_MM) * (len(template.fields) - 1)
    for index, field_spec in enumerate(template.fields):
        box_width = mm(FIELD_WIDTHS_MM[min(index, len(FIELD_WIDTHS_MM) - 1)])
        put(x, mm(3.5), f"{field_spec.label}:", BOLD, LABEL_PT)
        frame = mm(layout.frame_mm)
        page.rect(x, mm(4.8), box_width, mm(6.0), DARK_RED)
        page.rect(x + frame, mm(4.8) + frame, box_width - 2 * frame, mm(6.0) - 2 * frame, white)
        value = ellipsize(str(canvas.fields.get(field_spec.id, "")), REGULAR, VALUE_PT, box_width - mm(2.4))
        put(x + mm(1.2), baseline(mm(4.8), VALUE_PT, mm(6.0) / VALUE_PT), value, REGULAR, VALUE_PT)
        x += box_width + mm(FIELD_GAP_MM)

    # The canvas: a dark red ground with white cells on it, so the gaps are the lines.
    frame = mm(layout.frame_mm)
    top = mm(layout.header_mm)
    height = mm(layout.column_titles_mm + layout.grid_height_mm)
    page.rect(0, top, content_width, height, DARK_RED)
    page.rect(frame, top + frame, content_width - 2 * frame, mm(layout.column_titles_mm) - 2 * frame, white)
    column_width = mm(layout.column_width_mm(len(template.columns)))
    strip = mm(layout.column_titles_mm) - 2 * frame
    for index, column in enumerate(template.columns):
        centre = frame + index * (column_width + frame) + column_width / 2
        title = ellipsize(column.title, BOLD, COLUMN_TITLE_PT, column_width)
        put(
            centre - width_pt(title, BOLD, COLUMN_TITLE_PT) / 2,
            baseline(top + frame, COLUMN_TITLE_PT, strip / COLUMN_TITLE_PT),
            title,
            BOLD,
            COLUMN_TITLE_PT,
        )
    grid_top = top + mm(layout.column_titles_mm)
    row_height = mm(layout.row_height_mm(template.rows))
    plans = plan_page(canvas, layout)
    for spec in template.blocks:
        plan = plans[spec.id]
        block = canvas.blocks[spec.id]
        width_mm, height_mm = layout.cell_size_mm(template, spec)
        cell_x = frame + template.column_index(spec.column) * (column_width + frame)
        cell_y = grid_top + (spec.row - 1) * (row_height + frame)
        page.rect(cell_x, cell_y, mm(width_mm), mm(height_mm), white)
        if not plan.fits:
            overflowing.append(spec)
        drawn += _draw_cell(page, layout, plan, block.status, cell_x, cell_y, mm(width_mm), mm(height_mm))

    # Footer: the attribution, on one line.
    footer = ellipsize(template.attribution, REGULAR, FOOTER_PT, content_width)
    footer_top = top + height + mm(1.5)
    put(0, baseline(footer_top, FOOTER_PT, layout.line_height), footer, REGULAR, FOOTER_PT, FOOTER_INK)
    pdf.showPage()
    _embed(pdf, canvas_data(canvas))
    pdf.save()
    missing, right_to_left = _unsupported(drawn)
    return PdfExport(
        buffer.getvalue(),
        missing,
        right_to_left,
        tuple(spec.id for spec in overflowing),
        tuple(spec.title for spec in overflowing),
    )


@dataclass(frozen=True, slots=True)
class PageBoxes:
    """Where `render_pdf` puts the header fields' boxes and the blocks' cells: (x, y, width,
    height) in points from the page's top-left corner (importing/pdf.py reads a page by them)."""

    fields: dict[str, tuple[float, float, float, float]]
    cells: dict[str, tuple[float, float, float, float]]


def page_boxes(template: Template, layout: PrintLayout = DEFAULT_LAYOUT) -> PageBoxes:
    """The boxes `render_pdf` draws for `template`, computed the way it draws them."""
    left, top = mm(layout.margin_mm), mm(layout.margin_mm)
    content_width = mm(layout.content_width_mm)
    fields = {}
    x = content_width - sum(mm(w) for w in FIELD_WIDTHS_MM) - mm(FIELD_GAP_MM) * (len(template.fields) - 1)
    for index, field_spec in enumerate(template.fields):
        box_width = mm(FIELD_WIDTHS_MM[min(index, len(FIELD_WIDTHS_MM) - 1)])
        fields[field_spec.id] = (left + x, top + mm(4.8), box_width, mm(6.0))
        x += box_width + mm(FIELD_GAP_MM)
    frame = mm(layout.frame_mm)
    column_width = mm(layout.column_width_mm(len(template.columns)))
    row_height = mm(layout.row_height_mm(template.rows))
    grid_top = mm(layout.header_mm) + mm(layout.column_titles_mm)
    cells = {}
    for spec in template.blocks:
        width_mm, height_mm = layout.cell_size_mm(template, spec)
        cell_x = frame + template.column_index(spec.column) * (column_width + frame)
        cell_y = grid_top + (spec.row - 1) * (row_height + frame)
        cells[spec.id] = (left + cell_x, top + cell_y, mm(width_mm), mm(height_mm))
    return PageBoxes(fields, cells)


def plan_page(canvas: Canvas, layout: PrintLayout = DEFAULT_LAYOUT) -> dict[str, CellPlan]:
    """Every block's cell by block id: at the page's one text size, smaller only where a block
    needs it (see `model.fit.page_level`)."""
    template = canvas.template

    def plan(spec: BlockSpec, start_level: int = 0) -> CellPlan:
        block = canvas.blocks[spec.id]
        width_mm, height_mm = layout.cell_size_mm(template, spec)
        return plan_cell(layout, width_mm, height_mm, spec, block.text, block.status, start_level=start_level)

    plans = {spec.id: plan(spec) for spec in template.blocks}
    level = page_level((p.level if p.fits else None for p in plans.values()), layout)
    # A block that fits at a larger size is printed at the page's size; the others as they are.
    for spec in template.blocks:
        if plans[spec.id].level < level:
            plans[spec.id] = plan(spec, level)
    return plans


def _draw_cell(
    page: _Page,
    layout: PrintLayout,
    plan: CellPlan,
    status: Status,
    x: float,
    y: float,
    width: float,
    height: float,
) -> Iterator[tuple[str, str]]:
    """Draw one cell's content; yields every string drawn, with its font."""
    pad = mm(layout.padding_mm)
    left, cursor = x + pad, y + pad
    title_line = layout.title_pt * layout.line_height
    for line in plan.title_lines:
        page.text(
            left, baseline(cursor, layout.title_pt, layout.line_height), line, BOLD, layout.title_pt, INK
        )
        yield line, BOLD
        cursor += title_line
    # The status badge: glyph and word on the status colour, at the right of the first title line.
    ink, ground = BADGE_COLOURS[status]
    badge_height = BADGE_PT * 1.2 + mm(0.4)
    badge_x = x + width - pad - plan.badge_width
    badge_y = y + pad + (title_line - badge_height) / 2
    pdf = page.pdf
    pdf.setStrokeColor(ink)
    pdf.setFillColor(ground)
    pdf.setLineWidth(mm(0.2))
    pdf.roundRect(
        page.left + badge_x,
        page.top - badge_y - badge_height,
        plan.badge_width,
        badge_height,
        mm(0.5),
        stroke=1,
        fill=1,
    )
    badge = ellipsize(plan.badge, REGULAR, BADGE_PT, plan.badge_width - mm(1.2))
    page.text(
        badge_x + mm(0.6), baseline(badge_y, BADGE_PT, badge_height / BADGE_PT), badge, REGULAR, BADGE_PT, ink
    )
    yield badge, REGULAR
    cursor += mm(layout.heading_gap_mm)
    inner_width = width - 2 * pad
    if not plan.fits:
        mark_height = _mark_height(layout, len(plan.mark)) - mm(0.6)
        page.rect(left, cursor, inner_width, mark_height, MARK_BACKGROUND)
        page.rect(left, cursor, mm(0.8), mark_height, DARK_RED)
        for index, line in enumerate(plan.mark):
            line_top = cursor + mm(0.3) + index * MARK_PT * layout.line_height
            page.text(
                left + mm(1.6), baseline(line_top, MARK_PT, layout.line_height), line, BOLD, MARK_PT, DARK_RED
            )
            yield line, BOLD
        cursor += mark_height + mm(0.6)
        inset = mm(0.45)  # between the cell's line and its text, so the dashes never cross a letter
        pdf.setStrokeColor(DARK_RED)
        pdf.setLineWidth(mm(0.3))
        pdf.setDash(mm(1.2), mm(0.8))
        pdf.rect(
            page.left + x + inset,
            page.top - y - height + inset,
            width - 2 * inset,
            height - 2 * inset,
            stroke=1,
            fill=0,
        )
        pdf.setDash()
    size = plan.font_pt
    line_height = size * layout.line_height
    if plan.empty:
        empty = NOT_APPLICABLE if status is Status.SKIP else NOT_FILLED
        page.text(left, baseline(cursor, size, layout.line_height), empty, BOLD, size, GREY)
        yield empty, BOLD
        cursor += line_height
        for line in plan.guidance:
            page.text(left, baseline(cursor, size, layout.line_height), line, ITALIC, size, GREY)
            yield line, ITALIC
            cursor += line_height
        return
    for line in plan.lines:
        if line:
            page.text(left, baseline(cursor, size, layout.line_height), line, REGULAR, size, INK)
            yield line, REGULAR
        cursor += line_height


def canvas_data(canvas: Canvas) -> bytes:
    """The canvas as the JSON the PDF carries: template, header fields, and per block its text,
    status and marked questions (what an import needs to give the canvas back exactly)."""
    data = {
        "format": EMBEDDED_FORMAT,
        "version": EMBEDDED_VERSION,
        "template": canvas.template.id,
        "canvas": dict(canvas.fields),
        "blocks": [
            {
                "id": block.id,
                "text": block.text,
                "status": block.status.value,
                "answered": list(block.answered),
            }
            for block in canvas.blocks.values()
        ],
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def _embed(pdf: PdfCanvas, data: bytes) -> None:
    """Attach `data` as the embedded file EMBEDDED_NAME (the catalog's EmbeddedFiles name tree)."""
    stream = PDFStream(
        PDFDictionary({"Type": PDFName("EmbeddedFile"), "Params": PDFDictionary({"Size": len(data)})}),
        content=data,
    )
    spec = PDFDictionary(
        {
            "Type": PDFName("Filespec"),
            "F": PDFString(EMBEDDED_NAME),
            "UF": PDFString(EMBEDDED_NAME),
            "Desc": PDFString("The canvas as data, for canvas-tui import"),
            "EF": PDFDictionary({"F": stream}),
        }
    )
    names = PDFDictionary(
        {"EmbeddedFiles": PDFDictionary({"Names": PDFArray([PDFString(EMBEDDED_NAME), spec])})}
    )
    pdf.setCatalogEntry("Names", names)


_RTL = ("R", "AL")


def _unsupported(strings: Iterable[tuple[str, str]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Characters of `strings` their font cannot draw, and right-to-left letters, each once."""
    missing: dict[str, None] = {}
    right_to_left: dict[str, None] = {}
    for text, font in strings:
        if text.isascii() and text.isprintable():
            continue  # DejaVu Sans has every printable ASCII character, in every face
        glyphs = _glyphs(font)
        for char in text:
            if ord(char) not in glyphs and not _invisible(char):
                missing.setdefault(char)
            if unicodedata.bidirectional(char) in _RTL:
                right_to_left.setdefault(char)
    return tuple(missing), tuple(right_to_left)


def _invisible(char: str) -> bool:
    """Format characters (zero-width joiners, variation selectors) that no font needs a glyph for."""
    return unicodedata.category(char) == "Cf" or 0xFE00 <= ord(char) <= 0xFE0F


__all__ = [
    "EMBEDDED_NAME",
    "PageBoxes",
    "PdfExport",
    "canvas_data",
    "font_covers",
    "page_boxes",
    "plan_cell",
    "plan_page",
    "render_pdf",
    "wrap",
]
