"""`canvas-tui git`: the drivers git runs (merge, textconv) and the set-up that connects them.

Its own small command table, read by `canvas-tui git --help`, the dispatch and each driver's parser.
canvas_tui.git (and its subprocess helpers) loads only when a driver runs.
"""

from __future__ import annotations

import sys
from pathlib import Path

from canvas_tui.cli.common import EXIT_ERROR, EXIT_OK, EXIT_UNRESOLVED, Command, UserError, command_list
from canvas_tui.model.text import for_terminal
from canvas_tui.storage import CanvasFile, CanvasFileError


def git_command(command: Command, argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(f"usage: canvas-tui {command.name} {command.usage}\n\n" + command_list(DRIVERS.values()))
        return EXIT_OK if argv else EXIT_ERROR
    action, rest = argv[0], argv[1:]
    if action not in DRIVERS:
        raise UserError(f"git {action}: unknown; use `canvas-tui git setup`, `git merge` or `git textconv`")
    return DRIVERS[action].run(rest)


def _git_setup(command: Command, argv: list[str]) -> int:
    from canvas_tui.git import DEFAULT_PATTERNS, setup

    parser = command.parser(
        "It writes .gitattributes lines for the canvas files and the merge.canvas-tui / "
        "diff.canvas-tui settings in this repository's git config (or, with --global, your own)."
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
        help="how git should run canvas-tui (default: the full path of this canvas-tui, so a git "
        "without it on PATH still finds it; run setup again after installing it elsewhere)",
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


def _git_merge(command: Command, argv: list[str]) -> int:
    from canvas_tui.git import merge_files, side_labels

    parser = command.parser(
        "Set as merge.canvas-tui.driver = canvas-tui git merge %O %A %B %P. Blocks changed on one "
        "side merge; a block whose text both sides changed "
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


def _git_textconv(command: Command, argv: list[str]) -> int:
    from canvas_tui.git import textconv, textconv_of_bytes
    from canvas_tui.storage import read_bytes

    parser = command.parser(
        "Each heading reads `## Column / Block [status]`; set as git's diff.canvas-tui.textconv. "
        "A file that is not a valid canvas is printed as it is. "
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


DRIVERS = {
    command.name.removeprefix("git "): command
    for command in (
        Command(
            "git setup",
            "[--global] [PATTERN...]",
            "Connect canvas-tui's merge and diff drivers to git; running it again changes nothing.",
            _git_setup,
        ),
        Command(
            "git merge",
            "BASE OURS THEIRS [PATH]",
            "git's merge driver for canvases (git runs it as %O %A %B %P): block by block; writes the "
            "result to OURS; exit 0 clean, 1 conflicts, 2 not a canvas.",
            _git_merge,
        ),
        Command(
            "git textconv",
            "PATH",
            "Print the canvas as text with a heading per block, for `git diff` and `git log -p`.",
            _git_textconv,
        ),
    )
}
"""The git subcommands by the word after `git`, in the order help lists them."""
