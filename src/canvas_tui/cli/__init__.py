"""The command line: the command table, and `main`, which reads it to dispatch.

One module per command family: editor (the commands that run the UI), canvas, export, review and
git; common holds what they share. The UI is imported only when it runs (a canvas opened, the
themes listed, an SVG rendered), so `status`, `new` and `templates` stay quick and free of Textual
(tests/test_import_hygiene.py proves it). An error the user can fix is one line on stderr and
exit code 2.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from canvas_tui.cli import canvas, editor, export, git, importing, review
from canvas_tui.cli.common import (
    EXIT_ERROR,
    EXIT_READER_GONE,
    Command,
    UserError,
    command_list,
    exists,
    listing,
    print_error,
)
from canvas_tui.errors import UserFacingError

_FORMATS = export.formats()

EDITOR = Command(
    "",
    "[PATH]",
    f"Open PATH in the editor (default {editor.DEFAULT_PATH}); a missing file is created on first save.",
    editor.open_command,
)

COMMANDS: tuple[Command, ...] = (
    EDITOR,
    Command(
        "new", "PATH [--product NAME] [--template ID]", "Write a new, empty canvas file.", canvas.new_command
    ),
    Command(
        "status",
        "PATH... [--json] [--check]",
        "Show how complete a canvas is, per block, per column and overall; several canvases: one row "
        "each and a total.",
        canvas.status_command,
    ),
    Command(
        "check",
        "PATH... [--complete] [--readme FILE]",
        "Fail while a canvas is invalid or holds a merge conflict marker (the pre-commit hook); "
        "--readme: while FILE's canvas section is out of date.",
        canvas.check_command,
    ),
    Command(
        "diff",
        "OLD NEW | diff PATH [--rev REV] [--json]",
        "Compare two canvases block by block, or a canvas with a git revision of it (default: HEAD).",
        review.diff_command,
    ),
    Command(
        "git",
        "setup|merge|textconv ...",
        "Git's block-level merge driver and readable diffs; `git setup` connects them to git "
        "(see `canvas-tui git --help`).",
        git.git_command,
    ),
    Command(
        "export",
        f"PATH --format {'|'.join(_FORMATS)} [-o OUT | --into FILE]",
        f"Export the canvas as {listing(spec.name for spec in _FORMATS.values())}; --into: as "
        "the canvas section of a README (FILE).",
        export.export_command,
    ),
    Command(
        "import",
        "SOURCE [-o OUT] [--template ID] [--force]",
        "Make a canvas file of a canvas kept elsewhere: Markdown, a filled PDF or an export; a report "
        "says where each section went.",
        importing.import_command,
    ),
    Command(
        "serve",
        "[PATH] [--host H] [--port P] [--max-sessions N]",
        "Open the editor in a web browser, behind a secret token.",
        editor.serve_command,
    ),
    Command(
        "lint", "PATH... [--json] [--rules]", "Review a draft against the guide's rules.", review.lint_command
    ),
    Command(
        "templates",
        "",
        "List the canvases canvas-tui knows: the bundled ones and your own, from the config folder's "
        "templates/.",
        canvas.templates_command,
    ),
    Command(
        "themes", "", "List the themes: the bundled ones, your own and Textual's.", editor.themes_command
    ),
    Command(
        "demo",
        "",
        "Open a temporary copy of a filled example canvas; the example stays as it is.",
        editor.demo_command,
    ),
)
"""Every command, in the order help lists them: `canvas-tui --help`, the dispatch and each parser's
description read this table."""

BY_NAME = {command.name: command for command in COMMANDS if command.name}

COMMANDS_HELP = (
    "commands:\n"
    + command_list(COMMANDS)
    + """
Run `canvas-tui COMMAND --help` for a command's options.
exit codes: 0 ok, 1 `status --check` found unresolved blocks (or `diff` a difference, `check` or
`git merge` a conflict, `lint` a finding), 2 error (bad file or arguments), 141 the output's
reader went away (`| head`)
"""
)


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
        if args and args[0] in BY_NAME:
            return BY_NAME[args[0]].run(args[1:])
        if args and _looks_like_a_command(args[0]):
            raise UserError(_unknown_command(args[0]))
        return EDITOR.run(args)
    except UserFacingError as error:  # every error the user can fix says so in one line
        print_error(error)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


def _looks_like_a_command(word: str) -> bool:
    """A first word that is not an option, not an existing path and not a .toml file name.

    A mistyped subcommand in a script (`canvas-tui stauts c.toml`) must not open an editor on a new
    file called "stauts".
    """
    return not word.startswith("-") and not exists(Path(word)) and Path(word).suffix.lower() != ".toml"


def _unknown_command(word: str) -> str:
    close = difflib.get_close_matches(word, list(BY_NAME), n=1)
    hint = f"did you mean `canvas-tui {close[0]}`? " if close else ""
    return (
        f"{word}: unknown command; {hint}Commands: {', '.join(BY_NAME)}. "
        "A canvas file to open ends in .toml (or exists)."
    )
