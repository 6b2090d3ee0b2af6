"""The user's `[keymap]` (config.toml): binding id -> keys, checked, then handed to Textual."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from canvas_tui.tui.app import CanvasApp


def apply_user_keymap(app: CanvasApp) -> None:
    """Ids no screen has and keys two bindings would share are warnings naming them; the rest apply."""
    from canvas_tui.tui.screens.help_screen import binding_ids, keymap_clashes

    known = binding_ids()
    unknown = sorted(set(app.keymap) - known)
    if unknown:
        app.notify(
            f"[keymap] has no binding {', '.join(unknown)}; see the README for the ids",
            title="Keymap",
            severity="warning",
            timeout=8,
        )
    app.keymap = {binding_id: keys for binding_id, keys in app.keymap.items() if binding_id in known}
    clashes = keymap_clashes(app.keymap)
    if clashes:
        app.notify(
            "[keymap] gives one key to two bindings: " + "; ".join(clashes),
            title="Keymap",
            severity="warning",
            timeout=8,
        )
    app.set_keymap(app.keymap)
