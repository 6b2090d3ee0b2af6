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
from canvas_tui.errors import GitError
from canvas_tui.files.resources import example_canvas_path
from canvas_tui.model import Canvas, TemplateError
from canvas_tui.model.conflicts import conflicted_blocks
from canvas_tui.model.text import for_terminal
from canvas_tui.storage import CanvasFile, CanvasFileError
from canvas_tui.templates import DEFAULT_TEMPLATE, TemplateCatalog, user_templates_folder

EXIT_OK, EXIT_UNRESOLVED, EXIT_ERROR = 0, 1, 2
DEFAULT_PATH = "canvas.toml"

COMMANDS_HELP = """\
commands:
  canvas-tui [PATH]                      open PATH in the editor (default canvas.toml);
                                         a missing file is created on first save
  canvas-tui new PATH [--product NAME] [--template ID]
                                         write a new, empty canvas file
  canvas-tui status PATH... [--json] [--check]
                                         completion per block, column and overall;
                                         several canvases: one row each and a total
  canvas-tui check PATH...               fail while a canvas is invalid or holds a merge
                                         conflict marker (the pre-commit hook)
  canvas-tui diff OLD NEW | diff PATH [--rev REV] [--json]
                                         what changed, block by block (default REV: HEAD)
  canvas-tui git setup [--global] [PATTERN...]
                                         connect the merge and diff drivers to git
  canvas-tui git merge|textconv ...      the drivers git runs (see `canvas-tui git --help`)
  canvas-tui export PATH --format md|html|json|svg|pdf [-o OUT]
                                         Markdown, printable HTML, JSON, SVG or a one-page PDF
  canvas-tui serve [PATH] [--host H] [--port P] [--max-sessions N]
                                         the editor in a web browser, behind a secret token
  canvas-tui lint PATH... [--json] [--rules]
                                         review a draft against the guide's rules
  canvas-tui templates                   list the canvases canvas-tui knows (bundled and
                                         your own, from the config folder's templates/)
  canvas-tui themes                      list the themes (bundled, your own, Textual's)
  canvas-tui demo                        open a temporary copy of a filled example canvas

Run `canvas-tui COMMAND --help` for a command's options.
exit codes: 0 ok, 1 `status --check` found unresolved blocks (or `diff` a difference, `check` or
`git merge` a conflict, `lint` a finding), 2 error (bad file or arguments), 141 the output's
reader went away (`| head`)
"""


class UserError(Exception):
    """Something the user can fix; printed as one line, exit code 2."""


# Every message below may quote a file's own text (a block name, a status, a host): it goes
# through for_terminal, so a file from a stranger cannot steer the terminal it is printed on.


def _warn(message: str) -> None:
    print(f"canvas-tui: warning: {for_terminal(message)}", file=sys.stderr)


def _error(message: object) -> None:
    print(f"canvas-tui: error: {for_terminal(str(message))}", file=sys.stderr)


_JSON_ESCAPES = {
    code: f"\\u{code:04x}"
    for code in (*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)
}


