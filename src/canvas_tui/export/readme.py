"""The canvas kept inside a README, between two markers, the way terraform-docs keeps module docs:

    <!-- canvas-tui:begin -->
    ...the Markdown export...
    <!-- canvas-tui:end -->

Each marker stands on a line of its own. `splice` puts an export between the markers (or appends a
marked section to a file without one)
and leaves every other byte of the file as it was; `section` reads back what is there now, so
`canvas-tui check --readme` can tell whether the README still says what the canvas says. A file
with CRLF line ends gets the export with CRLF too. UI-free, no file access.
"""

from __future__ import annotations

import re

from canvas_tui.errors import UserFacingError

MAX_HEADING_LEVEL = 4
"""The deepest heading level of the Markdown export: its blocks' headings are two levels below, and
Markdown has six."""

BEGIN = b"<!-- canvas-tui:begin -->"
END = b"<!-- canvas-tui:end -->"


class MarkerError(UserFacingError):
    """Markers a splice cannot trust (one without the other, two sections): one line with the place."""


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _markers(marker: bytes, data: bytes) -> list[int]:
    """Where `marker` stands on a line of its own (spaces around it allowed): a README that only
    mentions the marker in its text (`<!-- canvas-tui:begin -->` in backticks) has no section."""
    line = re.compile(rb"^[ \t]*(" + re.escape(marker) + rb")[ \t]*\r?$", re.MULTILINE)
    return [match.start(1) for match in line.finditer(data)]


def section(name: object, data: bytes) -> tuple[int, int] | None:
    """Where the marked section's content lies (after the begin marker, up to the end marker), or
    None when the file has no markers; MarkerError when they cannot be trusted."""
    begins = _markers(BEGIN, data)
    ends = _markers(END, data)
    if not begins and not ends:
        return None
    if len(begins) != 1 or len(ends) != 1 or ends[0] < begins[0]:
        where = (begins + ends)[0]
        if len(begins) > 1 or len(ends) > 1:
            problem = "has more than one canvas-tui section"
        elif not ends:
            problem = f"has {BEGIN.decode()} without {END.decode()} after it"
        elif not begins:
            where, problem = ends[0], f"has {END.decode()} without {BEGIN.decode()} before it"
        else:
            where, problem = ends[0], f"has {END.decode()} before {BEGIN.decode()}"
        raise MarkerError(f"{name}:{_line_of(data, where)}: {problem}; fix the markers by hand")
    return begins[0] + len(BEGIN), ends[0]


def _crlf(data: bytes) -> bool:
    return b"\r\n" in data


def content(markdown: str, data: bytes) -> bytes:
    """What goes between the markers for this export, in the file's line ends."""
    text = "\n" + markdown
    if _crlf(data):
        text = text.replace("\n", "\r\n")
    return text.encode("utf-8")


def splice(name: object, data: bytes | None, markdown: str) -> bytes:
    """`data` (None: no file yet) with the marked section holding `markdown`."""
    if data is None:
        data = b""
    where = section(name, data)
    if where is not None:
        start, stop = where
        return data[:start] + content(markdown, data) + data[stop:]
    newline = b"\r\n" if _crlf(data) else b"\n"
    before = data if not data or data.endswith(b"\n") else data + newline
    gap = newline if before else b""
    return before + gap + BEGIN + content(markdown, data) + END + newline


def current(name: object, data: bytes) -> bytes | None:
    """The marked section's content as it is now (None: no section)."""
    where = section(name, data)
    return None if where is None else data[where[0] : where[1]]


def heading_level(name: object, data: bytes) -> int | None:
    """The level of the section's first heading: the level an export into it was made with."""
    found = current(name, data)
    if found is None:
        return None
    match = re.search(rb"^(#{1,6})[ \t]", found, re.MULTILINE)
    return len(match[1]) if match else None
