"""Filled MLOps Canvas pages for the PDF import tests, drawn here with reportlab.

Two kinds of page: the official one-page canvas from ../shared/seed (Apache-2.0, Nicki Skafte
Detlefsen, DTU 02476; see NOTICE) with a team's text overlaid under each block's printed guidance,
and a stand-in of the official layout drawn from scratch (the printed titles and guidance set in
other fonts and wrapped at other widths), for a machine without the seed. The team's text is set
in varied fonts and sizes and wrapped at each cell's width, as a PDF editor would.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pypdf
from reportlab.lib.utils import simpleSplit
from reportlab.pdfgen.canvas import Canvas as PdfCanvas

from canvas_tui.export.pdf import REGULAR, register_fonts
from canvas_tui.importing.pdf_layout import OFFICIAL, official_geometry
from canvas_tui.model.template import Template

SEED = Path(__file__).parents[2].parent / "shared" / "seed" / "mlops-canvas-v1.1.pdf"
FONTS = ("Helvetica", "Times-Roman", "Courier", REGULAR, "Helvetica-Oblique", "Times-Bold")
SIZES = (7.0, 7.5, 8.0, 6.5, 9.0)


@dataclass
class Typed:
    """What a team typed into one cell: paragraphs wrapped at the cell's width, or lines as given."""

    paragraphs: list[str] = field(default_factory=list)
    lines: list[str] | None = None  # drawn exactly as given (a hyphenated break, a list)


@cache
def seed_printed_bottoms() -> dict[str, float]:
    """Per block of the official page, the baseline of its last printed guidance line (from the top)."""
    from canvas_tui.templates import load_template

    template = load_template()
    geometry = official_geometry(template)
    reader = pypdf.PdfReader(SEED)
    page = reader.pages[0]
    height = float(page.mediabox.height)
    bottoms = {key: box.top + 40.0 for key, box in geometry.cells.items()}

    def visit(text: str, cm: list[float], tm: list[float], _font: object, _size: float) -> None:
        if not text.strip():
            return
        y_pdf = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = height - y_pdf
        for key, box in geometry.cells.items():
            if box.holds(x + 1, y - 2):
                bottoms[key] = max(bottoms[key], y)

    page.extract_text(visitor_text=visit)
    return bottoms


def _draw_stand_in(pdf: PdfCanvas, template: Template) -> dict[str, float]:
    """The official layout's printed parts drawn from scratch; the printed bottom of each cell."""
    geometry = official_geometry(template)
    height = OFFICIAL.height
    pdf.setFont("Helvetica-Bold", 16)
    pdf.drawString(14, height - 36, template.title)
    for field_spec, box in zip(template.fields, geometry.fields.values(), strict=False):
        pdf.setFont("Helvetica-Bold", 9)
        pdf.drawString(box.left + 1, height - 16, f"{field_spec.label}:")
        pdf.rect(box.left, height - box.bottom, box.right - box.left, box.bottom - box.top)
    column_width = (OFFICIAL.grid_right - OFFICIAL.grid_left) / len(template.columns)
    for index, column in enumerate(template.columns):
        pdf.setFont("Helvetica-Bold", 15)
        pdf.drawCentredString(OFFICIAL.grid_left + (index + 0.5) * column_width, height - 70, column.title)
    bottoms = {}
    for spec in template.blocks:
        box = geometry.cells[spec.id]
        pdf.rect(box.left, height - box.bottom, box.right - box.left, box.bottom - box.top)
        y = box.top + 18
        for line in simpleSplit(spec.title, "Helvetica-Bold", 10, 100):
            pdf.setFont("Helvetica-Bold", 10)
            pdf.drawString(box.left + 3, height - y, line)
            y += 12
        y += 10
        for line in simpleSplit(spec.guidance, "Helvetica-Oblique", 8, box.right - box.left - 8):
            pdf.setFont("Helvetica-Oblique", 8)
            pdf.drawString(box.left + 3, height - y, line)
            y += 10.5
        bottoms[spec.id] = y - 10.5
    pdf.setFont("Helvetica", 8)
    pdf.drawString(46, 38, "By Nicki Skafte Detlefsen")
    pdf.drawString(740, 26, "License: Apache 2.0")
    return bottoms


def filled_page(
    template: Template,
    typed: dict[str, Typed],
    fields: dict[str, str],
    *,
    on_seed: bool,
    outside: str = "",
) -> bytes:
    """A filled official page: `typed` text under each block's guidance, `fields` in the header
    boxes, `outside` (if any) typed in the page's bottom margin. Fonts and sizes vary by block."""
    register_fonts()
    geometry = official_geometry(template)
    buffer = io.BytesIO()
    width, height = (841.92, 595.92) if on_seed else (OFFICIAL.width, OFFICIAL.height)
    pdf = PdfCanvas(buffer, pagesize=(width, height), invariant=1)
    bottoms = seed_printed_bottoms() if on_seed else _draw_stand_in(pdf, template)
    for index, (field_id, value) in enumerate(fields.items()):
        box = geometry.fields[field_id]
        pdf.setFont(FONTS[index % len(FONTS)], 10)
        pdf.drawString(box.left + 4, height - (box.bottom - 7), value)
    for index, spec in enumerate(template.blocks):
        entry = typed.get(spec.id)
        if entry is None:
            continue
        box = geometry.cells[spec.id]
        font, size = FONTS[index % len(FONTS)], SIZES[index % len(SIZES)]
        leading = size * 1.2
        y = bottoms[spec.id] + 8 + size
        if entry.lines is not None:
            drawn = [(line, False) for line in entry.lines]
        else:
            drawn = []
            for number, paragraph in enumerate(entry.paragraphs):
                if number:
                    drawn.append(("", True))  # a blank line between paragraphs
                drawn += [
                    (line, False) for line in simpleSplit(paragraph, font, size, box.right - box.left - 8)
                ]
        for line, blank in drawn:
            if not blank:
                pdf.setFont(font, size)
                pdf.drawString(box.left + 3, height - y, line)
            y += leading
        assert y - leading < box.bottom - 2, f"the fixture's text for {spec.id} does not fit its cell"
    if outside:
        pdf.setFont("Helvetica", 9)
        pdf.drawString(300, 20, outside)
    pdf.showPage()
    pdf.save()
    overlay = buffer.getvalue()
    if not on_seed:
        return overlay
    writer = pypdf.PdfWriter(clone_from=SEED)
    writer.pages[0].merge_page(pypdf.PdfReader(io.BytesIO(overlay)).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
