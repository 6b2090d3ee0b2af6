"""Keeping the user's words safe while the app runs: recovery file, hang-ups, changes on disk.

- While there are unsaved changes, a recovery file is written off the typing path (a thread),
  about half a second after the last change; a clean exit removes it.
- SIGHUP (the SSH link dropped) and SIGTERM (shutdown) save, or write the recovery file when
  autosave is off or the save cannot happen, and then exit cleanly.
- The file is checked cheaply (one stat) every 2 s and before every save. A change on disk is
  reloaded when there is nothing local, merged block by block when there is, and a block changed
  on both sides is put to the user. A deleted or moved file is reported and saved again only when
  the user asks. A file on disk that cannot be parsed is never written over.
"""

from __future__ import annotations

import asyncio
import contextlib
import signal
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from textual.timer import Timer

from canvas_tui import recovery
from canvas_tui.model import Snapshot
from canvas_tui.model.merge import Choice, Merge, merge3
from canvas_tui.storage import CanvasFile, CanvasFileError, DiskSignature

if TYPE_CHECKING:
    from canvas_tui.tui.app import CanvasApp

RECOVERY_DELAY = 0.5
"""Seconds after a change before the recovery file is written (then at most ~1 s behind)."""
DISK_CHECK_INTERVAL = 2.0
"""Seconds between checks of the file on disk while the app runs."""


