"""Reading a canvas file: bytes, UTF-8 text, the standard TOML reader, then TOML -> model.

`interpret` is where the file's values are checked against the template; every problem is a
CanvasFileError that names the line. No Textual here.
"""

from __future__ import annotations

import datetime as dt
import difflib
import errno
import re
import tomllib
from pathlib import Path
from typing import Any

import tomlkit

from canvas_tui.files import nesting
from canvas_tui.files.atomic import FileRefused, FileTooLarge, read_file
from canvas_tui.model import Block, Canvas, FieldTypeError, FieldValue, Status, TemplateError
from canvas_tui.model.text import normalise_newlines
from canvas_tui.storage import readback
from canvas_tui.storage.errors import CanvasFileError
from canvas_tui.templates import DEFAULT_TEMPLATE, load_template

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files above this are refused: no canvas is that long, and loading one would freeze the screen."""

_TOML_POSITION = re.compile(r"^(?P<message>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")


def read_bytes(path: Path) -> bytes:
    """The canvas file's bytes. The user named it, so a link to a regular file is followed; anything
    that is not one (a folder, a named pipe, /dev/zero) is refused at once, and nothing above the
    cap is read, whatever size the file claims."""
    try:
        return read_file(path, limit=MAX_FILE_BYTES)
    except FileTooLarge as error:
        size = f"is {error.size // (1024 * 1024)} MiB" if error.size is not None else "is larger than that"
        raise CanvasFileError(path, f"{size}; canvas files above 64 MiB are refused") from None
    except FileRefused as error:
        if error.errno == errno.EISDIR:
            raise CanvasFileError(path, "is a folder, not a canvas file") from None
        raise CanvasFileError(path, str(error.strerror).replace("not a file", "not a canvas file")) from None
    except FileNotFoundError:
        raise CanvasFileError(path, "no such file") from None
    except PermissionError:
        raise CanvasFileError(path, "permission denied (cannot read the file)") from None
    except IsADirectoryError:
        raise CanvasFileError(path, "is a folder, not a canvas file") from None
    except OSError as error:
        raise CanvasFileError(path, f"cannot read: {error.strerror or error}") from None


def decode(path: Path, raw: bytes) -> tuple[str, bool]:
    """UTF-8 text, newlines as written; a leading byte-order mark is noted (and kept on save).

    Newlines are normalised only after the standard reader accepted the text: a file that other
    TOML tools reject (a lone CR, say) must not become a canvas here by being repaired first.
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise CanvasFileError(
            path, f"is not UTF-8 text (byte 0x{raw[error.start]:02x})", line, column
        ) from None
    bom = text.startswith("\ufeff")
    return text.removeprefix("\ufeff"), bom


def parse_values(path: Path, text: str) -> dict[str, Any]:
    """Parse with the standard library: the strict reader other tools use, and the fast one (long
    plain block texts are not scanned character by character: storage/readback.loads).

    A file nested deeper than a save can write is refused first (canvas_tui.files.nesting): the reader
    would open it, or fail with a RecursionError, and every save would then fail."""
    try:
        nesting.check(text)
        return readback.loads(text)
    except nesting.TooDeepError as error:
        raise CanvasFileError(path, error.message, error.line, error.column) from None
    except RecursionError:  # what the depth check let through and the reader cannot follow
        raise CanvasFileError(path, nesting.TooDeepError(None, None).message) from None
    except tomllib.TOMLDecodeError as error:
        match = _TOML_POSITION.match(str(error))
        if match:
            raise CanvasFileError(
                path,
                f"invalid TOML: {match['message']}",
                int(match["line"]),
                int(match["column"]),
            ) from None
        raise CanvasFileError(path, f"invalid TOML: {error}") from None


def locate(text: str, table: str, key: str | None = None) -> int | None:
    """The line of `[table]` (or of `key` inside it), for error messages; None when not found."""
    header = re.compile(r"^\s*\[\s*" + re.escape(table).replace(r"\.", r"\s*\.\s*") + r"\s*\]")
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if header.match(line):
            if key is None:
                return index + 1
            key_line = re.compile(r"^\s*" + re.escape(key) + r"\s*=")
            for offset, inner in enumerate(lines[index + 1 :], start=index + 2):
                if inner.lstrip().startswith("["):
                    break
                if key_line.match(inner):
                    return offset
            return index + 1
    return None


