"""The PDF export: one A4 landscape page, real text, exact fit, deterministic bytes, honest Unicode."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
from reportlab.pdfbase.pdfmetrics import stringWidth

from canvas_tui.cli import main
from canvas_tui.export import FORMATS, format_for_path
from canvas_tui.export.html import FIT_MARK
from canvas_tui.export.pdf import (
    ASCENT,
    DESCENT,
    REGULAR,
    font_covers,
    plan_cell,
    plan_page,
    render_pdf,
    rows_in,
    wrap,
)
from canvas_tui.model import Canvas, Status
from canvas_tui.model.fit import DEFAULT_LAYOUT, MM_PER_PT
from canvas_tui.storage import CanvasFile

A4_LANDSCAPE = (841.89, 595.28)  # points


def page_text(data: bytes) -> tuple[int, str, tuple[float, float]]:
    """Page count, the first page's extracted text, and its media box size."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    page = reader.pages[0]
    box = page.mediabox
    return len(reader.pages), page.extract_text(), (float(box.width), float(box.height))


def words(text: str) -> set[str]:
    return set(text.split())


def oversized(canvas: Canvas) -> Canvas:
    sentence = "Subscribers who skip twice in a row cancel 40% more often than the others. "
    canvas.set_text("lifetime", sentence * 120)
    return canvas


def test_one_a4_landscape_page(example_document: CanvasFile) -> None:
    pages, _, (width, height) = page_text(render_pdf(example_document.canvas).data)
    assert pages == 1
    assert width == pytest.approx(A4_LANDSCAPE[0], abs=0.5)
    assert height == pytest.approx(A4_LANDSCAPE[1], abs=0.5)


def test_every_title_and_every_word_of_every_block_is_text(example_document: CanvasFile) -> None:
    canvas = example_document.canvas
    _, text, _ = page_text(render_pdf(canvas).data)
    flat = " ".join(text.split())
    found = words(text)
    template = canvas.template
    assert template.title in flat
    for column in template.columns:
        assert column.title in found
    for spec in template.blocks:
        assert spec.title in flat, spec.title  # a wrapped title still reads in order
        block = canvas.blocks[spec.id]
        assert block.status.label in flat
        missing = words(block.text) - found
        assert not missing, f"{spec.id}: not in the PDF's text: {sorted(missing)[:10]}"
    for field_spec in template.fields:
        assert f"{field_spec.label}:" in flat and str(canvas.fields[field_spec.id]) in flat
    assert template.attribution in flat


def test_a_unique_word_from_every_block_is_found(example_document: CanvasFile) -> None:
    """Each block has a word no other block uses, so finding it proves that block's text is there."""
    canvas = example_document.canvas
    _, text, _ = page_text(render_pdf(canvas).data)
    found = words(text)
    ids = canvas.template.block_ids
    vocabulary = {block_id: words(canvas.blocks[block_id].text) for block_id in ids}
    for block_id in ids:
        others = set().union(*(vocabulary[other] for other in ids if other != block_id))
        unique = sorted(word for word in vocabulary[block_id] - others if word.isalpha() and len(word) > 5)
        if not unique:
            assert not canvas.blocks[block_id].text.strip(), block_id
            continue
        assert unique[0] in found, (block_id, unique[0])


def test_example_fits_without_marks(example_document: CanvasFile) -> None:
    result = render_pdf(example_document.canvas)
    assert result.overflowing == ()
    assert "Too long" not in page_text(result.data)[1]


def test_an_oversized_block_carries_the_too_long_mark(example_document: CanvasFile) -> None:
    result = render_pdf(oversized(example_document.canvas))
    assert result.overflowing == ("lifetime",)
    _, text, _ = page_text(result.data)
    assert " ".join(text.split()).count(FIT_MARK) == 1
    # The mark sits in the Lifetime cell: after its title, before the next block's title.
    flat = " ".join(text.split())
    assert flat.index("Lifetime") < flat.index(FIT_MARK) < flat.index("Fairness")


def test_two_exports_are_identical_bytes(example_document: CanvasFile) -> None:
    first = render_pdf(example_document.canvas).data
    second = render_pdf(CanvasFile.load(example_document.path).canvas).data
    assert first == second
    assert b"CreationDate" not in first or b"D:20000101" in first  # no clock in invariant mode


def test_identical_bytes_across_processes(example: Path, tmp_path: Path) -> None:
    """Another interpreter (other hash seeds, other font registration order) writes the same bytes."""
    outputs = []
    for run in range(2):
        out = tmp_path / f"run{run}.pdf"
        env = {**os.environ, "PYTHONHASHSEED": str(run + 1)}
        command = [sys.executable, "-m", "canvas_tui", "export", str(example), "-o", str(out)]
        subprocess.run(command, check=True, capture_output=True, env=env, timeout=120)
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]


# -- the fit is exact ------------------------------------------------------------------------------


def inner_width_pt(canvas: Canvas, block_id: str) -> float:
    width_mm, _ = DEFAULT_LAYOUT.cell_size_mm(canvas.template, canvas.template.block(block_id))
    return (width_mm - 2 * DEFAULT_LAYOUT.padding_mm) / MM_PER_PT