def _print_json(data: object) -> None:
    """JSON for scripts, with the characters a terminal would obey (DEL, C1, bidi controls) as
    \\u escapes: the same values to any JSON reader, harmless when it lands on a terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    sys.stdout.write(text.translate(_JSON_ESCAPES) + "\n")


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
    except (CanvasFileError, TemplateError, UserError, GitError) as error:
        _error(error)
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


WEB_DRIVER = "textual.drivers.web_driver:WebDriver"
"""The driver textual-serve runs the app with (`canvas-tui serve`): the terminal is a browser tab."""


def _needs_terminal() -> None:
    """The editor is full-screen: without a terminal it would wait for keys that never come."""
    if os.environ.get("TEXTUAL_DRIVER") == WEB_DRIVER:
        return  # served: keys come over textual-serve's pipes from the browser
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
    from canvas_tui.files.places import Places, places_path
    from canvas_tui.files.settings import Settings, settings_path
    from canvas_tui.tui.app import CanvasApp
    from canvas_tui.tui.appearance import Appearance

    settings = Settings.load(settings_path(os.environ))
    appearance = Appearance.at_startup(theme, os.environ, settings)
    places = Places(places_path())
    app = CanvasApp(
        document, autosave=autosave, appearance=appearance, settings=settings, places=places, notice=notice
    )
    app.run(mouse=mouse and settings.mouse)
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
    title = for_terminal(document.canvas.template.title)
    print(f"Created {path} ({title}). Open it with: canvas-tui {path}")
    return EXIT_OK


# -- status -------------------------------------------------------------------------------------


def status_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="canvas-tui status",
        description="Show how complete a canvas is, per block, per column and overall. With several "
        "canvases: one row each (file, product, iteration, resolved/total, next block) and a total.",
        epilog="exit codes: 0 ok, 1 with --check when a block is unresolved or holds a merge conflict "
        "marker, 2 error (with several canvases a bad file is one error line, the others are still "
        "reported, and the exit code is 2)",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="canvas file(s)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts (see README)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit with code 1 while any block is unresolved (todo or draft) or holds a conflict marker",
    )
    args = parser.parse_args(argv)
    if len(args.paths) > 1:
        return _status_of_many([Path(path) for path in args.paths], as_json=args.json, check=args.check)
    document = CanvasFile.load(Path(args.paths[0]))
    for warning in document.warnings:
        _warn(warning)
    conflicts = conflicted_blocks(document.canvas)
    if args.json:
        from canvas_tui.export.json_export import status_data

        _print_json(status_data(document))
    else:
        _print_status_table(document, conflicts)
    unresolved = document.canvas.progress().unresolved
    return EXIT_UNRESOLVED if args.check and (unresolved or conflicts) else EXIT_OK


def _status_of_many(paths: list[Path], *, as_json: bool, check: bool) -> int:
    """One row per canvas and a total; a bad file is one error line and the others still count."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from canvas_tui.export.json_export import status_data

    documents: list[CanvasFile] = []
    failed = False
    for path in paths:
        try:
            document = CanvasFile.load(path)
        except CanvasFileError as error:
            _error(error)
            failed = True
            continue
        for warning in document.warnings:
            _warn(warning)
        documents.append(document)
    incomplete = any(
        document.canvas.progress().unresolved or conflicted_blocks(document.canvas) for document in documents
    )
    if as_json:
        _print_json([status_data(document) for document in documents])
    else:
        table = Table(expand=False, show_footer=True)
        resolved = sum(document.canvas.progress().resolved for document in documents)
        total = sum(document.canvas.progress().total for document in documents)
        count = len(documents)
        table.add_column("File", footer=f"Total: {count} canvas{'es' if count != 1 else ''}")
        table.add_column("Product")
        table.add_column("Iteration", justify="right")
        table.add_column("Resolved", justify="right", footer=f"{resolved}/{total}")
        table.add_column("Next")
        for document in documents:
            canvas = document.canvas
            progress = canvas.progress()
            next_id = canvas.next_unresolved(canvas.template.block_ids[-1])
            conflicts = conflicted_blocks(canvas)
            next_text = canvas.template.block(next_id).title if next_id is not None else "-"
            if conflicts:
                next_text += f" ({len(conflicts)} in conflict)"
            # Text, not str: a table reads a str cell as Rich markup, and a product named
            # `[link=https://evil.example]x[/link]` must print as written, not as a live link.
            table.add_row(
                Text(for_terminal(str(document.path))),
                Text(for_terminal(str(canvas.fields.get("product", "")) or "-")),
                Text(for_terminal(str(canvas.fields.get("iteration", "")))),
                f"{progress.resolved}/{progress.total}",
                Text(for_terminal(next_text)),
            )
        console = Console()
        if not console.is_terminal:
            console.width = 10_000  # into a pipe or a file: one line per canvas, never wrapped
        console.print(table)
    if failed:
        return EXIT_ERROR
    return EXIT_UNRESOLVED if check and incomplete else EXIT_OK


_STATUS_STYLE = {"todo": "dim", "draft": "yellow", "done": "green", "skip": "cyan"}


