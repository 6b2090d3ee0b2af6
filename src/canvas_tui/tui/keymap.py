"""What the user set for themselves: `[keymap]` (binding id -> keys, checked, then handed to Textual)
and which lint rules are off (config.toml and the canvas's own `[lint]` table)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from canvas_tui.lint import rules_off
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.appearance import Appearance

if TYPE_CHECKING:
    from canvas_tui.tui.app import CanvasApp


def lint_rules_off(document: CanvasFile, appearance: Appearance) -> set[str]:
    """The rules `canvas-tui lint` leaves off for this canvas, so the cards mark what it reports."""
    user_off = appearance.settings.lint_off if appearance.settings is not None else []
    return set(rules_off(document, user_off)[0])


def apply_user_keymap(app: CanvasApp) -> None:
    """Ids no screen has and keys two bindings would share are warnings naming them; the rest apply."""
    if not app.keymap:
        return  # nothing to check: the help screen (and every screen it lists) loads when first needed
    from canvas_tui.tui.screens.help_screen import binding_ids, keymap_clashes

    known = binding_ids()
    unknown = sorted(set(app.keymap) - known)
    if unknown:
        app.notify(
            f"[keymap] has no binding {', '.join(unknown)}; see the README for the ids",
            title="Keymap",
            severity="warning",
            timeout=8,
            markup=False,
        )
    app.keymap = {binding_id: keys for binding_id, keys in app.keymap.items() if binding_id in known}
    clashes = keymap_clashes(app.keymap)
    if clashes:
        app.notify(
            "[keymap] gives one key to two bindings: " + "; ".join(clashes),
            title="Keymap",
            severity="warning",
            timeout=8,
            markup=False,
        )
    app.set_keymap(app.keymap)
