"""Recovery files: unsaved edits kept next to the canvas, so a crash or a kill loses nothing.

While the canvas has unsaved changes, canvas-tui keeps `.NAME.recovery` (hidden, mode 0600) next to
`NAME` no more than about a second behind the last keystroke. A clean exit removes it; the next start
after a crash offers to restore it. It is JSON: one write, no partial states, readable by anyone
who has to dig their words out by hand.

Each file holds the *base* (the canvas as it was on disk when the unsaved edits began) beside the
edits, so a restore is a three-way merge with whatever the file says now: only what this user
changed comes back, and a teammate's later change on disk is never reverted. It also names the
instance that writes it, so a second canvas-tui on the same canvas never takes a file whose writer
still runs. A second instance (one that did not get the lock) writes `.NAME.TOKEN.recovery`.

These names are canvas-tui's own, never typed by the user, and a shared folder or a clone can hold
anything under them. Only regular files are read, replaced or removed there: a symbolic link (say,
one committed to point at the user's shell start-up file) or a named pipe is left as it is (the
session then keeps its edits under `.NAME.TOKEN.recovery`), and a write to it fails with one line.
No Textual here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import glob
import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from canvas_tui.files.atomic import FileRefused, atomic_write, is_regular_file, kind_of, read_file
from canvas_tui.files.lock import Instance
from canvas_tui.model import BlockValue, FieldValue, Snapshot, Status

FORMAT = "canvas-tui-recovery/2"
OLD_FORMAT = "canvas-tui-recovery/1"  # edits only, no base: read, so nothing written by it is lost
MAX_RECOVERY_BYTES = 256 * 1024 * 1024
"""Two copies of a canvas (the base and the edits) of at most 64 MiB each, as JSON: anything larger
was not written by canvas-tui."""


def recovery_path(canvas_path: Path, token: str | None = None) -> Path:
    """The recovery file of the lock holder (`token` None) or of a second instance."""
    path = Path(canvas_path).absolute()
    middle = f".{token}" if token else ""
    return path.with_name(f".{path.name}{middle}.recovery")


def _names(canvas_path: Path) -> list[Path]:
    canvas = Path(canvas_path).absolute()
    others = sorted(canvas.parent.glob(f".{glob.escape(canvas.name)}.*.recovery"))
    return [recovery_path(canvas), *others]


def recovery_files(canvas_path: Path) -> list[Path]:
    """Every recovery file of this canvas: the lock holder's first, then second instances'.

    Only regular files: what else sits under such a name is never read (see `refused_names`)."""
    return [path for path in _names(canvas_path) if is_regular_file(path)]


def usable(path: Path) -> bool:
    """Whether a recovery file may be written at `path`: nothing there yet, or a regular file."""
    return not os.path.lexists(path) or is_regular_file(path)


def refused_names(canvas_path: Path) -> list[str]:
    """One line for each recovery name of this canvas taken by something that is not a regular file."""
    lines = []
    for path in _names(canvas_path):
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            continue
        if not stat.S_ISREG(mode):
            lines.append(str(FileRefused(path, kind_of(mode))))
    return lines


@dataclass(frozen=True, slots=True)
class Recovery:
    path: Path
    base: Snapshot | None  # None for a file of the old format, which kept no base
    mine: Snapshot
    written_at: str
    writer: Instance | None


def _snapshot_json(snapshot: Snapshot) -> dict[str, Any]:
    return {
        "fields": snapshot.fields,
        "blocks": {
            block_id: {
                "text": v.text,
                "status": v.status.value,
                "unknown_status": v.unknown_status,
                "answered": list(v.answered),
                "unknown_answered": v.unknown_answered,
            }
            for block_id, v in snapshot.blocks.items()
        },
    }


def _snapshot_from(data: Any) -> Snapshot:
    fields: dict[str, FieldValue] = {
        str(k): v for k, v in data["fields"].items() if isinstance(v, str | int) and not isinstance(v, bool)
    }
    blocks = {
        str(block_id): BlockValue(
            str(value["text"]),
            Status(value["status"]),
            value.get("unknown_status"),
            tuple(int(n) for n in value.get("answered", [])),
            value.get("unknown_answered"),
        )
        for block_id, value in data["blocks"].items()
    }
    return Snapshot(fields, blocks)


def encode(base: Snapshot, mine: Snapshot, canvas_path: Path, writer: Instance) -> bytes:
    data = {
        "format": FORMAT,
        "canvas": str(Path(canvas_path).absolute()),
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "writer": writer.to_json(),
        "base": _snapshot_json(base),
        "mine": _snapshot_json(mine),
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def write(path: Path, canvas_path: Path, base: Snapshot, mine: Snapshot, writer: Instance) -> None:
    """Write a recovery file (atomically, owner-only). Raises OSError when the disk refuses."""
    atomic_write(path, encode(base, mine, canvas_path, writer), mode=0o600, follow_links=False)


def read(path: Path) -> Recovery | None:
    """The recovery file at `path`, or None when there is none or it cannot be read."""
    try:
        data = json.loads(read_file(path, limit=MAX_RECOVERY_BYTES, follow_links=False).decode("utf-8"))
        if data.get("format") == OLD_FORMAT:
            return Recovery(path, None, _snapshot_from(data), str(data.get("written_at", "")), None)
        if data.get("format") != FORMAT:
            return None
        return Recovery(
            path,
            _snapshot_from(data["base"]),
            _snapshot_from(data["mine"]),
            str(data.get("written_at", "")),
            Instance.from_json(data.get("writer")),
        )
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def remove(path: Path) -> None:
    """Remove a recovery file; a link or anything else planted under its name stays."""
    if is_regular_file(path):
        with contextlib.suppress(OSError):
            path.unlink()


def set_aside(path: Path) -> Path | None:
    """Keep a declined recovery file as `PATH.bak` (replacing an older one)."""
    kept = path.with_name(path.name + ".bak")
    try:
        path.replace(kept)
    except OSError:
        return None
    return kept
