"""The command line: argument parsing and the non-interactive commands.

The TUI is imported only when a canvas is opened, so `status`, `new` and `templates` stay quick and
free of Textual (a test proves it). Errors are one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from canvas_tui import __version__
from canvas_tui.model import Canvas, TemplateError
from canvas_tui.resources import example_canvas_path
from canvas_tui.storage import CanvasFile, CanvasFileError
from canvas_tui.templates import DEFAULT_TEMPLATE, available_templates, load_template

EXIT_OK, EXIT_UNRESOLVED, EXIT_ERROR = 0, 1, 2
DEFAULT_PATH = "canvas.toml"

COMMANDS_HELP = """\
commands:
  canvas-tui [PATH]                      open PATH in the editor (default canvas.toml);
                                         a missing file is created on first save
  canvas-tui new PATH [--product NAME]   write a new, empty canvas file
  canvas-tui status PATH [--json] [--check]
                                         completion per block, column and overall
  canvas-tui export PATH --format md|html|json|svg [-o OUT]
                                         Markdown, printable HTML, JSON or SVG of the canvas
  canvas-tui templates                   list the canvases canvas-tui knows
  canvas-tui themes                      list the themes (bundled, your own, Textual's)
  canvas-tui demo                        open a temporary copy of a filled example canvas

Run `canvas-tui COMMAND --help` for a command's options.
exit codes: 0 ok, 1 `status --check` found unresolved blocks, 2 error (bad file or arguments),
141 the output's reader went away (`| head`)
"""


class UserError(Exception):
    """Something the user can fix; printed as one line, exit code 2."""


EXIT_READER_GONE = 141
"""128 + SIGPIPE: what a shell reports for a command whose reader went away (`| head -1`)."""


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        code = _run(args)
        sys.stdout.flush()  # here, where a reader that went away is caught, not at exit
        return code
    except BrokenPipeError:
        # The reader went away (`| head -1`): stop quietly, as the Python docs' "Note on
        # SIGPIPE" advises. Python flushes stdout again at exit; point it at devnull, so
        # that flush cannot fail and print a traceback after all.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_READER_GONE


def _run(args: list[str]) -> int:
    try:
        if args and args[0] in _COMMANDS:
            command = args.pop(0)
            return _COMMANDS[command](args)
        if args and _looks_like_a_command(args[0]):
            raise UserError(_unknown_command(args[0]))
        return open_command(args)
    except (CanvasFileError, TemplateError, UserError) as error:
        print(f"canvas-tui: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


# -- opening the editor -------------------------------------------------------------------------


def _tui_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--no-autosave",
        dest="autosave",
        action="store_false",
        help="save only on ctrl+s (default: save 2 s after the last change and when leaving a block)",
    )
    parser.add_argument(
        "--theme",
        metavar="NAME",
        help="colour theme (default: CANVAS_TUI_THEME, then the settings file, then one that suits "
        "the terminal); `canvas-tui themes` lists them",
    )
    parser.add_argument(
        "--no-mouse",
        dest="mouse",
        action="store_false",
        help="leave mouse reporting off, so the terminal's own select and copy work",
    )


def open_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="canvas-tui",
        description="A terminal editor for the Machine Learning Operations Canvas (v1.1).",
        epilog=COMMANDS_HELP,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "path", nargs="?", default=DEFAULT_PATH, help=f"canvas file (default: {DEFAULT_PATH})"
    )
    parser.add_argument("--version", action="version", version=f"canvas-tui {__version__}")
    _tui_options(parser)
    args = parser.parse_args(argv)
    path = Path(args.path)
    _check_folder(path)
    document = CanvasFile.load(path) if _exists(path) else CanvasFile.create(path)
    _needs_terminal()
    return _run_tui(document, autosave=args.autosave, theme=args.theme, mouse=args.mouse)


def _looks_like_a_command(word: str) -> bool:
    """A first word that is not an option, not an existing path and not a .toml file name.

    A mistyped subcommand in a script (`canvas-tui stauts c.toml`) must not open an editor on a new
    file called "stauts".
    """
    return not word.startswith("-") and not _exists(Path(word)) and Path(word).suffix.lower() != ".toml"


def _unknown_command(word: str) -> str:
    close = difflib.get_close_matches(word, list(_COMMANDS), n=1)
    hint = f"did you mean `canvas-tui {close[0]}`? " if close else ""
    return (
        f"{word}: unknown command; {hint}Commands: {', '.join(_COMMANDS)}. "
        "A canvas file to open ends in .toml (or exists)."
    )


def _needs_terminal() -> None:
    """The editor is full-screen: without a terminal it would wait for keys that never come."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        raise UserError(
            "the editor needs a terminal (stdin and stdout are not one); "
            "for scripts use `canvas-tui status` or `canvas-tui export`"
        )


def _check_folder(path: Path) -> None:
    if not _exists(path) and not path.absolute().parent.is_dir():
        raise UserError(f"{path}: the folder {path.parent} does not exist; create it first")


