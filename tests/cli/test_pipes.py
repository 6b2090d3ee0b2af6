"""The command line at the end of a pipe: a reader that stops early (`| head -1`), and output
that no terminal will wrap."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import tomlkit

CANVAS_TUI = Path(sys.executable).parent / "canvas-tui"
ENV = {**os.environ, "COLUMNS": "80"}  # as a user runs it; rich takes 80 without a terminal anyway
ENV.pop("NO_COLOR", None)


@pytest.mark.parametrize(
    "command",
    [
        ["status", "{canvas}", "--json"],
        ["status", "{canvas}"],
        ["export", "{canvas}", "--format", "md"],
        ["export", "{canvas}", "--format", "json"],
        ["templates"],
        ["themes"],
    ],
    ids=lambda command: " ".join(command).replace("{canvas}", "c.toml"),
)
def test_a_reader_that_goes_away_ends_the_command_quietly(example: Path, command: list[str]) -> None:
    """`canvas-tui status c.toml --json | head -1`: no BrokenPipeError traceback, exit 141 (as
    a process ended by SIGPIPE reports) or 0."""
    argv = [str(CANVAS_TUI), *(part.replace("{canvas}", str(example)) for part in command)]
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the first write: every write fails
    try:
        result = subprocess.run(argv, stdout=write_end, stderr=subprocess.PIPE, env=ENV, timeout=60)
    finally:
        os.close(write_end)
    stderr, code = result.stderr.decode(), result.returncode
    assert "Traceback" not in stderr and "BrokenPipeError" not in stderr, stderr
    assert stderr == "", stderr
    assert code in (0, 141)


def test_status_json_piped_into_head(example: Path) -> None:
    """The exact line from the issue, through a shell."""
    result = subprocess.run(
        f"'{CANVAS_TUI}' status '{example}' --json | head -1",
        shell=True,
        capture_output=True,
        text=True,
        timeout=60,
        env=ENV,
    )
    assert result.stdout == "{\n"
    assert result.stderr == ""


def test_piped_status_never_breaks_a_header_field(example: Path) -> None:
    document = tomlkit.parse(example.read_text(encoding="utf-8"))
    document["canvas"]["product"] = "Churn early warning for the subscription business"
    document["canvas"]["designed_by"] = "Growth data team with Customer Success"
    example.write_text(tomlkit.dumps(document), encoding="utf-8")
    result = subprocess.run(
        [str(CANVAS_TUI), "status", str(example)], capture_output=True, text=True, timeout=60, env=ENV
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    for field in (
        "Product name: Churn early warning for the subscription business",
        "Designed by: Growth data team with Customer Success",
        "Date: 2026-11-26",
        "Iteration: 3",
    ):
        assert any(field in line for line in lines), f"{field!r} not on one line:\n{result.stdout}"


def test_in_a_terminal_the_header_fields_share_lines_but_are_never_broken() -> None:
    from canvas_tui.cli.canvas import _header_lines

    fields = ["Product name: Churn early warning", "Designed by: Growth", "Date: 2026-11-26"]
    assert _header_lines(fields, 120) == ["  ".join(fields)]
    assert _header_lines(fields, 60) == ["Product name: Churn early warning  Designed by: Growth", fields[2]]
    assert _header_lines(fields, 20) == fields  # one a line; a field longer than the width stays whole
    assert _header_lines(fields, None) == fields  # no terminal: one a line
