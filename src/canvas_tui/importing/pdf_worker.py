"""The child process that parses a PDF from a stranger: `python -I -m canvas_tui.importing.pdf_worker`.

A PDF is a program-like format (object graphs, compressed streams, fonts) and parsers have been
driven into endless loops, deep recursion and gigabytes of inflated data by crafted files. So the
parse never runs in the editor's own process: `pdf_sandbox.run` starts this module with the PDF's
bytes on standard input, and the first thing it does is to cap itself (address space, CPU seconds,
no file written, no process started); the parent adds a wall-clock timeout and kills it after that.
What comes back on standard output is plain JSON data: the first page's size, its text fragments
with their positions, the text of its form fields and free-text notes, and the canvas-tui data a
PDF export embeds (bytes, checked later by the parent like any other input). Nothing is executed
(pypdf runs no JavaScript) and nothing is fetched (no external reference is followed).

Runs with the standard library and pypdf only; no Textual, nothing of the editor.
"""

from __future__ import annotations

import base64
import io
import json
import logging
import math
import os
import sys
import warnings
from collections.abc import Callable
from typing import Any

EMBEDDED_NAME = "canvas-tui.json"
"""The attachment a canvas-tui PDF export carries: the canvas as data (see export/pdf.py)."""
MAX_FRAGMENTS = 20_000
"""Text pieces taken from the page; a one-page canvas has a few hundred."""
MAX_TEXT_CHARS = 2_000_000
"""Characters of text taken in all; more than any canvas page can show."""
MAX_EMBEDDED_BYTES = 4 * 1024 * 1024
"""The embedded canvas data; a canvas file itself is capped below this."""
MAX_ANNOTATIONS = 1_000
MAX_CONTENT_BYTES = 16 * 1024 * 1024
"""The page's drawing instructions, inflated; the official page's are 0.2 MB."""

# Exit codes the parent reads (besides 0 = data written).
EXIT_ENCRYPTED = 3
EXIT_UNREADABLE = 4
EXIT_TOO_MUCH = 5


class TooMuch(Exception):
    """More text than a canvas page can hold: refuse rather than grow."""


def limit_self(memory_bytes: int, cpu_seconds: int) -> None:
    """Cap this process before it touches the PDF: the kernel enforces what a bug could forget."""
    try:
        import resource
    except ImportError:  # pragma: no cover - not on POSIX: the parent's timeout still holds
        return
    caps = [
        (resource.RLIMIT_CPU, cpu_seconds),
        (resource.RLIMIT_FSIZE, 0),  # it writes no file
        (resource.RLIMIT_CORE, 0),
    ]
    if hasattr(resource, "RLIMIT_NPROC"):
        caps.append((resource.RLIMIT_NPROC, 0))  # nor starts a process (0 fails for root: fine)
    caps.append((resource.RLIMIT_AS, memory_bytes))
    for which, value in caps:
        try:
            _soft, hard = resource.getrlimit(which)
            if hard != resource.RLIM_INFINITY:
                value = min(value, hard)
            resource.setrlimit(which, (value, value if hard == resource.RLIM_INFINITY else hard))
        except (ValueError, OSError):  # pragma: no cover - a platform that refuses one cap
            continue


def _matrix(m: list[float], n: list[float]) -> list[float]:
    """m x n for PDF's 3x3 matrices written as six numbers."""
    return [
        m[0] * n[0] + m[1] * n[2],
        m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2],
        m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4],
        m[4] * n[1] + m[5] * n[3] + n[5],
    ]


def _number(value: object) -> float:
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise ValueError("not a finite number")
    return number


