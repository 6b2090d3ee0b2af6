"""Parse a stranger's PDF in a child process with hard limits, and get plain data back.

Why a child, not a parser option: a limit inside the parser holds only where its authors thought
of it, and a crafted PDF looks for the place they did not (a stream that inflates to gigabytes,
objects nested 100,000 deep, a cross-reference loop). A child process is bounded by the kernel
whatever the parser does: its address space (RLIMIT_AS) and CPU seconds (RLIMIT_CPU) are capped by
the child itself before it reads a byte (`pdf_worker.limit_self`), and the parent kills it after a
wall-clock timeout. The editor's own process never parses the PDF and stays responsive; what comes
back is JSON of numbers and strings, checked again here.

The file itself is read by the one bounded reader (`files.atomic.read_file`) with a size cap
before any parsing: a PDF above `MAX_PDF_BYTES` is refused at once.
"""

from __future__ import annotations

import base64
import json
import math
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from canvas_tui.importing import pdf_worker
from canvas_tui.importing.result import SourceError

MAX_PDF_BYTES = 20 * 1024 * 1024
"""The official page is 0.3 MB; a filled one with pictures pasted in stays well below this."""


@dataclass(frozen=True, slots=True)
class Limits:
    """What the child may use. The defaults leave room for a busy page on a slow machine."""

    memory_bytes: int = 768 * 1024 * 1024
    cpu_seconds: int = 8
    wall_seconds: float = 12.0


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class Fragment:
    """A piece of text as drawn: its baseline start, in points from the page's top-left corner."""

    text: str
    x: float
    y: float
    size: float


@dataclass(frozen=True, slots=True)
class PageData:
    """What the child read from the PDF's first page."""

    pages: int
    width: float
    height: float
    rotate: int
    fragments: list[Fragment] = field(default_factory=list)
    notes: list[Fragment] = field(default_factory=list)
    """Form fields' values and free-text notes, at the top-left corner of their box."""
    embedded: bytes | None = None
    """The canvas-tui data a PDF export carries, unchecked."""
    creator: str = ""


def run(data: bytes, path: Path, limits: Limits = DEFAULT_LIMITS) -> PageData:
    """Parse `data` (the bytes of `path`) in a capped child; SourceError naming `path` on any failure."""
    # Isolated (-I: no PYTHON* variables, no user site, not the current folder), and given the
    # folder this very canvas_tui was imported from, so the child runs the same code as the parent.
    root = str(Path(pdf_worker.__file__).resolve().parents[2])
    command = [
        sys.executable,
        "-I",
        "-c",
        f"import sys; sys.path.insert(0, {root!r}); from {pdf_worker.__name__} import main; sys.exit(main())",
        str(limits.memory_bytes),
        str(limits.cpu_seconds),
    ]
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            close_fds=True,
        )
    except OSError as error:
        raise SourceError(f"{path}: cannot start the PDF reader ({error.strerror or error})") from None
    try:
        output, _ = process.communicate(data, timeout=limits.wall_seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.communicate()
        raise SourceError(
            f"{path}: reading this PDF took longer than {limits.wall_seconds:g} s; refused"
        ) from None
    code = process.returncode
    if code == pdf_worker.EXIT_ENCRYPTED:
        raise SourceError(f"{path}: the PDF is encrypted; save an unprotected copy and import that")
    if code == pdf_worker.EXIT_TOO_MUCH or code < 0:
        # A negative code is a signal: SIGXCPU or SIGKILL at the CPU cap, SIGSEGV/SIGABRT when
        # the memory cap left the parser without room.
        raise SourceError(f"{path}: this PDF needs more memory or time than a one-page canvas; refused")
    if code != 0:
        raise SourceError(f"{path}: not a PDF that can be read (damaged, truncated or not a PDF)")
    try:
        return page_data(json.loads(output))
    except (ValueError, TypeError, KeyError) as error:
        raise SourceError(f"{path}: the PDF reader gave back nothing usable ({error})") from None


def _finite(value: object) -> float:
    if not isinstance(value, int | float) or isinstance(value, bool) or not math.isfinite(value):
        raise ValueError("a position is not a number")
    return float(value)


def _fragment(item: object, with_size: bool) -> Fragment:
    if not isinstance(item, list) or len(item) != (4 if with_size else 3) or not isinstance(item[0], str):
        raise ValueError("a text piece is malformed")
    size = _finite(item[3]) if with_size else 0.0
    return Fragment(item[0], _finite(item[1]), _finite(item[2]), size)


def page_data(data: object) -> PageData:
    """The child's JSON, checked field by field (it parsed hostile input: trust only its shape)."""
    if not isinstance(data, dict):
        raise ValueError("not an object")
    height = _finite(data["height"])
    embedded = data.get("embedded")
    creator = data.get("creator", "")
    pages = data["pages"]
    rotate = data["rotate"]
    if not isinstance(pages, int) or not isinstance(rotate, int):
        raise ValueError("page count or rotation is not a number")
    fragments = [_fragment(item, True) for item in data["fragments"]]
    notes = [_fragment(item, False) for item in data["notes"]]
    return PageData(
        pages=pages,
        width=_finite(data["width"]),
        height=height,
        rotate=rotate,
        # PDF measures up from the bottom; the canvas's geometry is measured down from the top.
        fragments=[Fragment(f.text, f.x, height - f.y, f.size) for f in fragments],
        notes=[Fragment(f.text, f.x, height - f.y, f.size) for f in notes],
        embedded=base64.b64decode(embedded, validate=True) if isinstance(embedded, str) else None,
        creator=creator if isinstance(creator, str) else "",
    )
