"""The command line as scripts and people use it: output, exit codes, and files left untouched.

Runs the installed `canvas-tui` in a subprocess (no terminal), the way a CI job or a shell does.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path

import pytest

CANVAS_TUI = Path(sys.executable).parent / "canvas-tui"


def run(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CANVAS_TUI), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "COLUMNS": "120", "HOME": str(cwd or Path.cwd())},
    )


def test_status_prints_a_table_per_column_and_overall_progress(example: Path) -> None:
    result = run("status", example)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in (
        "Problem 3/3",
        "Data Verification and Governance",
        "◐ draft",
        "○ todo",
        "8/15 resolved",
        "Next: Model Governance",
    ):
        assert expected in out
    assert result.stderr == ""


def test_status_json_follows_the_documented_schema(example: Path) -> None:
    result = run("status", example, "--json")
    assert result.returncode == 0
    data = json.loads(result.stdout)
    assert list(data) == ["file", "template", "canvas", "progress", "coverage", "columns", "next", "warnings"]
    assert data["coverage"] == {"answered": 0, "total": 75}
    assert data["progress"] == {
        "resolved": 8,
        "total": 15,
        "counts": {"todo": 1, "draft": 6, "done": 8, "skip": 0},
    }
    assert [c["id"] for c in data["columns"]] == [
        "problem",
        "data",
        "model",
        "operations",
        "monitoring",
        "risk",
    ]
    first = data["columns"][0]["blocks"][0]
    assert list(first) == ["id", "title", "status", "resolved", "words", "answered", "questions"]
    assert (first["answered"], first["questions"]) == ([], 5)
    assert data["next"] == "model_governance"
    assert data["canvas"]["iteration"] == 3


def test_status_check_exits_1_while_anything_is_unresolved(example: Path, tmp_path: Path) -> None:
    assert run("status", example, "--check").returncode == 1
    done = tmp_path / "done.toml"
    text = example.read_text(encoding="utf-8")
    for status in ('"draft"', '"todo"'):
        text = text.replace(f"status = {status}", 'status = "done"')
    done.write_text(text, encoding="utf-8")
    assert run("status", done, "--check").returncode == 0
    assert run("status", done, "--check", "--json").returncode == 0


def test_new_writes_a_canvas_and_refuses_to_overwrite(tmp_path: Path) -> None:
    path = tmp_path / "fresh.toml"
    result = run("new", path, "--product", "Fraud alerts")
    assert result.returncode == 0, result.stderr
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert data["canvas"]["product"] == "Fraud alerts"
    assert len(data["blocks"]) == 15
    before = path.read_bytes()
    again = run("new", path)
    assert again.returncode == 2
    assert "already exists" in again.stderr
    assert path.read_bytes() == before


def test_new_with_an_unknown_template_is_an_error(tmp_path: Path) -> None:
    result = run("new", tmp_path / "x.toml", "--template", "nope")
    assert result.returncode == 2
    assert "unknown template 'nope'" in result.stderr
    assert not (tmp_path / "x.toml").exists()


def test_templates_lists_the_mlops_canvas() -> None:
    result = run("templates")
    assert result.returncode == 0
    assert result.stdout.startswith("mlops-canvas-v1.1\tMachine Learning Operations Canvas (v1.1)")


def test_help_lists_the_commands() -> None:
    result = run("--help")
    assert result.returncode == 0
    for command in ("new PATH", "status PATH", "templates", "demo"):
        assert command in result.stdout


BAD_INPUTS = {
    "malformed.toml": "malformed.toml:3:",
    "not_utf8.toml": "is not UTF-8 text",
    "folder.toml": "is a folder",
    "unknown_template.toml": "unknown template",
    "text_not_string.toml": "text must be a string",
    "iteration_not_integer.toml": "iteration must be an integer",
}


@pytest.mark.parametrize("command", ["status", "open"])
@pytest.mark.parametrize(("name", "message"), sorted(BAD_INPUTS.items()))
def test_each_bad_input_is_one_line_exit_2_and_the_file_untouched(
    fixture_copy: Callable[[str], Path], command: str, name: str, message: str
) -> None:
    path = fixture_copy(f"bad/{name}")
    before = path.read_bytes() if path.is_file() else None
    args = ("status", path) if command == "status" else (path,)
    result = run(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("canvas-tui: error: ")
    assert message in lines[0]
    assert "Traceback" not in result.stderr
    if before is not None:
        assert path.read_bytes() == before


def test_status_of_a_missing_file_is_an_error(tmp_path: Path) -> None:
    result = run("status", tmp_path / "nope.toml")
    assert result.returncode == 2
    assert result.stderr.strip() == f"canvas-tui: error: {tmp_path / 'nope.toml'}: no such file"


def test_unknown_status_is_a_warning_not_an_error(fixture_copy: Callable[[str], Path]) -> None:
    path = fixture_copy("good/unknown_status.toml")
    result = run("status", path, "--json")
    assert result.returncode == 0
    assert "warning" in result.stderr
    assert json.loads(result.stdout)["warnings"]


def test_python_dash_m_runs_the_same_command(example: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "canvas_tui", "status", example, "--check"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "8/15 resolved" in result.stdout