def extract(data: bytes) -> dict[str, Any]:
    """The plain data of the PDF's first page (raises on anything unreadable)."""
    from pypdf import PdfReader
    from pypdf.errors import LimitReachedError
    from pypdf.generic import ArrayObject, DictionaryObject, StreamObject

    reader = PdfReader(io.BytesIO(data), strict=False)
    if reader.is_encrypted:
        raise PermissionError("encrypted")
    pages = len(reader.pages)
    if pages < 1:
        raise ValueError("no page")
    page = reader.pages[0]
    box = page.mediabox
    left, bottom = _number(box.left), _number(box.bottom)
    width, height = _number(box.width), _number(box.height)
    rotate = int(page.get("/Rotate", 0) or 0) % 360

    fragments: list[list[Any]] = []
    total = 0

    def keep(text: str, x: float, y: float, size: float) -> None:
        nonlocal total
        if not text.strip():
            return
        total += len(text)
        if len(fragments) >= MAX_FRAGMENTS or total > MAX_TEXT_CHARS:
            raise TooMuch
        fragments.append([text, round(x - left, 2), round(y - bottom, 2), round(size, 2)])

    def visitor(text: Any, cm: Any, tm: Any, _font: Any, size: Any) -> None:
        if not isinstance(text, str) or not text.strip():
            return
        try:
            m = _matrix([_number(v) for v in tm], [_number(v) for v in cm])
            scale = math.hypot(m[2], m[3]) or 1.0
            keep(text, m[4], m[5], _number(size) * scale)
        except (TypeError, ValueError, IndexError):
            return

    # Inflate the page's content first, where a failure is an error: the text extraction below
    # would take a stream it cannot inflate (past pypdf's own cap) for an empty page.
    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    streams = (
        list(contents) if isinstance(contents, ArrayObject) else [contents] if contents is not None else []
    )
    inflated = 0
    for stream in streams:
        stream = stream.get_object()
        if not isinstance(stream, StreamObject):
            raise ValueError("page content is not a stream")
        try:
            inflated += len(stream.get_data())
        except LimitReachedError:  # pypdf's own cap on inflated bytes
            raise TooMuch from None
        if inflated > MAX_CONTENT_BYTES:
            raise TooMuch
    visit: Callable[..., None] = visitor
    page.extract_text(visitor_text=visit)

    notes: list[list[Any]] = []
    annotations = page.get("/Annots")
    if annotations is not None:
        annotations = annotations.get_object()
    if isinstance(annotations, ArrayObject):
        for index, reference in enumerate(annotations):
            if index >= MAX_ANNOTATIONS:
                break
            annotation = reference.get_object()
            if not isinstance(annotation, DictionaryObject):
                continue
            subtype = annotation.get("/Subtype")
            value = annotation.get("/V") if subtype == "/Widget" else annotation.get("/Contents")
            if subtype not in ("/FreeText", "/Widget") or value is None:
                continue
            value = value.get_object()
            rect = annotation.get("/Rect")
            if not isinstance(value, str) or not isinstance(rect, ArrayObject) or len(rect) != 4:
                continue
            try:
                x0, y0, x1, y1 = (_number(v.get_object()) for v in rect)
            except (TypeError, ValueError):
                continue
            total += len(value)
            if total > MAX_TEXT_CHARS:
                raise TooMuch
            notes.append([value, round(min(x0, x1) - left, 2), round(max(y0, y1) - bottom, 2)])

    embedded: str | None = None
    root = reader.trailer["/Root"].get_object()
    names = root.get("/Names") if isinstance(root, DictionaryObject) else None
    names = names.get_object() if names is not None else None
    if isinstance(names, DictionaryObject) and "/EmbeddedFiles" in names:
        attachments = reader.attachments
        if EMBEDDED_NAME in attachments:
            found = attachments[EMBEDDED_NAME]
            if found and len(found[0]) <= MAX_EMBEDDED_BYTES:
                embedded = base64.b64encode(found[0]).decode("ascii")

    info = reader.metadata
    creator = str(info.get("/Creator", "")) if info is not None else ""
    return {
        "pages": pages,
        "width": width,
        "height": height,
        "rotate": rotate,
        "fragments": fragments,
        "notes": notes,
        "embedded": embedded,
        "creator": creator[:200],
    }


def main() -> int:
    memory = int(sys.argv[1]) if len(sys.argv) > 1 else 1024 * 1024 * 1024
    cpu = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    limit_self(memory, cpu)
    try:
        return _read_and_answer()
    except MemoryError:  # even the answer did not fit: say so without allocating more
        os._exit(EXIT_TOO_MUCH)


def _read_and_answer() -> int:
    logging.disable(logging.CRITICAL)  # pypdf's warnings about a broken file are not ours to print
    warnings.simplefilter("ignore")
    sys.setrecursionlimit(2_000)
    data = sys.stdin.buffer.read()
    try:
        result = extract(data)
    except PermissionError:
        return EXIT_ENCRYPTED
    except (TooMuch, MemoryError):
        return EXIT_TOO_MUCH
    except Exception:  # RecursionError included: whatever the parser met, the file is unreadable
        return EXIT_UNREADABLE
    sys.stdout.write(json.dumps(result, ensure_ascii=True))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