def _print_status_table(document: CanvasFile, conflicts: Sequence[str] = ()) -> None:
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
    # What comes from a file (header fields, a status as written) or a template (titles) is
    # printed as Text through for_terminal: never read as markup, never a raw control character.
    console.print(Text(for_terminal(template.title), style="bold"))
    fields = [for_terminal(f"{spec.label}: {canvas.fields[spec.id] or '-'}") for spec in template.fields]
    for header_line in _header_lines(fields, console.width if console.is_terminal else None):
        # Never wrapped by rich: a field longer than the terminal is the terminal's to wrap.
        console.print(Text(header_line), soft_wrap=True, highlight=False)
    table = Table(expand=False)
    table.add_column("Column", style="bold")
    table.add_column("Block")
    table.add_column("Status")
    table.add_column("Words", justify="right")
    table.add_column("Questions", justify="right")
    for column in template.columns:
        specs = template.blocks_in(column.id)
        column_progress = canvas.column_progress(column.id)
        for index, spec in enumerate(specs):
            block = canvas.blocks[spec.id]
            label = Text(block.status.label, style=_STATUS_STYLE[block.status.value])
            if block.unknown_status is not None:
                label.append(f" (file says {for_terminal(block.unknown_status)})", style="red")
            name = f"{for_terminal(column.title)} {column_progress.resolved}/{column_progress.total}"
            table.add_row(
                Text(name if index == 0 else ""),
                Text(for_terminal(spec.title)),
                label,
                str(len(block.text.split())),
                f"{len(block.answered)}/{len(spec.questions)}",
                end_section=index == len(specs) - 1,
            )
    console.print(table)
    overall = canvas.progress()
    bar = ProgressBar(total=overall.total, completed=overall.resolved, width=30)
    line = Table.grid(padding=(0, 1))
    line.add_row(Text(overall.summary, style="bold"), bar)
    console.print(line)
    console.print(overall.breakdown())
    answered, questions = canvas.question_coverage()
    console.print(f"Guiding questions answered: {answered}/{questions}")
    next_id = canvas.next_unresolved(template.block_ids[-1])
    if next_id is not None:
        console.print(Text(f"Next: {for_terminal(template.block(next_id).title)}"))
    if conflicts:
        titles = ", ".join(for_terminal(template.block(block_id).title) for block_id in conflicts)
        console.print(Text(f"Merge conflicts (markers in the text): {titles}", style="bold red"))


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
    from canvas_tui.export import FORMATS, default_output, format_for_path, render, render_pdf, write_export

    parser = argparse.ArgumentParser(
        prog="canvas-tui export",
        description="Export the canvas: md (Markdown for a README), html (one self-contained page that "
        "prints on one A4 landscape sheet), json (everything in the file plus progress; schema in the "
        "README), svg (the canvas screen) or pdf (the printable page as one A4 landscape PDF, made "
        "here: no browser needed).",
        epilog="Without -o the export goes to stdout, except svg and pdf, which are written next to the "
        "canvas (canvas.toml -> canvas.svg, canvas.pdf); `-o -` means stdout (a PDF only into a pipe "
        "or file, never onto a terminal).",
    )
    parser.add_argument("path", help="canvas file")
    parser.add_argument(
        "-f", "--format", choices=list(FORMATS), help="export format (default: from the suffix of OUT)"
    )
    parser.add_argument("-o", "--output", metavar="OUT", help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    path = Path(args.path)
    out = None if args.output in (None, "-") else Path(args.output)
    named = out is not None  # a default name is written only as a regular file, never through a link
    format_id = args.format or (format_for_path(out) if out is not None else None)
    if format_id is None:
        raise UserError(f"{path}: say which format to export with --format {'|'.join(FORMATS)}")
    if out is None and args.output is None and format_id in ("svg", "pdf"):
        out = default_output(path, format_id)
    if out is None and FORMATS[format_id].binary and sys.stdout.isatty():
        raise UserError(
            f"{path}: a {FORMATS[format_id].name} is binary; not writing it to a terminal (use -o FILE)"
        )
    document = CanvasFile.load(path)
    for warning in document.warnings:
        _warn(warning)
    if out is not None:
        _check_export_target(path, out)
    content: str | bytes
    if format_id == "pdf":
        pdf = render_pdf(document)
        for warning in pdf.warnings():
            _warn(warning)
        content = pdf.data
    else:
        content = _render_svg(document) if format_id == "svg" else render(document, format_id)
    if out is None:
        if isinstance(content, bytes):
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        elif sys.stdout.isatty():
            # On a terminal the export is for reading: the file's escapes are shown, not obeyed
            # (JSON's as \u escapes, so what is shown still reads as the same JSON).
            if format_id == "json":
                content = content.translate(_JSON_ESCAPES)
            sys.stdout.write(for_terminal(content, multiline=True))
        else:
            # Into a pipe or a file it is data (`> CANVAS.md`, `| jq`, an import back): byte-exact.
            sys.stdout.write(content)
        return EXIT_OK
    try:
        write_export(out, content, named=named)
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


# -- serve ----------------------------------------------------------------------------------------


def serve_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="canvas-tui serve",
        description="Open the canvas in a web browser (textual-serve): each browser tab runs the editor "
        "on this one canvas. Every URL carries a secret token, printed at start; requests without "
        "it get 403.",
        epilog="From a laptop, over SSH: ssh -L 8000:localhost:8000 HOST, then open the printed URL. "
        "Ctrl+C stops the server; tabs still open save first.",
    )
    parser.add_argument(
        "path", nargs="?", default=DEFAULT_PATH, help=f"canvas file (default: {DEFAULT_PATH})"
    )
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this machine only; anything else warns)",
    )
    parser.add_argument("--port", type=int, default=8000, help="port to listen on (default: 8000)")
    parser.add_argument(
        "--max-sessions", type=int, default=8, help="browser tabs open at once, one editor each (default: 8)"
    )
    args = parser.parse_args(argv)
    if not 0 < args.port < 65536:
        raise UserError(f"--port {args.port}: a port is a number from 1 to 65535")
    if args.max_sessions < 1:
        raise UserError(f"--max-sessions {args.max_sessions}: at least 1")
    path = Path(args.path)
    _check_folder(path)
    if _exists(path):
        CanvasFile.load(path)  # a broken or non-canvas file is an error now, not in every tab
    from canvas_tui.serve.server import ServeError, serve

    try:
        serve(path.resolve(), host=args.host, port=args.port, max_sessions=args.max_sessions)
    except ServeError as error:
        raise UserError(str(error)) from None
    return EXIT_OK


