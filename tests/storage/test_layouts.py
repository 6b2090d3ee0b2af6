"""Hand-written layouts: a save either reads back exactly or is refused, never half right."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from canvas_tui.storage import CanvasFile, CanvasFileError


def test_dotted_key_blocks_get_a_missing_block_without_capturing_others(tmp_path: Path) -> None:
    path = tmp_path / "dotted.toml"
    path.write_text('[blocks]\nbackground.text = "a"\nobjectives.text = "c"\n', encoding="utf-8")
    document = CanvasFile.load(path)
    document.canvas.set_text("value_proposition", "b")
    document.save()
    blocks = tomllib.loads(path.read_text(encoding="utf-8"))["blocks"]
    assert blocks["background"]["text"] == "a"
    assert blocks["objectives"]["text"] == "c"
    assert blocks["value_proposition"]["text"] == "b"


def test_inline_table_blocks_are_refused_with_a_message_and_left_as_they_are(tmp_path: Path) -> None:
    path = tmp_path / "inline.toml"
    original = 'blocks = { background = { text = "a" } }\n'
    path.write_text(original, encoding="utf-8")
    document = CanvasFile.load(path)
    assert document.canvas.blocks["background"].text == "a"
    document.canvas.set_text("background", "changed")
    with pytest.raises(CanvasFileError, match="not saved"):
        document.save()
    assert path.read_text(encoding="utf-8") == original


def test_a_date_time_header_is_not_rewritten_when_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "dt.toml"
    original = "[canvas]\ndate = 2026-11-26T10:30:00\n"
    path.write_text(original, encoding="utf-8")
    document = CanvasFile.load(path)
    document.canvas.set_text("background", "x")
    document.save()
    assert "date = 2026-11-26T10:30:00\n" in path.read_text(encoding="utf-8")


def test_the_signature_is_of_the_file_written(tmp_path: Path) -> None:
    path = tmp_path / "canvas.toml"
    document = CanvasFile.create(path)
    document.save()
    assert document.signature is not None
    assert document.disk_signature() == document.signature