def _exists(path: Path) -> bool:
    # A dangling symlink "does not exist" but must still be an error, not a new canvas.
    return path.exists() or path.is_symlink()


def _run_tui(
    document: CanvasFile, *, autosave: bool, theme: str | None, mouse: bool, notice: str = ""
) -> int:
    from canvas_tui.tui.app import CanvasApp
    from canvas_tui.tui.appearance import Appearance

    appearance = Appearance.at_startup(theme, os.environ)
    app = CanvasApp(document, autosave=autosave, appearance=appearance, notice=notice)
    app.run(mouse=mouse and appearance.mouse)
    return app.return_code or 0


def demo_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="canvas-tui demo",
        description="Open a temporary copy of a filled example canvas; the example stays as it is.",
    )
    _tui_options(parser)
    args = parser.parse_args(argv)
    _needs_terminal()
    source = example_canvas_path()
    with tempfile.TemporaryDirectory(prefix="canvas-tui-demo-") as folder:
        copy = Path(folder) / source.name
        shutil.copyfile(source, copy)
        notice = "Demo: a temporary copy of the example. Changes vanish when you quit."
        return _run_tui(
            CanvasFile.load(copy), autosave=args.autosave, theme=args.theme, mouse=args.mouse, notice=notice
        )


# -- new ----------------------------------------------------------------------------------------


def new_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="canvas-tui new", description="Write a new, empty canvas file.")
    parser.add_argument("path", help="where to write the canvas (must not exist)")
    parser.add_argument("--product", default="", help="product name for the header")
    parser.add_argument(
        "--template", default=DEFAULT_TEMPLATE, help=f"template id (default: {DEFAULT_TEMPLATE})"
    )
    args = parser.parse_args(argv)
    path = Path(args.path)
    if _exists(path):
        raise UserError(f"{path}: already exists; not overwriting it")
    _check_folder(path)
    document = CanvasFile.create(path, template_id=args.template, product=args.product)
    document.save()
    print(f"Created {path} ({document.canvas.template.title}). Open it with: canvas-tui {path}")
    return EXIT_OK


# -- status -------------------------------------------------------------------------------------


