"""Comparing two versions of a canvas block by block: what `canvas-tui diff` prints, as data.

Which header fields changed, and per changed block its title, the status change and a word-level
diff of the text. Unchanged blocks are not listed. Rendering as plain `-`/`+` lines (for pipes and
files) is here too, and the colours of a word-level piece; the colour rendering for a terminal is
the command line's. Both show the files'
text through `for_terminal`: a diff is for reading, often of a file from someone else, so an escape
sequence in it is shown, never obeyed. No Textual here, so
the app can show the same comparison later.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import Any, Literal

from canvas_tui.model import Canvas, FieldValue
from canvas_tui.model.canvas import Block
from canvas_tui.model.text import for_terminal

Op = Literal["equal", "delete", "insert"]

PIECE_STYLE: dict[Op, str] = {"equal": "", "delete": "red strike", "insert": "green underline"}
"""How a word-level piece is shown in colour (`canvas-tui diff` and the app's Compare with HEAD), as
Rich style names; strike and underline keep the change readable without colour."""

_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of text that is in both versions (equal), only the old one (delete) or only the new one."""

    op: Op
    text: str


@dataclass(frozen=True, slots=True)
class FieldChange:
    id: str
    label: str
    old: FieldValue | None
    new: FieldValue | None


@dataclass(frozen=True, slots=True)
class BlockChange:
    id: str
    title: str
    column: str
    old_status: str
    new_status: str
    old_text: str
    new_text: str

    @property
    def status_changed(self) -> bool:
        return self.old_status != self.new_status

    @property
    def text_changed(self) -> bool:
        return self.old_text != self.new_text

    @property
    def heading(self) -> str:
        """`Column / Block`, the block as people name it."""
        return f"{self.column} / {self.title}"

    def words(self) -> list[Piece]:
        """The text's word-level diff: joining the equal and insert pieces gives the new text."""
        return word_diff(self.old_text, self.new_text)


@dataclass(frozen=True, slots=True)
class CanvasDiff:
    old_name: str
    new_name: str
    template_changed: tuple[str, str] | None
    fields: tuple[FieldChange, ...]
    blocks: tuple[BlockChange, ...]

    @property
    def same(self) -> bool:
        return self.template_changed is None and not self.fields and not self.blocks

    def as_data(self) -> dict[str, Any]:
        """`canvas-tui diff --json`: plain JSON-ready data, keys in a fixed order."""
        return {
            "old": self.old_name,
            "new": self.new_name,
            "same": self.same,
            "template": (
                None
                if self.template_changed is None
                else {"old": self.template_changed[0], "new": self.template_changed[1]}
            ),
            "fields": [
                {"id": change.id, "label": change.label, "old": change.old, "new": change.new}
                for change in self.fields
            ],
            "blocks": [
                {
                    "id": change.id,
                    "title": change.title,
                    "column": change.column,
                    "status": {"old": change.old_status, "new": change.new_status},
                    "text_changed": change.text_changed,
                    "text": [{"op": piece.op, "text": piece.text} for piece in change.words()],
                }
                for change in self.blocks
            ],
        }


def status_word(block: Block) -> str:
    """The status as the file says it: an unknown value is shown as written."""
    return block.unknown_status if block.unknown_status is not None else block.status.value


def compare(old: Canvas, new: Canvas, old_name: str = "old", new_name: str = "new") -> CanvasDiff:
    """What changed from `old` to `new`: header fields, then blocks in fill order."""
    template = new.template
    template_changed = None if old.template.id == new.template.id else (old.template.id, new.template.id)
    fields = []
    labels = {spec.id: spec.label for spec in [*old.template.fields, *template.fields]}
    for field_id in dict.fromkeys([*old.fields, *new.fields]):
        before, after = old.fields.get(field_id), new.fields.get(field_id)
        if before != after:
            fields.append(FieldChange(field_id, labels.get(field_id, field_id), before, after))
    blocks = []
    specs = {spec.id: spec for spec in [*old.template.blocks, *template.blocks]}
    titles = {column.id: column.title for column in [*old.template.columns, *template.columns]}
    for block_id in dict.fromkeys([*old.blocks, *new.blocks]):
        before_block = old.blocks.get(block_id) or Block(block_id)
        after_block = new.blocks.get(block_id) or Block(block_id)
        change = BlockChange(
            block_id,
            specs[block_id].title,
            titles.get(specs[block_id].column, specs[block_id].column),
            status_word(before_block),
            status_word(after_block),
            before_block.text,
            after_block.text,
        )
        if change.status_changed or change.text_changed:
            blocks.append(change)
    return CanvasDiff(old_name, new_name, template_changed, tuple(fields), tuple(blocks))


def word_diff(old: str, new: str) -> list[Piece]:
    """Word-level diff: words and the whitespace between them are the units difflib compares."""
    before, after = _TOKEN.findall(old), _TOKEN.findall(new)
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    pieces: list[Piece] = []

    def add(op: Op, tokens: list[str]) -> None:
        if not tokens:
            return
        text = "".join(tokens)
        if pieces and pieces[-1].op == op:
            pieces[-1] = Piece(op, pieces[-1].text + text)
        else:
            pieces.append(Piece(op, text))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", before[i1:i2])
        else:
            add("delete", before[i1:i2])
            add("insert", after[j1:j2])
    return pieces


def line_diff(old: str, new: str) -> list[str]:
    """The changed lines of a text as `- old` and `+ new` lines; `…` between runs that are apart."""
    before, after = old.splitlines(), new.splitlines()
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    lines: list[str] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            if lines and i2 < len(before):
                lines.append("  …")
            continue
        lines.extend(f"- {line}" for line in before[i1:i2])
        lines.extend(f"+ {line}" for line in after[j1:j2])
    while lines and lines[-1] == "  …":
        lines.pop()
    return lines


def field_text(value: FieldValue | None) -> str:
    return "(none)" if value is None else repr(value) if value == "" else str(value)


def render_plain(diff: CanvasDiff) -> str:
    """The diff as plain text: a heading per changed block, then its `-`/`+` lines."""
    out = [f"--- {diff.old_name}", f"+++ {diff.new_name}"]
    if diff.template_changed is not None:
        out.append(f"template: {diff.template_changed[0]} -> {diff.template_changed[1]}")
    for change in diff.fields:
        out.append(f"{change.label}: {field_text(change.old)} -> {field_text(change.new)}")
    out = [for_terminal(line) for line in out]
    for block in diff.blocks:
        out.append("")
        status = f"  [{block.old_status} -> {block.new_status}]" if block.status_changed else ""
        out.append(for_terminal(f"## {block.heading}{status}"))
        old_text, new_text = (for_terminal(text, multiline=True) for text in (block.old_text, block.new_text))
        out.extend(line_diff(old_text, new_text))
    return "\n".join(out) + "\n"
