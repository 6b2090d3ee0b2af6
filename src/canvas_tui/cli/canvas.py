"""The commands about canvases themselves: new, status, check (the pre-commit hook), templates.

None of them imports the UI; rich is loaded only where a table is printed.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from canvas_tui.cli.common import (
    EXIT_ERROR,
    EXIT_OK,
    EXIT_UNRESOLVED,
    Command,
    UserError,
    check_folder,
    exists,
    print_error,
    print_json,
    warn,
    warn_all,
)
from canvas_tui.model import Canvas
from canvas_tui.model.conflicts import conflicted_blocks
from canvas_tui.model.text import for_terminal
from canvas_tui.storage import CanvasFile, CanvasFileError
from canvas_tui.templates import DEFAULT_TEMPLATE, TemplateCatalog, user_templates_folder


def new_command(command: Command, argv: list[str]) -> int:
    parser = command.parser()
    parser.add_argument("path", help="where to write the canvas (must not exist)")
    parser.add_argument("--product", default="", help="product name for the header")
    parser.add_argument(
        "--template", default=DEFAULT_TEMPLATE, help=f"template id (default: {DEFAULT_TEMPLATE})"
    )
    args = parser.parse_args(argv)
    path = Path(args.path)
    if exists(path):
        raise UserError(f"{path}: already exists; not overwriting it")
    check_folder(path)
    document = CanvasFile.create(path, template_id=args.template, product=args.product)
    document.save()
    title = for_terminal(document.canvas.template.title)
    print(f"Created {path} ({title}). Open it with: canvas-tui {path}")
    return EXIT_OK


def status_command(command: Command, argv: list[str]) -> int:
    parser = command.parser(
        "A row holds the file, product, iteration, resolved/total and the next block.",
        epilog="exit codes: 0 ok, 1 with --check when a block is unresolved or holds a merge conflict "
        "marker, 2 error (with several canvases a bad file is one error line, the others are still "
        "reported, and the exit code is 2)",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="canvas file(s)")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts (see docs/commands.md)")
    parser.add_argument(
        "--check",
        action="store_true",
        help="exit with code 1 while any block is unresolved (todo or draft) or holds a conflict marker",
    )
    args = parser.parse_args(argv)
    if len(args.paths) > 1:
        return _status_of_many([Path(path) for path in args.paths], as_json=args.json, check=args.check)
    document = CanvasFile.load(Path(args.paths[0]))
    warn_all(document.warnings)
    conflicts = conflicted_blocks(document.canvas)
    if args.json:
        from canvas_tui.export.json_export import status_data

        print_json(status_data(document))
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
            print_error(error)
            failed = True
            continue
        warn_all(document.warnings)
        documents.append(document)
    incomplete = any(
        document.canvas.progress().unresolved or conflicted_blocks(document.canvas) for document in documents
    )
    if as_json:
        print_json([status_data(document) for document in documents])
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


def templates_command(command: Command, argv: list[str]) -> int:
    parser = command.parser("Your own are TOML files in the bundled format.")
    parser.parse_args(argv)
    folder = user_templates_folder()
    catalog = TemplateCatalog.load(folder)
    warn_all(catalog.warnings)
    for entry in catalog.entries.values():
        template = entry.template
        about = for_terminal(f"{template.title} ({len(template.blocks)} blocks, {template.licence})")
        where = "bundled" if entry.path is None else f"user: {entry.path}"
        print(f"{entry.id}\t{about}\t{where}")
    print(f"\nAdd your own templates in {folder}")
    return EXIT_OK


def check_command(command: Command, argv: list[str]) -> int:
    parser = command.parser(
        "A conflict marker is a line starting with <<<<<<< or >>>>>>>. Silent when all is well.",
        epilog="exit codes: 0 ok, 1 a conflict marker remains (or, with --complete, a block is "
        "unresolved), 2 a file is not a valid canvas",
    )
    parser.add_argument("paths", nargs="+", metavar="PATH", help="canvas file(s)")
    parser.add_argument(
        "--complete", action="store_true", help="also fail while a block is todo or draft (one line each)"
    )
    parser.add_argument(
        "--readme",
        metavar="FILE",
        help="also fail while FILE's canvas-tui section differs from what `export PATH --into FILE` "
        "would write (one canvas PATH)",
    )
    parser.add_argument(
        "--heading-level",
        type=int,
        metavar="N",
        help="with --readme: the heading level of the export (default: the section's own)",
    )
    args = parser.parse_args(argv)
    if args.readme is not None and len(args.paths) != 1:
        raise UserError("--readme checks one canvas against one README: give one PATH")
    from canvas_tui.model.conflicts import conflicted_fields
    from canvas_tui.model.progress import unresolved_blocks
    from canvas_tui.storage import locate

    invalid = conflicted = False
    for path in map(Path, args.paths):
        try:
            document = CanvasFile.load(path)
        except CanvasFileError as error:
            print_error(error)
            invalid = True
            continue
        text = document.text
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
        for block_id in unresolved_blocks(document.canvas) if args.complete else []:
            line = locate(text, f"blocks.{block_id}", "status")
            title, status = template.block(block_id).title, document.canvas.blocks[block_id].status.value
            message = f"{path}:{line}: block {title} is {status}, not done or skipped"
            print(for_terminal(message), file=sys.stderr)
            conflicted = True
    if args.readme is not None and not invalid:
        conflicted |= _readme_differs(Path(args.paths[0]), Path(args.readme), args.heading_level)
    _warn_missing_driver(map(Path, args.paths))
    return EXIT_ERROR if invalid else EXIT_UNRESOLVED if conflicted else EXIT_OK


def _readme_differs(path: Path, readme: Path, heading_level: int | None) -> bool:
    """Whether the README's canvas section is not what `export --into` would write (said in one line)."""
    from canvas_tui.cli.export import expected_readme, read_readme
    from canvas_tui.export.readme import current
    from canvas_tui.export.readme import heading_level as level_in

    data = read_readme(readme, missing_ok=False)
    assert data is not None
    level = heading_level or level_in(readme, data) or 1
    if expected_readme(CanvasFile.load(path), readme, data, level) == data:
        return False
    option = f" --heading-level {level}" if level != 1 else ""
    missing = current(readme, data) is None
    state = "has no canvas section yet" if missing else f"its canvas section is not up to date with {path}"
    print(
        for_terminal(
            f"{readme}: {state}; run "
            f"`canvas-tui export {path} --format md --into {readme}{option}` and commit the result"
        ),
        file=sys.stderr,
    )
    return True


def _warn_missing_driver(paths: Iterable[Path]) -> None:
    """A git whose canvas driver cannot be run merges canvases as plain text without a word: said
    here, once, since `check` is what a team runs before committing. The exit code stays."""
    from canvas_tui.git import missing_driver

    for folder in dict.fromkeys(path.absolute().parent for path in paths):
        problem = missing_driver(folder)
        if problem:
            warn(problem)
            return
