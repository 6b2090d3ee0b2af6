"""Who has a canvas open: the lock file beside it, and whether the process that wrote it still runs.

Two canvas-tui instances on one file (two SSH sessions, two tmux panes) must not take each other's
recovery files or save blindly over each other. The instance that opens a canvas first writes
`.NAME.lock` (host, PID, process start time, a random token); a second one reads it and asks the
user. A lock left by a process that no longer runs on this host is stale and taken over. A lock
from another host cannot be checked and counts as held.

The lock's name is one the user never typed, and anyone who can put files beside the canvas can
plant something there: a symbolic link, a named pipe. Such a thing is never followed, read or
removed; the canvas then opens read-only and the user is told why. So does any failure to write
the lock (a full disk): no lock half written is left behind. No Textual here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import socket
import stat
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from canvas_tui.files.atomic import FileRefused, read_file

LOCK_FORMAT = "canvas-tui-lock/1"
MAX_LOCK_BYTES = 64 * 1024
"""A lock is a few hundred bytes; anything much larger is not one of ours."""


def _process_start(pid: int) -> str:
    """The kernel's start time of a process (clock ticks since boot), or "" where unknown.

    With the PID alone, a PID reused by an unrelated process would keep a dead instance's lock alive.
    """
    try:
        line = read_file(Path(f"/proc/{pid}/stat"), limit=MAX_LOCK_BYTES, follow_links=False)
    except OSError:
        return ""
    # The command name (field 2) may hold spaces and parentheses: count fields after its last ')'.
    fields = line.decode("utf-8", "replace").rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else ""


@dataclass(frozen=True, slots=True)
class Instance:
    """One running canvas-tui: enough to tell whether it still runs, and to name it to the user."""

    host: str
    pid: int
    started: str  # the process start time from the kernel, "" where unknown
    token: str  # tells two instances of one process apart (tests run several)
    since: str  # when it opened the canvas, ISO 8601, for the message

    @classmethod
    def current(cls) -> Instance:
        pid = os.getpid()
        return cls(
            host=socket.gethostname(),
            pid=pid,
            started=_process_start(pid),
            token=secrets.token_hex(8),
            since=dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        )

    def describe(self) -> str:
        when = self.since.replace("T", " ")[:16]
        return f"canvas-tui (PID {self.pid} on {self.host}, since {when})"

    def to_json(self) -> dict[str, object]:
        return asdict(self)

    @classmethod
    def from_json(cls, data: object) -> Instance | None:
        if not isinstance(data, dict):
            return None
        try:
            return cls(
                host=str(data["host"]),
                pid=int(data["pid"]),
                started=str(data.get("started", "")),
                token=str(data.get("token", "")),
                since=str(data.get("since", "")),
            )
        except (KeyError, TypeError, ValueError):
            return None


def is_running(instance: Instance) -> bool:
    """Whether `instance` may still run: True unless it is on this host and its process is gone."""
    if instance.host != socket.gethostname():
        return True  # cannot be checked from here; assume the colleague is still at it
    try:
        os.kill(instance.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # runs, as another user
    # A different start time: the PID now belongs to another process.
    return not (instance.started and _process_start(instance.pid) not in ("", instance.started))


Liveness = Callable[[Instance], bool]


def lock_path(canvas_path: Path) -> Path:
    path = Path(canvas_path).absolute()
    return path.with_name(f".{path.name}.lock")


def read_lock(canvas_path: Path) -> Instance | None:
    """The instance named in the lock file, or None when there is none (or it is unreadable)."""
    try:
        return _read_lock_file(lock_path(canvas_path))
    except OSError:
        return None


def _read_lock_file(path: Path) -> Instance | None:
    """The holder named in the lock at `path`; None for a file that is not a lock (a crash left it
    empty). Raises OSError when there is none, and FileRefused for a name that is not a regular file,
    which is never read, followed or removed."""
    try:
        data = json.loads(read_file(path, limit=MAX_LOCK_BYTES, follow_links=False))
    except (ValueError, RecursionError):  # RecursionError: JSON nested too deeply
        return None
    if not isinstance(data, dict) or data.get("format") != LOCK_FORMAT:
        return None
    return Instance.from_json(data.get("holder"))


@dataclass(frozen=True, slots=True)
class LockResult:
    """Whether we hold the canvas's lock now: `held_by` names a running instance that holds it;
    `problem` (one line naming the lock file) says why no lock could be taken at all."""

    held_by: Instance | None
    problem: str = ""

    @property
    def ours(self) -> bool:
        return self.held_by is None and not self.problem


def acquire(canvas_path: Path, me: Instance, alive: Liveness = is_running) -> LockResult:
    """Take the canvas's lock unless a running instance holds it, or it cannot be written."""
    path = lock_path(canvas_path)
    data = json.dumps({"format": LOCK_FORMAT, "holder": me.to_json()}, indent=1).encode()
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | getattr(os, "O_CLOEXEC", 0)
    for _ in range(3):  # a race with another instance taking over the same stale lock
        try:
            fd = os.open(path, flags, 0o644)
        except FileExistsError:
            try:
                holder = _read_lock_file(path)
            except FileNotFoundError:
                continue  # its holder just released it
            except FileRefused as error:
                return LockResult(None, str(error))
            except OSError as error:
                return LockResult(None, f"{path}: cannot read the lock ({error.strerror or error})")
            if holder is not None and holder.token == me.token:
                return LockResult(None)
            if holder is not None and alive(holder):
                return LockResult(holder)
            # Stale (dead process) or a regular file that is not a lock: remove it and try again.
            with contextlib.suppress(OSError):
                path.unlink()
            continue
        except OSError as error:
            return LockResult(None, f"{path}: cannot write the lock ({error.strerror or error})")
        problem = _write_lock(fd, path, data)
        return LockResult(None, problem)
    holder = read_lock(canvas_path)
    return LockResult(holder if holder is not None and holder.token != me.token else None)


def _write_lock(fd: int, path: Path, data: bytes) -> str:
    """Write the lock we just created; on any failure remove it (no empty lock is left): the reason."""
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
    except OSError as error:
        _remove_created(fd, path)
        return f"{path}: cannot write the lock ({error.strerror or error})"
    try:
        os.close(fd)
    except OSError as error:  # some file systems report a full disk only here
        with contextlib.suppress(OSError):
            path.unlink()
        return f"{path}: cannot write the lock ({error.strerror or error})"
    return ""


def _remove_created(fd: int, path: Path) -> None:
    """Remove the lock file we created (and only that one: the name may have been taken over)."""
    try:
        ours = os.fstat(fd)
        there = os.lstat(path)
        if stat.S_ISREG(there.st_mode) and (there.st_dev, there.st_ino) == (ours.st_dev, ours.st_ino):
            path.unlink()
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            os.close(fd)


def release(canvas_path: Path, me: Instance) -> None:
    """Remove the lock if it is ours; never another instance's."""
    holder = read_lock(canvas_path)
    if holder is not None and holder.token == me.token:
        with contextlib.suppress(OSError):
            lock_path(canvas_path).unlink()
