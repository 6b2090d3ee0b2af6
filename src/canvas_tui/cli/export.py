"""`canvas-tui export`: the formats come from the export registry, the SVG's entry from the UI."""

from __future__ import annotations

import sys
from pathlib import Path

from canvas_tui.cli.common import EXIT_OK, JSON_ESCAPES, Command, UserError, listing, warn_all
from canvas_tui.export import FORMATS, Format, Rendered, default_output, format_for_path, write_export
from canvas_tui.export.readme import MAX_HEADING_LEVEL, splice
from canvas_tui.files.atomic import FileRefused, atomic_write, read_file
from canvas_tui.model.text import for_terminal
from canvas_tui.storage import CanvasFile

MAX_README_BYTES = 16 * 1024 * 1024
"""A README above this is not one canvas-tui rewrites."""


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
    parser.add_argument(
        "--into",
        metavar="FILE",
        help="Markdown only: replace the part of FILE (a README) between <!-- canvas-tui:begin --> and "
        "<!-- canvas-tui:end -->, or append such a part; nothing else in FILE changes",
    )
    parser.add_argument(
        "--heading-level",
        type=int,
        metavar="N",
        help=f"Markdown only: the product's heading level, 1 to {MAX_HEADING_LEVEL} (default 1; "
        "columns and blocks one and two below)",
    )
    args = parser.parse_args(argv)
    path = Path(args.path)
    if args.into is not None:
        if args.output is not None:
            raise UserError(f"{path}: give -o or --into, not both")
        if args.format not in (None, "md"):
            raise UserError(f"{path}: --into writes Markdown; leave out --format {args.format}")
        return _export_into(path, Path(args.into), args.heading_level or 1)
    if (
        args.heading_level is not None
        and args.format != "md"
        and format_for_path(Path(args.output or "")) != "md"
    ):
        raise UserError(f"{path}: --heading-level applies to the Markdown export (--format md) only")
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
    rendered = _render(export_format, document, args.heading_level)
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


def _markdown(document: CanvasFile, heading_level: int) -> str:
    from canvas_tui.export.markdown import render_markdown

    if not 1 <= heading_level <= MAX_HEADING_LEVEL:
        raise UserError(f"--heading-level must be 1 to {MAX_HEADING_LEVEL}, not {heading_level}")
    return render_markdown(document.canvas, heading_level)


def read_readme(readme: Path, *, missing_ok: bool) -> bytes | None:
    """The README's bytes (bounded, through a link the user named); None when it does not exist and
    that is allowed."""
    try:
        return read_file(readme, limit=MAX_README_BYTES)
    except FileNotFoundError:
        if missing_ok:
            return None
        raise UserError(f"{readme}: no such file") from None
    except FileRefused as error:
        raise UserError(str(error)) from None
    except OSError as error:
        raise UserError(f"{readme}: cannot read: {error.strerror or error}") from None


def expected_readme(document: CanvasFile, readme: Path, data: bytes | None, heading_level: int) -> bytes:
    """The README as `export --into` would leave it."""
    return splice(readme, data, _markdown(document, heading_level))


def _export_into(path: Path, readme: Path, heading_level: int) -> int:
    document = CanvasFile.load(path)
    warn_all(document.warnings)
    if readme.is_dir():
        raise UserError(f"{readme}: is a folder; give the README file")
    if readme.absolute() == path.absolute():
        raise UserError(f"{readme}: that is the canvas file itself")
    data = read_readme(readme, missing_ok=True)
    updated = expected_readme(document, readme, data, heading_level)
    if updated == data:
        print(f"{readme} is up to date with {path}")
        return EXIT_OK
    try:
        atomic_write(readme, updated, follow_links=True)  # the user named it: a link is written through
    except OSError as error:
        raise UserError(f"{readme}: could not write: {error.strerror or error}") from None
    print(f"Wrote the canvas section of {readme} (Markdown export of {path})")
    return EXIT_OK


def _check_export_target(canvas_path: Path, out: Path) -> None:
    if out.is_dir():
        raise UserError(f"{out}: is a folder; give a file name for the export")
    if not out.parent.is_dir():
        raise UserError(f"{out}: the folder {out.parent} does not exist")
    if out.exists() and out.samefile(canvas_path):
        raise UserError(f"{out}: that is the canvas file itself; not overwriting it with an export")


def _render(export_format: Format, document: CanvasFile, heading_level: int | None = None) -> Rendered:
    """The export; a picture of the screen is taken of the canvas screen rendered headless."""
    if heading_level is not None:
        return Rendered(_markdown(document, heading_level))
    if export_format.render is not None:
        return export_format.render(document)
    from canvas_tui.tui.screenshot import render_svg

    return Rendered(render_svg(document))
