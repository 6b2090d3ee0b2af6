"""Helpers for key bindings shared by the screens."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingType


def in_typed_order(bindings: list[Binding]) -> list[BindingType]:
    """Screen keys run in the order they were typed, before later keys are delivered.

    Without this, keys typed right after `e` or `/` (a paste, a burst over SSH) are handled by
    the canvas before the editor or the search field exists, and are lost or misread.
    """
    return [replace(binding, priority=True) for binding in bindings]
