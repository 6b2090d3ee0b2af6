"""A filled-in canvas: header fields and one Block per template block, changed only through methods.

Pure data: no Textual and no file access, so the command line, the exports and the tests use the
same rules the screens do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from canvas_tui.model.progress import Progress, count
from canvas_tui.model.status import Status
from canvas_tui.model.template import FieldValue, Template
from canvas_tui.model.text import normalise_newlines

Direction = Literal[1, -1]


@dataclass(slots=True)
class Block:
    """The user's answer for one block.

    `unknown_status` keeps a status value from the file that is none of ours, exactly as written,
    until the user picks a status for this block; meanwhile `status` is derived from the text
    (todo or draft), so such a block never counts as resolved.
    """

    id: str
    text: str = ""
    status: Status = Status.TODO
    unknown_status: str | None = None
    before_skip: Status | None = None
    """The status a skipped block had, so un-skipping gives it back (not kept in the file)."""
    auto_draft: bool = False
    """The block became a draft because text was typed into a todo block: emptied, it is todo again."""
    answered: tuple[int, ...] = ()
    """The guiding questions (1-based) the user marked as answered by the text, in order."""
    unknown_answered: str | None = None
    """An `answered` value from the file that is not a list of question numbers, kept as written
    (like `unknown_status`) until the user marks a question."""

    @property
    def resolved(self) -> bool:
        return self.status.resolved


@dataclass(frozen=True, slots=True)
class BlockValue:
    """What a block holds, as a value: compared to tell what changed, and merged block by block."""

    text: str
    status: Status
    unknown_status: str | None = None
    answered: tuple[int, ...] = ()
    unknown_answered: str | None = None


@dataclass(frozen=True, slots=True)
class Snapshot:
    """The canvas's values at one moment. Equal snapshots mean nothing changed in between."""

    fields: dict[str, FieldValue]
    blocks: dict[str, BlockValue]

    def differences(self, other: Snapshot) -> list[str]:
        """Ids of the header fields and blocks whose values differ, fields first."""
        keys = [k for k in self.fields if self.fields.get(k) != other.fields.get(k)]
        return keys + [k for k in self.blocks if self.blocks.get(k) != other.blocks.get(k)]


