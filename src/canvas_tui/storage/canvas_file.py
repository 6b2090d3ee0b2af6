"""CanvasFile: the lifecycle of one canvas file (load, create, save prepared, written and finished,
save as) and the disk signature that notices outside changes. No Textual here."""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tomlkit.exceptions import TOMLKitError
from tomlkit.toml_document import TOMLDocument

# Looked up in this module when a save writes, so a test can stand in a full disk for it.
from canvas_tui.files.atomic import atomic_write
from canvas_tui.model import Canvas, Snapshot, Template, TemplateError, normalise_newlines
from canvas_tui.storage.errors import CanvasFileError
from canvas_tui.storage.readback import learn, read_back
from canvas_tui.storage.reading import decode, interpret, parse_values, read_bytes
from canvas_tui.storage.writing import (
    merge,
    parse_document,
    parse_opened,
    skeleton,
    text_tokens,
)
from canvas_tui.templates import DEFAULT_TEMPLATE, load_template


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
            return cls.from_stat(path.stat())
        except OSError:
            return None


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
    _read_back: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    """The long block texts the last save read back, as written -> as read (storage/readback.py)."""
    _opened: tuple[str, dict[str, Any]] | None = field(default=None, repr=False, compare=False)
    """The text as opened and what tomllib read from it, until the first save learns the values of
    its long texts from them (storage/readback.learn) instead of reading them again."""

    @property
    def text(self) -> str:
        """The file's text as canvas-tui holds it (without a byte-order mark): as opened, or the
        document as the last save wrote it. Asking never makes tomlkit parse the file."""
        with self._lock:
            source = self.source
            return source if isinstance(source, str) else source.as_string()

    @property
    def document(self) -> TOMLDocument:
        with self._lock:
            return self._document()

    def _document(self) -> TOMLDocument:
        if isinstance(self.source, str):
            if self._opened is not None and self._opened[0] == self.source:
                self.source, learned = parse_opened(self.path, *self._opened)
                self._read_back = {**learned, **self._read_back}
            else:
                self.source = parse_document(self.path, self.source)
            self._opened = None
        return self.source

    # -- loading ------------------------------------------------------------------------------

    @classmethod
    def load(cls, path: Path | str) -> CanvasFile:
        """Read and check a canvas file; every problem is a CanvasFileError with one clear line."""
        path = Path(path)
        raw = read_bytes(path)
        text, bom = decode(path, raw)
        data = parse_values(path, text)
        normalised = normalise_newlines(text)
        canvas, warnings, unknown = interpret(path, normalised, data)
        return cls(
            path=path,
            canvas=canvas,
            source=normalised,
            warnings=warnings,
            unknown_blocks=unknown,
            exists=True,
            signature=DiskSignature.of(path),
            bom=bom,
            # What tomllib read is what tomlkit will parse only when normalising changed nothing.
            _opened=(text, data) if normalised == text else None,
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
        # A file tomlkit cannot parse raises its own CanvasFileError from _render, unchanged.
        try:
            text = self._render(prepared.template, prepared.state)
        except (ValueError, TOMLKitError) as error:
            raise _cannot_extend(prepared.path, error) from None
        try:
            # tomllib.loads of the whole text, reading only the long texts that changed since the
            # last save (storage/readback.py says why that is the same).
            tokens = text_tokens(self._document())
            known = self._read_back
            if self._opened is not None:
                known = {**learn(*self._opened, tokens), **known}
                self._opened = None
            data, read_back_values = read_back(text.removeprefix("\ufeff"), tokens, known)
            written_canvas, _, _ = interpret(prepared.path, text, data)
        except (ValueError, CanvasFileError) as error:
            raise _cannot_extend(prepared.path, error) from None
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
        self._read_back = read_back_values
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
            self._opened = disk_version._opened
        self.signature = disk_version.signature
        self.bom = disk_version.bom
        self.warnings = disk_version.warnings
        self.unknown_blocks = disk_version.unknown_blocks
        self.exists = True


def _cannot_extend(path: Path, error: Exception) -> CanvasFileError:
    return CanvasFileError(path, f"not saved: canvas-tui cannot extend this file's layout safely ({error})")
