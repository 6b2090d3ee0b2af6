"""What HEAD holds, for the cards' changed-since-commit marks (Δ), read off the event loop.

Outside a git work tree nothing runs after one look for a `.git` folder. Inside one, HEAD is read
again now and then in a thread, so a commit made while canvas-tui runs clears the marks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from canvas_tui.model import Snapshot

if TYPE_CHECKING:
    from canvas_tui.tui.app import CanvasApp

HEAD_CHECK_INTERVAL = 20.0
"""Seconds between looks at HEAD (in a git work tree only)."""


class HeadWatch:
    def __init__(self, app: CanvasApp) -> None:
        self.app = app
        self.head: Snapshot | None = None
        self._watching = False

    def start(self) -> None:
        self.app.run_worker(self._load, thread=True, group="head", exit_on_error=False)

    def _load(self) -> None:
        from canvas_tui.git import head_state, in_work_tree

        path = self.app.session.path
        if not in_work_tree(path):
            return
        head = head_state(path)
        if head != self.head or not self._watching:
            self.app.call_from_thread(self._loaded, head)

    def _loaded(self, head: Snapshot | None) -> None:
        self.head = head
        self.app.changed_block = None  # every card may have changed
        self.app.revision += 1
        if not self._watching:
            self._watching = True
            self.app.set_interval(HEAD_CHECK_INTERVAL, self._again, name="head-check")

    def _again(self) -> None:
        self.app.run_worker(self._load, thread=True, group="head", exclusive=True, exit_on_error=False)
