"""Our own PDF export comes back exactly: text, status, marked questions and header; the embedded
data is trusted only while the page matches it, and the page alone still gives the text back."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import canvas_tui.export.pdf as pdf_export
from canvas_tui.export.pdf import plan_page, render_pdf
from canvas_tui.files.resources import example_canvas_path
from canvas_tui.importing.pdf import import_pdf
from canvas_tui.importing.result import SourceError
from canvas_tui.model import Canvas, Status
from canvas_tui.storage import CanvasFile
from canvas_tui.templates import load_template

TEMPLATE = load_template()
WORD = st.text(
    alphabet=st.sampled_from("abcdefghijklmnopqrstuvwxyzÆØÅéü0123456789.,;:!?()'-€%"), min_size=1, max_size=9
)
LINE = st.lists(WORD, min_size=1, max_size=8).map(" ".join)
TEXT = st.lists(LINE, min_size=0, max_size=3).map("\n".join)


@st.composite
def canvases(draw: st.DrawFn) -> Canvas:
    canvas = Canvas(TEMPLATE)
    canvas.fields["product"] = draw(LINE)
    canvas.fields["designed_by"] = draw(LINE)
    canvas.fields["date"] = draw(st.dates().map(lambda d: d.isoformat()))
    canvas.fields["iteration"] = draw(st.integers(1, 999))
    for spec in TEMPLATE.blocks:
        block = canvas.blocks[spec.id]
        block.text = draw(TEXT)
        block.status = draw(st.sampled_from(list(Status)))
        block.answered = tuple(sorted(draw(st.sets(st.integers(1, len(spec.questions))))))
    return canvas


def fits(canvas: Canvas) -> bool:
    return all(plan.fits for plan in plan_page(canvas).values())


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(canvas=canvases().filter(fits))
def test_export_then_import_gives_the_canvas_back(canvas: Canvas, tmp_path: Path) -> None:
    path = tmp_path / "export.pdf"
    path.write_bytes(render_pdf(canvas).data)
    imported = import_pdf(path, None)
    assert imported.canvas.state() == canvas.state()
    assert imported.left_out == []


@pytest.fixture
def example() -> Canvas:
    return CanvasFile.load(example_canvas_path()).canvas


def test_without_its_data_the_page_alone_gives_text_status_and_header_back(
    example: Canvas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pdf_export, "_embed", lambda pdf, data: None)  # an export that carries no data
    path = tmp_path / "plain.pdf"
    path.write_bytes(render_pdf(example).data)
    imported = import_pdf(path, None)
    assert imported.canvas.fields == example.fields
    for block_id, block in example.blocks.items():
        assert imported.canvas.blocks[block_id].text == block.text.strip("\n"), block_id
        assert imported.canvas.blocks[block_id].status is block.status, block_id


def test_data_that_does_not_match_its_page_is_not_trusted(
    example: Canvas, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    planted = Canvas(TEMPLATE)
    planted.blocks["background"].text = "Something the page does not say."
    real_data = pdf_export.canvas_data
    monkeypatch.setattr(pdf_export, "canvas_data", lambda canvas: real_data(planted))
    path = tmp_path / "changed.pdf"
    path.write_bytes(render_pdf(example).data)
    monkeypatch.setattr(pdf_export, "canvas_data", real_data)
    imported = import_pdf(path, None)
    assert imported.canvas.blocks["background"].text == example.blocks["background"].text.strip("\n")
    assert any("does not match the page" in line for line in imported.left_out)


def test_escape_sequences_in_an_export_never_come_back(tmp_path: Path) -> None:
    canvas = Canvas(TEMPLATE)
    canvas.blocks["background"].text = "before\x1b]52;c;ZXZpbA==\x07after \x1b[2J"
    canvas.fields["product"] = "P\x1b[31m"
    path = tmp_path / "escapes.pdf"
    path.write_bytes(render_pdf(canvas).data)
    imported = import_pdf(path, None)
    texts = [block.text for block in imported.canvas.blocks.values()]
    assert all(ord(char) >= 0x20 or char in "\n\t" for text in texts for char in text)
    assert "before" in imported.canvas.blocks["background"].text
    assert "\x1b" not in str(imported.canvas.fields["product"])


def test_another_template_than_the_exported_one_is_refused(example: Canvas, tmp_path: Path) -> None:
    path = tmp_path / "export.pdf"
    path.write_bytes(render_pdf(example).data)
    with pytest.raises(SourceError, match=r"export\.pdf: exported from a 'mlops-canvas-v1\.1' canvas"):
        import_pdf(path, "another-template")
