"""Block status: the four states a block can be in, and how each one is shown.

Every place that shows a status (cards, the status command, exports) uses the glyph *and* the word,
so status never depends on colour alone.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    """How far a block is. `skip` means "not applicable here" and counts as resolved."""

    TODO = "todo"
    DRAFT = "draft"
    DONE = "done"
    SKIP = "skip"

    @property
    def glyph(self) -> str:
        return _GLYPHS[self]

    @property
    def resolved(self) -> bool:
        return self in (Status.DONE, Status.SKIP)

    @property
    def label(self) -> str:
        """Glyph and word, e.g. `◐ draft`."""
        return f"{self.glyph} {self.value}"

    def cycled(self) -> Status:
        """The next status for the cycle key: todo -> draft -> done -> todo (skip re-enters at todo)."""
        return _CYCLE[self]

    @classmethod
    def derived(cls, text: str) -> Status:
        """The status of a block whose file gives none: empty means todo, anything else draft."""
        return cls.DRAFT if text.strip() else cls.TODO

    @classmethod
    def parse(cls, value: object) -> Status | None:
        """The status a file value names, or None when it names none of ours."""
        if isinstance(value, str):
            try:
                return cls(value.strip().lower())
            except ValueError:
                return None
        return None


_GLYPHS = {
    Status.TODO: "○",
    Status.DRAFT: "◐",
    Status.DONE: "●",
    Status.SKIP: "⊘",
}

_CYCLE = {
    Status.TODO: Status.DRAFT,
    Status.DRAFT: Status.DONE,
    Status.DONE: Status.TODO,
    Status.SKIP: Status.TODO,
}

STATUS_ORDER: tuple[Status, ...] = (Status.DONE, Status.SKIP, Status.DRAFT, Status.TODO)
"""The order statuses are counted in summaries: resolved first."""
