"""The session itself: one open canvas, its edits, saves in order, the disk, the recovery file, the lock."""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from canvas_tui.files import presence, recovery
from canvas_tui.files.lock import Instance, Liveness, LockResult, acquire, is_running, release
from canvas_tui.files.presence import Presence
from canvas_tui.model import Canvas, FieldValue, Snapshot, Status, normalise_newlines
from canvas_tui.model.merge import MINE_LABEL, THEIRS_LABEL, Choice, marker_label, merge3
from canvas_tui.session.recovery_offers import RecoveryOffer, find_offers
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
from canvas_tui.storage import CanvasFile, CanvasFileError, DiskSignature


@dataclass
class Session:
    """One open canvas: its file, what is saved, what is not, and who else has it open."""

    document: CanvasFile
    autosave: bool = True
    timing: Timing = field(default_factory=Timing)
    me: Instance = field(default_factory=Instance.current)
    alive: Liveness = is_running
    user: str = field(default_factory=presence.current_user)
    """Who this instance is to the others who have the canvas open (see `files/presence.py`)."""
    via: str = field(default_factory=presence.current_via)

    def __post_init__(self) -> None:
        self.saved_state: Snapshot | None = self.canvas.state() if self.document.exists else None
        self._start_state = self.canvas.state()
        self.read_only = not self.document.writable()
        self.read_only_reason = "cannot be written" if self.read_only else ""
        self.missing_on_disk = False
        self.holds_lock = False
        self.listeners: list[Callable[[Change], None]] = []
        self.refusal_listeners: list[Callable[[str], None]] = []
        """Told what the user tried to change (see `may_edit`) when read-only refused it."""
        self._dirty = False
        self._pending: PendingMerge | None = None
        self._offers_open = False
        self._reported_signature: DiskSignature | None = None
        self.disk_error: CanvasFileError | None = None
        """Why the file on disk does not read, while it does not: saves wait for it to be fixed."""
        self._write_lock = threading.Lock()  # saves, in the order they were prepared
        self._sequence = self._written = self._applied = 0
        self._recovery_lock = threading.Lock()  # every write and removal of our recovery file
        self._recovery_sequence = self._recovery_written = self._recovery_generation = 0
        self.recovery_path = recovery.recovery_path(self.path, self.me.token)
        self.refused: list[str] = []
        """Recovery names beside the canvas taken by something canvas-tui leaves alone (one line each)."""
        self._undo: list[Step] = []
        self._redo: list[Step] = []
        self._presence: Presence | None = None
        """What our presence file says while it is there; None before `claim` or when unwritable."""
        self._presence_lock = threading.Lock()  # a save thread notes its save in it too

    # -- what the screens read ---------------------------------------------------------------

    @property
    def canvas(self) -> Canvas:
        return self.document.canvas

    @property
    def path(self) -> Path:
        return self.document.path

    @property
    def base(self) -> Snapshot:
        """The values on disk as far as we know (a new file: the canvas as it started)."""
        return self.saved_state if self.saved_state is not None else self._start_state

    @property
    def dirty(self) -> bool:
        """The canvas holds work that is not on disk."""
        return self._dirty

    @property
    def autosaving(self) -> bool:
        """Autosave is on and can work: not read-only, and the file was not deleted under us."""
        return self.autosave and not self.read_only and not self.missing_on_disk

    @property
    def file_mark(self) -> str:
        """A short word for a problem with the file itself, shown in the headers."""
        if self.read_only:
            return "read-only"
        if self.missing_on_disk:
            return "file gone from disk"
        return ""

    # -- opening and closing -----------------------------------------------------------------

    def claim(self) -> LockResult:
        """Take the canvas's lock; when another running instance holds it, say who (and hold nothing)."""
        if not self.document.exists and not self.path.parent.is_dir():
            return LockResult(None)
        result = acquire(self.path, self.me, self.alive)
        self.holds_lock = result.ours
        self._register()
        self.recovery_path = recovery.recovery_path(self.path, None if self.holds_lock else self.me.token)
        if not recovery.usable(self.recovery_path):
            # Something planted under the usual name (it stays untouched): unsaved edits go to a
            # name of this instance's own, which the next start finds all the same.
            self.recovery_path = recovery.recovery_path(self.path, self.me.token)
        if result.problem and not self.read_only:
            # Without a lock a second instance would not know of this one: no saves, say why.
            self.open_read_only(f"could not be locked ({result.problem})")
        return result

    def may_edit(self, what: str) -> bool:
        """Whether the canvas takes edits: not while read-only, where the one way to edit is to open
        it anyway (or a copy). A refusal changes nothing and is told to the refusal listeners with
        `what` the user tried to change, so the user hears of it instead of typing into the void."""
        if not self.read_only:
            return True
        for listener in self.refusal_listeners:
            listener(what)
        return False

    def open_read_only(self, reason: str) -> None:
        self.read_only = True
        self.read_only_reason = reason
        self._notify(Change())

    def close(self, *, keep_recovery: bool = False) -> None:
        """A clean exit: the recovery file goes unless it must stay (`keep_recovery`), the lock goes."""
        if not keep_recovery:
            self.clear_recovery()
        self._withdraw()
        if self.holds_lock:
            release(self.path, self.me)
            self.holds_lock = False

    # -- editing -------------------------------------------------------------------------------

    # Every edit asks `may_edit` first: read-only changes nothing, however the edit was asked for.

    def set_text(self, block_id: str, text: str) -> bool:
        block = self.canvas.blocks[block_id]
        if normalise_newlines(text) == block.text or not self.may_edit("text"):
            return False  # the same text again (an editor showing a reload) is no edit
        before = (block.text, block.status)
        self.canvas.set_text(block_id, text)
        return self._edited(block_id, before != (block.text, block.status))

    def set_status(self, block_id: str, status: Status) -> None:
        if not self.may_edit("status"):
            return
        with self._step(block_id):
            self.canvas.set_status(block_id, status)

    def cycle_status(self, block_id: str) -> Status:
        if not self.may_edit("status"):
            return self.canvas.blocks[block_id].status
        with self._step(block_id):
            return self.canvas.cycle_status(block_id)

    def toggle_skip(self, block_id: str) -> Status:
        if not self.may_edit("status"):
            return self.canvas.blocks[block_id].status
        with self._step(block_id):
            return self.canvas.toggle_skip(block_id)

    def set_answered(self, block_id: str, numbers: list[int] | tuple[int, ...]) -> None:
        """Mark which guiding questions the block's text answers."""
        if not self.may_edit("questions"):
            return
        block = self.canvas.blocks[block_id]
        before = (block.answered, block.unknown_answered)
        self.canvas.set_answered(block_id, numbers)
        self._edited(block_id, before != (block.answered, block.unknown_answered))

    def set_fields(self, values: dict[str, FieldValue]) -> None:
        if not self.may_edit("canvas info"):
            return
        with self._step(None):
            for field_id, value in values.items():
                self.canvas.set_field(field_id, value)

    # -- undo and redo of status and header changes (the editor keeps its own text undo) --------

    def _status_of(self, block_id: str) -> tuple[object, ...]:
        block = self.canvas.blocks[block_id]
        return (block.status, block.unknown_status, block.before_skip, block.auto_draft)

    def _values_of(self, block_id: str | None) -> tuple[object, ...]:
        return tuple(self.canvas.fields.items()) if block_id is None else self._status_of(block_id)

    @contextlib.contextmanager
    def _step(self, block_id: str | None) -> Iterator[None]:
        """Record a status or header change for undo, and tell listeners about it."""
        before = self._values_of(block_id)
        yield
        after = self._values_of(block_id)
        if after != before:
            what = "canvas info" if block_id is None else self.canvas.template.block(block_id).title
            self._undo.append(Step(block_id, before, after, what))
            self._redo.clear()
        self._edited(block_id, True)

    def _apply(self, block_id: str | None, values: tuple[object, ...]) -> None:
        if block_id is None:
            self.canvas.fields.update(dict(values))  # type: ignore[arg-type]
        else:
            block = self.canvas.blocks[block_id]
            block.status, block.unknown_status, block.before_skip, block.auto_draft = values  # type: ignore[assignment]
        self._notify(Change(block_id))

    def undo(self) -> Step | None:
        """Take back the last status or header change; None when there is none."""
        if not self._undo or not self.may_edit("undo"):
            return None
        step = self._undo.pop()
        self._apply(step.block_id, step.before)
        self._redo.append(step)
        return step

    def redo(self) -> Step | None:
        if not self._redo or not self.may_edit("redo"):
            return None
        step = self._redo.pop()
        self._apply(step.block_id, step.after)
        self._undo.append(step)
        return step

    def _edited(self, block_id: str | None, changed: bool) -> bool:
        if changed:
            self._notify(Change(block_id))
        return changed

    def _notify(self, change: Change) -> None:
        if change.external:
            # Values came from outside (disk, restore): an undo step whose result is no longer
            # there would now revert someone else's change, so it goes.
            self._undo = [step for step in self._undo if self._values_of(step.block_id) == step.after]
            self._redo.clear()
        self._dirty = self.canvas.state() != self.base
        for listener in self.listeners:
            listener(change)

    # -- saving ------------------------------------------------------------------------------

    def disk_changed(self) -> bool:
        document = self.document
        return document.exists and document.disk_signature() != document.signature

    def check_save(self, *, explicit: bool) -> SaveCheck:
        """Whether a save may be written now. `explicit`: the user asked (ctrl+s), not autosave.

        A deleted file is written again only when the user asks, never by autosave.
        """
        if self._pending is not None:
            return SaveCheck.WAITING
        if self.read_only:
            return SaveCheck.READ_ONLY
        if self.disk_changed() and not (explicit and self.document.disk_signature() is None):
            return SaveCheck.DISK_FIRST
        return SaveCheck.READY

    def prepare_save(self) -> SaveTicket:
        """Take the values to save now (main thread). Raises CanvasFileError."""
        prepared = self.document.prepare_save()
        self._sequence += 1
        return SaveTicket(prepared, self._sequence)

    def write(self, ticket: SaveTicket) -> DiskSignature | None:
        """Verify and write (any thread); None when a newer save was already written."""
        folder = ticket.prepared.path.parent
        if not folder.is_dir():
            failure = CanvasFileError(
                ticket.prepared.path, f"not saved: the folder {folder} does not exist (moved or deleted?)"
            )
            failure.denied = True  # Save as, to a folder that exists, is the way out
            raise failure
        with self._write_lock:
            if ticket.sequence < self._written:
                return None  # an older background save must never overwrite a newer one
            signature = self.document.write_prepared(ticket.prepared)
            self._written = ticket.sequence
            self._note_save(signature)
            return signature

    def finish_save(self, ticket: SaveTicket, signature: DiskSignature | None) -> None:
        """Take note of a written save (main thread)."""
        if signature is None or ticket.sequence <= self._applied:
            return
        self._applied = ticket.sequence
        self.document.finish_save(signature)
        self.saved_state = ticket.prepared.state
        self.missing_on_disk = False
        if self.canvas.state() == self.saved_state:
            self.clear_recovery()
        self._notify(Change())

    def save(self) -> None:
        """Prepare, write and finish on this thread. Raises CanvasFileError."""
        ticket = self.prepare_save()
        self.finish_save(ticket, self.write(ticket))

    def save_reconciling(self, *, explicit: bool) -> SaveStep:
        """Save now, after taking in what changed on disk: a change by someone else is merged block
        by block first, so a save never writes over it. `explicit`: the user asked (ctrl+s).

        Nothing is written while a conflict question is open or the canvas is read-only, nor when
        reconciling leaves nothing to write for now: the disk's version was taken, a block changed
        on both sides (the user answers `report.pending`, then saves again), the file does not read.
        A merge is written when the user asked, or when autosave would write it anyway.
        """
        check = self.check_save(explicit=explicit)
        report = None
        if check is SaveCheck.DISK_FIRST:
            report = self.reconcile()
            if report.outcome is not DiskOutcome.MERGED or not (explicit or self.autosaving):
                return SaveStep(check, report)
            if self.check_save(explicit=explicit) is not SaveCheck.READY:
                return SaveStep(check, report)  # changed again meanwhile: the next save takes it in
        elif check is not SaveCheck.READY:
            return SaveStep(check)
        try:
            self.save()
        except CanvasFileError as error:
            return SaveStep(check, report, error=error)
        return SaveStep(check, report, saved=True)

    def save_as(self, target: Path) -> Path:
        """Save to a new path and edit that file from now on; returns the old path.

        Our recovery file and lock belong to the old path: they go, so the next start there does not
        claim a crash; the new path gets its own lock.
        """
        old_path = self.path
        self.document.save_as(target)
        self.clear_recovery()
        self._withdraw(old_path)
        if self.holds_lock:
            release(old_path, self.me)
            self.holds_lock = False
        self.read_only, self.read_only_reason = False, ""
        self.claim()
        self.saved_state = self.canvas.state()
        self.missing_on_disk = False
        self._notify(Change())
        return old_path

    def suggest_copy_path(self) -> Path:
        """Where Save as proposes to write: beside the file, or here when its folder is gone."""
        path = self.path
        folder = path.parent if path.parent.is_dir() else Path.cwd()
        return folder / f"{path.stem}-copy{path.suffix}"

    # -- the file on disk --------------------------------------------------------------------

    def reconcile(self) -> DiskReport:
        """Compare with the file on disk (one stat when nothing changed) and settle what can be;
        a report of values taken from the disk names what changed there and, where presence
        knows, who saved it."""
        before = self.base
        return self._described(self._reconcile(), before)

    def _reconcile(self) -> DiskReport:
        document = self.document
        if self._pending is not None or not document.exists:
            return DiskReport(DiskOutcome.UNCHANGED)
        signature = document.disk_signature()
        if signature == document.signature or (
            signature is not None and signature == self._reported_signature
        ):
            return DiskReport(DiskOutcome.UNCHANGED)
        if signature is None:
            first = not self.missing_on_disk
            self.missing_on_disk = True
            self._notify(Change())
            return DiskReport(DiskOutcome.GONE, first=first)
        try:
            theirs = CanvasFile.load(self.path)
        except CanvasFileError as error:
            self._reported_signature = signature
            self.disk_error = error
            return DiskReport(DiskOutcome.UNREADABLE, error=error)
        self._reported_signature = None
        self.disk_error = None
        self.missing_on_disk = False
        theirs_state = theirs.canvas.state()
        if not self.dirty:
            self.canvas.restore(theirs_state)
            self._adopt(theirs)
            return DiskReport(DiskOutcome.RELOADED)
        merge = merge3(self.base, self.canvas.state(), theirs_state)
        if merge.conflicts:
            self._pending = PendingMerge(merge, theirs)
            return DiskReport(DiskOutcome.CONFLICTS, pending=self._pending)
        self.canvas.restore(merge.merged)
        self._adopt(theirs)
        return DiskReport(DiskOutcome.MERGED, taken=merge.taken_from_theirs)

    def settle(self, choices: dict[str, Choice]) -> DiskReport:
        """The user's answer to the open conflict question (a missing choice keeps mine)."""
        before = self.base
        return self._described(self._settle(choices), before)

    def _settle(self, choices: dict[str, Choice]) -> DiskReport:
        pending, self._pending = self._pending, None
        if pending is None:
            return DiskReport(DiskOutcome.UNCHANGED)
        saver = "" if pending.theirs is None else self._saver_of(pending.theirs.signature)
        labels = (marker_label(self.via or self.user, MINE_LABEL), marker_label(saver, THEIRS_LABEL))
        self.canvas.restore(pending.merge.resolve(choices, labels))
        if pending.theirs is not None:
            self._adopt(pending.theirs)
        else:
            self._notify(Change(external=True))
        return DiskReport(DiskOutcome.MERGED, taken=pending.merge.taken_from_theirs)

    def _described(self, report: DiskReport, before: Snapshot) -> DiskReport:
        """`report`, with the keys the disk's version changed since `before` (the last base) and
        the name of whoever saved that version, when their presence file says they did."""
        if report.outcome not in (DiskOutcome.RELOADED, DiskOutcome.MERGED) or self.base is before:
            return report
        who = self._saver_of(self.document.signature)
        return dataclasses.replace(report, changed=tuple(before.differences(self.base)), who=who)

    def _saver_of(self, signature: DiskSignature | None) -> str:
        """Who wrote the file as `signature` finds it, when their presence file says so; else ""."""
        if signature is None:
            return ""
        written = (signature.mtime_ns, signature.size, signature.inode)
        savers = [p for p in presence.others(self.path, self.me, self.alive) if p.saved == written]
        return savers[0].label if savers else ""

    def _adopt(self, theirs: CanvasFile) -> None:
        """The disk's version is the new base: merge into its document from now on."""
        self.document.adopt(theirs)
        self.saved_state = theirs.canvas.state()
        self._notify(Change(external=True))

    # -- presence: who else has the canvas open ---------------------------------------------

    def _register(self) -> None:
        """Tell other instances that this one has the canvas open (best effort, never a guard)."""
        if not self.path.parent.is_dir():
            return
        mine = Presence(self.me, self.user, self.via)
        with self._presence_lock:
            self._presence = mine if presence.register(self.path, mine) else None

    def _withdraw(self, path: Path | None = None) -> None:
        with self._presence_lock:
            if self._presence is not None:
                presence.withdraw(path or self.path, self.me.token)
                self._presence = None

    def _note_save(self, signature: DiskSignature) -> None:
        """Note in our presence file the file as this save left it: whoever reloads it can then
        tell their user who saved."""
        with self._presence_lock:
            if self._presence is None:
                return
            saved = (signature.mtime_ns, signature.size, signature.inode)
            mine = dataclasses.replace(self._presence, saved=saved, saved_at=presence.now())
            if presence.register(self.path, mine):
                self._presence = mine

    def others(self) -> list[Presence]:
        """Every other running instance that has the canvas open, earliest first (reads files
        beside the canvas: any thread). Registrations of dead processes on this host go."""
        return presence.others(self.path, self.me, self.alive)

    # -- the recovery file -------------------------------------------------------------------

    def take_recovery(self) -> RecoveryRecord | None:
        """What to write to the recovery file now (main thread); None when nothing is unsaved."""
        if not self.dirty or self._offers_open:
            return None  # while a crashed instance's edits are offered, its file stays as it is
        self._recovery_sequence += 1
        return RecoveryRecord(
            self.base, self.canvas.state(), self._recovery_sequence, self._recovery_generation
        )

    def write_recovery(self, record: RecoveryRecord) -> bool:
        """Write `record` (any thread) unless a newer one or a save got there first. Raises OSError."""
        with self._recovery_lock:
            if record.generation != self._recovery_generation or record.sequence <= self._recovery_written:
                return False
            recovery.write(self.recovery_path, self.path, record.base, record.mine, self.me)
            self._recovery_written = record.sequence
            return True

    def write_recovery_now(self) -> bool:
        """Write the recovery file on this thread (hang-up, failed save). True when written."""
        record = self.take_recovery()
        if record is None:
            return False
        try:
            return self.write_recovery(record)
        except OSError:
            return False

    def clear_recovery(self) -> None:
        """Nothing is left to recover: remove our file; recovery writes still in flight are void.

        While a crashed instance's edits are being offered, its file may sit at our path: it stays.
        """
        if self._offers_open:
            return
        with self._recovery_lock:
            self._recovery_generation += 1
            recovery.remove(self.recovery_path)

    def recovery_offers(self) -> list[RecoveryOffer]:
        """Edits that instances which no longer run left behind, merged with the canvas as it is
        (see `canvas_tui.session.recovery_offers`); while they are offered, our own recovery file
        waits."""
        self.refused = recovery.refused_names(self.path)
        offers = find_offers(self.path, self.canvas.state(), self.me, self.alive, holds_lock=self.holds_lock)
        self._offers_open = bool(offers)
        return offers

    def restore(self, offer: RecoveryOffer, choices: dict[str, Choice]) -> None:
        """Bring the offered edits back (a conflict settled by `choices`); they are unsaved then."""
        self.canvas.restore(offer.merge.resolve(choices))
        self._offers_open = False
        self._notify(Change(external=True))
        # Ours first, then theirs goes: at no moment is the restored work in no file.
        if not self.dirty:
            recovery.remove(offer.source.path)  # nothing came back that is not on disk already
        elif self.write_recovery_now() and offer.source.path != self.recovery_path:
            recovery.remove(offer.source.path)

    def decline(self, offer: RecoveryOffer) -> Path | None:
        """The user does not want the offered edits: the file is kept aside as `.bak`."""
        self._offers_open = False
        return recovery.set_aside(offer.source.path)

    def offers_done(self) -> None:
        """Every offer was answered: our recovery file may be written again."""
        self._offers_open = False

    def titles(self, keys: list[str] | tuple[str, ...]) -> list[str]:
        """What the user calls the fields and blocks with these ids."""
        template = self.canvas.template
        labels = {spec.id: spec.label for spec in template.fields}
        return [labels.get(key) or template.block(key).title for key in keys]