def status_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="canvas-tui status",
        description="Show how complete a canvas is, per block, per column and overall.",
        epilog="exit codes: 0 ok, 1 with --check when a block is unresolved, 2 error",
    )
    parser.add_argument("path", help="canvas file")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts (see README)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit with code 1 while any block is unresolved (todo or draft)",
    )
    args = parser.parse_args(argv)
    document = CanvasFile.load(Path(args.path))
    for warning in document.warnings:
        print(f"canvas-tui: warning: {warning}", file=sys.stderr)
    if args.json:
        from canvas_tui.export.json_export import status_data

        json.dump(status_data(document), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_status_table(document)
    unresolved = document.canvas.progress().unresolved
    return EXIT_UNRESOLVED if args.check and unresolved else EXIT_OK


_STATUS_STYLE = {"todo": "dim", "draft": "yellow", "done": "green", "skip": "cyan"}


def _print_status_table(document: CanvasFile) -> None:
    from rich.console import Console
    from rich.progress_bar import ProgressBar
    from rich.table import Table
    from rich.text import Text

    class StatusConsole(Console):
        def on_broken_pipe(self) -> None:
            raise BrokenPipeError  # rich would exit 1 itself; main() stops quietly, alike for all

    canvas: Canvas = document.canvas
    template = canvas.template
    console = StatusConsole()
    console.print(Text(template.title, style="bold"))
    fields = [f"{spec.label}: {canvas.fields[spec.id] or '-'}" for spec in template.fields]
    for header_line in _header_lines(fields, console.width if console.is_terminal else None):
        # Never wrapped by rich: a field longer than the terminal is the terminal's to wrap.
        console.print(header_line, soft_wrap=True, highlight=False, markup=False)
    table = Table(expand=False)
    table.add_column("Column", style="bold")
    table.add_column("Block")
    table.add_column("Status")
    table.add_column("Words", justify="right")
    for column in template.columns:
        specs = template.blocks_in(column.id)
        column_progress = canvas.column_progress(column.id)
        for index, spec in enumerate(specs):
            block = canvas.blocks[spec.id]
            label = Text(block.status.label, style=_STATUS_STYLE[block.status.value])
            if block.unknown_status is not None:
                label.append(f" (file says {block.unknown_status})", style="red")
            name = f"{column.title} {column_progress.resolved}/{column_progress.total}"
            table.add_row(
                name if index == 0 else "",
                spec.title,
                label,
                str(len(block.text.split())),
                end_section=index == len(specs) - 1,
            )
    console.print(table)
    overall = canvas.progress()
    bar = ProgressBar(total=overall.total, completed=overall.resolved, width=30)
    line = Table.grid(padding=(0, 1))
    line.add_row(Text(overall.summary, style="bold"), bar)
    console.print(line)
    console.print(overall.breakdown())
    next_id = canvas.next_unresolved(template.block_ids[-1])
    if next_id is not None:
        console.print(f"Next: {template.block(next_id).title}")


def _header_lines(fields: list[str], width: int | None) -> list[str]:
    """The header fields laid out for a terminal `width` wide, side by side but never broken
    inside a field; without a terminal (width None), one field a line, for scripts and pipes."""
    from rich.cells import cell_len

    if width is None:
        return fields
    lines: list[str] = []
    for field in fields:
        if lines and cell_len(lines[-1]) + 2 + cell_len(field) <= width:
            lines[-1] += "  " + field
        else:
            lines.append(field)
    return lines


# -- export -------------------------------------------------------------------------------------


def export_command(argv: list[str]) -> int:
    from canvas_tui.export import FORMATS, default_output, format_for_path, render, write_export

    parser = argparse.ArgumentParser(
        prog="canvas-tui export",
        description="Export the canvas: md (Markdown for a README), html (one self-contained page that "
        "prints on one A4 landscape sheet), json (everything in the file plus progress; schema in the "
        "README) or svg (the canvas screen).",
        epilog="Without -o the export goes to stdout, except svg, which is written next to the canvas "
        "(canvas.toml -> canvas.svg); `-o -` always means stdout.",
    )
    parser.add_argument("path", help="canvas file")
    parser.add_argument(
        "-f", "--format", choices=list(FORMATS), help="export format (default: from the suffix of OUT)"
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    path = Path(args.path)
    out = None if args.output in (None, "-") else Path(args.output)
    format_id = args.format or (format_for_path(out) if out is not None else None)
    if format_id is None:
        raise UserError(f"{path}: say which format to export with --format md|html|json|svg")
    if out is None and args.output is None and format_id == "svg":
        out = default_output(path, format_id)
    document = CanvasFile.load(path)
    for warning in document.warnings:
        print(f"canvas-tui: warning: {warning}", file=sys.stderr)
    if out is not None:
        _check_export_target(path, out)
    text = _render_svg(document) if format_id == "svg" else render(document, format_id)
    if out is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        write_export(out, text)
    except OSError as error:
        raise UserError(f"{out}: could not write the export: {error.strerror or error}") from None
    print(f"Wrote {out} ({FORMATS[format_id].name} export of {path})")
    return EXIT_OK


def _render_svg(document: CanvasFile) -> str:
    # The SVG is a screenshot of the app, rendered headless: the one export that needs the UI.
    from canvas_tui.tui.screenshot import render_svg

    return render_svg(document)


def _check_export_target(canvas_path: Path, out: Path) -> None:
    if out.is_dir():
        raise UserError(f"{out}: is a folder; give a file name for the export")
    if not out.parent.is_dir():
        raise UserError(f"{out}: the folder {out.parent} does not exist")
    if out.exists() and out.samefile(canvas_path):
        raise UserError(f"{out}: that is the canvas file itself; not overwriting it with an export")


# -- templates ----------------------------------------------------------------------------------


def templates_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="canvas-tui templates", description="List the canvases canvas-tui knows."
    )
    parser.parse_args(argv)
    for template_id in available_templates():
        template = load_template(template_id)
        blocks = len(template.blocks)
        print(f"{template_id}\t{template.title} ({blocks} blocks, {template.licence})")
    return EXIT_OK


# -- themes -------------------------------------------------------------------------------------


def themes_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="canvas-tui themes",
        description="List the themes: the bundled ones, your own and Textual's. "
        "The one marked * is the one canvas-tui would start with here.",
    )
    parser.parse_args(argv)
    from canvas_tui.settings import Settings, settings_path
    from canvas_tui.tui.themes import ThemeCatalog, pick_theme, user_themes_folder

    folder = user_themes_folder()
    catalog = ThemeCatalog.load(folder)
    settings = Settings.load(settings_path())
    for warning in [*settings.warnings, *catalog.warnings]:
        print(f"canvas-tui: warning: {warning}", file=sys.stderr)
    choice = pick_theme(requested=None, environ=os.environ, saved=settings.theme, available=catalog.names)
    if choice.notice:
        print(f"canvas-tui: warning: {choice.notice}", file=sys.stderr)
    origins = ("bundled", "user", "textual")
    entries = sorted(catalog.entries.values(), key=lambda entry: (origins.index(entry.origin), entry.name))
    width = max(len(entry.name) for entry in entries)
    for entry in entries:
        mark = "*" if entry.name == choice.name else " "
        about = entry.description or (str(entry.path) if entry.path else "")
        print(f"{mark} {entry.name:<{width}}  {entry.origin:<7}  {about}".rstrip())
    print(f"\n* starts here: {choice.name} ({choice.reason}). Add your own themes in {folder}")
    return EXIT_OK


_COMMANDS = {
    "themes": themes_command,
    "new": new_command,
    "status": status_command,
    "templates": templates_command,
    "demo": demo_command,
    "export": export_command,
}
