"""What the UI's parts may ask of the app, as protocols the app meets.

The app (app.py) wires the session, the helpers that run its rules on the event loop, and the
screens; none of them imports the app back. They name what they use here instead: a helper the
event loop's services (`Host`), a screen or the palette the session and the app-wide actions
(`CanvasHost`). So a change to the app's wiring reaches no screen, and any part can be built
around a stand-in.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeVar

if TYPE_CHECKING:
    from textual.notifications import SeverityLevel
    from textual.screen import Screen
    from textual.timer import Timer
    from textual.worker import Worker

    from canvas_tui.model import Canvas, Snapshot
    from canvas_tui.session import Session
    from canvas_tui.storage import CanvasFile

Result = TypeVar("Result")


class Host(Protocol):
    """The event loop's services: timers, threads and workers, notices, dialogs, the exit."""

    def set_timer(self, delay: float, callback: Callable[[], object], /) -> Timer: ...

    def set_interval(
        self, interval: float, callback: Callable[[], object], /, *, name: str | None = None
    ) -> Timer: ...

    def call_from_thread(self, callback: Callable[..., object], /, *args: Any) -> Any: ...

    def run_worker(
        self,
        work: Callable[[], object] | Awaitable[object],
        /,
        *,
        group: str = "default",
        exclusive: bool = False,
        thread: bool = False,
        exit_on_error: bool = True,
    ) -> Worker[Any]: ...

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None: ...

    def push_screen(
        self, screen: Screen[Result], /, *, wait_for_dismiss: Literal[True]
    ) -> asyncio.Future[Result]:
        """A dialog, from a worker: awaiting the future gives the dialog's answer."""
        ...

    def exit(self, result: int | None = None, /) -> None: ...


class CanvasHost(Host, Protocol):
    """What the screens and the palette use: the session, the app-wide state and actions."""

    session: Session
    lint_off: set[str]
    """Lint rules turned off for this canvas or by the user: the cards do not mark them."""
    changed_block: str | None
    """The block the last change was to (None: any block may have changed)."""
    also_open: tuple[str, ...]
    """Who else has the canvas open, by name."""

    @property
    def canvas(self) -> Canvas: ...

    @property
    def document(self) -> CanvasFile: ...

    @property
    def dirty(self) -> bool: ...

    @property
    def head(self) -> Snapshot | None: ...

    @property
    def canvas_screen(self) -> Screen[Any]:
        """The home screen, whatever screen is on top."""
        ...

    def start_block(self) -> str: ...

    def open_editor(self, block_id: str, *, find: str = "") -> None: ...

    def save_if_autosaving(self) -> None: ...

    def text_replaced(self, block_id: str) -> None: ...

    def action_save(self) -> None: ...

    def action_request_quit(self) -> None: ...

    def action_help(self) -> None: ...

    def action_about(self) -> None: ...

    def action_edit_info(self) -> None: ...
