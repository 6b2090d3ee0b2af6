"""The canvas file: TOML <-> model, with tomlkit so that what the user wrote by hand survives.

Rules (design.md §3): comments, key order, unknown keys and tables are kept; saving rewrites only
the values that changed; block text with a newline is a multi-line basic string; newlines are
normalised; saves are atomic, keep permission bits and write through symbolic links; a file that
could not be parsed is never written (a CanvasFile only exists after a successful parse).
No Textual here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import os
import re
import stat
import tempfile
import threading
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.items
from tomlkit.exceptions import TOMLKitError
from tomlkit.toml_document import TOMLDocument

from canvas_tui.model import Block, Canvas, FieldValue, Snapshot, Status, Template, TemplateError
from canvas_tui.model.canvas import normalise_newlines
from canvas_tui.templates import DEFAULT_TEMPLATE, load_template

MAX_FILE_BYTES = 64 * 1024 * 1024
"""Files above this are refused: no canvas is that long, and loading one would freeze the screen."""

_TOML_POSITION = re.compile(r"^(?P<message>.*) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")


class CanvasFileError(Exception):
    """A problem with a canvas file, told in one line: `path:line:column: what is wrong`."""

    def __init__(
        self, path: Path | str, message: str, line: int | None = None, column: int | None = None
    ) -> None:
        self.path = Path(path)
        self.message = message
        self.line = line
        self.column = column
        self.denied = False  # this path cannot be written (permission, or a file in the way): "Save as" helps
        super().__init__(str(self))

    def __str__(self) -> str:
        where = str(self.path)
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        # The path and the message can quote the file's own values (a template id, a key), which
        # may hold newlines or control characters; escape them so the message stays one line.
        return _CONTROL.sub(_escape, f"{where}: {self.message}")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    return repr(match.group())[1:-1]


@dataclass(frozen=True, slots=True)
class DiskSignature:
    """Enough about the file on disk to notice that someone else changed it."""

    mtime_ns: int
    size: int
    inode: int

    @classmethod
    def from_stat(cls, info: os.stat_result) -> DiskSignature:
        return cls(info.st_mtime_ns, info.st_size, info.st_ino)

    @classmethod
    def of(cls, path: Path) -> DiskSignature | None:
        try:
            info = path.stat()
        except OSError:
            return None
        return cls(info.st_mtime_ns, info.st_size, info.st_ino)


@dataclass(frozen=True, slots=True)
class PreparedSave:
    """What a save will write: the canvas values at the moment it was asked for."""

    path: Path
    template: Template
    state: Snapshot


@dataclass
class CanvasFile:
    """A canvas bound to its file: the parsed document it came from, and how to save it back."""

    path: Path
    canvas: Canvas
    source: TOMLDocument | str
    """The tomlkit document saves merge into, or the file's text until the first save needs it:
    loading parses once, with the fast standard reader, and tomlkit's parse waits."""
    warnings: list[str] = field(default_factory=list)
    unknown_blocks: list[str] = field(default_factory=list)
    exists: bool = True
    signature: DiskSignature | None = None
    bom: bool = False
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)
    """Held while the document is parsed, merged into or written (saves may run in a thread)."""

    @property
    def document(self) -> TOMLDocument:
        with self._lock:
            return self._document()

    def _document(self) -> TOMLDocument:
        if isinstance(self.source, str):
            self.source = parse_document(self.path, self.source)
        return self.source

    # -- loading ------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | str) -> CanvasFile:
        """Read and check a canvas file; every problem is a CanvasFileError with one clear line."""
        path = Path(path)
        raw = read_bytes(path)
        text, bom = decode(path, raw)
        canvas, warnings, unknown = interpret(path, text, parse_values(path, text))
        return cls(
            path=path,
            canvas=canvas,
            source=text,
            warnings=warnings,
            unknown_blocks=unknown,
            exists=True,
            signature=DiskSignature.of(path),
            bom=bom,
        )

    @classmethod
    def create(cls, path: Path | str, template_id: str = DEFAULT_TEMPLATE, product: str = "") -> CanvasFile:
        """A new canvas for `path`, not written until the first save."""
        path = Path(path)
        try:
            template = load_template(template_id)
        except TemplateError as error:
            raise CanvasFileError(path, str(error)) from None
        return cls(
            path=path,
            canvas=Canvas.new(template, product=product),
            source=skeleton(template),
            exists=False,
        )

    # -- saving -------------------------------------------------------------------------------

    def render(self) -> str:
        """The file's new text: the document with the model's changed values merged in."""
        with self._lock:
            return self._render(self.canvas.template, self.canvas.state())

    def _render(self, template: Template, state: Snapshot) -> str:
        document = self._document()
        merge(document, template, state)
        return ("\ufeff" if self.bom else "") + document.as_string()

    def save(self) -> None:
        """Write the canvas atomically. Raises CanvasFileError and leaves the old file intact."""
        self.finish_save(self.write_prepared(self.prepare_save()))

    def prepare_save(self) -> PreparedSave:
        """The part of a save that touches the document (fast); write_prepared does the rest."""
        if not self.exists and os.path.lexists(self.path):
            failure = CanvasFileError(
                self.path, "a file appeared here after the canvas was opened; not overwriting it"
            )
            failure.denied = True  # "Save as" is the way out
            raise failure
        return PreparedSave(self.path, self.canvas.template, self.canvas.state())

    def write_prepared(self, prepared: PreparedSave) -> DiskSignature:
        """Merge the values into the document, check the text reads back as them, write it.

        Safe to run off the main thread: it reads only `prepared` and holds the document's lock.
        A hand-written layout that tomlkit cannot extend safely is an error that leaves the file
        as it is, never a file that reads back differently.
        """
        with self._lock:
            return self._write_prepared(prepared)

    def _write_prepared(self, prepared: PreparedSave) -> DiskSignature:
        try:
            text = self._render(prepared.template, prepared.state)
        except CanvasFileError:
            raise
        except (ValueError, TOMLKitError) as error:
            raise CanvasFileError(
                prepared.path,
                f"not saved: canvas-tui cannot extend this file's layout safely ({error})",
            ) from None
        try:
            data = tomllib.loads(text.removeprefix("\ufeff"))
            written_canvas, _, _ = interpret(prepared.path, text, data)
        except (ValueError, CanvasFileError) as error:
            raise CanvasFileError(
                prepared.path,
                f"not saved: canvas-tui cannot extend this file's layout safely ({error})",
            ) from None
        if written_canvas.state() != prepared.state:
            raise CanvasFileError(
                prepared.path,
                "not saved: the file would read back differently (an unusual layout of [blocks]?)",
            )
        try:
            written = atomic_write(prepared.path, text.encode("utf-8"))
        except OSError as error:
            failure = CanvasFileError(prepared.path, f"could not save: {error.strerror or error}")
            failure.denied = isinstance(error, PermissionError)
            raise failure from None
        # What we wrote, not what is there a moment later: a write by someone else in between
        # must still count as a change on disk.
        return DiskSignature.from_stat(written)

    def finish_save(self, signature: DiskSignature) -> None:
        self.exists = True
        self.signature = signature

    def save_as(self, path: Path | str) -> None:
        """Save to another path (which must not exist yet); from then on this is the canvas's file."""
        old_path, old_exists = self.path, self.exists
        self.path, self.exists = Path(path), False
        try:
            self.save()
        except CanvasFileError:
            self.path, self.exists = old_path, old_exists
            raise

    # -- the file on disk ---------------------------------------------------------------------

    def writable(self) -> bool:
        """Whether a save can work: the file (or, for a new one, its folder) allows writing.

        The folder must be writable too, because the atomic save creates a temp file beside it.
        """
        target = Path(os.path.realpath(self.path))
        folder_ok = os.access(target.parent, os.W_OK | os.X_OK)
        if not self.exists:
            return folder_ok
        return folder_ok and os.access(target, os.W_OK)

    def disk_signature(self) -> DiskSignature | None:
        return DiskSignature.of(self.path)

    def adopt(self, disk_version: CanvasFile) -> None:
        """Take the document of a fresh load of the file, to merge the canvas's values into it.

        The canvas object stays (screens hold it); its values are settled by the caller.
        """
        with self._lock:
            self.source = disk_version.source
        self.signature = disk_version.signature
        self.bom = disk_version.bom
        self.warnings = disk_version.warnings
        self.unknown_blocks = disk_version.unknown_blocks
        self.exists = True


