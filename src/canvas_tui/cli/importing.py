"""`canvas-tui import`: a canvas kept elsewhere (Markdown, a filled PDF, our own exports) into a
canvas file, with a report on stderr of where each section went and what was left out."""

from __future__ import annotations

import sys
from pathlib import Path

from canvas_tui.cli.common import EXIT_OK, Command, UserError, exists
from canvas_tui.files.atomic import atomic_write
from canvas_tui.model.text import for_terminal


def default_output(source: Path) -> Path:
    """Beside the source, named so the pre-commit hooks and `git setup` see a canvas:
    ml_canvas.md -> ml_canvas.canvas.toml, canvas.md -> canvas.toml."""
    stem = source.stem if source.suffix else source.name
    name = "canvas.toml" if stem.lower() == "canvas" else f"{stem}.canvas.toml"
    return source.with_name(name)


def import_command(command: Command, argv: list[str]) -> int:
    parser = command.parser(
        "SOURCE is read by what it holds: a filled canvas PDF, canvas-tui's own JSON, HTML or Markdown "
        "export, or a Markdown canvas (a heading or bold label per block; sections that name no block "
        "are kept in the file's [imported] table). Nothing in it is fetched or run.",
        epilog="Without -o the canvas goes beside SOURCE (ml_canvas.md -> ml_canvas.canvas.toml); "
        "`-o -` writes it to stdout. An existing file is replaced only with --force. "
        "exit codes: 0 imported, 2 SOURCE is not a canvas or OUT exists",
    )
    parser.add_argument("source", metavar="SOURCE", help="the file to import")
    parser.add_argument("-o", "--output", metavar="OUT", help="canvas file to write, or - for stdout")
    parser.add_argument(
        "--template",
        metavar="ID",
        help="the canvas to import into (default: the one whose blocks it names best)",
    )
    parser.add_argument("--force", action="store_true", help="replace OUT when it exists")
    args = parser.parse_args(argv)
    from canvas_tui.importing.sources import canvas_toml, import_source

    source = Path(args.source)
    to_stdout = args.output == "-"
    out = None if to_stdout else Path(args.output) if args.output else default_output(source)
    if out is not None:
        _check_target(source, out, force=args.force)
    imported = import_source(source, args.template)
    content = canvas_toml(imported, out or source.with_suffix(".toml"))
    if out is None:
        sys.stdout.write(for_terminal(content, multiline=True) if sys.stdout.isatty() else content)
    else:
        try:
            # A name the user typed may be a link (written through); the default name beside the
            # source is written only as a regular file.
            atomic_write(out, content.encode("utf-8"), follow_links=args.output is not None)
        except OSError as error:
            raise UserError(f"{out}: could not write the canvas: {error.strerror or error}") from None
    _report(source, out, imported)
    return EXIT_OK


def _check_target(source: Path, out: Path, *, force: bool) -> None:
    if out.is_dir():
        raise UserError(f"{out}: is a folder; give a file name for the canvas")
    if not out.absolute().parent.is_dir():
        raise UserError(f"{out}: the folder {out.parent} does not exist")
    if exists(out):
        if exists(source) and out.exists() and out.samefile(source):
            raise UserError(f"{out}: that is the file being imported; name another with -o")
        if not force:
            raise UserError(f"{out}: exists; not replacing it (use --force, or name another file with -o)")


def _report(source: Path, out: Path | None, imported: object) -> None:
    from canvas_tui.importing.result import Imported

    assert isinstance(imported, Imported)
    template = imported.canvas.template
    where = "stdout" if out is None else str(out)
    lines = [f"Imported {source} into {where} ({template.title}, template {template.id})"]
    lines += [f"  {line}" for line in imported.placed]
    if imported.left_out:
        lines.append("Left out:")
        lines += [f"  {line}" for line in imported.left_out]
    for line in lines:
        print(for_terminal(line), file=sys.stderr)
