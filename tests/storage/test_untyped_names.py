"""The one rule for files: a name the user did not type is never reached through a link, only a
regular file is read or replaced, and no read blocks or takes more than its cap.

A canvas arrives from someone else (a clone, a shared folder), and anything beside it may have been
planted: a link to the user's shell start-up file, a named pipe, a link to /dev/zero.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest
from tests.waiting import in_time

from canvas_tui.files.atomic import LINK_REASON as LINK
from canvas_tui.files.atomic import FileRefused, FileTooLarge, atomic_write, read_file
from canvas_tui.storage import CanvasFile, CanvasFileError


@pytest.fixture
def precious(bashrc: Path) -> Path:
    return bashrc


def test_a_link_at_a_name_the_user_did_not_type_is_refused_and_left(tmp_path: Path, precious: Path) -> None:
    planted = tmp_path / ".canvas.toml.recovery"
    planted.symlink_to(precious)
    with pytest.raises(FileRefused) as caught:
        atomic_write(planted, b"$(rm -rf ~)", follow_links=False)
    message = str(caught.value)
    assert message == f"{planted}: is a symbolic link; canvas-tui does not follow links it did not create"
    assert precious.read_text(encoding="utf-8") == "alias ll='ls -l'\n"
    assert planted.is_symlink() and planted.readlink() == precious
    assert sorted(p.name for p in tmp_path.iterdir()) == [".canvas.toml.recovery", "home"], "no temp file"


@pytest.mark.parametrize("kind", ["fifo", "folder", "dangling link"])
def test_only_a_regular_file_is_replaced_at_such_a_name(tmp_path: Path, kind: str) -> None:
    name = tmp_path / "places.json"
    if kind == "fifo":
        os.mkfifo(name)
    elif kind == "folder":
        name.mkdir()
    else:
        name.symlink_to(tmp_path / "nowhere")
    with pytest.raises(FileRefused) as caught:
        atomic_write(name, b"{}", follow_links=False)
    assert "\n" not in str(caught.value) and str(caught.value).startswith(f"{name}: is a ")
    assert not (tmp_path / "nowhere").exists()
    assert (
        os.lstat(name).st_mode & 0o170000
        == {
            "fifo": stat.S_IFIFO,
            "folder": stat.S_IFDIR,
            "dangling link": stat.S_IFLNK,
        }[kind]
    )


def test_a_regular_file_at_such_a_name_is_replaced_keeping_its_mode(tmp_path: Path) -> None:
    name = tmp_path / "config.toml"
    name.write_text("old", encoding="utf-8")
    name.chmod(0o640)
    atomic_write(name, b"new", follow_links=False)
    assert name.read_bytes() == b"new" and stat.S_IMODE(name.stat().st_mode) == 0o640


def test_a_canvas_the_user_named_is_still_written_through_its_link(example: Path) -> None:
    link = example.with_name("linked.toml")
    link.symlink_to(example.name)
    document = CanvasFile.load(link)
    document.canvas.set_text("lifetime", "Through the link.")
    document.save()
    assert link.is_symlink()
    assert "Through the link." in example.read_text(encoding="utf-8")


def test_a_canvas_link_to_something_not_a_file_is_never_replaced(tmp_path: Path, example: Path) -> None:
    document = CanvasFile.load(example)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    example.unlink()
    example.symlink_to(pipe)  # swapped under the open canvas
    document.canvas.set_text("lifetime", "Not into a pipe.")
    with pytest.raises(CanvasFileError) as caught:
        document.save()
    assert f"leads to {pipe}, which is a named pipe" in str(caught.value)
    assert stat.S_ISFIFO(os.lstat(pipe).st_mode) and example.is_symlink()


# -- reading --------------------------------------------------------------------------------------


def test_read_file_refuses_a_device_whatever_size_it_claims() -> None:
    with pytest.raises(FileRefused, match=r"^/dev/zero: is a device, not a file$"):
        read_file(Path("/dev/zero"), limit=1024)


def test_read_file_never_waits_for_a_pipe(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    outcome = in_time(lambda: read_file(pipe, limit=1024))
    assert isinstance(outcome, FileRefused) and "named pipe" in str(outcome)


def test_read_file_without_following_refuses_any_link(tmp_path: Path, precious: Path) -> None:
    link = tmp_path / ".canvas.toml.lock"
    link.symlink_to(precious)
    with pytest.raises(FileRefused, match="is a symbolic link"):
        read_file(link, limit=1024, follow_links=False)
    assert read_file(link, limit=1024) == precious.read_bytes(), "followed where the user named it"


def test_read_file_stops_one_byte_above_the_cap(tmp_path: Path) -> None:
    name = tmp_path / "f"
    name.write_bytes(b"x" * 10)
    assert read_file(name, limit=10) == b"x" * 10
    with pytest.raises(FileTooLarge) as caught:
        read_file(name, limit=9)
    assert caught.value.size == 10


@pytest.mark.parametrize("target", ["/dev/zero", "fifo", "link to /dev/zero", "link to fifo"])
def test_a_canvas_that_is_no_file_is_one_line(tmp_path: Path, target: str) -> None:
    pipe = tmp_path / "fifo"
    os.mkfifo(pipe)
    path = {
        "/dev/zero": Path("/dev/zero"),
        "fifo": pipe,
        "link to /dev/zero": tmp_path / "zero.toml",
        "link to fifo": tmp_path / "pipe.toml",
    }[target]
    if target == "link to /dev/zero":
        path.symlink_to("/dev/zero")
    elif target == "link to fifo":
        path.symlink_to(pipe)
    outcome = in_time(lambda: CanvasFile.load(path))
    assert isinstance(outcome, CanvasFileError), outcome
    assert "\n" not in str(outcome) and str(outcome).startswith(f"{path}: ")
    assert "not a canvas file" in str(outcome)


# -- the user's own files canvas-tui writes by itself -----------------------------------------------


def test_places_neither_read_nor_written_through_a_link(
    tmp_path: Path, precious: Path, example: Path
) -> None:
    from canvas_tui.files.places import Places

    link = tmp_path / "places.json"
    precious.write_text(json.dumps({str(example.resolve()): "lifetime"}), encoding="utf-8")
    before = precious.read_bytes()
    link.symlink_to(precious)
    places = Places(link)
    assert places.last_block(example) is None, "what a link says is not read"
    places.remember(example, "background")  # losing a place is quiet, by design
    assert precious.read_bytes() == before and link.is_symlink()


def test_remembering_a_theme_never_writes_through_a_settings_link(tmp_path: Path, precious: Path) -> None:
    from canvas_tui.files.settings import Settings

    precious.write_text('theme = "mono"\n', encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(precious)
    settings = Settings.load(link)
    assert settings.readable and settings.warnings == []  # read through: it is the user's own file
    with pytest.raises(OSError) as caught:
        settings.remember_theme("canvas")
    assert str(caught.value) == f"{link}: {LINK}"
    assert precious.read_text(encoding="utf-8") == 'theme = "mono"\n'


def test_settings_that_are_a_pipe_are_a_warning_at_once(tmp_path: Path) -> None:
    from canvas_tui.files.settings import Settings

    pipe = tmp_path / "config.toml"
    os.mkfifo(pipe)
    settings = in_time(lambda: Settings.load(pipe))
    assert isinstance(settings, Settings) and not settings.readable
    assert settings.warnings == [
        f"{pipe}: cannot read the settings (is a named pipe (FIFO), not a file); using defaults"
    ]


def test_a_template_or_theme_file_that_never_ends_is_refused(tmp_path: Path) -> None:
    from canvas_tui.model import TemplateError
    from canvas_tui.templates import load_template_file

    zero = tmp_path / "zero.toml"
    zero.symlink_to("/dev/zero")
    outcome = in_time(lambda: load_template_file(zero))
    assert isinstance(outcome, TemplateError) and "is a device" in str(outcome)
