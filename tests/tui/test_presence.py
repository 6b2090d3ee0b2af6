"""Presence in the editor: the "already open" dialog names everyone who has the canvas open, the
header shows who else is there, and a reload says what changed, who saved it, and that ctrl+z in
the editor brings back the text it replaced."""

from __future__ import annotations

from pathlib import Path

from tests.tui.helpers import make_app
from tests.waiting import wait_until
from textual.widget import Widget
from textual.widgets import Label
from textual.widgets._toast import Toast

from canvas_tui.files.lock import Instance
from canvas_tui.session import Session
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.app import CanvasApp
from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.lock_screen import LockScreen
from canvas_tui.tui.widgets.canvas_header import CanvasHeader


def open_as(path: Path, user: str) -> Session:
    """Another instance, as `user` would have it open (in this process, with its own token)."""
    session = Session(CanvasFile.load(path), me=Instance.current(), user=user)
    session.claim()
    return session


def shown(widget: Widget) -> str:
    rendered = widget.render()
    return str(getattr(rendered, "plain", rendered))


def header(app: CanvasApp) -> str:
    return shown(app.canvas_screen.query_one(CanvasHeader))


def notices(app: CanvasApp) -> list[str]:
    return [shown(toast) for toast in app.screen.query(Toast)]


async def test_the_dialog_lists_everyone_and_the_header_names_them(example_copy: Path) -> None:
    others = [open_as(example_copy, user) for user in ("bob", "carol", "dave")]
    others[0].close()  # the first holder leaves: the others must still be named
    others.append(open_as(example_copy, "erin"))
    app = make_app(example_copy, user="alice")
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_until(lambda: isinstance(app.screen, LockScreen), "the already-open dialog")
        texts = [shown(label) for label in app.screen.query(Label)]
        assert "churn-early-warning.toml is already open:" not in texts  # the copy is canvas.toml
        assert "canvas.toml is already open:" in texts
        people = [text for text in texts if text.startswith("  • ")]
        assert sorted(line.split()[1] for line in people) == ["carol", "dave", "erin"], texts
        assert all(" (PID " in line and ", since " in line for line in people)
        await pilot.press("o")  # open anyway
        await wait_until(lambda: isinstance(app.screen, CanvasScreen), "the canvas")
        await wait_until(lambda: "also open:" in header(app), "the header names the others")
        names = header(app).split("also open: ", 1)[1].split("  ")[0]
        assert sorted(names.split(", ")) == ["carol", "dave", "erin"], header(app)
        for session in others[1:]:
            session.close()
        app.check_disk()
        await wait_until(lambda: "also open" not in header(app), "nobody else is left")
        assert not app.session.read_only


async def test_choosing_read_only_names_who_has_it_open(example_copy: Path) -> None:
    bob = open_as(example_copy, "bob")
    app = make_app(example_copy, user="alice")
    async with app.run_test(size=(140, 40), notifications=True) as pilot:
        await wait_until(lambda: isinstance(app.screen, LockScreen), "the already-open dialog")
        await pilot.press("r")
        await wait_until(lambda: app.session.read_only, "read-only")
        assert app.session.read_only_reason.startswith("is open by bob (PID ")
    bob.close()
