"""A canvas template: columns, blocks and their placement, as read from a template data file.

The template is validated once, here, so the rest of the program can trust it. Validation errors
name the template file and the field, because a broken template is a packaging bug someone must fix.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from canvas_tui.errors import UserFacingError
from canvas_tui.model.text import normalise_newlines

FieldValue = str | int
"""A header field's value: text (a date as ISO text) or an integer."""


class TemplateError(ValueError, UserFacingError):
    """A template data file that does not describe a valid canvas."""


@dataclass(frozen=True, slots=True)
class HeaderField:
    """One of the canvas header fields (Product name, Designed by, Date, Iteration).

    The one definition of what a field holds, for every way a value comes in: `from_file` for a
    value read from a canvas file, `parse` for what a person typed into the info form.
    """

    id: str
    label: str
    kind: str  # "text", "date" or "integer"

    def from_file(self, value: object) -> FieldValue:
        """The value of a TOML value from the file. An integer field holds an integer of 1 or more
        (an iteration counts from 1); a date field a TOML date or any text (kept as written); a
        text field text. Otherwise FieldTypeError."""
        if self.kind == "integer":
            if not isinstance(value, int) or isinstance(value, bool):
                raise FieldTypeError(self, "an integer")
            if value < 1:
                raise FieldTypeError(self, "1 or more", got=str(value))
            return value
        if self.kind == "date" and isinstance(value, dt.date):  # a date or a date-time: ISO text
            return value.isoformat()
        if isinstance(value, str):
            return normalise_newlines(value)
        raise FieldTypeError(self, "a string")

    def parse(self, typed: str) -> FieldValue:
        """The value of what a person typed. An integer field needs a whole number of 1 or more
        (what `from_file` accepts); a date field a date like 2026-11-26, or nothing. Raises
        ValueError with a message for the person."""
        if self.kind == "integer":
            try:
                number = int(typed)
            except ValueError:
                raise ValueError(f"{self.label} must be a whole number.") from None
            if number < 1:
                raise ValueError(f"{self.label} must be a whole number of 1 or more.")
            return number
        if self.kind == "date" and typed.strip():
            try:
                return dt.date.fromisoformat(typed.strip()).isoformat()
            except ValueError:
                raise ValueError(f"{self.label} must be a date like 2026-11-26.") from None
        return typed


class FieldTypeError(TypeError):
    """A value from a file that a header field cannot hold; `expected` says what it can, `got`
    (when set) shows the value, when its type was right but the value was not."""

    def __init__(self, spec: HeaderField, expected: str, got: str | None = None) -> None:
        super().__init__(f"{spec.id} must be {expected}")
        self.spec = spec
        self.expected = expected
        self.got = got


@dataclass(frozen=True, slots=True)
class Column:
    id: str
    title: str
    rationale: str


@dataclass(frozen=True, slots=True)
class BlockSpec:
    """A block as the template describes it: where it sits and what it asks."""

    id: str
    title: str
    short_title: str
    column: str
    row: int  # first row on the canvas grid, 1-based
    row_span: int
    guidance: str
    questions: tuple[str, ...]
    synonyms: tuple[str, ...] = ()
    """Other names the block goes by (older versions of the canvas, other canvases' words): an
    import maps a section with one of these titles to this block."""

    @property
    def last_row(self) -> int:
        return self.row + self.row_span - 1

    def covers_row(self, row: int) -> bool:
        return self.row <= row <= self.last_row


@dataclass(frozen=True, slots=True)
class Template:
    id: str
    title: str
    author: str
    author_email: str
    source: str
    licence: str
    credit: str  # short attribution for file headers
    attribution: str
    rows: int
    fields: tuple[HeaderField, ...]
    columns: tuple[Column, ...]
    blocks: tuple[BlockSpec, ...]  # in fill order

    def block(self, block_id: str) -> BlockSpec:
        for spec in self.blocks:
            if spec.id == block_id:
                return spec
        raise KeyError(block_id)

    @property
    def block_ids(self) -> tuple[str, ...]:
        return tuple(spec.id for spec in self.blocks)

    def column(self, column_id: str) -> Column:
        for column in self.columns:
            if column.id == column_id:
                return column
        raise KeyError(column_id)

    def column_index(self, column_id: str) -> int:
        return [column.id for column in self.columns].index(column_id)

    def blocks_in(self, column_id: str) -> tuple[BlockSpec, ...]:
        """The blocks of one column, top to bottom."""
        return tuple(sorted((b for b in self.blocks if b.column == column_id), key=lambda b: b.row))


