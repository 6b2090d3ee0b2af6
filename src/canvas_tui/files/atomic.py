"""How canvas-tui touches files: one writer (atomic) and one reader (bounded), with one rule.

Its own small room: the canvas file, the settings file, the recovery file, the lock, the places
file and the exports all write through `atomic_write`, and every file canvas-tui reads goes through
`read_file`; none of them should have to load the canvas parser to do so. No Textual here.

The rule, because a canvas usually arrives from someone else (a clone, a shared folder) and any
name beside it can be planted: a file canvas-tui writes or reads by a name the user did not type
(the lock, the recovery files, places, settings, an export's default name) is never reached through
a symbolic link, and only a regular file is ever read or replaced. A canvas the user names may be a
symbolic link to a regular file: it is written through, as documented. Reads never block (a named
pipe) and never take more than their cap (a device such as /dev/zero never ends).
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import tempfile
from pathlib import Path

from canvas_tui.errors import UserFacingError


def _read_umask() -> int:
    # Read once: os.umask() can only be read by setting it, which races with other threads.
    umask = os.umask(0)
    os.umask(umask)
    return umask


_UMASK = _read_umask()

LINK_REASON = "is a symbolic link; canvas-tui does not follow links it did not create"


class FileRefused(OSError, UserFacingError):
    """A name canvas-tui will not read or write: a link it did not create, or not a regular file.

    An OSError, so that every place that already tells the user about a failed read or write tells
    them about this one too; its text is one line naming the file.
    """

    def __init__(self, path: Path | str, reason: str, code: int = errno.EINVAL) -> None:
        super().__init__(code, reason, str(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


class FileTooLarge(FileRefused):
    """A file above the reader's cap; `size` is None when the file did not say (it kept growing)."""

    def __init__(self, path: Path | str, size: int | None, limit: int) -> None:
        self.size = size
        self.limit = limit
        super().__init__(path, f"is larger than {_amount(limit)}; refused", errno.EFBIG)


def _amount(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)} MiB"
    return f"{size // 1024} KiB" if size >= 1024 else f"{size} bytes"


def kind_of(mode: int) -> str:
    """What a file that is not a regular file is, for a message: "is a folder, not a file"."""
    if stat.S_ISLNK(mode):
        return LINK_REASON
    if stat.S_ISDIR(mode):
        return "is a folder, not a file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a file"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a file"
    return "is not a regular file"


def _refuse(path: Path | str, mode: int, target: Path | None = None) -> FileRefused:
    code = errno.ELOOP if stat.S_ISLNK(mode) else errno.EISDIR if stat.S_ISDIR(mode) else errno.EINVAL
    reason = kind_of(mode)
    if target is not None and os.path.abspath(path) != str(target):
        reason = f"leads to {target}, which {reason}"
    return FileRefused(path, reason, code)


def atomic_write(
    path: Path, data: bytes, *, mode: int | None = None, follow_links: bool = True
) -> os.stat_result:
    """Replace the file's content in one step: temp file in the same folder, fsync, os.replace.

    With `follow_links` (a file the user named), a symbolic link is written through (its target is
    replaced, the link stays). Without it (a name the user did not type), a link there is refused.
    Either way only a regular file is ever replaced: anything else is a FileRefused. The file's
    permission bits (and, where allowed, owner) are kept; `mode` forces the bits instead.
    """
    target = Path(os.path.realpath(path) if follow_links else os.path.abspath(path))
    try:
        info: os.stat_result | None = os.stat(target, follow_symlinks=follow_links)
    except FileNotFoundError:
        info = None
    if info is not None and not stat.S_ISREG(info.st_mode):
        raise _refuse(path, info.st_mode, target if follow_links else None)
    if mode is None:
        mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_UMASK
    # mkstemp creates a new file (O_EXCL), and a rename replaces the name itself, never what a link
    # planted there in the meantime points to: nothing outside the temp file is ever opened.
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
            os.fchmod(handle.fileno(), mode)
            if info is not None and hasattr(os, "fchown"):
                with contextlib.suppress(OSError):
                    os.fchown(handle.fileno(), info.st_uid, info.st_gid)
            written = os.fstat(handle.fileno())  # the rename keeps inode, size and mtime
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


def is_regular_file(path: Path) -> bool:
    """Whether `path` itself (not what a link there points to) is a regular file."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


def read_file(path: Path, *, limit: int, follow_links: bool = True) -> bytes:
    """The content of a regular file of at most `limit` bytes; anything else raises OSError.

    Never blocks (a named pipe opens without waiting for a writer, and is then refused), never
    reads more than `limit` + 1 bytes (a file's size may lie: /dev/zero says 0), and, without
    `follow_links`, never goes through a symbolic link. Refusals are FileRefused (FileTooLarge
    above the cap), with one line naming the file; a missing file is FileNotFoundError.
    """
    if follow_links:
        # Look before opening: opening some devices already does something (a tape rewinds).
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(path, info.st_mode, Path(os.path.realpath(path)))
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0)
    if not follow_links:
        flags |= os.O_NOFOLLOW
    try:
        fd = os.open(path, flags)
    except OSError as error:
        if error.errno == errno.ELOOP and not follow_links:
            raise FileRefused(path, LINK_REASON, errno.ELOOP) from None
        raise
    try:
        info = os.fstat(fd)  # what was opened, whatever the name pointed to a moment before
        if not stat.S_ISREG(info.st_mode):
            raise _refuse(path, info.st_mode)
        if info.st_size > limit:
            raise FileTooLarge(path, info.st_size, limit)
        chunks: list[bytes] = []
        left = limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1024 * 1024))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        if left <= 0:
            raise FileTooLarge(path, None, limit)
        return b"".join(chunks)
    finally:
        os.close(fd)
