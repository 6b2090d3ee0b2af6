"""Dialogs of fields and buttons that take a burst of keys exactly as keys typed one by one.

Keys that arrive in one read (a paste of keystrokes, a burst over SSH, a fast typist on a slow
link) are handed by Textual, one after the other, to the widget focused when the app takes each
from its queue. Two things then overtake each other:

* Tab moves the focus only when the key has gone to the focused field and bubbled back up to the
  app's binding, by which time the app has handed the keys after it to the field being left:
  `Prod<tab>Des` sent in one write typed `ProdDes` into one field. Here tab and shift+tab are
  priority bindings, which run while the app handles the key itself, before it takes the next.
* A field's own keys that are bindings (backspace, delete, the arrows, home, end, enter) run when
  the key reaches the app again, after the printable keys behind them were already typed:
  `<backspace>3` in one write typed 3 and then deleted it. `FormInput` and `FormButton` run the
  binding of each key when the key reaches them, in the order the keys came.
"""

from __future__ import annotations

from typing import ClassVar, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input

from canvas_tui.tui.screens.closing import ClosesOnce

ResultType = TypeVar("ResultType")


class FormScreen(ModalScreen[ResultType], ClosesOnce[ResultType]):
    """A modal dialog of fields and buttons whose tab and shift+tab move the focus at once."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "focus_next_now", "Next field", show=False, priority=True),
        Binding("shift+tab", "focus_previous_now", "Previous field", show=False, priority=True),
    ]

    def action_focus_next_now(self) -> None:
        self.focus_next()

    def action_focus_previous_now(self) -> None:
        self.focus_previous()


async def do_bound_action_now(widget: Widget, event: events.Key) -> None:
    """Do the action bound to `event`'s key (the widget's own, its screen's or the app's) now,
    when the key reaches `widget`, rather than when it has bubbled back up to the app.

    Textual calls the key handler of each class along a widget's MRO until one prevents the
    default, so the widget's own handler (typing a character) runs only for keys not done here.
    """
    active = widget.screen.active_bindings.get(event.key)
    # A priority binding's key only gets here when its action declined it: leave it be.
    if active is None or active.binding.priority or not active.enabled:
        return
    if await widget.app.run_action(active.binding.action, active.node):
        event.stop()
        event.prevent_default()


class FormInput(Input):
    """An Input that takes a burst of keys as if typed one by one."""

    async def on_key(self, event: events.Key) -> None:
        await do_bound_action_now(self, event)


class FormButton(Button):
    """A Button that takes a burst of keys as if typed one by one."""

    async def on_key(self, event: events.Key) -> None:
        await do_bound_action_now(self, event)
