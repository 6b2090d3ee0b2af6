"""Closing a screen once, however many keys ask for it.

Two keys that close a screen (escape twice, a choice key twice, a palette choice and escape) can
both reach it before it has gone: typed fast, pasted, or batched by a slow link. Textual's
`Screen.dismiss` pops whatever is on top, so the second would close the screen below (and on the
last screen, end in ScreenStackError). Every screen of ours that closes itself derives from
`ClosesOnce`, so the rule lives in one `dismiss`. It comes after Textual's screen class among the
bases: Textual takes a class's CSS and component classes from its first base only.
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual.await_complete import AwaitComplete
from textual.screen import Screen

ResultType = TypeVar("ResultType")


def on_top(screen: Screen[Any]) -> bool:
    """Whether `screen` is the one on top, so a key may still act on it."""
    return screen.is_attached and screen.app.screen is screen


class ClosesOnce(Screen[ResultType]):
    """A screen whose `dismiss` (and the `dismiss` action) does nothing once it has left the top."""

    def dismiss(self, result: ResultType | None = None) -> AwaitComplete:
        if on_top(self):
            return super().dismiss(result)
        return AwaitComplete()
