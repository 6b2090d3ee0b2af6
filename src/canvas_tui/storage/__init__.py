"""The canvas file: TOML <-> model, with tomlkit so that what the user wrote by hand survives.

Rules (design.md §3): comments, key order, unknown keys and tables are kept; saving rewrites only
the values that changed; block text with a newline is a multi-line basic string; newlines are
normalised; saves are atomic, keep permission bits and write through symbolic links; a file that
could not be parsed is never written (a CanvasFile only exists after a successful parse).
No Textual here.

One room per job:
- errors.py   CanvasFileError, the one-line `path:line:column: what is wrong`
- reading.py  bytes -> text -> the standard TOML reader -> a checked Canvas (`interpret`; text
              that is no file, such as a revision git shows: `canvas_from_text`)
- writing.py  the tomlkit document: the new file's skeleton, merging the model's values into it
- canvas_file.py CanvasFile, the lifecycle that ties them together: load, create, save (prepared,
              written, finished), save as, and the disk signature that notices outside changes.
The atomic write is canvas_tui.files.atomic (re-exported here), shared with files that are not canvases.
"""

from canvas_tui.files.atomic import atomic_write
from canvas_tui.storage.canvas_file import CanvasFile, DiskSignature, PreparedSave
from canvas_tui.storage.errors import CanvasFileError
from canvas_tui.storage.reading import canvas_from_text, decode, interpret, locate, parse_values, read_bytes
from canvas_tui.storage.writing import block_text_item, merge, parse_document, skeleton

__all__ = [
    "CanvasFile",
    "CanvasFileError",
    "DiskSignature",
    "PreparedSave",
    "atomic_write",
    "block_text_item",
    "canvas_from_text",
    "decode",
    "interpret",
    "locate",
    "merge",
    "parse_document",
    "parse_values",
    "read_bytes",
    "skeleton",
]
