"""Which recovery files a starting instance offers, and what each would bring back.

A crashed instance's unsaved edits are merged with the canvas as it is now (the file may have changed
since the crash), so a restore never reverts someone else's change. Plain policy over the files that
`canvas_tui.files.recovery` reads and writes; the session asks and the user answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from canvas_tui.files import recovery
from canvas_tui.files.lock import Instance, Liveness
from canvas_tui.model import Snapshot
from canvas_tui.model.merge import Merge, merge3


@dataclass(frozen=True, slots=True)
class RecoveryOffer:
    """Edits a crashed instance left behind, merged with the canvas as it is now."""

    source: recovery.Recovery
    merge: Merge
    mine: tuple[str, ...]  # the keys (fields, then blocks) whose values would come back


def find_offers(
    canvas_path: Path, current: Snapshot, me: Instance, alive: Liveness, *, holds_lock: bool
) -> list[RecoveryOffer]:
    """Edits that instances which no longer run left behind, merged with `current`.

    A file whose writer still runs is another instance's and is not touched. A file with nothing
    to bring back (all of it is on disk already) is removed.
    """
    offers = []
    for path in recovery.recovery_files(canvas_path):
        found = recovery.read(path)
        if found is None:
            continue
        writer = found.writer
        if writer is not None and (writer.token == me.token or alive(writer)):
            continue
        if writer is None and not holds_lock:
            continue  # an old file without a writer: it may be the lock holder's
        offer = _offer(found, current)
        if offer is None:
            recovery.remove(path)
        else:
            offers.append(offer)
    return offers


def _offer(found: recovery.Recovery, current: Snapshot) -> RecoveryOffer | None:
    # Only what this canvas has: a file from another template must not bring unknown keys.
    mine = _only_keys_of(found.mine, current)
    base = _only_keys_of(found.base, current) if found.base is not None else current
    merge = merge3(base, mine, current)
    changed = [key for key in base.differences(mine) if _value(merge.merged, key) != _value(current, key)]
    changed += [c.key for c in merge.conflicts if c.key not in changed]
    if not changed:
        return None
    return RecoveryOffer(found, merge, tuple(changed))


def _only_keys_of(snapshot: Snapshot, current: Snapshot) -> Snapshot:
    return Snapshot(
        {k: v for k, v in snapshot.fields.items() if k in current.fields},
        {k: v for k, v in snapshot.blocks.items() if k in current.blocks},
    )


def _value(snapshot: Snapshot, key: str) -> object:
    return snapshot.fields[key] if key in snapshot.fields else snapshot.blocks.get(key)
