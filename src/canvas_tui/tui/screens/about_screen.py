"""About: version, the canvas's attribution and licence, and why each of its columns is there
(the rationale from the canvas's guide, which the column titles show on hover)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from canvas_tui import __version__
from canvas_tui.model import Template
from canvas_tui.tui.screens.closing import ClosesOnce


class AboutScreen(ModalScreen[None], ClosesOnce[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,enter", "dismiss", "Close", id="about.close", tooltip="Close"),
    ]

    DEFAULT_CSS = """
    AboutScreen { align: center middle; }
    AboutScreen > VerticalScroll {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: thick $canvas-border; background: $surface; padding: 1 2;
    }
    """

    def __init__(self, template: Template) -> None:
        super().__init__()
        self.template = template

    def compose(self) -> ComposeResult:
        t = self.template
        text = Text()
        text.append(f"canvas-tui {__version__}\n", "bold")
        text.append("A terminal editor for canvases, stored as plain TOML.\n\n")
        text.append(f"{t.title}\n", "bold")
        text.append(f"By {t.author} ({t.author_email})\n{t.source}\nLicence: {t.licence}\n\n")
        text.append(t.attribution + "\n\n", "italic")
        text.append("Why each column\n", "bold")
        for column in t.columns:
            text.append(f"{column.title}: ", "bold")
            text.append(column.rationale + "\n\n")
        text.append("escape: close", "dim")
        with VerticalScroll():
            yield Static(text)