# -- reading helpers --------------------------------------------------------------------------


def read_bytes(path: Path) -> bytes:
    try:
        if path.is_dir():
            raise CanvasFileError(path, "is a folder, not a canvas file")
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise CanvasFileError(
                path, f"is {size // (1024 * 1024)} MiB; canvas files above 64 MiB are refused"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise CanvasFileError(path, "no such file") from None
    except PermissionError:
        raise CanvasFileError(path, "permission denied (cannot read the file)") from None
    except IsADirectoryError:
        raise CanvasFileError(path, "is a folder, not a canvas file") from None
    except OSError as error:
        raise CanvasFileError(path, f"cannot read: {error.strerror or error}") from None


def decode(path: Path, raw: bytes) -> tuple[str, bool]:
    """UTF-8 text with newlines normalised; a leading byte-order mark is noted and kept."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise CanvasFileError(
            path, f"is not UTF-8 text (byte 0x{raw[error.start]:02x})", line, column
        ) from None
    bom = text.startswith("\ufeff")
    return normalise_newlines(text.removeprefix("\ufeff")), bom


def parse_values(path: Path, text: str) -> dict[str, Any]:
    """Parse with the standard library: the strict reader other tools use, and the fast one."""
    try:
        return tomllib.loads(text)
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


def parse_document(path: Path, text: str) -> TOMLDocument:
    """Parse with tomlkit, which keeps comments and layout for saving."""
    try:
        return tomlkit.parse(text)
    except TOMLKitError as error:
        line, column = getattr(error, "line", None), getattr(error, "col", None)
        raise CanvasFileError(path, f"invalid TOML: {error}", line, column) from None


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
        if spec.kind == "integer":
            if not isinstance(value, int) or isinstance(value, bool):
                raise wrong(
                    "canvas",
                    spec.id,
                    f"[canvas] {spec.id} must be an integer, not {_type_name(value)}",
                )
            fields[spec.id] = value
        elif spec.kind == "date" and isinstance(value, dt.date):
            fields[spec.id] = value.isoformat()
        elif isinstance(value, str):
            fields[spec.id] = normalise_newlines(value)
        else:
            raise wrong("canvas", spec.id, f"[canvas] {spec.id} must be a string, not {_type_name(value)}")

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
        blocks[block_id] = block
    return Canvas(template, fields, blocks), warnings, unknown


# -- writing helpers --------------------------------------------------------------------------


def skeleton(template: Template) -> TOMLDocument:
    """The start of a new canvas file: a comment naming the canvas and an empty [canvas] table."""
    document = tomlkit.document()
    document.add(tomlkit.comment(template.title))
    document.add(tomlkit.comment(f"Template: {template.credit} ({template.licence})"))
    document.add(tomlkit.nl())
    header = tomlkit.table()
    header["template"] = template.id
    document["canvas"] = header
    return document


def block_text_item(text: str) -> tomlkit.items.String:
    """Block text as TOML: multi-line basic string (opening on its own line) when it has newlines."""
    if "\n" not in text:
        return tomlkit.string(text)
    item = tomlkit.items.String.from_raw(text, tomlkit.items.StringType.MLB)
    original = item.as_string()[3:-3]
    if not original.startswith("\n"):
        # A newline right after the opening quotes is dropped by TOML readers: it only makes the
        # text start on its own line, which keeps diffs clean.
        original = "\n" + original
    return tomlkit.items.String(tomlkit.items.StringType.MLB, text, original, tomlkit.items.Trivia())


def _field_item(spec_kind: str, old: object, value: FieldValue) -> Any:
    if spec_kind == "date" and isinstance(old, dt.date) and isinstance(value, str):
        with contextlib.suppress(ValueError):
            return tomlkit.date(dt.date.fromisoformat(value).isoformat())
    if isinstance(value, str):
        return block_text_item(value)
    return value


def _same_field(old: object, value: FieldValue) -> bool:
    if isinstance(old, dt.date):  # date or date-time: the model holds its ISO text
        return old.isoformat() == value
    if isinstance(old, str):
        return normalise_newlines(old) == value
    return bool(old == value and type(old) is type(value))


def merge(document: TOMLDocument, template: Template, state: Snapshot) -> None:
    """Write the canvas's values into the document, touching only those that differ."""
    if "canvas" not in document:
        header = tomlkit.table()
        header["template"] = template.id
        document["canvas"] = header
    header = document["canvas"]
    for spec in template.fields:
        value = state.fields[spec.id]
        old = header.get(spec.id)
        if old is None or not _same_field(_plain(old), value):
            header[spec.id] = _field_item(spec.kind, _plain(old), value)

    if "blocks" not in document:
        document.add(tomlkit.nl())
        document["blocks"] = tomlkit.table(is_super_table=True)
    blocks = document["blocks"]
    previous: str | None = None
    for block_id, block in state.blocks.items():
        if block_id not in blocks:
            table = tomlkit.table()
            table["status"] = block.status.value
            table["text"] = block_text_item(block.text)
            _add_block(blocks, block_id, table, previous)
            previous = block_id
            continue
        previous = block_id
        table = blocks[block_id]
        if block.unknown_status is None:
            old_status = _plain(table.get("status"))
            if old_status is None:
                if block.status is not Status.derived(block.text):
                    table["status"] = block.status.value
            elif Status.parse(old_status) is not block.status:
                table["status"] = block.status.value
        old_text = _plain(table.get("text"))
        if not isinstance(old_text, str) or normalise_newlines(old_text) != block.text:
            table["text"] = block_text_item(block.text)


def _add_block(blocks: Any, block_id: str, table: tomlkit.items.Table, previous: str | None) -> None:
    """Add a missing block's table where fill order puts it, so the file still reads in canvas order.

    Appending would put a block missing from the middle of the file after the last one. tomlkit has
    no public insert, so this uses its container's insert methods when the blocks are one run of
    tables, and appends otherwise (for example when another table sits between them).
    """
    body = getattr(getattr(blocks, "value", None), "body", None)
    if not isinstance(blocks, tomlkit.items.Table) or not isinstance(body, list):
        blocks[block_id] = table
        return
    keyed = [(index, key.key, item) for index, (key, item) in enumerate(body) if key is not None]
    if not all(isinstance(item, tomlkit.items.Table) for _, _, item in keyed) or any(
        key is not None and key.is_dotted() for key, _ in body
    ):
        # Dotted keys or inline tables among the blocks: inserting a [table] between them would
        # capture the keys that follow it. Append; the read-back check guards the rest.
        blocks[block_id] = table
        return
    if previous is None and keyed and isinstance(keyed[0][2], tomlkit.items.Table):
        table.add(tomlkit.nl())
        blocks.value._insert_at(keyed[0][0], block_id, table)
    elif previous is not None and keyed and keyed[-1][1] != previous:
        table.add(tomlkit.nl())
        blocks.value._insert_after(previous, block_id, table)
    else:
        blocks[block_id] = table


def _plain(item: object) -> object:
    """The plain Python value of a tomlkit item (or the value itself)."""
    unwrap = getattr(item, "unwrap", None)
    return unwrap() if callable(unwrap) else item


def _read_umask() -> int:
    # Read once: os.umask() can only be read by setting it, which races with other threads.
    umask = os.umask(0)
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def atomic_write(path: Path, data: bytes, *, mode: int | None = None) -> os.stat_result:
    """Replace the file's content in one step: temp file in the same folder, fsync, os.replace.

    A symbolic link is written through (its target is replaced, the link stays), and the target's
    permission bits (and, where allowed, owner) are kept; `mode` forces the bits instead.
    """
    target = Path(os.path.realpath(path))
    try:
        info: os.stat_result | None = target.stat()
    except FileNotFoundError:
        info = None
    if mode is None:
        mode = stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_UMASK
    fd, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp_name, mode)
        if info is not None and hasattr(os, "chown"):
            with contextlib.suppress(OSError):
                os.chown(temp_name, info.st_uid, info.st_gid)
        written = os.stat(temp_name)  # the rename keeps inode, size and mtime
        os.replace(temp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_name)
        raise
    _fsync_folder(target.parent)
    return written


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable; not every file system allows opening a folder."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(fd)
    finally:
        os.close(fd)
