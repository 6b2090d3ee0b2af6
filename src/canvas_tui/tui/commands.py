"""Command palette entries that depend on the open canvas: go to a block, set status, save, export
in every registered format."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any, cast

from textual.app import App
from textual.command import DiscoveryHit, Hit, Hits, Provider

from canvas_tui.model import Status
from canvas_tui.storage import CanvasFileError
from canvas_tui.tui import picture  # registers the SVG export, which the loop below offers

if TYPE_CHECKING:
    from canvas_tui.export import Format
    from canvas_tui.tui.host import CanvasHost


class CanvasCommands(Provider):
    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        from canvas_tui.export import FORMATS, default_output
        from canvas_tui.git import in_work_tree
        from canvas_tui.tui.screens.canvas_screen import CanvasScreen
        from canvas_tui.tui.screens.editor_screen import EditorScreen

        app = cast("CanvasHost", self.app)
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
        if in_work_tree(app.document.path):
            commands.append(
                (
                    "Compare with HEAD",
                    self._compare_with_head,
                    "What differs from the last commit, block by block (unsaved edits included)",
                )
            )
        for export_format in FORMATS.values():
            if export_format.picture_of_the_screen and not isinstance(screen, CanvasScreen):
                continue  # a picture of the canvas screen is taken only there
            target = default_output(app.document.path, export_format.id)
            commands.append(
                (
                    f"Export as {export_format.name}",
                    partial(self._export, export_format),
                    f"Write {target} from the canvas as it is now (unsaved edits included)",
                )
            )
        return commands

    def _compare_with_head(self) -> None:
        from canvas_tui.git import GitError, canvas_from_text, show_revision
        from canvas_tui.model.compare import compare
        from canvas_tui.tui.screens.compare_screen import CompareScreen

        app = cast("CanvasHost", self.app)
        path = app.document.path
        try:
            old = canvas_from_text(f"{path.name} (HEAD)", show_revision(path, "HEAD"))
        except (GitError, CanvasFileError) as error:
            app.notify(
                str(error), title="Cannot compare with HEAD", severity="error", timeout=10, markup=False
            )
            return
        self.app.push_screen(CompareScreen(compare(old, app.canvas, f"{path.name} (HEAD)", path.name)))

    def _export(self, export_format: Format) -> None:
        app = cast("CanvasHost", self.app)
        if export_format.picture_of_the_screen:
            # Take the picture once the palette and any toasts are off the screen.
            self.app.clear_notifications()
            self.app.call_after_refresh(self._export_screenshot, export_format)
            return
        try:
            assert export_format.render is not None  # only a picture of the screen has none
            rendered = export_format.render(app.document)
        except Exception as error:  # a bug in an exporter must not take the user's session down
            app.notify(
                f"{type(error).__name__}: {error}", title="Not exported", severity="error", markup=False
            )
            return
        for warning in rendered.warnings:
            app.notify(warning, title=export_format.name, severity="warning", timeout=15, markup=False)
        self._write(export_format, rendered.content)

    def _export_screenshot(self, export_format: Format) -> None:
        app = cast("CanvasHost", self.app)
        template = app.canvas.template
        svg = self.app.export_screenshot(title=picture.screenshot_title(template))
        self._write(export_format, picture.with_attribution(svg, template))

    def _write(self, export_format: Format, text: str | bytes) -> None:
        from canvas_tui.export import default_output, write_export

        app = cast("CanvasHost", self.app)
        target = default_output(app.document.path, export_format.id)
        try:
            write_export(target, text, named=False)  # the default name, which the user did not type
        except OSError as error:
            app.notify(
                f"{target}: {error.strerror or error}",
                title="Not exported",
                severity="error",
                timeout=10,
                markup=False,
            )
            return
        app.notify(f"Wrote {target}", title=f"Exported {export_format.name}", timeout=5, markup=False)

    def _set_status(self, block_id: str, status: Status) -> None:
        app = cast("CanvasHost", self.app)
        app.session.set_status(block_id, status)

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


def command_summary(app: App[Any]) -> list[tuple[str, str]]:
    """The canvas's palette commands as help shows them: one row for the per-block families."""
    rows: dict[str, str] = {}
    for name, _callback, help_text in CanvasCommands(cast("CanvasHost", app).canvas_screen)._commands():
        if name.startswith("Go to "):
            rows["Go to BLOCK"] = "Select a block on the canvas, by its title"
        elif name.startswith("Set status: "):
            rows["Set status: todo / draft / done / skip"] = "For the current block"
        else:
            rows[name] = help_text
    return list(rows.items())
