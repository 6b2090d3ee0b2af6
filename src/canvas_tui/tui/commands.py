"""Command palette entries that depend on the open canvas: go to a block, set status, save."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

from canvas_tui.model import Status

if TYPE_CHECKING:
    from canvas_tui.tui.app import CanvasApp


class CanvasCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from canvas_tui.tui.screens.canvas_screen import CanvasScreen
        from canvas_tui.tui.screens.editor_screen import EditorScreen

        app = cast("CanvasApp", self.app)
        canvas = app.canvas
        screen = self.screen  # the screen the palette was opened from
        commands: list[tuple[str, Callable[[], object], str]] = []
        if isinstance(screen, CanvasScreen):
            for spec in canvas.template.blocks:
                block = canvas.blocks[spec.id]
                commands.append(
                    (
                        f"Go to {spec.title}",
                        partial(screen.select, spec.id),
                        f"{canvas.template.column(spec.column).title} · {block.status.label}",
                    )
                )
            current = screen.current
        elif isinstance(screen, EditorScreen):
            current = screen.block_id
        else:
            current = ""
        if current:
            title = canvas.template.block(current).title
            for status in Status:
                commands.append(
                    (
                        f"Set status: {status.value} ({title})",
                        partial(self._set_status, current, status),
                        f"Mark {title} as {status.label}",
                    )
                )
        commands += [
            ("Save", app.action_save, f"Write {app.document.path}"),
            (
                "Edit canvas info",
                app.action_edit_info,
                "Product name, Designed by, Date, Iteration",
            ),
            ("Help: keys", app.action_help, "Every key, grouped by screen"),
            ("About canvas-tui", app.action_about, "Version, canvas attribution and licence"),
        ]
        return commands

    def _set_status(self, block_id: str, status: Status) -> None:
        app = cast("CanvasApp", self.app)
        app.canvas.set_status(block_id, status)
        app.changed(block_id)

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)