@pytest.mark.parametrize("repeat", [1, 4, 9, 14, 20, 30, 60])
def test_the_size_chosen_is_the_largest_that_fits(example_document: CanvasFile, repeat: int) -> None:
    canvas = example_document.canvas
    template = canvas.template
    text = "Retraining runs monthly on a rolling window; rollbacks need the on-call lead. " * repeat
    layout = DEFAULT_LAYOUT
    for block_id in ("background", "decision", "model_governance"):
        spec = template.block(block_id)
        width_mm, height_mm = layout.cell_size_mm(template, spec)
        plan = plan_cell(layout, width_mm, height_mm, spec, text, Status.DRAFT)
        width = inner_width_pt(canvas, block_id)
        for line in plan.lines:  # every line drawn is measured within the cell's width
            assert stringWidth(line, REGULAR, plan.font_pt) <= width + 1e-6
        if plan.fits:
            assert plan.lines == wrap(text, REGULAR, plan.font_pt, width, 10_000)  # nothing left out
            if plan.level > 0:  # one size larger would not have fitted
                larger = plan_cell(
                    layout.__class__(font_sizes_pt=layout.font_sizes_pt[plan.level - 1 : plan.level]),
                    width_mm,
                    height_mm,
                    spec,
                    text,
                    Status.DRAFT,
                )
                assert not larger.fits
        else:
            assert plan.level == len(layout.font_sizes_pt) - 1


def test_wrap_keeps_line_breaks_and_breaks_long_words() -> None:
    lines = wrap("one two\n\nthree " + "x" * 400, REGULAR, 7, 100, 1000)
    assert lines[:3] == ["one two", "", "three"]
    assert "".join(lines[3:]) == "x" * 400
    assert all(stringWidth(line, REGULAR, 7) <= 100 for line in lines)


# -- Unicode: drawn, or reported -----------------------------------------------------------------

UNICODE_TEXT = "Café naïve façade Straße — Ελληνικά Привет ≥ 5 ± ½ → ✓ ☺ 😀 🚀 中文 한국어 עברית العربية"
DRAWN = ["Café", "naïve", "façade", "Straße", "—", "Ελληνικά", "≥", "±", "½", "→", "✓", "☺", "😀", "Привет"]
NOT_DRAWN = ("🚀", "中", "文", "한", "국", "어")
RIGHT_TO_LEFT = tuple("עברית") + tuple("العربية")


def unicode_canvas(example_document: CanvasFile) -> Canvas:
    canvas = example_document.canvas
    canvas.set_text("background", UNICODE_TEXT)
    canvas.set_field("product", "Ψ-Churn ≥ v2")
    return canvas


def test_unicode_golden_list_of_what_is_drawn_and_reported(example_document: CanvasFile) -> None:
    result = render_pdf(unicode_canvas(example_document))
    assert result.missing == NOT_DRAWN
    assert result.right_to_left == RIGHT_TO_LEFT
    for word in DRAWN:
        assert all(font_covers(char) for char in word), word
    _, text, _ = page_text(result.data)
    found = words(text)
    for word in [*DRAWN, "Ψ-Churn"]:
        assert word in found, word
    warnings = result.warnings()
    assert len(warnings) == 2
    assert all(f"U+{ord(char):04X}" in warnings[0] for char in NOT_DRAWN)
    assert "right-to-left" in warnings[1]


def test_nothing_to_report_for_latin_text(example_document: CanvasFile) -> None:
    result = render_pdf(example_document.canvas)
    assert (result.missing, result.right_to_left, result.warnings()) == ((), (), [])


