"""What every command shares: exit codes, the one-line error, warnings, JSON for scripts, and the
shape of a command-table entry (so help, dispatch and each parser's description read one text).

Every message below may quote a file's own text (a block name, a status, a host): it goes through
for_terminal, so a file from a stranger cannot steer the terminal it is printed on.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from canvas_tui.errors import UserFacingError
from canvas_tui.model.text import for_terminal

EXIT_OK, EXIT_UNRESOLVED, EXIT_ERROR = 0, 1, 2
EXIT_READER_GONE = 141
"""128 + SIGPIPE: what a shell reports for a command whose reader went away (`| head -1`)."""


class UserError(UserFacingError):
    """A command line the user can fix (a bad argument, a missing folder); one line, exit code 2."""


def warn(message: str) -> None:
    print(f"canvas-tui: warning: {for_terminal(message)}", file=sys.stderr)


def warn_all(warnings: Iterable[str]) -> None:
    """Each warning on its own line: a file's, a settings file's, an export's."""
    for message in warnings:
        warn(message)


def print_error(message: object) -> None:
    print(f"canvas-tui: error: {for_terminal(str(message))}", file=sys.stderr)


JSON_ESCAPES = {
    code: f"\\u{code:04x}"
    for code in (*range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x2028, 0x2029)
}
"""The characters a terminal would obey (DEL, C1, bidi controls), as JSON's \\u escapes."""


def print_json(data: object) -> None:
    """JSON for scripts, with the characters a terminal would obey as \\u escapes: the same values
    to any JSON reader, harmless when it lands on a terminal."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    sys.stdout.write(text.translate(JSON_ESCAPES) + "\n")


def exists(path: Path) -> bool:
    # A dangling symlink "does not exist" but must still be an error, not a new canvas.
    return path.exists() or path.is_symlink()


def check_folder(path: Path) -> None:
    if not exists(path) and not path.absolute().parent.is_dir():
        raise UserError(f"{path}: the folder {path.parent} does not exist; create it first")


def listing(words: Iterable[str], last: str = "or") -> str:
    """`a, b or c`: a list in a sentence."""
    items = list(words)
    return f" {last} ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)


Handler = Callable[["Command", list[str]], int]
"""Runs a command: its table entry (for the parser's description) and its arguments."""


@dataclass(frozen=True, slots=True)
class Command:
    """One entry of a command table: `canvas-tui --help` lists it, the dispatch runs it, and its
    parser's description starts with its summary."""

    name: str
    """As typed after `canvas-tui` ("" for the editor, "git merge" for a git driver)."""
    usage: str
    """Its arguments, as the command list shows them."""
    summary: str
    """One sentence: what it does."""
    handler: Handler

    def run(self, argv: list[str]) -> int:
        return self.handler(self, argv)

    def parser(
        self,
        details: str = "",
        epilog: str | None = None,
        formatter_class: type[argparse.HelpFormatter] = argparse.HelpFormatter,
    ) -> argparse.ArgumentParser:
        """The command's parser: `canvas-tui NAME`, described by the summary and then `details`."""
        return argparse.ArgumentParser(
            prog=" ".join(filter(None, ["canvas-tui", self.name])),
            description=" ".join(filter(None, [self.summary, details])),
            epilog=epilog,
            formatter_class=formatter_class,
        )


USAGE_WIDTH = 41
"""Where the summaries start in a command list."""


def command_list(commands: Iterable[Command]) -> str:
    """The commands as help shows them: each usage, and its summary beside or below it."""
    lines: list[str] = []
    for command in commands:
        usage = "  " + " ".join(filter(None, ["canvas-tui", command.name, command.usage]))
        summary = textwrap.wrap(command.summary, width=99 - USAGE_WIDTH)
        if len(usage) < USAGE_WIDTH - 1:
            lines.append(usage.ljust(USAGE_WIDTH) + summary.pop(0))
        else:
            lines.append(usage)
        lines += [" " * USAGE_WIDTH + line for line in summary]
    return "\n".join(lines) + "\n"
