"""Writing a canvas file: model -> TOML, merged into the tomlkit document key by key.

Only values that changed are rewritten, so the user's comments, key order, unknown keys and tables
survive a save; block text with a newline is a multi-line basic string. No Textual here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.items
from tomlkit.exceptions import TOMLKitError
from tomlkit.toml_document import TOMLDocument

from canvas_tui.model import FieldValue, Snapshot, Status, Template
from canvas_tui.model.text import normalise_newlines
from canvas_tui.storage.errors import CanvasFileError


def parse_document(path: Path, text: str) -> TOMLDocument:
    """Parse with tomlkit, which keeps comments and layout for saving."""
    try:
        return tomlkit.parse(text)
    except TOMLKitError as error:
        line, column = getattr(error, "line", None), getattr(error, "col", None)
        raise CanvasFileError(path, f"invalid TOML: {error}", line, column) from None


def parse_opened(path: Path, text: str, data: dict[str, Any]) -> tuple[TOMLDocument, dict[str, str]]:
    """parse_document(text), where `data` is what tomllib read from `text` when it was opened.

    tomlkit reads strings one character at a time in Python: 200 ms for a canvas of 15 blocks of 2,000
    lines, on the first save. Here it reads the text with the blocks' long texts swapped for short
    placeholders (storage/readback.py), and each text item is then made from its token as written and
    the value tomllib read for it. The result must write back exactly the text it came from, each
    long text must be where its placeholder was; anything else falls back to parse_document.
    """
    from canvas_tui.storage.readback import learn, mask, multiline_tokens

    learned = learn(text, data, multiline_tokens(text))
    masked = mask(text, learned)
    if masked is None:
        return parse_document(path, text), learned
    _, pieces, placeholders = masked
    try:
        document = tomlkit.parse("".join(pieces))
    except TOMLKitError:
        return parse_document(path, text), learned
    blocks = document.get("blocks")
    tables = blocks.value.values() if isinstance(blocks, tomlkit.items.Table) else []
    replaced = 0
    for table in tables:
        item = table.get("text") if isinstance(table, tomlkit.items.Table) else None
        token = placeholders.get(str(item)) if isinstance(item, tomlkit.items.String) else None
        if item is None or token is None or not token.startswith('"""'):
            continue
        table["text"] = tomlkit.items.String(
            tomlkit.items.StringType.MLB, learned[token], token[3:-3], item.trivia
        )
        replaced += 1
    if replaced != len(placeholders) or document.as_string() != text:
        return parse_document(path, text), learned
    return document, learned


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


# What tomlkit escapes in a multi-line basic string: control characters but the newline, a backslash
# and three quotes in a row (a carriage return it writes as `\r` when not part of CRLF).
_MLB_ESCAPED = re.compile(r'[\x00-\x09\x0b-\x1f\x7f\\]|"""')


def block_text_item(text: str) -> tomlkit.items.String:
    """Block text as TOML: multi-line basic string (opening on its own line) when it has newlines."""
    if "\n" not in text:
        return tomlkit.string(text)
    if not _MLB_ESCAPED.search(text):
        # Nothing to escape: the text is its own raw form. tomlkit's escape_string would find that
        # out one character at a time in Python, 30 ms for a 2,000-line block on every save.
        return tomlkit.items.String(tomlkit.items.StringType.MLB, text, "\n" + text, tomlkit.items.Trivia())
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
            if block.answered:
                table["answered"] = list(block.answered)
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
        if block.unknown_answered is None:
            _merge_answered(table, block.answered)
        old_text = _plain(table.get("text"))
        if not isinstance(old_text, str) or (
            old_text != block.text and normalise_newlines(old_text) != block.text
        ):
            table["text"] = block_text_item(block.text)


def _merge_answered(table: Any, answered: tuple[int, ...]) -> None:
    """`answered = [1, 3]` before the text (so the long text stays last); gone when none are."""
    old = _plain(table.get("answered"))
    if old is None and not answered:
        return
    if not answered:
        del table["answered"]
    elif not isinstance(old, list) or tuple(sorted(set(old))) != answered:
        if old is None and "text" in table:
            # A new key goes before the text, which is usually a long multi-line string.
            text = table["text"]
            del table["text"]
            table["answered"] = list(answered)
            table["text"] = text
        else:
            table["answered"] = list(answered)


def text_tokens(document: TOMLDocument) -> list[str]:
    """The blocks' text values as they are written in the document's text, in the file's order."""
    blocks = document.get("blocks")
    if not isinstance(blocks, tomlkit.items.Table | tomlkit.items.InlineTable):
        return []
    tokens = []
    for table in blocks.value.values():
        if isinstance(table, tomlkit.items.Table):
            item = table.get("text")
            if isinstance(item, tomlkit.items.String):
                tokens.append(item.as_string())
    return tokens


def _add_block(blocks: Any, block_id: str, table: tomlkit.items.Table, previous: str | None) -> None:
    """Add a missing block's table where fill order puts it, so the file still reads in canvas order.

    Appending would put a block missing from the middle of the file after the last one. tomlkit has
    no public insert, so this uses its container's private `_insert_at` when the blocks are one
    run of tables, and appends otherwise (for example when another table sits between them). The
    private API is why pyproject.toml bounds tomlkit below 0.16; the read-back check in
    CanvasFile.write_prepared stops a save whose file would read back differently.
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
        after = next(index for index, key, _ in keyed if key == previous)
        blocks.value._insert_at(after + 1, block_id, table)  # tomlkit 0.15.3 dropped _insert_after
    else:
        blocks[block_id] = table


def _plain(item: object) -> object:
    """The plain Python value of a tomlkit item (or the value itself)."""
    unwrap = getattr(item, "unwrap", None)
    return unwrap() if callable(unwrap) else item
