"""The search field under the canvas: what to look for, the keys that walk the matching blocks, and
its title saying how many blocks match.

The canvas marks the matching cards and moves between them; the field tells it what the user asked
for (`Input.Changed`, `Input.Submitted`, and the messages below). Its keys are bindings with ids, so
a user's `[keymap]` can change them like any other, and help lists them as they are.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import Input

PLACEHOLDER = "Search block text · ↓/↑ next/previous hit · enter: edit there · ctrl+t: titles too"


class SearchBar(Input):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down,tab",
            "step(1)",
            "Next match",
            show=False,
            id="search.next",
            tooltip="Next block that matches",
        ),
        Binding(
            "up,shift+tab",
            "step(-1)",
            "Previous match",
            show=False,
            id="search.previous",
            tooltip="Previous block that matches",
        ),
        Binding(
            "enter",
            "submit",
            "Edit there",
            show=False,
            id="search.edit",
            tooltip="Open the editor at the match",
        ),
        Binding(
            "ctrl+t",
            "toggle_titles",
            "Titles too",
            show=False,
            id="search.titles",
            tooltip="Match block titles too",
        ),
        Binding("escape", "close", "Close", show=False, id="search.close", tooltip="Close the search"),
    ]

    class Step(Message):
        """Go to the next (1) or the previous (-1) block that matches."""

        def __init__(self, direction: int) -> None:
            super().__init__()
            self.direction = direction

    class ScopeChanged(Message):
        """Block titles are searched too now, or no longer (`titles`)."""

    class Closed(Message):
        """The user is done searching."""

    def __init__(self, *, id: str | None = None) -> None:
        # Disabled while closed: it cannot take the focus (or the keys) from the canvas.
        super().__init__(placeholder=PLACEHOLDER, id=id, disabled=True)
        self.titles = False
        """Block titles are searched as well as their text (ctrl+t)."""

    def action_step(self, direction: int) -> None:
        self.post_message(self.Step(direction))

    def action_toggle_titles(self) -> None:
        self.titles = not self.titles
        self.post_message(self.ScopeChanged())

    def action_close(self) -> None:
        self.post_message(self.Closed())

    def show_count(self, needle: str, count: int) -> None:
        scope = " (text and titles)" if self.titles else ""
        found = f"1 block matches{scope}" if count == 1 else f"{count} blocks match{scope}"
        self.border_title = found if needle else ("Titles too" if self.titles else "")

    def show_position(self, position: int, count: int, title: str) -> None:
        self.border_title = f"{position}/{count}: {title}"


def next_hit(order: Sequence[str], current: str, hits: Sequence[str], direction: int) -> str:
    """The matching block to go to from `current`, in fill order `order`, going round at the ends:
    the next one after it (direction > 0) or the one before it; itself when it is the only one."""
    here = order.index(current)
    ranked = sorted(hits, key=lambda block: (order.index(block) - here) % len(order))
    if direction > 0:
        return next((block for block in ranked if block != current), ranked[0])
    return ranked[-1] if ranked[-1] != current or len(ranked) == 1 else ranked[-2]
