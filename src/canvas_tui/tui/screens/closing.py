"""Closing a screen once, however many keys ask for it.

Two keys that close a screen (escape twice, a choice key twice) can both reach it before it has
gone: typed fast, pasted, or batched by a slow link. Textual's `Screen.dismiss` pops whatever is on
top, so the second would close the screen below (and on the last screen, end in ScreenStackError).
"""

from __future__ import annotations

from typing import Any, TypeVar

from textual.screen import Screen

ResultType = TypeVar("ResultType")


def on_top(screen: Screen[Any]) -> bool:
    """Whether `screen` is the one on top, so a key may still act on it."""
    return screen.is_attached and screen.app.screen is screen


def dismiss_once(screen: Screen[ResultType], result: ResultType) -> None:
    """`screen.dismiss(result)`, unless the screen has already left the top of the stack."""
    if on_top(screen):
        screen.dismiss(result)
