"""Helpers for key bindings shared by the screens."""

from __future__ import annotations

from dataclasses import replace

from textual.binding import Binding, BindingType


def in_typed_order(bindings: list[Binding]) -> list[BindingType]:
    """Screen keys run in the order they were typed, before later keys are delivered.

    Without this, keys typed right after `e` or `/` (a paste, a burst over SSH) are handled by
    the canvas before the editor or the search field exists, and are lost or misread.
    """
    typed: list[BindingType] = []
    for binding in bindings:
        # One Binding per key, the first one shown: the footer then names the key people expect
        # (alt+down rather than its ctrl+pagedown alternative), in the order written here.
        for index, key in enumerate(binding.key.split(",")):
            typed.append(replace(binding, key=key.strip(), priority=True, show=binding.show and index == 0))
    return typed
