"""What HEAD holds, for the cards' changed-since-commit marks (Δ), read off the event loop.

Outside a git work tree nothing runs after one look for a `.git` folder. Inside one, HEAD is read
again now and then in a thread, so a commit made while canvas-tui runs clears the marks.
"""

from __future__ import annotations

from collections.abc import Callable

from canvas_tui.model import Snapshot
from canvas_tui.session import Session
from canvas_tui.tui.host import Host

HEAD_CHECK_INTERVAL = 20.0
"""Seconds between looks at HEAD (in a git work tree only)."""


class HeadWatch:
    def __init__(self, session: Session, host: Host, changed: Callable[[], None]) -> None:
        self.session = session
        self.host = host
        self._changed = changed  # every card may show a different mark now
        self.head: Snapshot | None = None
        self._watching = False

    def start(self) -> None:
        self.host.run_worker(self._load, thread=True, group="head", exit_on_error=False)

    def _load(self) -> None:
        from canvas_tui.git import head_state, in_work_tree

        path = self.session.path
        if not in_work_tree(path):
            return
        head = head_state(path)
        if head != self.head or not self._watching:
            self.host.call_from_thread(self._loaded, head)

    def _loaded(self, head: Snapshot | None) -> None:
        self.head = head
        self._changed()
        if not self._watching:
            self._watching = True
            self.host.set_interval(HEAD_CHECK_INTERVAL, self._again, name="head-check")

    def _again(self) -> None:
        self.host.run_worker(self._load, thread=True, group="head", exclusive=True, exit_on_error=False)
