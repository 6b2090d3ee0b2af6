"""The editing session, without Textual and without waiting: every call runs to completion."""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any

import pytest

from canvas_tui.files import recovery
from canvas_tui.files.lock import Instance, lock_path, read_lock
from canvas_tui.model import Status
from canvas_tui.model.conflicts import conflicted_blocks
from canvas_tui.model.merge import marker_label
from canvas_tui.session import Change, DiskOutcome, SaveCheck, Session
from canvas_tui.storage import CanvasFile, CanvasFileError


class World:
    """Instances by token, and which of them still run: a crash is a token leaving `running`."""

    def __init__(self) -> None:
        self.running: set[str] = set()
        self.count = 0

    def alive(self, instance: Instance) -> bool:
        return instance.token in self.running

    def open(self, path: Path, *, autosave: bool = True) -> Session:
        self.count += 1
        me = Instance("here", 1000 + self.count, "", f"instance-{self.count}", "2026-12-01T10:00:00")
        self.running.add(me.token)
        session = Session(CanvasFile.load(path), autosave=autosave, me=me, alive=self.alive)
        session.claim()
        return session

    def crash(self, session: Session) -> None:
        self.running.discard(session.me.token)


@pytest.fixture
def world() -> World:
    return World()


def on_disk(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def teammate_edits(path: Path, **changes: str) -> None:
    """Someone else (a teammate, `git pull`) changes the file on disk through a canvas-tui save."""
    document = CanvasFile.load(path)
    for key, value in changes.items():
        if key in document.canvas.fields:
            document.canvas.set_field(key, value)
        elif value in {status.value for status in Status}:
            document.canvas.set_status(key, Status(value))
        else:
            document.canvas.set_text(key, value)
    document.save()
    info = path.stat()  # a different mtime even within one clock tick
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))


# -- editing and saving -------------------------------------------------------------------------


def test_edits_tell_listeners_what_changed_and_only_when_something_did(world: World, example: Path) -> None:
    session = world.open(example)
    seen: list[Change] = []
    session.listeners.append(seen.append)
    assert session.set_text("lifetime", "Retrain monthly.")
    assert not session.set_text("lifetime", "Retrain monthly.")
    session.cycle_status("fairness")
    session.set_fields({"product": "Renamed"})
    assert seen == [Change("lifetime"), Change("fairness"), Change(None)]
    assert session.dirty
    assert session.canvas.blocks["lifetime"].status is Status.DRAFT, "typing into todo makes a draft"


def test_a_save_writes_the_file_and_removes_the_recovery_file(world: World, example: Path) -> None:
    session = world.open(example)
    session.set_text("lifetime", "Retrain monthly.")
    record = session.take_recovery()
    assert record is not None and session.write_recovery(record)
    assert session.recovery_path.exists()
    assert session.check_save(explicit=False) is SaveCheck.READY
    session.save()
    assert not session.dirty
    assert not session.recovery_path.exists()
    assert on_disk(example)["blocks"]["lifetime"]["text"] == "Retrain monthly."


def test_an_older_save_never_lands_after_a_newer_one(world: World, example: Path) -> None:
    session = world.open(example)
    session.set_text("lifetime", "first")
    older = session.prepare_save()
    session.set_text("lifetime", "second")
    newer = session.prepare_save()
    session.finish_save(newer, session.write(newer))
    assert session.write(older) is None
    session.finish_save(older, None)
    assert on_disk(example)["blocks"]["lifetime"]["text"] == "second"
    assert not session.dirty


def test_a_recovery_write_prepared_before_a_save_does_not_land_after_it(world: World, example: Path) -> None:
    session = world.open(example)
    session.set_text("lifetime", "typed")
    record = session.take_recovery()
    assert record is not None
    session.save()
    assert not session.write_recovery(record), "the save made it unnecessary"
    assert not session.recovery_path.exists()


def test_a_missing_folder_is_named_when_saving_and_save_as_looks_elsewhere(tmp_path: Path) -> None:
    folder = tmp_path / "gone"
    folder.mkdir()
    session = Session(CanvasFile.create(folder / "canvas.toml"))
    session.set_text("lifetime", "typed")
    folder.rmdir()
    with pytest.raises(CanvasFileError, match=r"the folder .*gone does not exist") as caught:
        session.save()
    assert caught.value.denied, "Save as is offered"
    assert session.suggest_copy_path().parent == Path.cwd()


# -- the file on disk ---------------------------------------------------------------------------


