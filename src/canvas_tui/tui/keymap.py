"""What the user set for themselves: `[keymap]` (binding id -> keys, checked, then handed to Textual)
and which lint rules are off (config.toml and the canvas's own `[lint]` table).

The bindings a `[keymap]` may name are found in the code, not listed by hand: every class of the UI
that declares BINDINGS, so a new screen or widget's keys can be changed the moment they exist.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache
from typing import Any

from textual.app import App
from textual.binding import Binding

from canvas_tui.files.settings import Settings
from canvas_tui.lint import rules_off
from canvas_tui.storage import CanvasFile


def lint_rules_off(document: CanvasFile, settings: Settings | None) -> set[str]:
    """The rules `canvas-tui lint` leaves off for this canvas, so the cards mark what it reports."""
    user_off = settings.lint_off if settings is not None else []
    return set(rules_off(document, user_off)[0])


def declared_bindings(source: type) -> list[Binding]:
    """The bindings `source` declares itself (not those it inherits)."""
    return [b for b in vars(source).get("BINDINGS", []) if isinstance(b, Binding)]


@cache
def binding_classes() -> list[type]:
    """Every class of the UI that declares key bindings, module by module. The UI's modules are
    all imported to find them, so this runs only when a keymap is checked or help is opened."""
    import canvas_tui.tui

    classes: list[type] = []
    found = pkgutil.walk_packages(canvas_tui.tui.__path__, f"{canvas_tui.tui.__name__}.")
    for name in sorted(module.name for module in found):
        module = importlib.import_module(name)
        classes += [
            value
            for value in vars(module).values()
            if isinstance(value, type) and value.__module__ == name and "BINDINGS" in vars(value)
        ]
    return classes


def binding_ids() -> set[str]:
    """Every id a `[keymap]` may name."""
    return {binding.id for source in binding_classes() for binding in declared_bindings(source) if binding.id}


def keymap_clashes(keymap: dict[str, str]) -> list[str]:
    """Keys that `keymap` gives to a binding while another binding of the same screen keeps them,
    e.g. `e: canvas.edit, canvas.info`. (Textual's own check misses a clash with a binding the
    keymap leaves alone.)"""
    clashes = []
    for source in binding_classes():
        owners: dict[str, set[str]] = {}
        for binding in declared_bindings(source):
            if not binding.id:
                continue
            keys = keymap.get(binding.id, binding.key)
            for key in keys.split(","):
                owners.setdefault(key.strip(), set()).add(binding.id)
        clashes += [f"{key}: {', '.join(sorted(ids))}" for key, ids in owners.items() if len(ids) > 1]
    return clashes


def apply_user_keymap(app: App[Any], keymap: dict[str, str]) -> dict[str, str]:
    """Ids no screen has and keys two bindings would share are warnings naming them; the rest apply
    to `app`, and are returned."""
    if not keymap:
        return keymap  # nothing to check: every screen with keys loads when first needed
    known = binding_ids()
    unknown = sorted(set(keymap) - known)
    if unknown:
        app.notify(
            f"[keymap] has no binding {', '.join(unknown)}; see docs/keys.md for the ids",
            title="Keymap",
            severity="warning",
            timeout=8,
            markup=False,
        )
    keymap = {binding_id: keys for binding_id, keys in keymap.items() if binding_id in known}
    clashes = keymap_clashes(keymap)
    if clashes:
        app.notify(
            "[keymap] gives one key to two bindings: " + "; ".join(clashes),
            title="Keymap",
            severity="warning",
            timeout=8,
            markup=False,
        )
    app.set_keymap(keymap)
    return keymap
