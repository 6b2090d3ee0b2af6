"""`canvas-tui export`: the formats come from the export registry, the SVG's entry from the UI."""

from __future__ import annotations

import sys
from pathlib import Path

from canvas_tui.cli.common import EXIT_OK, JSON_ESCAPES, Command, UserError, listing, warn_all
from canvas_tui.export import FORMATS, Format, Rendered, default_output, format_for_path, write_export
from canvas_tui.model.text import for_terminal
from canvas_tui.storage import CanvasFile


def formats() -> dict[str, Format]:
    """Every export format, the SVG included: it is a screenshot of the app, so its entry comes
    from the UI (importing it loads no Textual; rendering an SVG does)."""
    import canvas_tui.tui.picture  # noqa: F401  (registers the SVG entry)

    return FORMATS


def export_command(command: Command, argv: list[str]) -> int:
    every = formats()
    beside = [spec for spec in every.values() if spec.beside_canvas]
    beside_names = listing((spec.id for spec in beside), "and")
    beside_files = ", ".join(f"canvas{spec.suffix}" for spec in beside)
    parser = command.parser(
        "; ".join(f"{spec.id}: {spec.about}" for spec in every.values()) + ".",
        epilog=f"Without -o the export goes to stdout, except {beside_names}, which are written next "
        f"to the canvas (canvas.toml -> {beside_files}); `-o -` means stdout (a binary format only "
        "into a pipe or file, never onto a terminal).",
    )
    parser.add_argument("path", help="canvas file")
    parser.add_argument(
        "-f", "--format", choices=list(every), help="export format (default: from the suffix of OUT)"
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    path = Path(args.path)
    out = None if args.output in (None, "-") else Path(args.output)
    named = out is not None  # a default name is written only as a regular file, never through a link
    format_id = args.format or (format_for_path(out) if out is not None else None)
    if format_id is None:
        raise UserError(f"{path}: say which format to export with --format {'|'.join(every)}")
    export_format = every[format_id]
    if out is None and args.output is None and export_format.beside_canvas:
        out = default_output(path, format_id)
    if out is None and export_format.binary and sys.stdout.isatty():
        raise UserError(
            f"{path}: a {export_format.name} is binary; not writing it to a terminal (use -o FILE)"
        )
    document = CanvasFile.load(path)
    warn_all(document.warnings)
    if out is not None:
        _check_export_target(path, out)
    rendered = _render(export_format, document)
    warn_all(rendered.warnings)
    content = rendered.content
    if out is None:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        elif sys.stdout.isatty():
            # On a terminal the export is for reading: the file's escapes are shown, not obeyed
            # (JSON's as \u escapes, so what is shown still reads as the same JSON).
            if format_id == "json":
                content = content.translate(JSON_ESCAPES)
            sys.stdout.write(for_terminal(content, multiline=True))
        else:
            # Into a pipe or a file it is data (`> CANVAS.md`, `| jq`, an import back): byte-exact.
            sys.stdout.write(content)
        return EXIT_OK
    try:
        write_export(out, content, named=named)
    except OSError as error:
        raise UserError(f"{out}: could not write the export: {error.strerror or error}") from None
    print(f"Wrote {out} ({export_format.name} export of {path})")
    return EXIT_OK


def _check_export_target(canvas_path: Path, out: Path) -> None:
    if out.is_dir():
        raise UserError(f"{out}: is a folder; give a file name for the export")
    if not out.parent.is_dir():
        raise UserError(f"{out}: the folder {out.parent} does not exist")
    if out.exists() and out.samefile(canvas_path):
        raise UserError(f"{out}: that is the canvas file itself; not overwriting it with an export")


def _render(export_format: Format, document: CanvasFile) -> Rendered:
    """The export; a picture of the screen is taken of the canvas screen rendered headless."""
    if export_format.render is not None:
        return export_format.render(document)
    from canvas_tui.tui.screenshot import render_svg

    return Rendered(render_svg(document))
