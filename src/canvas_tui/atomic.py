"""Replace a file's content in one step, so that an interrupted write never leaves half a file.

Its own small room: the canvas file, the settings file, the recovery file and the exports all
write through it, and none of them should have to load the canvas parser to do so. No Textual here.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path


def _read_umask() -> int:
    # Read once: os.umask() can only be read by setting it, which races with other threads.
    umask = os.umask(0)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> os.stat_result:
    """Replace the file's content in one step: temp file in the same folder, fsync, os.replace.

    A symbolic link is written through (its target is replaced, the link stays), and the target's
    permission bits (and, where allowed, owner) are kept; `mode` forces the bits instead.
    """
    target = Path(os.path.realpath(path))
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    if mode is None:
        mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_UMASK
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        if info is not None and hasattr(os, "chown"):
            with contextlib.suppress(OSError):
                os.chown(temp_name, info.st_uid, info.st_gid)
        written = os.stat(temp_name)  # the rename keeps inode, size and mtime
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_folder(target.parent)
    return written


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every file system allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