def test_a_change_on_disk_with_nothing_unsaved_is_reloaded(world: World, example: Path) -> None:
    session = world.open(example)
    assert session.reconcile().outcome is DiskOutcome.UNCHANGED
    teammate_edits(example, product="Renamed")
    assert session.reconcile().outcome is DiskOutcome.RELOADED
    assert session.canvas.fields["product"] == "Renamed"
    assert not session.dirty


def test_changes_to_different_blocks_merge_and_save_keeps_both(world: World, example: Path) -> None:
    session = world.open(example)
    session.set_text("lifetime", "Mine.")
    teammate_edits(example, security="done")
    assert session.check_save(explicit=True) is SaveCheck.DISK_FIRST
    report = session.reconcile()
    assert report.outcome is DiskOutcome.MERGED and report.taken == ("security",)
    session.save()
    blocks = on_disk(example)["blocks"]
    assert blocks["lifetime"]["text"] == "Mine." and blocks["security"]["status"] == "done"


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("mine", "Mine."),
        ("theirs", "Theirs."),
        # Mine is marked with my name; theirs "on disk" when no presence file says who saved it.
        ("both", "<<<<<<< {me}\nMine.\n=======\nTheirs.\n>>>>>>> on disk\n"),
    ],
)
def test_a_block_changed_on_both_sides_waits_for_the_user(
    world: World, example: Path, choice: str, expected: str
) -> None:
    session = world.open(example)
    session.set_text("lifetime", "Mine.")
    teammate_edits(example, lifetime="Theirs.")
    report = session.reconcile()
    assert report.outcome is DiskOutcome.CONFLICTS
    assert session.check_save(explicit=True) is SaveCheck.WAITING
    assert session.reconcile().outcome is DiskOutcome.UNCHANGED, "one question at a time"
    session.settle({"lifetime": choice})  # type: ignore[dict-item]
    session.save()
    me = marker_label(session.user, "mine")
    assert on_disk(example)["blocks"]["lifetime"]["text"] == expected.replace("{me}", me)


PARAGRAPHS = "We retrain weekly.\n\nOwner: the data team.\n\nAlerts go to #ml-ops.\n"


def test_different_lines_of_one_block_merge_with_the_disk(world: World, example: Path) -> None:
    """Two people editing paragraphs 1 and 3 of one block: no question, both edits kept."""
    teammate_edits(example, lifetime=PARAGRAPHS)
    session = world.open(example)
    session.set_text("lifetime", PARAGRAPHS.replace("weekly", "fortnightly"))
    teammate_edits(example, lifetime=PARAGRAPHS.replace("#ml-ops", "#alerts"))
    report = session.reconcile()
    assert report.outcome is DiskOutcome.MERGED and report.taken == ("lifetime",)
    session.save()
    expected = "We retrain fortnightly.\n\nOwner: the data team.\n\nAlerts go to #alerts.\n"
    assert on_disk(example)["blocks"]["lifetime"]["text"] == expected


@pytest.mark.parametrize(
    ("choice", "expected"),
    [
        ("mine", "We retrain fortnightly.\n\nOwner: Ana.\n\nAlerts go to #ml-ops.\n"),
        ("theirs", "We retrain monthly.\n\nOwner: Ana.\n\nAlerts go to #ml-ops.\n"),
        (
            "both",
            "<<<<<<< {me}\nWe retrain fortnightly.\n=======\nWe retrain monthly.\n>>>>>>> on disk\n"
            "\nOwner: Ana.\n\nAlerts go to #ml-ops.\n",
        ),
    ],
)
def test_the_same_line_changed_on_both_sides_asks_about_that_line_only(
    world: World, example: Path, choice: str, expected: str
) -> None:
    """Whatever the choice, the teammate's edit of another line stays; "both" marks only the clash,
    so `check` fails and the card shows it until it is settled."""
    teammate_edits(example, lifetime=PARAGRAPHS)
    session = world.open(example)
    session.set_text("lifetime", PARAGRAPHS.replace("weekly", "fortnightly"))
    teammate_edits(example, lifetime=PARAGRAPHS.replace("weekly", "monthly").replace("the data team", "Ana"))
    assert session.reconcile().outcome is DiskOutcome.CONFLICTS
    session.settle({"lifetime": choice})  # type: ignore[dict-item]
    session.save()
    me = marker_label(session.user, "mine")
    assert on_disk(example)["blocks"]["lifetime"]["text"] == expected.replace("{me}", me)
    assert bool(conflicted_blocks(CanvasFile.load(example).canvas)) == (choice == "both")


