"""The editing session: the one owner of an open canvas and of every rule that keeps the user's work.

Screens never change the canvas directly; they call the edit methods here, which tell listeners
what changed. The session decides whether work is saved, what a save writes, what a recovery
restores and what the file on disk now says; the app only runs timers, threads and dialogs
around it. No Textual here, and no clock: delays are in `Timing`, which the app reads and tests
shorten, and every method runs to completion when called, so tests need no waiting.

The promises (docs/safety.md, "Your data is safe"):
- a save is atomic and written only after reconciling with the disk: a change by someone else is
  merged block by block, and a block changed on both sides is put to the user (`PendingMerge`);
- unsaved work is in the recovery file, with the base it started from, so a restore after a crash
  merges too and never reverts what changed on disk meanwhile;
- one instance holds the canvas's lock; another never takes, renames or deletes its files.

The room: `owner.py` is the Session; `values.py` what it hands out; `recovery_offers.py` which edits
a crash left behind are offered. Callers import from `canvas_tui.session`.
"""

from canvas_tui.session.owner import Session
from canvas_tui.session.recovery_offers import RecoveryOffer
from canvas_tui.session.values import (
    Change,
    DiskOutcome,
    DiskReport,
    PendingMerge,
    RecoveryRecord,
    SaveCheck,
    SaveStep,
    SaveTicket,
    Step,
    Timing,
)

__all__ = [
    "Change",
    "DiskOutcome",
    "DiskReport",
    "PendingMerge",
    "RecoveryOffer",
    "RecoveryRecord",
    "SaveCheck",
    "SaveStep",
    "SaveTicket",
    "Session",
    "Step",
    "Timing",
]