class FileGuard:
    def __init__(self, app: CanvasApp) -> None:
        self.app = app
        self._recovery_timer: Timer | None = None
        self._pending_lock = threading.Lock()  # guards _recovery_pending and _recovery_thread
        self._file_lock = threading.Lock()  # every write and removal of the recovery file
        self._recovery_pending: Snapshot | None = None
        self._recovery_thread: threading.Thread | None = None
        self._settling = False  # a merge question is open
        self._reported_signature: DiskSignature | None = None
        self.missing_on_disk = False

    @property
    def path(self) -> Path:
        return self.app.document.path

    # -- start ---------------------------------------------------------------------------------

    def start(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(signum, self.on_terminate_signal)
        self.app.set_interval(DISK_CHECK_INTERVAL, self.check_disk, name="disk-check")
        self.offer_recovery()

    def offer_recovery(self) -> None:
        """After a crash: offer the recovery file's edits, showing which blocks differ."""
        found = recovery.read(self.path)
        if found is None:
            return
        current = self.app.canvas.state()
        # Only what this canvas has: a recovery file from another template must not crash us.
        snapshot = Snapshot(
            {k: v for k, v in found.snapshot.fields.items() if k in current.fields},
            {k: v for k, v in found.snapshot.blocks.items() if k in current.blocks},
        )
        differing = snapshot.differences(current)
        if not differing:
            self.discard()
            return
        from canvas_tui.tui.screens.recovery_screen import RecoveryScreen

        def decide(restore: bool | None) -> None:
            if restore:
                self.app.canvas.restore(snapshot)
                self.app.changed(None, external=True)
                self.app.notify("Unsaved edits restored; save to keep them.", title="Restored", timeout=5)
            else:
                with self._file_lock:
                    kept = recovery.set_aside(self.path)
                if kept is not None:
                    self.app.notify(f"The discarded edits stay in {kept.name} for now.", timeout=5)

        self.app.push_screen(RecoveryScreen(self._titles(differing), found.written_at), decide)

    def _titles(self, keys: list[str]) -> list[str]:
        template = self.app.canvas.template
        labels = {spec.id: spec.label for spec in template.fields}
        return [labels.get(key) or template.block(key).title for key in keys]

    # -- the recovery file -------------------------------------------------------------------

    def changed(self) -> None:
        """After every change: keep the recovery file close behind while work is unsaved."""
        if self.app.dirty and self._recovery_timer is None:
            self._recovery_timer = self.app.set_timer(RECOVERY_DELAY, self._write_recovery_soon)

    def _write_recovery_soon(self) -> None:
        self._recovery_timer = None
        if not self.app.dirty:
            return
        with self._pending_lock:
            self._recovery_pending = self.app.canvas.state()
            if self._recovery_thread is not None:
                return  # the running writer picks up the newest snapshot
            self._recovery_thread = threading.Thread(
                target=self._recovery_writer, name="canvas-tui-recovery", daemon=True
            )
            self._recovery_thread.start()

    def _recovery_writer(self) -> None:
        while True:
            with self._pending_lock:
                snapshot, self._recovery_pending = self._recovery_pending, None
                if snapshot is None:
                    self._recovery_thread = None
                    return
            # Writes and removals all hold the file lock, and a save clears the pending snapshot
            # under it, so an older snapshot never lands after a newer one or after the save
            # that made the file unnecessary.
            with self._file_lock:
                try:
                    recovery.write(self.path, snapshot)
                except OSError as error:
                    self.app.call_from_thread(
                        self.app.notify,
                        f"Could not write the recovery file: {error.strerror or error}",
                        severity="warning",
                    )

    def write_recovery_now(self) -> bool:
        """Write the recovery file on this thread (hang-up, failed save). True when written."""
        snapshot = self.app.canvas.state()
        with self._pending_lock:
            self._recovery_pending = None
        with self._file_lock:
            try:
                recovery.write(self.path, snapshot)
            except OSError:
                return False
        return True

    def saved(self) -> None:
        """After a successful save (or a discard): nothing is left to recover."""
        if self._recovery_timer is not None:
            self._recovery_timer.stop()
            self._recovery_timer = None
        with self._pending_lock:
            self._recovery_pending = None
        with self._file_lock:  # waits for a write in flight, then removes what it wrote
            recovery.remove(self.path)
        self.missing_on_disk = False

    def discard(self) -> None:
        """The user chose to throw away unsaved work (or there was none): no recovery file."""
        self.saved()

    # -- hang-up and shutdown ----------------------------------------------------------------

    def on_terminate_signal(self) -> None:
        app = self.app
        app.flush_editors()
        if app.dirty:
            # Through the app's save, so it is ordered with a background save in flight.
            saved = app.autosaving and not self.disk_changed() and app.save(quiet=True)
            if not saved:
                self.write_recovery_now()
        else:
            self.discard()
        app.exit(0)

    # -- the file on disk ----------------------------------------------------------------------

    def disk_changed(self) -> bool:
        document = self.app.document
        return document.exists and document.disk_signature() != document.signature

    def check_disk(self) -> None:
        """Every 2 s: one stat of the file; act only when it changed."""
        if self._settling or not self.app.document.exists:
            return
        signature = self.app.document.disk_signature()
        if signature == self.app.document.signature or signature == self._reported_signature:
            return
        self.handle_disk_change(signature)

    def handle_disk_change(self, signature: DiskSignature | None, *, then_save: bool = False) -> None:
        app = self.app
        if self._settling:
            return  # one question at a time; the open one settles this change too
        app.flush_editors()  # the last keys typed count as local changes
        name = self.path.name
        if signature is None:
            if not self.missing_on_disk:
                self.missing_on_disk = True
                app.notify(
                    f"{name} was deleted or moved. Press ctrl+s to save it again here.",
                    title="File gone",
                    severity="warning",
                    timeout=15,
                )
            app.refresh_file_state()
            return
        try:
            theirs = CanvasFile.load(self.path)
        except CanvasFileError as error:
            self._reported_signature = signature
            if app.dirty:
                self.write_recovery_now()  # the save is blocked until the file reads again
            app.notify(
                f"{error}. canvas-tui will not save over it until it reads again.",
                title="Changed on disk",
                severity="error",
                timeout=15,
            )
            return
        self._reported_signature = None
        self.missing_on_disk = False
        base = app.saved_state or theirs.canvas.state()
        theirs_state = theirs.canvas.state()
        if not app.dirty:
            app.canvas.restore(theirs_state)
            self._adopt(theirs, theirs_state)
            app.notify(f"{name} changed on disk; reloaded.", title="Reloaded", timeout=4)
            return
        merge = merge3(base, app.canvas.state(), theirs_state)
        if not merge.conflicts:
            self._finish_merge(theirs, theirs_state, merge.merged, merge, then_save)
            return
        from canvas_tui.tui.screens.conflict_screen import ConflictScreen

        self._settling = True

        def settle(choices: dict[str, Choice] | None) -> None:
            self._settling = False
            resolved = merge.resolve(choices or {})
            self._finish_merge(theirs, theirs_state, resolved, merge, then_save)

        app.push_screen(ConflictScreen(merge, app.canvas.template), settle)

    def _finish_merge(
        self,
        theirs: CanvasFile,
        theirs_state: Snapshot,
        resolved: Snapshot,
        merge: Merge,
        then_save: bool,
    ) -> None:
        app = self.app
        app.canvas.restore(resolved)
        self._adopt(theirs, theirs_state)
        taken = self._titles(list(merge.taken_from_theirs))
        if taken:
            app.notify("Merged from disk: " + ", ".join(taken), title="Changed on disk", timeout=6)
        if then_save or app.autosaving:
            app.save(quiet=not then_save)

    def _adopt(self, theirs: CanvasFile, theirs_state: Snapshot) -> None:
        self.app.document.adopt(theirs)
        self.app.saved_state = theirs_state
        self.app.changed(None, external=True)
