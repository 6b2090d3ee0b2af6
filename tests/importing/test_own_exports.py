"""Our own exports come back as the canvas they were made of: text, status, marked questions and
header fields, for any canvas (property tests) and through a README section."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from tests.conftest import EXAMPLE

from canvas_tui.export import render
from canvas_tui.export.markdown import NOT_APPLICABLE, NOT_FILLED
from canvas_tui.export.readme import splice
from canvas_tui.importing.sources import canvas_toml, import_source
from canvas_tui.model import Canvas, Status
from canvas_tui.storage import CanvasFile
from canvas_tui.templates import load_template

TEMPLATES = ("mlops-canvas-v1.1", "machine-learning-canvas-v1.1")

# Lines as people write them in a block, Markdown that the export must escape included.
LINE = st.one_of(
    st.sampled_from(
        [
            "# a heading typed in a block",
            "Setext",
            "===",
            "---",
            "- a list item",
            "> a quote",
            "```",
            "<script>x</script>",
            "<!-- a comment",
            "| a | b |",
            "**bold** and _it_",
            "### Background · ● done",
            "",
            "   ",
        ]
    ),
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\\\r"), max_size=30),
)
TEXT = st.lists(LINE, max_size=6).map("\n".join)
FIELD = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\r"), max_size=20)


@st.composite
def canvases(draw: st.DrawFn) -> Canvas:
    template = load_template(draw(st.sampled_from(TEMPLATES)))
    canvas = Canvas(template)
    canvas.set_field("product", draw(FIELD))
    canvas.set_field("designed_by", draw(FIELD))
    canvas.set_field("date", draw(st.sampled_from(["", "2026-11-26", "next week"])))
    canvas.set_field("iteration", draw(st.integers(1, 99)))
    for spec in template.blocks:
        text = draw(TEXT)
        assume(text.strip() not in (NOT_FILLED, NOT_APPLICABLE))
        canvas.set_text(spec.id, text)
        canvas.set_status(spec.id, draw(st.sampled_from(list(Status))))
        canvas.set_answered(spec.id, draw(st.sets(st.integers(1, len(spec.questions)))))
    return canvas


def values(canvas: Canvas) -> dict[str, Any]:
    return {
        "template": canvas.template.id,
        "fields": canvas.fields,
        "blocks": {b.id: (b.text, b.status, b.answered) for b in canvas.blocks.values()},
    }


def export_and_import(tmp: Path, canvas: Canvas, format_id: str, name: str = "export") -> Canvas:
    document = CanvasFile.create(tmp / "canvas.toml", canvas.template.id)
    document.canvas = canvas
    path = tmp / f"{name}.{format_id}"
    path.write_text(render(document, format_id), encoding="utf-8")
    imported = import_source(path)
    canvas_toml(imported, tmp / "imported.canvas.toml")  # the canvas file reads back as imported (it checks)
    return imported.canvas


SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(canvas=canvases())
def test_markdown_export_imports_back_as_the_same_canvas(tmp_path: Path, canvas: Canvas) -> None:
    assert values(export_and_import(tmp_path, canvas, "md")) == values(canvas)


@SETTINGS
@given(canvas=canvases())
def test_json_export_imports_back_as_the_same_canvas(tmp_path: Path, canvas: Canvas) -> None:
    assert values(export_and_import(tmp_path, canvas, "json")) == values(canvas)


@SETTINGS
@given(canvas=canvases())
def test_html_export_imports_back_as_the_same_canvas(tmp_path: Path, canvas: Canvas) -> None:
    # The page shows a block of only blank lines as "not filled in": that much it cannot give back.
    for block in canvas.blocks.values():
        assume(block.text == "" or block.text.strip())
    assert values(export_and_import(tmp_path, canvas, "html")) == values(canvas)


def test_the_example_comes_back_from_every_text_export(tmp_path: Path) -> None:
    example = CanvasFile.load(EXAMPLE).canvas
    example.set_answered("objectives", [2, 4])
    for format_id in ("md", "json", "html"):
        assert values(export_and_import(tmp_path, example, format_id)) == values(example), format_id


def test_a_readme_section_made_by_export_into_imports_back(tmp_path: Path) -> None:
    from canvas_tui.export.markdown import render_markdown

    example = CanvasFile.load(EXAMPLE).canvas
    readme = tmp_path / "README.md"
    before = b"# Our project\r\n\r\nIntro with <!-- a comment --> and # hashes.\r\n"
    readme.write_bytes(splice(readme, before, render_markdown(example, heading_level=2)) + b"## After\r\n")
    result = import_source(readme)
    assert values(result.canvas) == values(example)
    assert result.left_out == []


def test_an_unknown_status_comes_back_through_json_into_the_file(tmp_path: Path) -> None:
    source = tmp_path / "team.canvas.toml"
    source.write_text(
        EXAMPLE.read_text(encoding="utf-8").replace('status = "done"', 'status = "reviewed"', 1),
        encoding="utf-8",
    )
    document = CanvasFile.load(source)
    (tmp_path / "team.json").write_text(render(document, "json"), encoding="utf-8")
    result = import_source(tmp_path / "team.json")
    out = tmp_path / "back.canvas.toml"
    out.write_text(canvas_toml(result, out), encoding="utf-8")
    back = CanvasFile.load(out)
    assert back.canvas.blocks["background"].unknown_status == '"reviewed"'
    assert back.canvas.state() == document.canvas.state()
