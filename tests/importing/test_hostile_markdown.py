"""Imported files come from strangers: every bound gives exit 2 and one line within seconds, or a
bounded parse; nothing in the file reaches the terminal raw."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from canvas_tui.cli import main
from canvas_tui.importing.markdown import MAX_HEADINGS, MAX_LINES
from canvas_tui.importing.sources import MAX_SOURCE_BYTES, import_source

SECONDS = 5.0


def refused(capsys: pytest.CaptureFixture[str], source: Path | str, message: str) -> None:
    started = time.monotonic()
    assert main(["import", str(source), "-o", "-"]) == 2
    assert time.monotonic() - started < SECONDS
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and captured.err.startswith("canvas-tui: error: "), captured.err[
        :300
    ]
    assert message in captured.err


def test_a_million_headings_are_refused_before_parsing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "headings.md"
    source.write_bytes(b"#\n" * 1_000_000)  # 2 MB: under the size cap, so the heading count decides
    refused(
        capsys, source, f"has 1,000,000 headings; a Markdown canvas has a few dozen (at most {MAX_HEADINGS:,}"
    )


def test_a_huge_file_is_refused_by_its_size(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "huge.md"
    with source.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)
    refused(capsys, source, f"larger than {MAX_SOURCE_BYTES // (1024 * 1024)} MiB")


def test_too_many_lines_are_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "lines.md"
    source.write_text("## Background\n\n" + "a\n\n" * (MAX_LINES + 1), encoding="utf-8")
    refused(capsys, source, f"lines of text; a Markdown canvas has a few hundred (at most {MAX_LINES:,}")


def test_deeply_nested_quotes_and_lists_parse_in_bounded_time(tmp_path: Path) -> None:
    quotes = "> " * 100_000 + "deep\n"
    lists = "".join("  " * level + "- item\n" for level in range(800))
    source = tmp_path / "nested.md"
    source.write_text(f"## Background\n\n{quotes}\n## Features\n\n{lists}", encoding="utf-8")
    started = time.monotonic()
    result = import_source(source, "machine-learning-canvas-v1.1")
    assert time.monotonic() - started < SECONDS
    # Kept verbatim, however deep: the text is the user's, the depth only the parser's problem.
    assert result.canvas.blocks["features"].text == lists.rstrip("\n")
    assert result.canvas.template.block_ids  # the canvas is whole


@pytest.mark.parametrize("name", ["fifo", "device", "folder"])
def test_what_is_not_a_regular_file_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    if name == "fifo":
        source: Path | str = tmp_path / "pipe.md"
        os.mkfifo(source)
        message = "is a named pipe (FIFO), not a file"
    elif name == "device":
        source, message = "/dev/zero", "is a device, not a file"
    else:
        source, message = tmp_path, "is a folder"
    refused(capsys, source, message)


def test_text_from_the_file_is_pictured_in_the_report_and_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "evil\x1b[2J.md"
    source.write_bytes(
        b"## Background\n\nok\n\n## \x1b[31mred\xc2\x9b\n\nx\n\n**Product**: \x1b]0;title\x07\n"
    )
    assert main(["import", str(source), "-o", "-"]) == 0
    captured = capsys.readouterr()
    assert "\x1b" not in captured.err and "\x9b" not in captured.err and "\x07" not in captured.err
    assert "evil␛[2J.md" in captured.err and "␛[31mred\\x9b" in captured.err