def test_the_command_line_reports_what_it_cannot_draw(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    document = CanvasFile.load(example)
    document.canvas.set_text("security", "Threat model: 中文 review pending")
    document.save()
    out = tmp_path / "canvas.pdf"
    assert main(["export", str(example), "-o", str(out)]) == 0
    err = capsys.readouterr().err
    assert "canvas-tui: warning: 2 character(s) have no glyph" in err
    assert "中 (U+4E2D) 文 (U+6587)" in err
    assert out.read_bytes().startswith(b"%PDF")


# -- the command line -------------------------------------------------------------------------------


def test_pdf_is_a_format_and_a_suffix() -> None:
    assert FORMATS["pdf"].binary
    assert format_for_path(Path("canvas.PDF")) == "pdf"


def test_o_with_pdf_suffix_writes_the_pdf(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "print.pdf"
    assert main(["export", str(example), "-o", str(out)]) == 0
    assert out.read_bytes() == render_pdf(CanvasFile.load(example).canvas).data
    assert f"Wrote {out} (PDF export of {example})" in capsys.readouterr().out


def test_without_o_the_pdf_goes_next_to_the_canvas(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = example.read_bytes()
    assert main(["export", str(example), "--format", "pdf"]) == 0
    target = example.with_suffix(".pdf")
    assert target.read_bytes().startswith(b"%PDF-")
    assert capsys.readouterr().out.startswith(f"Wrote {target}")
    assert example.read_bytes() == before


def test_dash_writes_the_pdf_into_a_pipe(example: Path) -> None:
    command = [sys.executable, "-m", "canvas_tui", "export", str(example), "-f", "pdf", "-o", "-"]
    result = subprocess.run(command, capture_output=True, check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout == render_pdf(CanvasFile.load(example).canvas).data


def test_refuses_to_write_a_pdf_onto_a_terminal(example: Path) -> None:
    leader, follower = os.openpty()
    try:
        command = [sys.executable, "-m", "canvas_tui", "export", str(example), "-f", "pdf", "-o", "-"]
        result = subprocess.run(
            command, stdout=follower, stderr=subprocess.PIPE, check=False, timeout=120, text=True
        )
    finally:
        os.close(follower)
        os.close(leader)
    assert result.returncode == 2
    assert re.fullmatch(r"canvas-tui: error: .*binary; not writing it to a terminal.*\n", result.stderr)


# -- one text size for the page ----------------------------------------------------------------------


def text_sizes(data: bytes) -> dict[str, float]:
    """The font size each drawn string was set in, read back from the PDF."""
    sizes: dict[str, float] = {}

    def visit(text: str, _cm: object, tm: list[float], _font: object, size: float) -> None:
        if text.strip():
            sizes.setdefault(text.strip(), round(size * tm[3], 2))

    pypdf.PdfReader(io.BytesIO(data)).pages[0].extract_text(visitor_text=visit)
    return sizes


def block_sizes(canvas: Canvas) -> dict[str, float]:
    """The size each non-empty block's text is printed in, read back from the PDF by its first line."""
    data = render_pdf(canvas).data
    sizes = text_sizes(data)
    return {
        block_id: sizes[plan.lines[0].strip()]
        for block_id, plan in plan_page(canvas).items()
        if plan.lines and plan.lines[0].strip()
    }


def test_the_example_prints_at_one_text_size(example_document: CanvasFile) -> None:
    sizes = block_sizes(example_document.canvas)
    assert len(sizes) == 14  # every block but the empty Lifetime
    assert set(sizes.values()) == {6.0}, sizes


def test_a_short_canvas_prints_at_the_largest_size(example_document: CanvasFile) -> None:
    canvas = example_document.canvas
    for block_id in canvas.blocks:
        canvas.set_text(block_id, f"A few words about {block_id}.")
    assert set(block_sizes(canvas).values()) == {DEFAULT_LAYOUT.font_sizes_pt[0]}


def test_only_a_block_that_needs_it_is_smaller(example_document: CanvasFile) -> None:
    canvas = example_document.canvas
    sentence = "Retraining runs monthly on a rolling window; rollbacks need the on-call lead. "
    canvas.set_text("modelling", sentence * 12)  # fits at 5 pt, not at 5.5
    sizes = block_sizes(canvas)
    assert sizes.pop("modelling") == 5.0
    assert set(sizes.values()) == {DEFAULT_LAYOUT.page_min_pt}, "one long block does not shrink the page"


def test_a_cell_holds_every_line_whose_glyphs_fit() -> None:
    """Background's 17 lines at 6.5 pt end 0.1 pt short of its cell's bottom only by the leading below
    the last line: that leading may fall outside, so it is not printed a size smaller."""
    layout = DEFAULT_LAYOUT
    size, step = 6.5, 6.5 * layout.line_height
    glyphs = size * (layout.line_height + ASCENT + DESCENT) / 2  # the last line, down to its glyphs
    assert rows_in(16 * step + glyphs, size, layout) == 17
    assert rows_in(16 * step + glyphs - 0.01, size, layout) == 16
    assert rows_in(glyphs - 0.01, size, layout) == 0


def test_background_is_not_printed_smaller_than_its_text_needs(example_document: CanvasFile) -> None:
    canvas = example_document.canvas
    template = canvas.template
    spec = template.block("background")
    width_mm, height_mm = DEFAULT_LAYOUT.cell_size_mm(template, spec)
    plan = plan_cell(DEFAULT_LAYOUT, width_mm, height_mm, spec, canvas.blocks["background"].text, Status.DONE)
    assert (plan.fits, plan.font_pt, len(plan.lines)) == (True, 6.5, 17)


# -- too long for the page: said on stderr -------------------------------------------------------------


@pytest.mark.parametrize("suffix", [".pdf", ".html"])
def test_export_names_the_blocks_the_page_cuts_off(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    document = CanvasFile.load(example)
    oversized(document.canvas)
    document.canvas.set_text("fairness", "Older subscribers and rural regions need a closer look. " * 80)
    document.save()
    out = tmp_path / f"long{suffix}"
    assert main(["export", str(example), "-o", str(out)]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("\n") == 1, captured.err
    assert captured.err.startswith("canvas-tui: warning: 2 blocks are too long for the printed page")
    assert captured.err.rstrip().endswith(": Lifetime, Fairness"), captured.err
    assert f"Wrote {out}" in captured.out


@pytest.mark.parametrize("suffix", [".pdf", ".html"])
def test_export_of_a_canvas_that_fits_says_nothing_on_stderr(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    assert main(["export", str(example), "-o", str(tmp_path / f"fits{suffix}")]) == 0
    assert capsys.readouterr().err == ""
