"""The session's rules run on the event loop: timers, save threads, and the dialogs they lead to.

The session decides; this module schedules. After every change it (re)starts the autosave timer and
the recovery-file timer; saves and recovery writes run off the typing path, in threads; a change on
disk found before a save, or by the periodic check, is shown, merged or put to the user.
"""

from __future__ import annotations

import threading

from textual.timer import Timer

from canvas_tui.session import (
    Change,
    DiskOutcome,
    DiskReport,
    PendingMerge,
    RecoveryRecord,
    SaveCheck,
    SaveTicket,
    Session,
)
from canvas_tui.storage import CanvasFileError, DiskSignature
from canvas_tui.tui.disk_messages import disk_message
from canvas_tui.tui.host import Host


class SaveRunner:
    """Autosave, background saves, the recovery file's timer and the disk check, for one session."""

    def __init__(self, session: Session, host: Host) -> None:
        self.session = session
        self.host = host
        self._autosave_timer: Timer | None = None
        self._recovery_timer: Timer | None = None
        self._saving = False  # a background save is running
        self._save_again = False  # ... and another change wants saving after it
        self._recovery_told = ""  # the last recovery write failure the user was told of
        self.replaced_in_editor: list[str] = []
        """Blocks whose open editor had its text replaced by what the disk check took in (its undo
        brings the text back): the next report about the disk says so."""

    # -- after every change ------------------------------------------------------------------

    def changed(self, change: Change) -> None:
        session = self.session
        if session.dirty and self._recovery_timer is None:
            self._recovery_timer = self.host.set_timer(session.timing.recovery, self._write_recovery_soon)
        if session.autosaving and session.dirty:
            if self._autosave_timer is None:
                self._autosave_timer = self.host.set_timer(session.timing.autosave, self.autosave_now)
            else:
                self._autosave_timer.reset()

    def _write_recovery_soon(self) -> None:
        self._recovery_timer = None
        record = self.session.take_recovery()
        if record is not None:
            threading.Thread(target=self._write_recovery, args=(record,), daemon=True).start()

    def _write_recovery(self, record: RecoveryRecord) -> None:
        try:
            self.session.write_recovery(record)
        except OSError as error:
            message = (
                f"Could not write the recovery file {self.session.recovery_path}: {error.strerror or error}"
            )
            self.host.call_from_thread(self._tell_recovery_failed, message)
        else:
            self._recovery_told = ""

    def _tell_recovery_failed(self, message: str) -> None:
        # Once per reason, not after every pause in typing.
        if message != self._recovery_told:
            self._recovery_told = message
            self.host.notify(message, severity="warning", timeout=10)

    def autosave_now(self) -> None:
        """What the autosave timer does: save in the background if there is work and it may."""
        self._autosave_timer = None
        if self.session.dirty and self.session.autosaving:
            self.save(quiet=True, background=True)

    # -- saving --------------------------------------------------------------------------------

    def save(self, *, quiet: bool = False, background: bool = False) -> bool:
        """Save now (or start a background save); False when it did not happen (the user was told).

        A file changed on disk is reconciled first (asking when a block changed on both sides) and
        saved after that, which also answers False: what came from the disk is there to be seen
        before, say, a quit.
        """
        session, host = self.session, self.host
        self.replaced_in_editor.clear()
        if background and self._saving:
            self._save_again = True
            return False
        if background and session.check_save(explicit=False) is SaveCheck.READY:
            return self._save_in_background()
        step = session.save_reconciling(explicit=not quiet)
        if step.check is SaveCheck.READ_ONLY:
            self.offer_save_as(f"{session.path.name} {session.read_only_reason or 'is read-only'}.")
            return False
        report = step.report
        if report is not None:
            if report.outcome is DiskOutcome.UNCHANGED and session.disk_error is not None and not quiet:
                # Already reported once; asked again, say again why nothing was written.
                host.notify(
                    f"{session.disk_error}. Fix the file, or save a copy elsewhere.",
                    title="Not saved",
                    severity="error",
                    timeout=10,
                    markup=False,
                )
                self.offer_save_as(f"{session.path.name} on disk does not read.")
                return False
            self.show_disk_report(report, then_save=not quiet)
        if step.error is not None:
            self._save_failed(step.error)
            return False
        if step.saved and not quiet:
            host.notify(f"Saved {session.path}", timeout=2, markup=False)
        return step.saved and report is None

    def _save_in_background(self) -> bool:
        """The values are taken now; the write goes to a thread, off the typing path."""
        try:
            ticket = self.session.prepare_save()
        except CanvasFileError as error:
            self._save_failed(error)
            return False
        self._saving = True
        self.host.run_worker(
            lambda: self._write_in_thread(ticket), thread=True, group="save", exit_on_error=False
        )
        return True

    def _write_in_thread(self, ticket: SaveTicket) -> None:
        try:
            signature = self.session.write(ticket)
        except CanvasFileError as error:
            self.host.call_from_thread(self._background_done, ticket, None, error)
        else:
            self.host.call_from_thread(self._background_done, ticket, signature, None)

    def _background_done(
        self, ticket: SaveTicket, signature: DiskSignature | None, error: CanvasFileError | None
    ) -> None:
        self._saving = False
        if error is not None:
            self._save_failed(error)
        else:
            self.session.finish_save(ticket, signature)
        if self._save_again:
            self._save_again = False
            if self.session.dirty and self.session.autosaving:
                self.save(quiet=True, background=True)

    def _save_failed(self, error: CanvasFileError) -> None:
        self.host.notify(str(error), title="Not saved", severity="error", timeout=10, markup=False)
        self.session.write_recovery_now()
        if error.denied:
            self.offer_save_as(f"{self.session.path.name} cannot be written.")

    def offer_save_as(self, reason: str) -> None:
        self.host.run_worker(self._save_as(reason), group="dialogs")

    async def _save_as(self, reason: str) -> None:
        from canvas_tui.tui.screens.save_as_screen import SaveAsScreen

        session, host = self.session, self.host
        dialog = SaveAsScreen(reason, session.suggest_copy_path())
        target = await host.push_screen(dialog, wait_for_dismiss=True)
        if target is None:
            return
        try:
            old_path = session.save_as(target)
        except CanvasFileError as error:
            host.notify(str(error), title="Not saved", severity="error", timeout=10, markup=False)
            return
        host.notify(f"Saved a copy as {target}; editing it from now on (was {old_path}).", markup=False)

    # -- the file on disk ----------------------------------------------------------------------

    def check_disk(self) -> None:
        """What the disk-check timer does: take in a change on disk; autosave writes a merge."""
        self.replaced_in_editor.clear()
        report = self.session.reconcile()
        self.show_disk_report(report)
        if report.outcome is DiskOutcome.MERGED and self.session.autosaving:
            self.save(quiet=True)

    def show_disk_report(self, report: DiskReport, *, then_save: bool = False) -> None:
        """Tell the user what the disk check found; ask about conflicts, and save once they are
        answered if the user was saving (`then_save`) or autosave is on."""
        session, host = self.session, self.host
        if report.outcome is DiskOutcome.UNREADABLE:
            session.write_recovery_now()  # the save is blocked until the file reads again
        if report.outcome is DiskOutcome.CONFLICTS and report.pending is not None:
            host.run_worker(self._settle(report.pending, then_save=then_save), group="dialogs")
            return
        replaced, self.replaced_in_editor = self.replaced_in_editor, []
        message = disk_message(session, report, replaced)
        if message is not None:
            host.notify(
                message.text,
                title=message.title,
                severity=message.severity,
                timeout=message.timeout,
                markup=False,
            )

    async def _settle(self, pending: PendingMerge, *, then_save: bool) -> None:
        """Put a block changed on both sides to the user; keep what they choose, then save."""
        from canvas_tui.tui.screens.conflict_screen import ConflictScreen

        session = self.session
        dialog = ConflictScreen(pending.merge, session.canvas.template)
        choices = await self.host.push_screen(dialog, wait_for_dismiss=True)
        settled = session.settle(choices or {})
        self.show_disk_report(settled)
        if settled.outcome is DiskOutcome.MERGED and (then_save or session.autosaving):
            self.save(quiet=not then_save)
