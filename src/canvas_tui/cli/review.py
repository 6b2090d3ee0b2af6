"""The commands that review canvases: diff (what changed, block by block) and lint (the guide's rules).

Their JSON is built in their rooms (CanvasDiff.as_data, lint.reports_data); rich, git and the rules
load only when the command runs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from canvas_tui.cli.common import EXIT_OK, EXIT_UNRESOLVED, Command, UserError, print_json, warn_all
from canvas_tui.model.text import for_terminal
from canvas_tui.storage import CanvasFile

if TYPE_CHECKING:
    from rich.console import Console

    from canvas_tui.model.compare import CanvasDiff


def diff_command(command: Command, argv: list[str]) -> int:
    from canvas_tui.git import canvas_from_text, show_revision
    from canvas_tui.model.compare import compare, render_plain

    parser = command.parser(
        "Changed header fields, and per changed block its title, the status change and a word-level "
        "diff of the text (in colour on a terminal, plain -/+ lines otherwise). Unchanged blocks are "
        "not listed. With one PATH, compare the file with a git revision of it (HEAD unless --rev "
        "says otherwise).",
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
        print_json(difference.as_data())
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


def _print_coloured_diff(console: Console, difference: CanvasDiff) -> None:
    from rich.text import Text

    from canvas_tui.model.compare import PIECE_STYLE, field_text, word_diff

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
            body.append(for_terminal(piece.text, multiline=True), style=PIECE_STYLE[piece.op])
        console.print(body)


def lint_command(command: Command, argv: list[str]) -> int:
    from canvas_tui.files.settings import Settings, settings_path
    from canvas_tui.lint import RULES, Report, findings, reports_data, rules_off

    parser = command.parser(
        "One line per finding, "
        '`file: block: rule-id: message`. Turn rules off with `[lint] off = ["rule-id"]` in the '
        "canvas file (that canvas) or in config.toml (all your canvases).",
        epilog="exit codes: 0 no findings, 1 findings, 2 error",
    )
    parser.add_argument("paths", metavar="PATH", nargs="*", help="canvas files")
    parser.add_argument("--json", action="store_true", help="print JSON for scripts (see docs/lint.md)")
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
        reports.append(Report(document, off, findings(document.canvas, off)))
    warn_all(warnings)
    total = sum(len(report.found) for report in reports)
    if args.json:
        print_json(reports_data(reports))
    else:
        for report in reports:
            for f in report.found:
                print(for_terminal(f"{report.document.path}: {f.block_id}: {f.rule_id}: {f.message}"))
            if not report.found:
                turned_off = f" ({len(report.off)} turned off)" if report.off else ""
                print(for_terminal(f"{report.document.path}: no findings{turned_off}"))
    return EXIT_UNRESOLVED if total else EXIT_OK