_KINDS = ("text", "date", "integer")


def parse_template(data: Mapping[str, Any], source: str) -> Template:
    """Build a Template from parsed TOML data; `source` names the file in error messages."""

    def fail(field: str, problem: str) -> TemplateError:
        return TemplateError(f"{source}: field '{field}' {problem}")

    def text(table: Mapping[str, Any], key: str, where: str, default: str | None = None) -> str:
        value = table.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise fail(f"{where}{key}", "must be a non-empty string")
        return value

    def integer(table: Mapping[str, Any], key: str, where: str) -> int:
        value = table.get(key)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise fail(f"{where}{key}", "must be a positive integer")
        return value

    def tables(key: str) -> Sequence[Mapping[str, Any]]:
        value = data.get(key)
        if not isinstance(value, list) or not value:
            raise fail(key, "must be a non-empty array of tables")
        for index, item in enumerate(value):
            if not isinstance(item, Mapping):
                raise fail(f"{key}[{index}]", "must be a table")
        return value

    rows = integer(data, "rows", "")
    fields = []
    for index, item in enumerate(tables("fields")):
        where = f"fields[{index}]."
        kind = text(item, "kind", where)
        if kind not in _KINDS:
            raise fail(f"{where}kind", f"must be one of {', '.join(_KINDS)}")
        fields.append(HeaderField(text(item, "id", where), text(item, "label", where), kind))

    columns = []
    for index, item in enumerate(tables("columns")):
        where = f"columns[{index}]."
        columns.append(
            Column(text(item, "id", where), text(item, "title", where), text(item, "rationale", where))
        )
    column_ids = [column.id for column in columns]
    if len(set(column_ids)) != len(column_ids):
        raise fail("columns", "has duplicate ids")

    specs: dict[str, BlockSpec] = {}
    for index, item in enumerate(tables("blocks")):
        where = f"blocks[{index}]."
        block_id = text(item, "id", where)
        if block_id in specs:
            raise fail(f"{where}id", f"repeats the id '{block_id}'")
        column = text(item, "column", where)
        if column not in column_ids:
            raise fail(f"{where}column", f"names an unknown column '{column}'")
        row, span = integer(item, "row", where), integer(item, "row_span", where)
        if row + span - 1 > rows:
            raise fail(f"{where}row_span", f"runs past the last row ({rows})")
        questions = item.get("questions", [])
        if not isinstance(questions, list) or not all(isinstance(q, str) for q in questions):
            raise fail(f"{where}questions", "must be an array of strings")
        synonyms = item.get("synonyms", [])
        if not isinstance(synonyms, list) or not all(isinstance(s, str) and s.strip() for s in synonyms):
            raise fail(f"{where}synonyms", "must be an array of non-empty strings")
        title = text(item, "title", where)
        specs[block_id] = BlockSpec(
            id=block_id,
            title=title,
            short_title=text(item, "short_title", where, default=title),
            column=column,
            row=row,
            row_span=span,
            guidance=text(item, "guidance", where),
            questions=tuple(questions),
            synonyms=tuple(synonyms),
        )

    for column in column_ids:
        covered = sorted(
            row
            for spec in specs.values()
            if spec.column == column
            for row in range(spec.row, spec.last_row + 1)
        )
        if covered != list(range(1, rows + 1)):
            raise fail("blocks", f"do not tile column '{column}' exactly once per row")

    order = data.get("fill_order")
    if not isinstance(order, list) or sorted(map(str, order)) != sorted(specs):
        raise fail("fill_order", "must list every block id exactly once")

    return Template(
        id=text(data, "id", ""),
        title=text(data, "title", ""),
        author=text(data, "author", ""),
        author_email=str(data.get("author_email", "")),
        source=text(data, "source", ""),
        licence=text(data, "licence", ""),
        credit=text(data, "credit", ""),
        attribution=text(data, "attribution", ""),
        rows=rows,
        fields=tuple(fields),
        columns=tuple(columns),
        blocks=tuple(specs[block_id] for block_id in order),
    )
