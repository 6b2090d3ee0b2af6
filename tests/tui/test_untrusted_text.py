"""Dialogs and notices show what a file says, as written: a planted lock or recovery file cannot
send escape sequences to the terminal or turn its text into markup (links, styles)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.tui.helpers import leave_recovery, make_app
from tests.waiting import wait_until
from textual.widget import Widget
from textual.widgets import Label
from textual.widgets._toast import Toast

from canvas_tui.files import recovery
from canvas_tui.files.lock import LOCK_FORMAT, lock_path
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.screens.lock_screen import LockScreen
from canvas_tui.tui.screens.recovery_screen import RecoveryScreen

HOSTILE_HOST = "[link=https://evil.example]host[/link]\x1b]52;c;ZWNobyBwd25lZA==\x07\x1b[2J\x9b2J\u202e"
SHOWN_HOST = "[link=https://evil.example]host[/link]\u241b]52;c;ZWNobyBwd25lZA==\u2407\u241b[2J\\x9b2J\\u202e"


def plant_lock(canvas: Path, host: str) -> None:
    """A lock as a clone or a shared folder could carry it: another machine's, so never stale."""
    holder = {"host": host, "pid": 4242, "started": "", "token": "planted", "since": "2026-01-01T10:00:00"}
    lock_path(canvas).write_text(json.dumps({"format": LOCK_FORMAT, "holder": holder}), encoding="utf-8")


def shown(widget: Widget) -> str:
    """The text a widget puts on the screen, markup already applied."""
    rendered = widget.render()
    return str(getattr(rendered, "plain", rendered))


async def test_the_already_open_dialog_shows_a_planted_host_as_written(example_copy: Path) -> None:
    plant_lock(example_copy, HOSTILE_HOST)
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await wait_until(lambda: isinstance(app.screen, LockScreen), "the lock dialog opens")
        texts = [shown(label) for label in app.screen.query(Label)]
        assert any(SHOWN_HOST in text for text in texts), texts
        assert not any("\x1b" in text or "\x9b" in text for text in texts)
        await pilot.press("r")  # read-only: the notice names the host too
        await wait_until(lambda: app.session.read_only, "the canvas opens read-only")
        await wait_until(lambda: app.screen.query(Toast), "the read-only notice shows")
        notices = [shown(toast) for toast in app.screen.query(Toast)]
        assert any(SHOWN_HOST in notice for notice in notices), notices
        assert not any("\x1b" in notice for notice in notices)


async def test_a_planted_recovery_time_is_shown_as_written(example_copy: Path) -> None:
    document = CanvasFile.load(example_copy)
    base = document.canvas.state()
    document.canvas.set_text("lifetime", "edits")
    path = recovery.recovery_path(example_copy)
    leave_recovery(example_copy, base, document.canvas.state())
    data = json.loads(path.read_text(encoding="utf-8"))
    data["written_at"] = "[link=https://evil.example]soon[/link]\x1b[2J"
    path.write_text(json.dumps(data), encoding="utf-8")
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)):
        await wait_until(lambda: isinstance(app.screen, RecoveryScreen), "the recovery dialog opens")
        texts = [shown(label) for label in app.screen.query(Label)]
        assert any("[link=https://evil.example]soon[/link]\u241b[2J" in text for text in texts), texts
