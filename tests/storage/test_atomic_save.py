"""Saving is atomic: a failed save leaves the old file whole and no temp files behind."""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path
from typing import Any

import pytest

from canvas_tui.storage import CanvasFile, CanvasFileError


def edited(path: Path) -> CanvasFile:
    canvas_file = CanvasFile.load(path)
    canvas_file.canvas.set_text("lifetime", "Retrain monthly; retire after two years.")
    return canvas_file


def assert_failed_cleanly(canvas_file: CanvasFile, original: bytes, match: str) -> None:
    path = canvas_file.path
    with pytest.raises(CanvasFileError, match=match) as caught:
        canvas_file.save()
    assert "\n" not in str(caught.value)
    assert str(caught.value).startswith(f"{path}: could not save: ")
    assert path.read_bytes() == original
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def refuse(*args: Any, **kwargs: Any) -> None:
    raise OSError(errno.EACCES, "Permission denied")


def test_failing_replace_keeps_the_original(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = example.read_bytes()
    canvas_file = edited(example)
    monkeypatch.setattr(os, "replace", refuse)
    assert_failed_cleanly(canvas_file, original, "Permission denied")


def test_failing_fsync_keeps_the_original(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    original = example.read_bytes()
    canvas_file = edited(example)

    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    assert_failed_cleanly(canvas_file, original, os.strerror(errno.ENOSPC))


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
def test_a_full_disk_keeps_the_original(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The temp file's writes go to /dev/full, so the kernel itself answers ENOSPC."""
    original = example.read_bytes()
    canvas_file = edited(example)
    real_mkstemp = tempfile.mkstemp

    def mkstemp_on_a_full_disk(*args: Any, **kwargs: Any) -> tuple[int, str]:
        fd, name = real_mkstemp(*args, **kwargs)
        full = os.open("/dev/full", os.O_WRONLY)
        os.dup2(full, fd)
        os.close(full)
        return fd, name

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_on_a_full_disk)
    assert_failed_cleanly(canvas_file, original, os.strerror(errno.ENOSPC))


def test_a_failed_save_can_be_retried(example: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    canvas_file = edited(example)
    with monkeypatch.context() as patch:
        patch.setattr(os, "replace", refuse)
        with pytest.raises(CanvasFileError):
            canvas_file.save()
    canvas_file.save()
    assert CanvasFile.load(example).canvas.block("lifetime").text.startswith("Retrain monthly")


def test_save_writes_through_a_symlink(tmp_path: Path, example: Path) -> None:
    link_folder = tmp_path / "links"
    link_folder.mkdir()
    link = link_folder / "canvas.toml"
    link.symlink_to(example)

    canvas_file = edited(link)
    canvas_file.save()

    assert link.is_symlink()
    assert os.readlink(link) == str(example)
    assert CanvasFile.load(example).canvas.block("lifetime").text.startswith("Retrain monthly")
    assert sorted(p.name for p in link_folder.iterdir()) == ["canvas.toml"]
    assert sorted(p.name for p in example.parent.iterdir()) == sorted(["links", example.name])


def test_a_relative_symlink_stays_relative(tmp_path: Path, example: Path) -> None:
    link = tmp_path / "link.toml"
    link.symlink_to(example.name)
    edited(link).save()
    assert link.is_symlink() and os.readlink(link) == example.name
    assert "Retrain monthly" in example.read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", [0o640, 0o600, 0o664])
def test_permission_bits_are_kept(example: Path, mode: int) -> None:
    example.chmod(mode)
    edited(example).save()
    assert stat.S_IMODE(example.stat().st_mode) == mode


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path) -> None:
    umask = os.umask(0o022)
    try:
        path = tmp_path / "new.toml"
        CanvasFile.create(path).save()
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_a_file_that_appears_after_create_is_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "canvas.toml"
    canvas_file = CanvasFile.create(path, product="Mine")
    path.write_bytes(b"someone else's work\n")
    with pytest.raises(CanvasFileError, match="not overwriting") as caught:
        canvas_file.save()
    assert "\n" not in str(caught.value)
    assert path.read_bytes() == b"someone else's work\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["canvas.toml"]


def test_create_writes_nothing_until_the_first_save(tmp_path: Path) -> None:
    path = tmp_path / "canvas.toml"
    canvas_file = CanvasFile.create(path, product="Mine")
    assert not path.exists()
    canvas_file.save()
    canvas_file.canvas.set_text("background", "Second save goes to the same file.")
    canvas_file.save()
    reloaded = CanvasFile.load(path)
    assert reloaded.canvas.fields["product"] == "Mine"
    assert reloaded.canvas.block("background").text == "Second save goes to the same file."


def test_create_with_an_unknown_template_is_a_canvas_file_error(tmp_path: Path) -> None:
    with pytest.raises(CanvasFileError, match="unknown template 'nope'"):
        CanvasFile.create(tmp_path / "canvas.toml", template_id="nope")
    assert list(tmp_path.iterdir()) == []
