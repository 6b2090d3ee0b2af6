"""The recovery file: unsaved edits kept next to the canvas, so a crash or a kill loses nothing.

While the canvas has unsaved changes, canvas-tui keeps `.NAME.recovery` (hidden, mode 0600) next to
`NAME` no more than about a second behind the last keystroke. A clean exit removes it; the next start
after a crash offers to restore it. It is JSON: one write, no partial states, readable by anyone
who has to dig their words out by hand. No Textual here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

from canvas_tui.atomic import atomic_write
from canvas_tui.model import BlockValue, FieldValue, Snapshot, Status

FORMAT = "canvas-tui-recovery/1"


def recovery_path(canvas_path: Path) -> Path:
    path = Path(canvas_path).absolute()
    return path.with_name(f".{path.name}.recovery")


@dataclass(frozen=True, slots=True)
class Recovery:
    snapshot: Snapshot
    written_at: str


def encode(snapshot: Snapshot, canvas_path: Path) -> bytes:
    data = {
        "format": FORMAT,
        "canvas": str(Path(canvas_path).absolute()),
        "written_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "fields": snapshot.fields,
        "blocks": {
            block_id: {"text": v.text, "status": v.status.value, "unknown_status": v.unknown_status}
            for block_id, v in snapshot.blocks.items()
        },
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


def write(canvas_path: Path, snapshot: Snapshot) -> Path:
    """Write the recovery file (atomically, owner-only). Raises OSError when the disk refuses."""
    path = recovery_path(canvas_path)
    atomic_write(path, encode(snapshot, canvas_path), mode=0o600)
    return path


def read(canvas_path: Path) -> Recovery | None:
    """The recovery file for `canvas_path`, or None when there is none or it cannot be read."""
    path = recovery_path(canvas_path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            return None
        fields: dict[str, FieldValue] = {
            str(k): v for k, v in data["fields"].items() if isinstance(v, str | int)
        }
        blocks = {
            str(block_id): BlockValue(
                str(value["text"]),
                Status(value["status"]),
                value.get("unknown_status"),
            )
            for block_id, value in data["blocks"].items()
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return Recovery(Snapshot(fields, blocks), str(data.get("written_at", "")))


def remove(canvas_path: Path) -> None:
    with contextlib.suppress(OSError):
        recovery_path(canvas_path).unlink()


def set_aside(canvas_path: Path) -> Path | None:
    """Keep a declined recovery file as `.NAME.recovery.bak` (replacing an older one)."""
    path = recovery_path(canvas_path)
    kept = path.with_name(path.name + ".bak")
    try:
        path.replace(kept)
    except OSError:
        return None
    return kept