def test_a_status_i_changed_keeps_the_text_a_teammate_changed(world: World, example: Path) -> None:
    session = world.open(example)
    session.set_status("fairness", Status.DONE)
    teammate_edits(example, fairness="Theirs.")
    assert session.reconcile().outcome is DiskOutcome.MERGED
    assert session.canvas.blocks["fairness"].text == "Theirs."
    assert session.canvas.blocks["fairness"].status is Status.DONE


def test_an_unreadable_file_on_disk_is_never_written_over(world: World, example: Path) -> None:
    session = world.open(example)
    session.set_text("lifetime", "Mine.")
    example.write_bytes(b"[canvas\nnot TOML")
    assert session.check_save(explicit=True) is SaveCheck.DISK_FIRST
    report = session.reconcile()
    assert report.outcome is DiskOutcome.UNREADABLE and report.error is not None
    assert session.check_save(explicit=True) is SaveCheck.DISK_FIRST, "still blocked"
    assert example.read_bytes() == b"[canvas\nnot TOML"


def test_a_deleted_file_is_written_again_only_when_the_user_asks(world: World, example: Path) -> None:
    session = world.open(example)
    session.set_text("lifetime", "Mine.")
    example.unlink()
    report = session.reconcile()
    assert report.outcome is DiskOutcome.GONE and report.first
    assert not session.reconcile().first, "said once"
    assert not session.autosaving
    assert session.check_save(explicit=False) is SaveCheck.DISK_FIRST
    assert session.check_save(explicit=True) is SaveCheck.READY
    session.save()
    assert on_disk(example)["blocks"]["lifetime"]["text"] == "Mine."
    assert session.autosaving


# -- crashes and recovery -----------------------------------------------------------------------


def crash_with(world: World, path: Path, **edits: str) -> Session:
    session = world.open(path)
    for block_id, text in edits.items():
        session.set_text(block_id, text)
    record = session.take_recovery()
    assert record is not None and session.write_recovery(record)
    world.crash(session)
    return session


def test_restore_after_a_crash_brings_back_only_my_edits(world: World, example: Path) -> None:
    """Issue: a teammate's later change on disk must not be reverted by the restore."""
    crash_with(world, example, lifetime="Typed before the crash.")
    teammate_edits(example, product="Renamed by a teammate", security="done")
    session = world.open(example)
    offers = session.recovery_offers()
    assert [offer.mine for offer in offers] == [("lifetime",)]
    session.restore(offers[0], {})
    session.save()
    disk = on_disk(example)
    assert disk["blocks"]["lifetime"]["text"] == "Typed before the crash."
    assert disk["canvas"]["product"] == "Renamed by a teammate"
    assert disk["blocks"]["security"]["status"] == "done"
    assert not recovery.recovery_files(example)


def test_a_block_both_changed_since_the_crash_is_a_conflict(world: World, example: Path) -> None:
    crash_with(world, example, lifetime="Mine, before the crash.")
    teammate_edits(example, lifetime="Theirs, after it.")
    session = world.open(example)
    [offer] = session.recovery_offers()
    assert [conflict.key for conflict in offer.merge.conflicts] == ["lifetime"]
    session.restore(offer, {"lifetime": "theirs"})
    assert session.canvas.blocks["lifetime"].text == "Theirs, after it."
    assert not session.dirty


def test_a_restore_merges_lines_with_what_changed_since_the_crash(world: World, example: Path) -> None:
    teammate_edits(example, lifetime=PARAGRAPHS)
    crash_with(world, example, lifetime=PARAGRAPHS.replace("weekly", "fortnightly"))
    teammate_edits(example, lifetime=PARAGRAPHS.replace("#ml-ops", "#alerts"))
    session = world.open(example)
    [offer] = session.recovery_offers()
    assert offer.merge.conflicts == ()
    session.restore(offer, {})
    expected = "We retrain fortnightly.\n\nOwner: the data team.\n\nAlerts go to #alerts.\n"
    assert session.canvas.blocks["lifetime"].text == expected


def test_declined_recovery_is_set_aside_not_destroyed(world: World, example: Path) -> None:
    crash_with(world, example, lifetime="Not wanted.")
    session = world.open(example)
    [offer] = session.recovery_offers()
    kept = session.decline(offer)
    assert kept is not None and "Not wanted." in kept.read_text(encoding="utf-8")
    assert not recovery.recovery_files(example)