# -- templates ----------------------------------------------------------------------------------


def templates_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="canvas-tui templates",
        description="List the canvases canvas-tui knows: the bundled ones and your own "
        "(TOML files in the templates/ folder of the config folder, in the bundled format).",
    )
    parser.parse_args(argv)
    folder = user_templates_folder()
    catalog = TemplateCatalog.load(folder)
    for warning in catalog.warnings:
        _warn(warning)
    for entry in catalog.entries.values():
        template = entry.template
        about = for_terminal(f"{template.title} ({len(template.blocks)} blocks, {template.licence})")
        where = "bundled" if entry.path is None else f"user: {entry.path}"
        print(f"{entry.id}\t{about}\t{where}")
    print(f"\nAdd your own templates in {folder}")
    return EXIT_OK


# -- lint ---------------------------------------------------------------------------------------


def lint_command(argv: list[str]) -> int:
    from canvas_tui.files.settings import Settings, settings_path
    from canvas_tui.lint import RULES, findings, rules_off

    parser = argparse.ArgumentParser(
        prog="canvas-tui lint",
        description="Review a draft against the guide's rules: one line per finding, "
        '`file: block: rule-id: message`. Turn rules off with `[lint] off = ["rule-id"]` in the '
        "canvas file (that canvas) or in config.toml (all your canvases).",
        epilog="exit codes: 0 no findings, 1 findings, 2 error",
    )
    parser.add_argument("paths", metavar="PATH", nargs="*", help="canvas files")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts (see README)")
    parser.add_argument(
        "--rules", action="store_true", help="list the rules (for PATH's template, or every rule)"
    )
    args = parser.parse_args(argv)
    if not args.paths and not args.rules:
        parser.error("give a canvas file to review (or --rules)")
    documents = [CanvasFile.load(Path(path)) for path in args.paths]
    if args.rules:
        template_ids = {d.canvas.template.id for d in documents}
        for rule in RULES:
            if template_ids and not any(rule.applies_to(t) for t in template_ids):
                continue
            applies = "every template" if rule.templates is None else ", ".join(rule.templates)
            print(f"{rule.id}\t{applies}\t{rule.description}")
        return EXIT_OK
    settings = Settings.load(settings_path())
    warnings = list(settings.warnings)
    user_off = settings.lint_off
    reports = []
    for document in documents:
        warnings += document.warnings
        off, canvas_warnings = rules_off(document, user_off)
        warnings += canvas_warnings
        reports.append((document, off, findings(document.canvas, off)))
    for warning in warnings:
        _warn(warning)
    total = sum(len(found) for _, _, found in reports)
    if args.json:
        data = {
            "files": [
                {
                    "file": str(document.path),
                    "template": document.canvas.template.id,
                    "off": off,
                    "findings": [
                        {
                            "block": f.block_id,
                            "title": document.canvas.template.block(f.block_id).title,
                            "rule": f.rule_id,
                            "message": f.message,
                        }
                        for f in found
                    ],
                }
                for document, off, found in reports
            ],
            "count": total,
        }
        _print_json(data)
    else:
        for document, off, found in reports:
            for f in found:
                print(for_terminal(f"{document.path}: {f.block_id}: {f.rule_id}: {f.message}"))
            if not found:
                turned_off = f" ({len(off)} turned off)" if off else ""
                print(for_terminal(f"{document.path}: no findings{turned_off}"))
    return EXIT_UNRESOLVED if total else EXIT_OK