@dataclass(slots=True)
class Canvas:
    template: Template
    fields: dict[str, FieldValue] = field(default_factory=dict)
    blocks: dict[str, Block] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for spec in self.template.fields:
            self.fields.setdefault(spec.id, 1 if spec.kind == "integer" else "")
        for block_id in self.template.block_ids:
            self.blocks.setdefault(block_id, Block(block_id))
        # Keep blocks in fill order whatever order they arrived in.
        self.blocks = {block_id: self.blocks[block_id] for block_id in self.template.block_ids}

    @classmethod
    def new(cls, template: Template, product: str = "", today: dt.date | None = None) -> Canvas:
        canvas = cls(template)
        if "product" in canvas.fields:
            canvas.fields["product"] = product
        if "date" in canvas.fields:
            canvas.fields["date"] = (today or dt.date.today()).isoformat()
        return canvas

    # -- reading -----------------------------------------------------------------------------

    def block(self, block_id: str) -> Block:
        return self.blocks[block_id]

    def progress(self) -> Progress:
        return count(self.blocks.values())

    def column_progress(self, column_id: str) -> Progress:
        return count(self.blocks[spec.id] for spec in self.template.blocks_in(column_id))

    def state(self) -> Snapshot:
        """The current values, detached from the live blocks (cheap: strings are shared)."""
        return Snapshot(
            dict(self.fields),
            {
                b.id: BlockValue(b.text, b.status, b.unknown_status, b.answered, b.unknown_answered)
                for b in self.blocks.values()
            },
        )

    def restore(self, snapshot: Snapshot) -> None:
        """Take the values of `snapshot`, keeping these Block objects (screens hold them)."""
        for field_id, value in snapshot.fields.items():
            if field_id in self.fields:
                self.fields[field_id] = value
        for block_id, held in snapshot.blocks.items():
            block = self.blocks.get(block_id)
            if block is not None:
                if block.status is not held.status:
                    block.before_skip, block.auto_draft = None, False  # the reason went with it
                block.text, block.status = held.text, held.status
                block.unknown_status = held.unknown_status
                block.answered, block.unknown_answered = held.answered, held.unknown_answered

    def next_unresolved(self, from_id: str, direction: Direction = 1) -> str | None:
        """The next (or previous) unresolved block in fill order after `from_id`, wrapping around."""
        order = list(self.template.block_ids)
        start = order.index(from_id)
        for step in range(1, len(order) + 1):
            candidate = order[(start + direction * step) % len(order)]
            if not self.blocks[candidate].resolved:
                return candidate
        return None

    def search(self, query: str, *, titles: bool = False) -> list[str]:
        """Ids of the blocks whose text (and title, when asked) contains `query`, in fill order.

        Case-insensitive. Titles only when asked: every canvas has the same ones, so a word from a
        title would otherwise match the same block on every canvas, filled in or not.
        """
        needle = query.casefold().strip()
        if not needle:
            return []
        return [
            spec.id
            for spec in self.template.blocks
            if needle in self.blocks[spec.id].text.casefold() or (titles and needle in spec.title.casefold())
        ]

    # -- changing ----------------------------------------------------------------------------

    def set_text(self, block_id: str, text: str) -> None:
        """Replace a block's text; typing into a todo block makes it a draft."""
        block = self.blocks[block_id]
        text = normalise_newlines(text)
        if text == block.text:
            return
        block.text = text
        if block.unknown_status is not None:
            block.status = Status.derived(text)
        elif block.status is Status.TODO and text.strip():
            block.status = Status.DRAFT
            block.auto_draft = True
        elif block.auto_draft and block.status is Status.DRAFT and not text.strip():
            block.status = Status.TODO  # typing undone back to nothing: as it was
            block.auto_draft = False

    def set_status(self, block_id: str, status: Status) -> None:
        block = self.blocks[block_id]
        block.status = status
        block.unknown_status = None
        block.auto_draft = False
        block.before_skip = None

    def cycle_status(self, block_id: str) -> Status:
        block = self.blocks[block_id]
        self.set_status(block_id, block.status.cycled())
        return block.status

    def toggle_skip(self, block_id: str) -> Status:
        """Skip a block, or un-skip it back to the status it had (derived from its text if unknown)."""
        block = self.blocks[block_id]
        if block.status is Status.SKIP:
            self.set_status(block_id, block.before_skip or Status.derived(block.text))
        else:
            before = block.status if block.unknown_status is None else None
            self.set_status(block_id, Status.SKIP)
            block.before_skip = before
        return block.status

    def set_answered(self, block_id: str, numbers: Iterable[int]) -> None:
        """Mark which guiding questions the block's text answers (numbers from 1)."""
        block = self.blocks[block_id]
        count = len(self.template.block(block_id).questions)
        block.answered = tuple(sorted({n for n in numbers if 1 <= n <= count}))
        block.unknown_answered = None

    def coverage(self, block_id: str) -> tuple[int, int]:
        """(answered, questions) for one block."""
        return len(self.blocks[block_id].answered), len(self.template.block(block_id).questions)

    def question_coverage(self) -> tuple[int, int]:
        """(answered, questions) over every block."""
        pairs = [self.coverage(block_id) for block_id in self.blocks]
        return sum(a for a, _ in pairs), sum(q for _, q in pairs)

    def set_field(self, field_id: str, value: FieldValue) -> None:
        if field_id not in self.fields:
            raise KeyError(field_id)
        self.fields[field_id] = normalise_newlines(value) if isinstance(value, str) else value

    def new_iteration(self, today: dt.date) -> None:
        """Start the next iteration: Iteration + 1 and Date = today (for the fields the template has)."""
        if "iteration" in self.fields:
            iteration = self.fields["iteration"]
            self.fields["iteration"] = (iteration if isinstance(iteration, int) else 0) + 1
        if "date" in self.fields:
            self.fields["date"] = today.isoformat()
