"""`diff`, `check`, `status` of many canvases and `git textconv`, as scripts run them (no git needed)."""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from tests.cli.test_commands import run

from canvas_tui.model import Status
from canvas_tui.model.compare import line_diff, word_diff
from canvas_tui.storage import CanvasFile


def changed_copy(example: Path, name: str, **texts: str) -> Path:
    document = CanvasFile.load(example)
    for block_id, text in texts.items():
        document.canvas.set_text(block_id, text)
    copy = example.with_name(name)
    copy.write_bytes(example.read_bytes())
    document.path = copy
    document.save()
    return copy


def test_diff_of_the_same_canvas_is_silent_and_exit_0(example: Path) -> None:
    result = run("diff", example, example)
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_diff_lists_only_changed_blocks_with_status_and_plain_lines(example: Path) -> None:
    document = CanvasFile.load(example)
    document.canvas.set_status("model_governance", Status.DONE)
    document.canvas.set_field("iteration", 4)
    document.canvas.set_text("objectives", "Short term: reduce churn.\nLong term: keep it low.")
    new = example.with_name("new.toml")
    document.save_as(new)
    result = run("diff", example, new)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[:3] == [f"--- {example}", f"+++ {new}", "Iteration: 3 -> 4"]
    assert "## Problem / Objectives" in lines
    assert "## Model / Model Governance  [draft -> done]" in lines
    assert "+ Short term: reduce churn." in lines
    assert any(line.startswith("- Short term (first quarter live)") for line in lines)
    assert "Background" not in result.stdout  # unchanged blocks are not listed
    assert "\x1b[" not in result.stdout  # no colour into a pipe


def test_diff_in_colour_marks_words(example: Path) -> None:
    new = changed_copy(example, "new.toml", background="We run a weekly meal-kit subscription.")
    result = run("diff", example, new, "--color", "always")
    assert result.returncode == 1
    assert "\x1b[" in result.stdout
    assert "weekly" in result.stdout


def test_diff_json_gives_the_same_as_data(example: Path) -> None:
    new = changed_copy(example, "new.toml", background="Short.")
    data = json.loads(run("diff", example, new, "--json").stdout)
    assert list(data) == ["old", "new", "same", "template", "fields", "blocks"]
    assert data["same"] is False and data["fields"] == []
    [block] = data["blocks"]
    assert block["id"] == "background" and block["status"] == {"old": "done", "new": "done"}
    assert "".join(piece["text"] for piece in block["text"] if piece["op"] != "delete") == "Short."
    same = run("diff", example, example, "--json")
    assert same.returncode == 0 and json.loads(same.stdout)["same"] is True


def test_diff_errors_are_one_line_and_exit_2(example: Path, tmp_path: Path) -> None:
    for args in (
        (example, tmp_path / "missing.toml"),
        (example, example, example),
    ):
        result = run("diff", *args)
        assert result.returncode == 2
        assert result.stderr.startswith("canvas-tui: error: ") and len(result.stderr.splitlines()) == 1


def test_diff_rev_outside_git_is_an_error(example: Path) -> None:
    result = run("diff", example, cwd=example.parent)
    assert result.returncode == 2
    assert result.stderr.startswith("canvas-tui: error: git")


@given(st.text(max_size=40), st.text(max_size=40))
def test_word_diff_rebuilds_both_texts(old: str, new: str) -> None:
    pieces = word_diff(old, new)
    assert "".join(p.text for p in pieces if p.op != "insert") == old
    assert "".join(p.text for p in pieces if p.op != "delete") == new


def test_line_diff_shows_only_changed_lines() -> None:
    assert line_diff("a\nb\nc\nd", "a\nB\nc\nd") == ["- b", "+ B"]
    assert line_diff("a\nb\nc\nd", "A\nb\nc\nD") == ["- a", "+ A", "  …", "- d", "+ D"]


def test_status_of_many_canvases_gives_a_row_each_and_a_total(example: Path) -> None:
    other = changed_copy(example, "other.toml")
    document = CanvasFile.load(other)
    document.canvas.set_status("background", Status.DRAFT)
    document.save()
    result = run("status", example, other)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert str(example) in out and str(other) in out
    assert out.count("Churn early warning") == 2
    assert "8/15" in out and "7/15" in out  # background is a draft in the other
    assert "Total: 2 canvases" in out and "15/30" in out
    assert run("status", example, other, "--check").returncode == 1


def test_status_of_many_as_json_is_a_list(example: Path) -> None:
    other = changed_copy(example, "other.toml")
    data = json.loads(run("status", example, other, "--json").stdout)
    assert [item["file"] for item in data] == [str(example), str(other)]
    single = json.loads(run("status", example, "--json").stdout)
    assert data[0] == single


def test_status_of_many_reports_the_good_ones_when_one_is_bad(example: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("[canvas\n", encoding="utf-8")
    result = run("status", example, bad, example)
    assert result.returncode == 2
    assert result.stderr.count("canvas-tui: error: ") == 1 and str(bad) in result.stderr
    assert "Total: 2 canvases" in result.stdout
    data = json.loads(run("status", bad, example, "--json").stdout)
    assert len(data) == 1


def test_check_passes_a_valid_canvas_and_fails_invalid_or_conflicted(example: Path, tmp_path: Path) -> None:
    ok = run("check", example)
    assert (ok.returncode, ok.stdout, ok.stderr) == (0, "", "")
    conflicted = changed_copy(example, "c.toml", modelling="<<<<<<< ours\nA\n=======\nB\n>>>>>>> theirs")
    failed = run("check", example, conflicted)
    assert failed.returncode == 1
    assert failed.stderr.startswith(f"{conflicted}:")
    assert "block Modelling holds a merge conflict marker" in failed.stderr
    bad = tmp_path / "bad.toml"
    bad.write_text('[project]\nname = "x"\n', encoding="utf-8")
    invalid = run("check", bad, conflicted)
    assert invalid.returncode == 2
    assert "is not a canvas" in invalid.stderr and "Modelling" in invalid.stderr


def test_a_setext_heading_is_not_a_conflict_marker(example: Path) -> None:
    heading = changed_copy(example, "h.toml", modelling="Plan\n=======\n\n>>>>>>>>> eight is not seven")
    assert run("check", heading).returncode == 0


def test_textconv_prints_block_headings_and_falls_back_to_the_bytes(example: Path, tmp_path: Path) -> None:
    result = run("git", "textconv", example)
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert lines[0] == "# Machine Learning Operations Canvas (v1.1)"
    assert "Product name: Churn early warning" in lines
    assert "## Problem / Background [done]" in lines
    assert "## Model / Model Governance [draft]" in lines
    assert sum(line.startswith("## ") for line in lines) == 15
    broken = tmp_path / "broken.toml"
    broken.write_text("<<<<<<< HEAD\n[canvas]\n", encoding="utf-8")
    fallback = run("git", "textconv", broken)
    assert (fallback.returncode, fallback.stdout) == (0, "<<<<<<< HEAD\n[canvas]\n")


def test_git_without_an_action_shows_usage_and_exit_2() -> None:
    result = run("git")
    assert result.returncode == 2 and "canvas-tui git setup" in result.stdout
    unknown = run("git", "frobnicate")
    assert unknown.returncode == 2 and unknown.stderr.startswith("canvas-tui: error: git frobnicate")