# -- themes -------------------------------------------------------------------------------------


def themes_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="canvas-tui themes",
        description="List the themes: the bundled ones, your own and Textual's. "
        "The one marked * is the one canvas-tui would start with here.",
    )
    parser.parse_args(argv)
    from canvas_tui.files.settings import Settings, settings_path
    from canvas_tui.tui.themes import ThemeCatalog, pick_theme, user_themes_folder

    folder = user_themes_folder()
    catalog = ThemeCatalog.load(folder)
    settings = Settings.load(settings_path())
    for warning in [*settings.warnings, *catalog.warnings]:
        _warn(warning)
    choice = pick_theme(requested=None, environ=os.environ, saved=settings.theme, available=catalog.names)
    if choice.notice:
        _warn(choice.notice)
    origins = ("bundled", "user", "textual")
    entries = sorted(catalog.entries.values(), key=lambda entry: (origins.index(entry.origin), entry.name))
    width = max(len(entry.name) for entry in entries)
    for entry in entries:
        mark = "*" if entry.name == choice.name else " "
        about = for_terminal(entry.description or (str(entry.path) if entry.path else ""))
        print(f"{mark} {entry.name:<{width}}  {entry.origin:<7}  {about}".rstrip())
    print(f"\n* starts here: {choice.name} ({choice.reason}). Add your own themes in {folder}")
    return EXIT_OK


# -- check (the pre-commit hook) ----------------------------------------------------------------


def check_command(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        prog="canvas-tui check",
        description="Check canvases before a commit: each must be a valid canvas and hold no merge "
        "conflict marker (a line starting with <<<<<<< or >>>>>>>). Silent when all is well.",
        epilog="exit codes: 0 ok, 1 a conflict marker remains, 2 a file is not a valid canvas",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="canvas file(s)")
    args = parser.parse_args(argv)
    from canvas_tui.model.conflicts import conflicted_fields
    from canvas_tui.storage import locate

    invalid = conflicted = False
    for path in map(Path, args.paths):
        try:
            document = CanvasFile.load(path)
        except CanvasFileError as error:
            _error(error)
            invalid = True
            continue
        text = document.source if isinstance(document.source, str) else ""
        template = document.canvas.template
        for field_id in conflicted_fields(document.canvas.fields):
            line = locate(text, "canvas", field_id)
            print(
                for_terminal(f"{path}:{line}: [canvas] {field_id} holds a merge conflict marker"),
                file=sys.stderr,
            )
            conflicted = True
        for block_id in conflicted_blocks(document.canvas):
            line = locate(text, f"blocks.{block_id}", "text")
            title = template.block(block_id).title
            print(
                for_terminal(
                    f"{path}:{line}: block {title} holds a merge conflict marker; "
                    "keep one side (or both) and delete the marker lines"
                ),
                file=sys.stderr,
            )
            conflicted = True
    return EXIT_ERROR if invalid else EXIT_UNRESOLVED if conflicted else EXIT_OK


# -- diff ---------------------------------------------------------------------------------------


