"""A reload or a merge from disk says what changed there and, where the saver's presence file says
so, who saved it."""

from __future__ import annotations

from pathlib import Path

from canvas_tui.files.lock import Instance
from canvas_tui.session import DiskOutcome, Session
from canvas_tui.storage import CanvasFile


def open_as(path: Path, user: str) -> Session:
    session = Session(CanvasFile.load(path), me=Instance.current(), user=user)
    session.claim()
    return session


def test_who_saved_and_what_changed_reach_the_reload_report(example: Path) -> None:
    alice, bob = open_as(example, "alice"), open_as(example, "bob")
    bob.set_text("background", "Rewritten by bob.")
    bob.save()
    report = alice.reconcile()
    assert report.outcome is DiskOutcome.RELOADED
    assert report.changed == ("background",)
    assert report.who == "bob"
    alice.set_text("security", "Alice's unsaved words.")
    bob.set_text("lifetime", "Bob again.")
    bob.save()
    report = alice.reconcile()
    assert report.outcome is DiskOutcome.MERGED
    assert report.taken == ("lifetime",) and report.who == "bob"


def test_a_save_by_someone_without_presence_names_no_one(example: Path) -> None:
    alice = open_as(example, "alice")
    other = CanvasFile.load(example)
    other.canvas.set_text("background", "From a script.")
    other.save()
    report = alice.reconcile()
    assert report.outcome is DiskOutcome.RELOADED and report.changed == ("background",)
    assert report.who == ""
