"""How deeply a TOML text nests, found before any TOML reader sees it.

Both TOML readers canvas-tui uses read nested values by recursion: the standard reader fails with
a RecursionError (a traceback) somewhere between 350 and 500 levels, and tomlkit, which every save
goes through, refuses more than 100 levels of arrays and inline tables, and keys of more than 100
parts. A file nested deeper than a save can write would open and then fail every save, so it is
refused when read, with the line and column where it first goes too deep.

The depth of a place in the file is the number of containers around it: each part of a
`[table.name]` (an `[[array.of.tables]]` counts its array too), each part of a dotted key but the
last, each array and each inline table. `[canvas]` then `template = "x"` holds the value at depth
1; `x = [[1]]` opens arrays at depths 1 and 2.

Strings and comments are skipped whole (a block's long text with str.find), so a canvas of long
block texts costs little; structure is followed only as far as it decides the depth. Where the
text stops being TOML (an unterminated string, a broken header) the scan stops and leaves the error
to the reader, which fails there too, before reaching anything the scan has not seen.
"""

from __future__ import annotations

import re
import tomllib
from typing import Any

from canvas_tui.errors import UserFacingError

MAX_DEPTH = 50
"""Deepest nesting accepted: half of tomlkit's 100 levels, so a file that opens can always be
saved (tests/storage/test_nesting.py measures the real limit), and far beyond anything a canvas,
settings, theme or template file needs (a canvas nests 2 deep)."""


def _tokens(punctuation: str) -> re.Pattern[str]:
    """Strings and comments whole, and the punctuation given; the lookahead lets the search skip
    everything else at the speed of a character class."""
    return re.compile(
        rf"""
        (?=[{punctuation}"'\#])
        (?:
          (?P<multiline>"{{3}}|'{{3}})
        | (?P<string>
              "(?:[^"\\\n]++|\\[^\n])*+"   # basic string
            | '[^'\n]*+'                  # literal string
            | \#[^\n]*+                   # comment
          )
        | (?P<unterminated>["'])
        | (?P<punct>[{punctuation}])
        )
        """,
        re.VERBOSE,
    )


_TOKEN = _tokens(r"\[\]{}=,.\n")
_VALUE_TOKEN = _tokens(r"\[\]{}\n")
"""The tokens that matter in a value outside inline tables: commas, dots and `=` do not (a long
array of numbers is read a bracket at a time, not a comma at a time)."""


class TooDeepError(ValueError, UserFacingError):
    """A text nested deeper than canvas-tui reads: where it first goes too deep (1-based line and
    column; None when a reader ran out of stack without the scan seeing why)."""

    def __init__(self, line: int | None, column: int | None, limit: int = MAX_DEPTH) -> None:
        self.line = line
        self.column = column
        self.message = (
            f"nested more than {limit} levels deep (arrays, inline tables, table and key names "
            "together): too deep for canvas-tui to save, so it is not read"
        )
        super().__init__(str(self))

    def __str__(self) -> str:
        if self.line is None:
            return self.message
        return f"line {self.line}, column {self.column}: {self.message}"

    def located(self, name: object) -> str:
        """`name:line:column: what is wrong`, the one line canvas-tui prints for a file's problem."""
        where = f"{name}:{self.line}:{self.column}" if self.line is not None else f"{name}"
        return f"{where}: {self.message}"


def check(text: str, limit: int = MAX_DEPTH) -> None:
    """Raise TooDeepError where `text` first opens a container deeper than `limit`."""
    offset = _first_too_deep(text, limit)
    if offset is not None:
        line_start = text.rfind("\n", 0, offset) + 1
        raise TooDeepError(text.count("\n", 0, offset) + 1, offset - line_start + 1, limit)


def loads(text: str) -> dict[str, Any]:
    """tomllib.loads for a file from anywhere: TooDeepError, never a RecursionError, for nesting."""
    check(text)
    try:
        return tomllib.loads(text)
    except RecursionError:
        raise TooDeepError(None, None) from None


def _first_too_deep(text: str, limit: int) -> int | None:
    stack: list[tuple[str, int]] = []  # the open arrays and inline tables: (bracket, depth)
    table_depth = 0  # the current [table]'s depth
    line_start = True  # at the top level, where a line may start a header or a key
    header = False  # reading a [header]
    aot = 0  # 1 while reading an [[array.of.tables]] header
    in_key = False  # reading a key, up to its `=`
    key_base = 0  # depth of the table the key is in
    dots = 0  # parts of the key (or header) read so far, less one
    value_depth = 0  # depth of the container of the value being read
    position = 0
    while True:
        in_value = not (line_start or header or in_key or (stack and stack[-1][0] == "{"))
        match = (_VALUE_TOKEN if in_value else _TOKEN).search(text, position)
        if match is None:
            return None
        start, position = match.span()
        kind, token = match.lastgroup, match.group()
        if kind == "unterminated":
            return None
        if kind == "multiline":
            end = _multiline_end(text, start)
            if end is None:
                return None
            position = end
        if kind != "punct":
            if line_start and not token.startswith("#"):
                line_start, in_key, key_base, dots = False, True, table_depth, 0  # a quoted key
            continue
        if header:
            if token == ".":
                dots += 1
                if dots + 1 + aot > limit:
                    return start
            elif token == "]" and (not aot or text.startswith("]", position)):
                header, table_depth = False, dots + 1 + aot
                position += aot
            else:
                return None  # not a header TOML knows
            continue
        if line_start:
            if token == "\n":
                continue
            line_start = False
            if token == "[":
                header, dots = True, 0
                aot = 1 if text.startswith("[", position) else 0
                position += aot
                if 1 + aot > limit:
                    return start
                continue
            in_key, key_base, dots = True, table_depth, 0  # a bare key
        if in_key:
            if token == ".":
                dots += 1
                if key_base + dots > limit:
                    return start
            elif token == "=":
                in_key, value_depth = False, key_base + dots
            elif token == "}" and stack and stack[-1][0] == "{":
                stack.pop()  # an empty inline table
                in_key = False
                value_depth = _container_depth(stack, value_depth)
            elif token != "\n":
                return None  # not a key TOML knows
            continue
        if token in "[{":
            depth = value_depth + 1
            if depth > limit:
                return start
            stack.append((token, depth))
            if token == "{":
                in_key, key_base, dots = True, depth, 0
            else:
                value_depth = depth
        elif token in "]}":
            if not stack:
                return None
            stack.pop()
            value_depth = _container_depth(stack, value_depth)
        elif token == "," and stack and stack[-1][0] == "{":
            in_key, key_base, dots = True, stack[-1][1], 0
        elif token == "\n" and not stack:
            line_start = True


def _container_depth(stack: list[tuple[str, int]], value_depth: int) -> int:
    """After a bracket closes: the depth of the array around it, whose next value may follow."""
    return stack[-1][1] if stack and stack[-1][0] == "[" else value_depth


def _multiline_end(text: str, start: int) -> int | None:
    """Where the multi-line string opening at `start` ends (after its closing quotes); None when it
    never closes. Found with str.find, not a pattern: a block's text is most of a canvas."""
    quote = text[start]
    search = start + 3
    while (close := text.find(quote * 3, search)) >= 0:
        backslashes = 0
        while quote == '"' and text[close - 1 - backslashes] == "\\":
            backslashes += 1
        if backslashes % 2:  # an escaped quote: the string goes on
            search = close + 1
            continue
        end = close + 3
        while end < len(text) and end < close + 5 and text[end] == quote:
            end += 1  # one or two quotes of the text itself, right before the closing three
        return end
    return None
