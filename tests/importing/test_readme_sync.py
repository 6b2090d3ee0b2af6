"""`export --into README.md` and `check --readme`: the README's canvas section, and nothing else,
follows the canvas; the pre-commit hook fails while it does not."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from canvas_tui.cli import main
from canvas_tui.export.markdown import render_markdown
from canvas_tui.export.readme import BEGIN, END
from canvas_tui.storage import CanvasFile

BEFORE = b"# Churn radar\r\n\r\nIntro: <!-- a comment --> and trailing spaces   \r\n\r\n## Canvas\r\n\r\n"
AFTER = b"\r\n\r\n## License\r\n\r\nMIT, no newline at the end"


@pytest.fixture
def canvas(tmp_path: Path, example: Path) -> Path:
    return Path(shutil.copy(example, tmp_path / "canvas.toml"))


def section_of(data: bytes) -> bytes:
    return data[data.index(BEGIN) + len(BEGIN) : data.index(END)]


def test_into_replaces_only_the_marked_section(canvas: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = canvas.with_name("README.md")
    readme.write_bytes(BEFORE + BEGIN + b"\r\nstale text\r\n" + END + AFTER)
    assert main(["export", str(canvas), "--format", "md", "--into", str(readme), "--heading-level", "3"]) == 0
    data = readme.read_bytes()
    assert data.startswith(BEFORE + BEGIN) and data.endswith(END + AFTER)  # byte for byte
    expected = render_markdown(CanvasFile.load(canvas).canvas, heading_level=3)
    assert section_of(data) == ("\n" + expected).replace("\n", "\r\n").encode(
        "utf-8"
    )  # in the file's line ends
    assert capsys.readouterr().out == f"Wrote the canvas section of {readme} (Markdown export of {canvas})\n"


def test_into_appends_a_marked_section_and_creates_a_missing_readme(canvas: Path) -> None:
    readme = canvas.with_name("README.md")
    readme.write_bytes(b"# Project\n\nNo newline at the end")
    assert main(["export", str(canvas), "--into", str(readme)]) == 0
    data = readme.read_bytes()
    assert data.startswith(b"# Project\n\nNo newline at the end\n\n" + BEGIN + b"\n# Churn early warning\n")
    assert data.endswith(END + b"\n")
    fresh = canvas.with_name("NEW.md")
    assert main(["export", str(canvas), "--into", str(fresh)]) == 0
    assert fresh.read_bytes().startswith(BEGIN + b"\n# Churn early warning\n")


def test_into_leaves_an_up_to_date_readme_untouched(canvas: Path, capsys: pytest.CaptureFixture[str]) -> None:
    readme = canvas.with_name("README.md")
    assert main(["export", str(canvas), "--into", str(readme)]) == 0
    os.utime(readme, ns=(1_000_000_000, 1_000_000_000))
    capsys.readouterr()
    assert main(["export", str(canvas), "--into", str(readme)]) == 0
    assert readme.stat().st_mtime_ns == 1_000_000_000
    assert capsys.readouterr().out == f"{readme} is up to date with {canvas}\n"


def test_into_is_atomic(canvas: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = canvas.with_name("README.md")
    original = BEFORE + BEGIN + b"\nold\n" + END + AFTER
    readme.write_bytes(original)

    def interrupted(*_: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", interrupted)
    assert main(["export", str(canvas), "--into", str(readme)]) == 2
    assert readme.read_bytes() == original
    assert not [
        path.name for path in canvas.parent.iterdir() if path.name.startswith(".")
    ]  # no temp file left


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (BEGIN + b"\nno end\n", ":1: has <!-- canvas-tui:begin --> without <!-- canvas-tui:end -->"),
        (
            b"x\n" + END + b"\n" + BEGIN + b"\n",
            ":2: has <!-- canvas-tui:end --> before <!-- canvas-tui:begin -->",
        ),
        (b"x\n" + END + b"\n", ":2: has <!-- canvas-tui:end --> without <!-- canvas-tui:begin -->"),
        (b"\n".join([BEGIN, END, b"text", BEGIN, END]), ":1: has more than one canvas-tui section"),
    ],
)
def test_markers_that_cannot_be_trusted_are_one_line(
    canvas: Path, capsys: pytest.CaptureFixture[str], content: bytes, problem: str
) -> None:
    readme = canvas.with_name("README.md")
    readme.write_bytes(content)
    assert main(["export", str(canvas), "--into", str(readme)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and problem in err, err
    assert readme.read_bytes() == content


def test_into_takes_only_markdown(canvas: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(canvas), "--format", "html", "--into", "README.md"]) == 2
    assert "--into writes Markdown" in capsys.readouterr().err


def test_check_readme_fails_while_the_section_is_stale(
    canvas: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = canvas.with_name("README.md")
    readme.write_bytes(BEFORE + AFTER)
    assert main(["check", str(canvas), "--readme", str(readme)]) == 1  # no section yet
    assert main(["export", str(canvas), "--into", str(readme), "--heading-level", "2"]) == 0
    capsys.readouterr()
    assert main(["check", str(canvas), "--readme", str(readme)]) == 0  # the level is read from the section
    assert capsys.readouterr().err == ""
    document = CanvasFile.load(canvas)
    document.canvas.set_text("lifetime", "Retire the model when agents stop using the list.")
    document.save()
    assert main(["check", str(canvas), "--readme", str(readme)]) == 1
    err = capsys.readouterr().err
    assert err == (
        f"{readme}: its canvas section is not up to date with {canvas}; run "
        f"`canvas-tui export {canvas} --format md --into {readme} --heading-level 2` and commit the result\n"
    )


def test_check_readme_of_a_missing_readme_is_an_error(
    canvas: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", str(canvas), "--readme", str(canvas.with_name("nope.md"))]) == 2
    assert "nope.md: no such file" in capsys.readouterr().err


def test_the_pre_commit_hook_runs_check_readme(canvas: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    yaml = pytest.importorskip("yaml")
    root = Path(__file__).parents[2]
    hooks = {hook["id"]: hook for hook in yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text())}
    hook = hooks["canvas-tui-readme"]
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    command = str(hook["entry"]).split()[1:] + list(hook["args"])
    assert command == ["check", "canvas.toml", "--readme", "README.md"]
    monkeypatch.chdir(canvas.parent)
    assert main(command) == 2  # no README yet
    assert main(["export", "canvas.toml", "--into", "README.md"]) == 0
    assert main(command) == 0
    canvas.write_text(canvas.read_text(encoding="utf-8").replace("Churn early warning", "Churn radar"))
    assert main(command) == 1


def test_a_marker_mentioned_in_the_text_is_no_section(
    canvas: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    readme = canvas.with_name("README.md")
    text = b"# Docs\n\nPut `<!-- canvas-tui:begin -->` and `<!-- canvas-tui:end -->` around it.\n"
    readme.write_bytes(text)
    assert main(["check", str(canvas), "--readme", str(readme)]) == 1
    assert capsys.readouterr().err.startswith(f"{readme}: has no canvas section yet; run `canvas-tui export")
    assert main(["export", str(canvas), "--into", str(readme)]) == 0
    data = readme.read_bytes()
    assert data.startswith(text + b"\n" + BEGIN + b"\n")  # appended; the mention is left as it was
    assert main(["check", str(canvas), "--readme", str(readme)]) == 0
