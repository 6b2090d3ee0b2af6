"""Warnings that are not fatal name what to fix."""

from __future__ import annotations

from pathlib import Path

from canvas_tui.storage import CanvasFile


def test_misspelled_block_is_kept_and_the_warning_suggests_the_right_id(tmp_path: Path) -> None:
    path = tmp_path / "canvas.toml"
    path.write_text('[blocks.modeling]\ntext = "typo"\n', encoding="utf-8")
    document = CanvasFile.load(path)
    assert document.unknown_blocks == ["modeling"]
    assert "modeling (did you mean modelling?)" in document.warnings[0]
    document.save()
    assert '[blocks.modeling]\ntext = "typo"' in path.read_text(encoding="utf-8")
