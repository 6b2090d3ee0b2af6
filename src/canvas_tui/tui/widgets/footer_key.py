"""One key in the footer: its label (`^s`), what it does (`Save`), dimmed while it does nothing here,
and a click presses it.

The class is named as Textual's own footer key is, so the footer's layout rules (the gap between
keys, the palette key docked at the right with its rule) and the footer-* theme colours style it the
same way.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.reactive import reactive
from textual.widget import Widget


class FooterKey(Widget):
    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {"footer-key--key", "footer-key--description"}

    DEFAULT_CSS = """
    FooterKey {
        width: auto;
        height: 1;
        text-wrap: nowrap;
        background: $footer-item-background;
        .footer-key--key {
            color: $footer-key-foreground;
            background: $footer-key-background;
            text-style: bold;
            padding: 0 1;
        }
        .footer-key--description {
            padding: 0 1 0 0;
            color: $footer-description-foreground;
            background: $footer-description-background;
        }
        &:hover {
            pointer: pointer;
            color: $footer-key-foreground;
            background: $block-hover-background;
        }
        &.-disabled { text-style: dim; }
        &.-compact {
            .footer-key--key { padding: 0; }
            .footer-key--description { padding: 0 0 0 1; }
        }
    }
    """

    compact = reactive(True)
    """Keys closer together (the footer is always compact here)."""

    def __init__(
        self,
        key: str,
        key_display: str,
        description: str,
        *,
        disabled: bool = False,
        tooltip: str = "",
        classes: str = "",
    ) -> None:
        self.key = key
        self.key_display = key_display
        self.description = description
        self.does_nothing_here = disabled
        super().__init__(classes=f"{classes} -disabled" if disabled else classes)
        self.set_reactive(Widget.shrink, False)
        if tooltip:
            self.tooltip = tooltip

    def render(self) -> Text:
        key_style = self.get_component_rich_style("footer-key--key")
        description_style = self.get_component_rich_style("footer-key--description")
        key_padding = self.get_component_styles("footer-key--key").padding
        description_padding = self.get_component_styles("footer-key--description").padding
        if self.description:
            label = Text.assemble(
                (" " * key_padding.left + self.key_display + " " * key_padding.right, key_style),
                (
                    " " * description_padding.left + self.description + " " * description_padding.right,
                    description_style,
                ),
            )
        else:
            label = Text.assemble((self.key_display, key_style))
        label.stylize_before(self.rich_style)
        return label

    def on_mouse_down(self) -> None:
        if self.does_nothing_here:
            self.app.bell()
        else:
            self.app.simulate_key(self.key)

    def watch_compact(self, compact: bool) -> None:
        self.set_class(compact, "-compact")