def diff_command(argv: list[str]) -> int:
    from canvas_tui.git import canvas_from_text, show_revision
    from canvas_tui.model.compare import compare, render_plain

    parser = argparse.ArgumentParser(
        prog="canvas-tui diff",
        description="Compare two canvases block by block: changed header fields, and per changed block "
        "its title, the status change and a word-level diff of the text (in colour on a terminal, "
        "plain -/+ lines otherwise). Unchanged blocks are not listed. With one PATH, compare the "
        "file with a git revision of it (HEAD unless --rev says otherwise).",
        epilog="exit codes (as diff(1)): 0 same, 1 different, 2 error",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="OLD NEW, or one PATH with --rev")
    parser.add_argument("--rev", metavar="REV", help="compare PATH with this git revision (default HEAD)")
    parser.add_argument("--json", action="store_true", help="print the differences as JSON")
    parser.add_argument(
        "--color",
        choices=["auto", "always", "never"],
        default="auto",
        help="colour the word-level diff (default: auto, on a terminal unless NO_COLOR is set)",
    )
    args = parser.parse_args(argv)
    if len(args.paths) > 2 or (len(args.paths) == 2 and args.rev is not None):
        raise UserError("diff takes OLD NEW, or one PATH (with --rev REV, default HEAD)")
    if len(args.paths) == 2:
        old_path, new_path = map(Path, args.paths)
        old, new = CanvasFile.load(old_path).canvas, CanvasFile.load(new_path).canvas
        old_name, new_name = str(old_path), str(new_path)
    else:
        path = Path(args.paths[0])
        revision = args.rev or "HEAD"
        new = CanvasFile.load(path).canvas
        old_name, new_name = f"{path} ({revision})", str(path)
        old = canvas_from_text(old_name, show_revision(path, revision))
    difference = compare(old, new, old_name, new_name)
    if args.json:
        _print_json(difference.as_data())
    elif not difference.same:
        from rich.console import Console

        console = Console(
            highlight=False,
            soft_wrap=True,
            force_terminal={"always": True, "never": False}.get(args.color),
            no_color=True if args.color == "never" else None,
        )
        if console.is_terminal and not console.no_color:
            _print_coloured_diff(console, difference)
        else:
            sys.stdout.write(render_plain(difference))
    return EXIT_OK if difference.same else EXIT_UNRESOLVED


def _print_coloured_diff(console: object, difference: object) -> None:
    from rich.console import Console
    from rich.text import Text

    from canvas_tui.model.compare import CanvasDiff, field_text, word_diff

    assert isinstance(console, Console) and isinstance(difference, CanvasDiff)
    # Only Text objects, every file-derived piece through for_terminal: the colours are the only
    # escape sequences this prints.
    line_of = for_terminal
    names = f"--- {line_of(difference.old_name)}\n+++ {line_of(difference.new_name)}"
    console.print(Text(names, style="bold"))
    if difference.template_changed is not None:
        old_id, new_id = difference.template_changed
        console.print(Text(line_of(f"template: {old_id} -> {new_id}")))
    for change in difference.fields:
        line = Text(f"{line_of(change.label)}: ")
        line.append(line_of(field_text(change.old)), style="red")
        line.append(" -> ")
        line.append(line_of(field_text(change.new)), style="green")
        console.print(line)
    for block in difference.blocks:
        heading = Text(f"\n## {line_of(block.heading)}", style="bold")
        if block.status_changed:
            heading.append("  ")
            heading.append(line_of(block.old_status), style="red")
            heading.append(" -> ")
            heading.append(line_of(block.new_status), style="green")
        console.print(heading)
        if not block.text_changed:
            continue
        body = Text()
        for piece in word_diff(block.old_text, block.new_text):
            style = {"equal": "", "delete": "red strike", "insert": "green underline"}[piece.op]
            body.append(for_terminal(piece.text, multiline=True), style=style)
        console.print(body)


# -- git ----------------------------------------------------------------------------------------

GIT_HELP = """\
  canvas-tui git setup [--global] [PATTERN...]   write .gitattributes lines and the git config
                                                 for the drivers below (default patterns:
                                                 canvas.toml *.canvas.toml); twice changes nothing
  canvas-tui git merge BASE OURS THEIRS [PATH]   the merge driver (git runs it as %O %A %B %P):
                                                 block by block; writes the result to OURS;
                                                 exit 0 clean, 1 conflicts, 2 not a canvas
  canvas-tui git textconv PATH                   the canvas as text with a heading per block,
                                                 for `git diff` and `git log -p`
"""


