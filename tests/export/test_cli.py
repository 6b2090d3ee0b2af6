"""`canvas-tui export`: formats, where the output goes, and one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from canvas_tui.cli import COMMANDS_HELP, main
from canvas_tui.export.html import render_html
from canvas_tui.export.markdown import render_markdown
from canvas_tui.storage import CanvasFile


def test_listed_in_the_help() -> None:
    assert "canvas-tui export PATH --format md|html|json|svg|pdf [-o OUT | --into FILE]" in COMMANDS_HELP


@pytest.mark.parametrize("format_id", ["md", "html", "json"])
def test_writes_to_stdout_without_output(
    example: Path, capsys: pytest.CaptureFixture[str], format_id: str
) -> None:
    before = example.read_bytes()
    assert main(["export", str(example), "--format", format_id]) == 0
    out = capsys.readouterr().out
    document = CanvasFile.load(example)
    if format_id == "md":
        assert out == render_markdown(document.canvas)
    elif format_id == "html":
        assert out == render_html(document.canvas)
    else:
        assert json.loads(out)["file"] == str(example)
    assert example.read_bytes() == before  # exporting never touches the canvas


def test_writes_the_file_given_with_o(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "canvas.html"
    assert main(["export", str(example), "--format", "html", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert f"Wrote {out}" in capsys.readouterr().out


def test_format_comes_from_the_output_suffix(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "README-canvas.md"
    assert main(["export", str(example), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Churn early warning\n")  # Markdown, by the suffix


def test_overwrites_an_earlier_export(example: Path, tmp_path: Path) -> None:
    out = tmp_path / "canvas.json"
    out.write_text("old", encoding="utf-8")
    assert main(["export", str(example), "-f", "json", "-o", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["template"] == "mlops-canvas-v1.1"


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("canvas-tui: error: "), err
    return err


def test_needs_a_format(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(example)]) == 2
    assert "--format md|html|json|svg" in one_line_error(capsys)
    assert main(["export", str(example), "-o", str(example.with_suffix(".txt"))]) == 2
    one_line_error(capsys)


def test_never_writes_over_the_canvas(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = example.read_bytes()
    assert main(["export", str(example), "--format", "md", "-o", str(example)]) == 2
    assert "canvas file itself" in one_line_error(capsys)
    assert example.read_bytes() == before


def test_missing_canvas_and_missing_folder(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.toml"
    assert main(["export", str(missing), "--format", "md"]) == 2
    assert str(missing) in one_line_error(capsys)
    target = tmp_path / "no-such-folder" / "canvas.md"
    assert main(["export", str(example), "-o", str(target)]) == 2
    assert "does not exist" in one_line_error(capsys)
    assert main(["export", str(example), "-f", "md", "-o", str(tmp_path)]) == 2
    assert "is a folder" in one_line_error(capsys)


def test_unknown_format_is_an_argument_error(example: Path) -> None:
    with pytest.raises(SystemExit) as raised:
        main(["export", str(example), "--format", "docx"])
    assert raised.value.code == 2


def test_bad_canvas_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[canvas\n", encoding="utf-8")
    assert main(["export", str(bad), "--format", "json"]) == 2
    assert str(bad) in one_line_error(capsys)
    assert bad.read_text(encoding="utf-8") == "[canvas\n"


def test_markdown_export_does_not_load_textual(example: Path) -> None:
    script = (
        "import sys\nfrom canvas_tui.cli import main\n"
        f"assert main(['export', {str(example)!r}, '--format', 'html']) == 0\n"
        "print(sorted(m for m in sys.modules if m.startswith('textual')), file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stderr.strip() == "[]"


def test_svg_is_written_next_to_the_canvas(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(example), "--format", "svg"]) == 0
    svg_path = example.with_suffix(".svg")
    assert f"Wrote {svg_path}" in capsys.readouterr().out
    svg = svg_path.read_text(encoding="utf-8")
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    desc = root.find("{http://www.w3.org/2000/svg}desc")
    assert desc is not None and desc.text is not None
    assert desc.text.startswith("Machine Learning Operations Canvas (v1.1) by Nicki Skafte Detlefsen")
    text = "".join(root.itertext()).replace("\xa0", " ")
    for title in ("Background", "Data Collection", "Explainability", "8/15 resolved"):
        assert title in text, title


def test_svg_to_stdout_with_dash(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(example), "--format", "svg", "-o", "-"]) == 0
    assert capsys.readouterr().out.startswith("<svg")
    assert not example.with_suffix(".svg").exists()
