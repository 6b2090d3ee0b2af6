"""`canvas-tui import`: where the canvas goes, what is never overwritten, the report, one-line errors."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from canvas_tui.cli import COMMANDS_HELP, main
from canvas_tui.storage import CanvasFile

DATA = Path(__file__).parent / "data"
CANVAS_TUI = Path(sys.executable).parent / "canvas-tui"


@pytest.fixture
def dorard(tmp_path: Path) -> Path:
    return Path(shutil.copy(DATA / "dorard-pt.md", tmp_path / "ml_canvas.md"))


def one_line_error(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("canvas-tui: error: "), err
    return err


def test_listed_in_the_help() -> None:
    assert "canvas-tui import SOURCE [-o OUT] [--template ID] [--force]" in COMMANDS_HELP


def test_writes_a_canvas_beside_the_source_and_reports_every_section(
    dorard: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(dorard)]) == 0
    out = dorard.with_name("ml_canvas.canvas.toml")  # a name the hooks and `git setup` match
    document = CanvasFile.load(out)
    assert document.canvas.template.id == "machine-learning-canvas-v1.1"
    assert document.canvas.blocks["monitoring"].text == "Taxa de evasão."
    captured = capsys.readouterr()
    assert captured.out == ""
    report = captured.err.splitlines()
    assert (
        report[0] == f"Imported {dorard} into {out} (Machine Learning Canvas (v1.1), "
        "template machine-learning-canvas-v1.1)"
    )
    assert '  heading "4. Decisões (Decisions)" (line 26) -> block Decisions' in report
    assert "Left out:" in report
    assert (
        '  heading "Referências" (line 42): names no block; '
        'kept in the file\'s [imported] table as "Referências"' in report
    )


def test_a_source_called_canvas_becomes_canvas_toml(tmp_path: Path) -> None:
    source = Path(shutil.copy(DATA / "made-with-ml.md", tmp_path / "canvas.md"))
    assert main(["import", str(source)]) == 0
    assert CanvasFile.load(tmp_path / "canvas.toml").canvas.fields["product"] == "Tagifai"


def test_an_existing_file_is_replaced_only_with_force(
    dorard: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = dorard.with_name("mine.toml")
    out.write_text("# my notes\n", encoding="utf-8")
    assert main(["import", str(dorard), "-o", str(out)]) == 2
    assert "exists; not replacing it (use --force" in one_line_error(capsys)
    assert out.read_text(encoding="utf-8") == "# my notes\n"
    assert main(["import", str(dorard), "-o", str(out), "--force"]) == 0
    assert tomllib.loads(out.read_text(encoding="utf-8"))["canvas"]["product"] == "Previsão de Evasão"


def test_dash_writes_the_canvas_to_stdout(dorard: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(dorard), "-o", "-", "--template", "mlops-canvas-v1.1"]) == 0
    captured = capsys.readouterr()
    data = tomllib.loads(captured.out)
    assert data["canvas"]["template"] == "mlops-canvas-v1.1"
    assert "3. Tarefa de Previsão (ML Task)" in data["imported"]
    assert captured.err.startswith(f"Imported {dorard} into stdout")
    assert list(dorard.parent.iterdir()) == [dorard]  # nothing written beside it


def test_the_default_name_is_not_written_through_a_link(
    dorard: Path, bashrc: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = bashrc.read_bytes()
    dorard.with_name("ml_canvas.canvas.toml").symlink_to(bashrc)
    assert main(["import", str(dorard), "--force"]) == 2
    assert "symbolic link" in one_line_error(capsys)
    assert bashrc.read_bytes() == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"# Background\n\xff\xfe\n", ":2:1: not UTF-8 text (byte 0xff)"),
        (b'{"schema_version": 1, "columns": [', ":1:35: not valid JSON"),
        (b'{"name": "a package.json"}', "JSON, but not a canvas-tui export"),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "an HTML page that canvas-tui did not export"),
        (b"# My project\n\n## Install\n\npip install it\n", "no heading or bold label names a block of the"),
        (b'{"a": ' + b"[" * 100_000 + b"]" * 100_000 + b"}", "JSON nested too deeply to read"),
    ],
    ids=["not-utf8", "broken-json", "other-json", "other-html", "no-canvas", "deep-json"],
)
def test_what_is_no_canvas_is_one_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    source = tmp_path / "source.md"
    source.write_bytes(content)
    assert main(["import", str(source)]) == 2
    assert message in one_line_error(capsys)
    assert list(tmp_path.iterdir()) == [source]


def test_a_canvas_file_needs_no_import(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(example), "-o", "-"]) == 2
    assert "a canvas file needs no import" in one_line_error(capsys)


def test_an_unknown_template_is_one_line(dorard: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["import", str(dorard), "--template", "nope"]) == 2
    assert "unknown template 'nope'" in one_line_error(capsys)


def test_a_pdf_without_the_pdf_importer_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "canvas_tui.importing.pdf", None)  # a build without it
    source = tmp_path / "canvas.pdf"
    source.write_bytes(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    assert main(["import", str(source)]) == 2
    assert "is a PDF; PDF import is not available" in one_line_error(capsys)


def test_a_pdf_goes_to_the_pdf_importer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Dispatch by content: a file starting with %PDF goes to importing.pdf.import_pdf whatever its name."""
    import types

    from canvas_tui.importing.result import Imported
    from canvas_tui.model import Canvas
    from canvas_tui.templates import load_template

    calls: list[tuple[Path, str | None]] = []

    def import_pdf(path: Path, template_id: str | None) -> Imported:
        calls.append((path, template_id))
        return Imported(Canvas(load_template()), placed=["cell Background -> block Background"])

    module = types.ModuleType("canvas_tui.importing.pdf")
    module.import_pdf = import_pdf  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "canvas_tui.importing.pdf", module)
    source = tmp_path / "last-term.md"  # the name says Markdown; the content says PDF
    source.write_bytes(b"%PDF-1.4\n")
    assert (
        main(["import", str(source), "-o", str(tmp_path / "c.toml"), "--template", "mlops-canvas-v1.1"]) == 0
    )
    assert calls == [(source, "mlops-canvas-v1.1")]


def test_the_installed_command_imports_and_sanitises_its_report(tmp_path: Path) -> None:
    source = tmp_path / "hostile.md"
    source.write_text(
        "## Background\n\nFine.\n\n## \x1b]52;c;aGk=\x07Evil\n\nKept aside.\n", encoding="utf-8"
    )
    result = subprocess.run(
        [str(CANVAS_TUI), "import", str(source)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    assert "\x1b" not in result.stderr and "\x07" not in result.stderr
    assert "␛]52;c;aGk=␇Evil" in result.stderr  # shown, not obeyed
    data = tomllib.loads((tmp_path / "hostile.canvas.toml").read_text(encoding="utf-8"))
    assert data["blocks"]["background"]["text"] == "Fine."
    assert data["imported"] == {"\x1b]52;c;aGk=\x07Evil": "Kept aside."}
    assert os.stat(tmp_path / "hostile.canvas.toml").st_size > 0