def git_command(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print("usage: canvas-tui git setup|merge|textconv ...\n\n" + GIT_HELP)
        return EXIT_OK if argv else EXIT_ERROR
    action, rest = argv[0], argv[1:]
    commands = {"setup": _git_setup, "merge": _git_merge, "textconv": _git_textconv}
    if action not in commands:
        raise UserError(f"git {action}: unknown; use `canvas-tui git setup`, `git merge` or `git textconv`")
    return commands[action](rest)


def _git_setup(argv: list[str]) -> int:
    from canvas_tui.git import DEFAULT_PATTERNS, setup

    parser = argparse.ArgumentParser(
        prog="canvas-tui git setup",
        description="Connect canvas-tui's merge and diff drivers to git: .gitattributes lines for the "
        "canvas files and the merge.canvas-tui / diff.canvas-tui settings in this repository's git "
        "config (or, with --global, your own). Running it again changes nothing.",
    )
    parser.add_argument(
        "patterns",
        nargs="*",
        metavar="PATTERN",
        help=f"gitattributes patterns of canvas files (default: {' '.join(DEFAULT_PATTERNS)})",
    )
    parser.add_argument(
        "--global",
        dest="global_",
        action="store_true",
        help="write your global git config and attributes file instead of this repository's",
    )
    parser.add_argument(
        "--command",
        default="",
        help="how git should run canvas-tui (default: `canvas-tui` when on PATH, else this "
        "installation's full path)",
    )
    args = parser.parse_args(argv)
    written, present = setup(
        Path.cwd(), args.patterns or DEFAULT_PATTERNS, global_=args.global_, command=args.command
    )
    for line in written:
        print(f"wrote {line}")
    if not written:
        print("Already set up; nothing changed:")
        for line in present:
            print(f"  {line}")
    return EXIT_OK


def _git_merge(argv: list[str]) -> int:
    from canvas_tui.git import merge_files, side_labels

    parser = argparse.ArgumentParser(
        prog="canvas-tui git merge",
        description="git's merge driver for canvases (merge.canvas-tui.driver = canvas-tui git merge "
        "%%O %%A %%B %%P). Blocks changed on one side merge; a block whose text both sides changed "
        "keeps both texts between conflict markers and becomes draft. Header fields: iteration takes "
        "the higher, date the later; another field both changed keeps ours and is a conflict.",
        epilog="exit codes: 0 merged cleanly, 1 conflicts (the result is written anyway), "
        "2 an input is not a canvas (OURS is left untouched, so git reports a conflict)",
    )
    parser.add_argument("base", help="the common ancestor's version (%%O)")
    parser.add_argument("ours", help="our version; the result is written here (%%A)")
    parser.add_argument("theirs", help="their version (%%B)")
    parser.add_argument("path", nargs="?", help="the file's name in the repository (%%P), for messages")
    parser.add_argument("--ours-label", help="name of our side in conflict markers (default: ours (BRANCH))")
    parser.add_argument("--theirs-label", help="name of their side in conflict markers")
    args = parser.parse_args(argv)
    ours_label, theirs_label = side_labels()
    report = merge_files(
        Path(args.base),
        Path(args.ours),
        Path(args.theirs),
        shown_as=args.path,
        ours_label=args.ours_label or ours_label,
        theirs_label=args.theirs_label or theirs_label,
    )
    for line in report.lines:
        print(f"canvas-tui: {for_terminal(line)}", file=sys.stderr)
    return EXIT_OK if report.merge.clean else EXIT_UNRESOLVED


def _git_textconv(argv: list[str]) -> int:
    from canvas_tui.git import textconv, textconv_of_bytes
    from canvas_tui.storage import read_bytes

    parser = argparse.ArgumentParser(
        prog="canvas-tui git textconv",
        description="Print the canvas as text with a heading per block (`## Column / Block [status]`), "
        "for git's diff.canvas-tui.textconv. A file that is not a valid canvas is printed as it is. "
        "Control characters from the file are shown as pictures (␛) or escapes (\\x9b), never sent.",
    )
    parser.add_argument("path", help="canvas file")
    args = parser.parse_args(argv)
    path = Path(args.path)
    try:
        text = textconv(CanvasFile.load(path).canvas)
    except CanvasFileError:
        # Git must still show a diff of a broken file (a half-resolved conflict): its text as it
        # is, but with its escapes shown, as for a valid canvas.
        sys.stdout.write(textconv_of_bytes(read_bytes(path)))
        return EXIT_OK
    sys.stdout.write(text)
    return EXIT_OK


_COMMANDS = {
    "themes": themes_command,
    "new": new_command,
    "status": status_command,
    "templates": templates_command,
    "lint": lint_command,
    "demo": demo_command,
    "export": export_command,
    "diff": diff_command,
    "check": check_command,
    "git": git_command,
    "serve": serve_command,
}