def test_a_recovery_with_nothing_new_is_not_offered_and_goes(world: World, example: Path) -> None:
    crash_with(world, example, lifetime="Saved by a teammate too.")
    teammate_edits(example, lifetime="Saved by a teammate too.")
    session = world.open(example)
    assert session.recovery_offers() == []
    assert not recovery.recovery_files(example)


def test_an_old_format_recovery_file_is_still_offered(world: World, example: Path) -> None:
    fields = dict(CanvasFile.load(example).canvas.fields)
    blocks = {
        block_id: {"text": value.text, "status": value.status.value, "unknown_status": None}
        for block_id, value in CanvasFile.load(example).canvas.state().blocks.items()
    }
    blocks["lifetime"] = {"text": "From an older canvas-tui.", "status": "draft", "unknown_status": None}
    old = {"format": recovery.OLD_FORMAT, "written_at": "", "fields": fields, "blocks": blocks}
    recovery.recovery_path(example).write_text(json.dumps(old), encoding="utf-8")
    session = world.open(example)
    [offer] = session.recovery_offers()
    assert offer.mine == ("lifetime",)


# -- two instances ------------------------------------------------------------------------------


def test_a_second_instance_sees_who_has_the_canvas_and_leaves_its_files_alone(
    world: World, example: Path
) -> None:
    first = world.open(example)
    first.set_text("lifetime", "The first instance's unsaved words.")
    record = first.take_recovery()
    assert record is not None and first.write_recovery(record)
    before = first.recovery_path.read_bytes()

    me = Instance("here", 2, "", "second", "2026-12-01T11:00:00")
    world.running.add(me.token)
    second = Session(CanvasFile.load(example), me=me, alive=world.alive)
    result = second.claim()
    assert result.held_by is not None and result.held_by.token == first.me.token
    assert second.recovery_offers() == [], "the first instance still runs: its file is its own"
    second.set_text("security", "typed in the second")  # the user chose "Open anyway"
    assert second.write_recovery_now()
    assert second.recovery_path != first.recovery_path
    second.close()
    assert first.recovery_path.read_bytes() == before
    assert read_lock(example) == first.me


READ_ONLY_EDITS = {
    "text": lambda session: session.set_text("security", "typed"),
    "status": lambda session: session.set_status("security", Status.DONE),
    "cycle": lambda session: session.cycle_status("security"),
    "skip": lambda session: session.toggle_skip("security"),
    "questions": lambda session: session.set_answered("security", [1]),
    "info": lambda session: session.set_fields({"product": "Renamed"}),
}


@pytest.mark.parametrize("edit", READ_ONLY_EDITS, ids=list(READ_ONLY_EDITS))
def test_a_read_only_session_refuses_every_edit_and_says_what(world: World, example: Path, edit: str) -> None:
    session = world.open(example)
    session.open_read_only("is open in PID 9220 on vm")
    before = session.canvas.state()
    changes: list[Change] = []
    refused: list[str] = []
    session.listeners.append(changes.append)
    session.refusal_listeners.append(refused.append)
    READ_ONLY_EDITS[edit](session)
    assert session.canvas.state() == before
    assert not session.dirty and changes == []
    assert len(refused) == 1
    assert session.take_recovery() is None


def test_read_only_refuses_undo_of_earlier_steps_and_ends_with_save_as(
    world: World, example: Path, tmp_path: Path
) -> None:
    session = world.open(example)
    session.cycle_status("security")
    session.save()
    session.open_read_only("is open in PID 9220 on vm")
    status = session.canvas.blocks["security"].status
    assert session.undo() is None
    assert session.canvas.blocks["security"].status == status
    assert not session.set_text("security", session.canvas.blocks["security"].text), "no edit, no refusal"
    session.save_as(tmp_path / "copy.toml")
    assert session.set_text("security", "typed")


def test_a_stale_lock_of_a_dead_instance_is_taken_over(world: World, example: Path) -> None:
    crashed = world.open(example)
    world.crash(crashed)
    session = world.open(example)
    assert session.holds_lock
    assert read_lock(example) == session.me
    session.close()
    assert not lock_path(example).exists()


def test_save_as_takes_the_lock_and_recovery_file_along(world: World, example: Path) -> None:
    session = world.open(example)
    session.set_text("lifetime", "typed")
    assert session.write_recovery_now()
    old_recovery = session.recovery_path
    target = example.with_name("copy.toml")
    session.save_as(target)
    assert not old_recovery.exists(), "the next start at the old path must not claim a crash"
    assert not lock_path(example).exists()
    assert read_lock(target) == session.me
    assert not session.dirty
