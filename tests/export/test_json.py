"""JSON export: everything in the file plus derived progress, keys in a fixed order."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.export.conftest import check_golden

from canvas_tui.cli import main
from canvas_tui.export.json_export import SCHEMA_VERSION, export_data, render_json, status_data
from canvas_tui.storage import CanvasFile

TOP_KEYS = [
    "schema_version",
    "file",
    "template",
    "template_title",
    "attribution",
    "canvas",
    "progress",
    "coverage",
    "columns",
    "next",
    "warnings",
    "extra",
]
BLOCK_KEYS = [
    "id",
    "title",
    "status",
    "resolved",
    "words",
    "answered",
    "questions",
    "unknown_status",
    "row",
    "row_span",
    "fits_print",
    "text",
]


def test_example_matches_golden(example_document: CanvasFile) -> None:
    check_golden("churn-early-warning.json", render_json(example_document))


def test_keys_in_the_documented_order(example_document: CanvasFile) -> None:
    data = json.loads(render_json(example_document))
    assert list(data) == TOP_KEYS
    assert data["schema_version"] == SCHEMA_VERSION
    assert list(data["columns"][0]) == ["id", "title", "resolved", "total", "counts", "blocks"]
    assert list(data["columns"][0]["blocks"][0]) == BLOCK_KEYS
    assert list(data["progress"]["counts"]) == ["todo", "draft", "done", "skip"]


def test_is_a_superset_of_status_json(example_document: CanvasFile) -> None:
    """Scripts written against `status --json` keep working on the export."""
    status = status_data(example_document)
    data = export_data(example_document)
    for key, value in status.items():
        if key == "columns":
            continue
        assert data[key] == value, key
    for column, status_column in zip(data["columns"], status["columns"], strict=True):
        for key, value in status_column.items():
            if key != "blocks":
                assert column[key] == value
        for block, status_block in zip(column["blocks"], status_column["blocks"], strict=True):
            assert {key: block[key] for key in status_block} == status_block


def test_carries_every_text_and_field(example_document: CanvasFile) -> None:
    data = export_data(example_document)
    canvas = example_document.canvas
    texts = {block["id"]: block["text"] for column in data["columns"] for block in column["blocks"]}
    assert texts == {block_id: block.text for block_id, block in canvas.blocks.items()}
    assert data["canvas"] == {
        "product": "Churn early warning",
        "designed_by": "Growth data team",
        "date": "2026-11-26",
        "iteration": 3,
    }
    assert data["progress"] == {
        "resolved": 8,
        "total": 15,
        "counts": {"todo": 1, "draft": 6, "done": 8, "skip": 0},
    }
    assert data["attribution"] == canvas.template.attribution
    assert data["extra"] == {}


def test_what_canvas_tui_does_not_use_is_kept_in_extra(tmp_path: Path) -> None:
    path = tmp_path / "canvas.toml"
    path.write_text(
        """[canvas]
template = "mlops-canvas-v1.1"
product = "P"
owner = "someone"
reviewed = 2026-01-02

[blocks.background]
status = "almost"
text = "Hi"
link = "https://example.com"

[blocks.not_a_block]
text = "kept"

[links]
board = "https://example.com/board"
when = 1979-05-27T07:32:00Z
""",
        encoding="utf-8",
    )
    document = CanvasFile.load(path)
    data = export_data(document)
    assert data["extra"] == {
        "canvas": {"owner": "someone", "reviewed": "2026-01-02"},
        "blocks": {"background": {"link": "https://example.com"}, "not_a_block": {"text": "kept"}},
        "links": {"board": "https://example.com/board", "when": "1979-05-27T07:32:00+00:00"},
    }
    background = data["columns"][0]["blocks"][0]
    assert background["unknown_status"] == '"almost"'
    assert background["status"] == "draft"
    assert len(data["warnings"]) == 2
    json.loads(render_json(document))  # and all of it is valid JSON


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_any_block_text_survives_exactly(text: str) -> None:
    document = CanvasFile.create(Path("canvas.toml"))
    document.canvas.blocks["lifetime"].text = text
    data = json.loads(render_json(document))
    lifetime = next(
        block for column in data["columns"] for block in column["blocks"] if block["id"] == "lifetime"
    )
    assert lifetime["text"] == text


def test_status_json_matches_its_golden_file(
    example_document: CanvasFile, capsys: pytest.CaptureFixture[str]
) -> None:
    """First written by the hand-built report that status_data replaced; since then only the
    question coverage (`coverage`, and `answered` / `questions` per block) was added."""
    assert main(["status", str(example_document.path), "--json"]) == 0
    check_golden("churn-early-warning.status.json", capsys.readouterr().out)
