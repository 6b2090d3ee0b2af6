"""The footer: as many keys as fit, help first, and never a half-drawn label.

Textual's Footer lays every key out in one row and lets the row run under the command-palette key
docked at the right, so a narrow terminal shows `^s Sa` or a stray letter (`palettee`). This one
counts cells: f1 Help comes first (the key a new user needs), then the screen's keys in their
order, and a key that does not fit whole is left out (help lists them all). When not all fit, a
screen's FOOTER_PRIORITY says which to keep: the editor keeps f4 Skip and ctrl+o over alt+↑ Prev.
"""

from __future__ import annotations

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.screen import Screen
from textual.widgets import Footer

from canvas_tui.tui.widgets.footer_key import FooterKey

HELP_ACTION = "help"
PALETTE_WIDTH = 12
"""The palette key at the right: its rule, `^p palette` and a cell to spare."""


class KeyFooter(Footer):
    DEFAULT_CSS = """
    KeyFooter { overflow: hidden hidden; }
    """

    def __init__(self) -> None:
        super().__init__(compact=True)
        self._width = 0
        self.bindings_known = False
        """The screen has said which keys it has: until then there is nothing to show."""

    def bindings_changed(self, screen: Screen[object]) -> None:
        self.bindings_known = True
        super().bindings_changed(screen)

    def on_resize(self, event: Resize) -> None:
        if event.size.width != self._width:
            self._width = event.size.width
            self.call_after_refresh(self.recompose)

    def _label_width(self, binding: Binding) -> int:
        return cell_len(self.app.get_key_display(binding)) + 1 + cell_len(binding.description) + 1

    def _importance(self, item: tuple[Binding, bool, str]) -> tuple[bool, bool, int]:
        """Help first; then the keys that work here before those that do nothing here (dimmed);
        then the screen's FOOTER_PRIORITY (binding ids, most needed first); then the screen's order."""
        binding, enabled, _tooltip = item
        priority: tuple[str, ...] = getattr(self.screen, "FOOTER_PRIORITY", ())
        rank = priority.index(binding.id) if binding.id in priority else len(priority)
        return (binding.action != HELP_ACTION, not enabled, rank)

    def compose(self) -> ComposeResult:
        if not self.bindings_known:
            return
        active = self.screen.active_bindings
        shown: dict[str, tuple[Binding, bool, str]] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in shown:
                shown[binding.action] = (binding, enabled, tooltip)
        palette = active.get(self.app.COMMAND_PALETTE_BINDING) if self.app.ENABLE_COMMAND_PALETTE else None
        room = (self.size.width or self.app.size.width) - (PALETTE_WIDTH if palette else 0)
        chosen: set[str] = set()
        for binding, _enabled, _tooltip in sorted(shown.values(), key=self._importance):
            needed = self._label_width(binding)
            if needed > room:
                continue  # a shorter key further on may still fit
            room -= needed
            chosen.add(binding.action)
        # Shown in the screen's own order (help first), whichever were chosen.
        ordered = sorted(shown.values(), key=lambda item: item[0].action != HELP_ACTION)
        for binding, enabled, tooltip in ordered:
            if binding.action not in chosen:
                continue
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                disabled=not enabled,
                tooltip=tooltip,
            ).data_bind(compact=Footer.compact)
        if palette is not None:
            _node, binding, enabled, _tooltip = palette
            yield FooterKey(
                binding.key,
                self.app.get_key_display(binding),
                binding.description,
                classes="-command-palette",
                disabled=not enabled,
                tooltip=binding.tooltip or binding.description,
            )
