"""Files canvas-tui cannot use: one clear line naming the file, and the file left untouched."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from canvas_tui.storage import CanvasFile, CanvasFileError, reading


def file_bytes(path: Path) -> dict[str, bytes]:
    """The bytes of a file, or of every file in a folder, to check nothing was written."""
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return {path.name: path.read_bytes()}


def load_error(path: Path) -> CanvasFileError:
    before = file_bytes(path)
    with pytest.raises(CanvasFileError) as caught:
        CanvasFile.load(path)
    assert file_bytes(path) == before
    message = str(caught.value)
    assert "\n" not in message and "\r" not in message, message
    assert message.startswith(f"{path}:"), message
    return caught.value


@pytest.mark.parametrize(
    ("fixture", "line", "column", "pattern"),
    [
        ("bad/malformed.toml", 3, 11, r"invalid TOML: .+"),
        ("bad/not_utf8.toml", 3, 15, r"is not UTF-8 text \(byte 0xe9\)"),
        ("bad/folder.toml", None, None, r"is a folder, not a canvas file"),
        ("bad/unknown_template.toml", 2, None, r"unknown template 'business-model-canvas'.*"),
        ("bad/template_with_newline.toml", 2, None, r"unknown template 'two\\nlines'.*"),
        ("bad/text_not_string.toml", 6, None, r"\[blocks\.background\] text must be a string, .*"),
        ("bad/iteration_not_integer.toml", 3, None, r"\[canvas\] iteration must be an integer, .*"),
        ("bad/iteration_negative.toml", 3, None, r"\[canvas\] iteration must be 1 or more, not -5"),
        ("bad/iteration_zero.toml", 4, None, r"\[canvas\] iteration must be 1 or more, not 0"),
    ],
)
def test_bad_file_is_one_line_naming_file_and_place(
    fixture_copy: Callable[[str], Path],
    fixture: str,
    line: int | None,
    column: int | None,
    pattern: str,
) -> None:
    path = fixture_copy(fixture)
    error = load_error(path)
    assert (error.line, error.column) == (line, column)
    where = "".join(f":{n}" for n in (line, column) if n is not None)
    assert re.fullmatch(re.escape(f"{path}{where}: ") + pattern, str(error)), str(error)


def test_missing_file_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    with pytest.raises(CanvasFileError, match=r": no such file$"):
        CanvasFile.load(path)
    assert not path.exists()


def test_unreadable_file_is_one_line(fixture_copy: Callable[[str], Path]) -> None:
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not stop root from reading the file")
    path = fixture_copy("bad/unreadable.toml")
    path.chmod(0o000)
    try:
        with pytest.raises(CanvasFileError) as caught:
            CanvasFile.load(path)
        assert str(caught.value) == f"{path}: permission denied (cannot read the file)"
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == (Path(__file__).parents[1] / "data/bad/unreadable.toml").read_bytes()


def test_denied_read_is_one_line_even_as_root(
    fixture_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same path as above, reached by faking the denial, so it also runs where root can read."""
    path = fixture_copy("bad/unreadable.toml")
    before = path.read_bytes()

    real_open = os.open

    def denied(name: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(name) == path:
            raise PermissionError(13, "Permission denied", str(name))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(CanvasFileError) as caught:
        CanvasFile.load(path)
    monkeypatch.undo()
    assert str(caught.value) == f"{path}: permission denied (cannot read the file)"
    assert path.read_bytes() == before


def test_file_above_the_size_limit_is_refused(
    fixture_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fixture_copy("bad/too_big.toml")
    CanvasFile.load(path)  # under the real limit it loads
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", path.stat().st_size - 1)
    error = load_error(path)
    assert "refused" in str(error)


def test_a_file_exactly_at_the_size_limit_loads(
    fixture_copy: Callable[[str], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = fixture_copy("bad/too_big.toml")
    monkeypatch.setattr(reading, "MAX_FILE_BYTES", path.stat().st_size)
    assert CanvasFile.load(path).canvas.fields["product"] == "Too big"


def test_control_characters_in_a_message_are_escaped() -> None:
    error = CanvasFileError("odd\nname.toml", "value 'a\r\nb\x1b'", 4, 2)
    assert str(error) == "odd\\nname.toml:4:2: value 'a\\r\\nb\\x1b'"


def test_a_toml_file_that_is_not_a_canvas_is_refused_with_a_way_forward(tmp_path: Path) -> None:
    path = tmp_path / "pyproject.toml"
    path.write_text('[project]\nname = "example"\n', encoding="utf-8")
    with pytest.raises(CanvasFileError) as caught:
        CanvasFile.load(path)
    assert str(caught.value) == (
        f"{path}: is not a canvas (it has neither a [canvas] nor a [blocks] table); "
        "start one with `canvas-tui new PATH`"
    )


@pytest.mark.parametrize("text", ["", "\n", "# only a comment\n"])
def test_an_empty_file_is_a_new_canvas(tmp_path: Path, text: str) -> None:
    path = tmp_path / "canvas.toml"
    path.write_text(text, encoding="utf-8")
    document = CanvasFile.load(path)
    assert document.canvas.progress().resolved == 0
    document.canvas.set_text("lifetime", "first words")
    document.save()
    assert CanvasFile.load(path).canvas.blocks["lifetime"].text == "first words"


def test_a_file_the_standard_reader_rejects_is_not_repaired_first(tmp_path: Path) -> None:
    path = tmp_path / "canvas.toml"
    path.write_bytes(b'[canvas]\rproduct = "x"\n')  # a lone CR: invalid TOML
    with pytest.raises(CanvasFileError, match="invalid TOML"):
        CanvasFile.load(path)