def _type_name(value: object) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a number",
        str: "a string",
        list: "an array",
        dict: "a table",
        dt.date: "a date",
        dt.datetime: "a date-time",
        dt.time: "a time",
    }.get(type(value), type(value).__name__)


def interpret(path: Path, text: str, data: dict[str, Any]) -> tuple[Canvas, list[str], list[str]]:
    """Turn parsed TOML into a Canvas, checking types; returns (canvas, warnings, unknown blocks)."""

    def wrong(table: str, key: str | None, message: str) -> CanvasFileError:
        return CanvasFileError(path, message, locate(text, table, key))

    if data and "canvas" not in data and "blocks" not in data:
        # Some other TOML file (pyproject.toml, a config): a save would append a canvas to it.
        raise CanvasFileError(
            path,
            "is not a canvas (it has neither a [canvas] nor a [blocks] table); "
            "start one with `canvas-tui new PATH`",
        )

    header = data.get("canvas", {})
    if not isinstance(header, dict):
        raise wrong("canvas", None, f"'canvas' must be a table, not {_type_name(header)}")
    template_id = header.get("template", DEFAULT_TEMPLATE)
    if not isinstance(template_id, str):
        raise wrong("canvas", "template", "[canvas] template must be a string")
    try:
        template = load_template(template_id)
    except TemplateError as error:
        raise wrong("canvas", "template", str(error)) from None

    fields: dict[str, FieldValue] = {}
    for spec in template.fields:
        if spec.id not in header:
            continue
        value = header[spec.id]
        try:
            fields[spec.id] = spec.from_file(value)
        except FieldTypeError as error:
            got = error.got if error.got is not None else _type_name(value)
            message = f"[canvas] {spec.id} must be {error.expected}, not {got}"
            raise wrong("canvas", spec.id, message) from None

    raw_blocks = data.get("blocks", {})
    if not isinstance(raw_blocks, dict):
        raise wrong("blocks", None, f"'blocks' must be a table, not {_type_name(raw_blocks)}")
    warnings: list[str] = []
    blocks: dict[str, Block] = {}
    known = set(template.block_ids)
    unknown = [block_id for block_id in raw_blocks if block_id not in known]
    if unknown:
        named = []
        for block_id in unknown:
            close = difflib.get_close_matches(block_id, template.block_ids, n=1)
            named.append(f"{block_id} (did you mean {close[0]}?)" if close else block_id)
        warnings.append(f"{path}: unknown blocks kept in the file as they are: {', '.join(named)}")
    for block_id in template.block_ids:
        raw = raw_blocks.get(block_id)
        if raw is None:
            continue
        where = f"blocks.{block_id}"
        if not isinstance(raw, dict):
            raise wrong("blocks", None, f"[{where}] must be a table, not {_type_name(raw)}")
        block_text = raw.get("text", "")
        if not isinstance(block_text, str):
            raise wrong(where, "text", f"[{where}] text must be a string, not {_type_name(block_text)}")
        block_text = normalise_newlines(block_text)
        block = Block(block_id, block_text, Status.derived(block_text))
        if "status" in raw:
            status = Status.parse(raw["status"])
            if status is None:
                block.unknown_status = tomlkit.item(raw["status"]).as_string()
                line = locate(text, where, "status")
                warnings.append(
                    f"{path}:{line}: [{where}] status {block.unknown_status} is not one of "
                    "todo, draft, done, skip; kept as written until you change it"
                )
            else:
                block.status = status
        if "answered" in raw:
            count = len(template.block(block_id).questions)
            value = raw["answered"]
            if isinstance(value, list) and all(
                isinstance(n, int) and not isinstance(n, bool) and 1 <= n <= count for n in value
            ):
                block.answered = tuple(sorted(set(value)))
            else:
                block.unknown_answered = tomlkit.item(value).as_string()
                line = locate(text, where, "answered")
                warnings.append(
                    f"{path}:{line}: [{where}] answered {block.unknown_answered} is not a list of "
                    f"question numbers 1 to {count}; kept as written until you mark a question"
                )
        blocks[block_id] = block
    return Canvas(template, fields, blocks), warnings, unknown


def canvas_from_text(name: str, text: str) -> Canvas:
    """A canvas from text that is no file of its own (a revision from `git show`); errors name it
    as `name`."""
    path = Path(name)
    text = text.removeprefix("\ufeff")
    canvas, _, _ = interpret(path, text, parse_values(path, text))
    return canvas
