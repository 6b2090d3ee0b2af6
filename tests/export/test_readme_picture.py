"""The README opens with docs/canvas.svg, the example's canvas screen drawn by canvas-tui itself.

The picture is drawn again here exactly as `make readme-picture` draws it (the `export --format svg`
command, on a copy of the example outside git, without NO_COLOR), and the test fails while the
committed file differs: a change to the example, the canvas screen, a theme or Textual makes it stale.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from canvas_tui.cli import main

ROOT = Path(__file__).resolve().parents[2]
PICTURE = ROOT / "docs" / "canvas.svg"


def first_difference(drawn: str, committed: str) -> str:
    for number, (new, old) in enumerate(zip(drawn.splitlines(), committed.splitlines(), strict=False), 1):
        if new != old:
            return f"line {number}: committed {old[:80]!r}, drawn now {new[:80]!r}"
    return f"drawn now {len(drawn.splitlines())} lines, committed {len(committed.splitlines())}"


def test_the_readme_opens_with_the_picture() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert readme.splitlines()[2] == "![canvas-tui: the canvas screen](docs/canvas.svg)"


def test_the_readme_picture_is_the_canvas_screen_as_drawn_now(
    example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `example` is a copy in tmp_path: outside git, so no card marks a difference from HEAD.
    monkeypatch.delenv("NO_COLOR", raising=False)
    drawn_path = tmp_path / "canvas.svg"
    assert main(["export", str(example), "--format", "svg", "-o", str(drawn_path)]) == 0
    drawn = drawn_path.read_text(encoding="utf-8")
    committed = PICTURE.read_text(encoding="utf-8") if PICTURE.exists() else ""
    up_to_date = drawn == committed  # not in the assert: pytest would print both 230 KB pictures
    assert up_to_date, (
        f"docs/canvas.svg (the README's picture) is stale ({first_difference(drawn, committed)}); "
        "run `make readme-picture` and commit the new picture"
    )
