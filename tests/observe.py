"""What a Pilot test can see of a running app, through Textual's public API only.

`screen_text`: the screen as plain text, read from `App.export_screenshot()` (the SVG Textual
makes of exactly what the terminal shows). `Notices`: every notification the app raised, seen as
the `Notify` messages that `run_test(message_hook=...)` reports.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from typing import Any

from rich.cells import cell_len
from textual.app import App
from textual.message import Message
from textual.notifications import Notification, Notify

_SVG_TEXT = "{http://www.w3.org/2000/svg}text"


def screen_text(app: App[Any]) -> str:
    """What the terminal shows right now, one line per row, trailing spaces removed.

    Rich's SVG draws each run of text as a <text> at x = column * cell width (its textLength
    is the cell width times its length), on one y per row; blank runs are not drawn at all.
    """
    root = ET.fromstring(app.export_screenshot())
    rows: dict[float, list[tuple[float, str]]] = {}
    cell_width = 0.0
    for element in root.iter(_SVG_TEXT):
        if element.get("textLength") is None or element.get("clip-path") is None:
            continue  # the window title, not the screen
        text = "".join(element.itertext()).replace("\xa0", " ")
        cell_width = cell_width or float(element.get("textLength", 0)) / max(1, len(text))
        rows.setdefault(float(element.get("y", 0)), []).append((float(element.get("x", 0)), text))
    lines = []
    for _, runs in sorted(rows.items()):
        line = ""
        for x, text in sorted(runs):
            line += " " * max(0, round(x / cell_width) - cell_len(line)) + text
        lines.append(line.rstrip())
    return "\n".join(lines)


@dataclass
class Notices:
    """Collects the app's notifications: `app.run_test(message_hook=notices.hook)`."""

    seen: list[Notification] = field(default_factory=list)

    def hook(self, message: Message) -> None:
        if isinstance(message, Notify):
            self.seen.append(message.notification)

    @property
    def messages(self) -> list[str]:
        return [notification.message for notification in self.seen]

    @property
    def titled(self) -> list[tuple[str, str]]:
        """(title, message) of each notification."""
        return [(notification.title, notification.message) for notification in self.seen]
