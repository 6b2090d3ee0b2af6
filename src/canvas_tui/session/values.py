"""What the session hands out and takes back: delays, what changed, what the disk check found, how
far a save got, the records a save and a recovery write carry between threads, and undo's steps."""

from __future__ import annotations

import enum
from dataclasses import dataclass

from canvas_tui.model import Snapshot
from canvas_tui.model.merge import Merge
from canvas_tui.storage import CanvasFile, CanvasFileError, PreparedSave


@dataclass(frozen=True, slots=True)
class Timing:
    """Delays, in seconds, that the app's timers use; tests pass shorter ones."""

    autosave: float = 2.0  # after the last change
    recovery: float = 0.5  # after a change, before the recovery file is written
    disk_check: float = 2.0  # between checks of the file on disk


@dataclass(frozen=True, slots=True)
class Change:
    """What an edit changed: one block (`block_id`) or the header and possibly every block (None).

    `external` marks values that did not come from the editors (reload, merge, restore), so an open
    editor shows them.
    """

    block_id: str | None = None
    external: bool = False


class DiskOutcome(enum.Enum):
    UNCHANGED = "unchanged"
    GONE = "gone"  # deleted or moved away
    UNREADABLE = "unreadable"  # it changed and does not parse: never written over
    RELOADED = "reloaded"  # nothing local was unsaved: the disk's values were taken
    MERGED = "merged"  # local and disk changes merged without conflict
    CONFLICTS = "conflicts"  # a block or field changed on both sides: the user decides


@dataclass(frozen=True, slots=True)
class PendingMerge:
    """A merge that waits for the user's choice per conflicting key (see `Session.settle`)."""

    merge: Merge
    theirs: CanvasFile | None  # the file read from disk; None when the merge is a recovery


@dataclass(frozen=True, slots=True)
class DiskReport:
    outcome: DiskOutcome
    taken: tuple[str, ...] = ()  # keys taken from the disk's version
    error: CanvasFileError | None = None
    pending: PendingMerge | None = None
    first: bool = True  # for GONE: the first time it is noticed
    changed: tuple[str, ...] = ()  # RELOADED, MERGED: keys the disk's version changed since our base
    who: str = ""  # ... and who saved it, where their presence file says so ("" unknown)


class SaveCheck(enum.Enum):
    READY = "ready"
    READ_ONLY = "read-only"  # Save as is the way out
    DISK_FIRST = "disk-first"  # the file changed on disk: reconcile before saving
    WAITING = "waiting"  # a conflict question is open


@dataclass(frozen=True, slots=True)
class SaveStep:
    """How far "save, reconciling first" got: written, or what stands in the way."""

    check: SaveCheck
    """What the first look found: READY, or what stood in the way (DISK_FIRST: see `report`)."""
    report: DiskReport | None = None
    """What reconciling with the disk found, when the file on disk had changed: for the user."""
    saved: bool = False
    error: CanvasFileError | None = None
    """Why the write failed; the user keeps the work (see `write_recovery_now`)."""


@dataclass(frozen=True, slots=True)
class SaveTicket:
    """A save prepared on the main thread, to be written on any thread, in order."""

    prepared: PreparedSave
    sequence: int


@dataclass(frozen=True, slots=True)
class RecoveryRecord:
    """What the recovery file will hold: the base the unsaved edits started from, and the edits."""

    base: Snapshot
    mine: Snapshot
    sequence: int
    generation: int


@dataclass(frozen=True, slots=True)
class Step:
    """One status or header change, as undo and redo see it: the values before and after."""

    block_id: str | None  # None: the header fields
    before: tuple[object, ...]
    after: tuple[object, ...]
    what: str  # for the message: "Security: done", "canvas info"
