"""Completion counts for a set of blocks: per column and overall."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from canvas_tui.model.status import STATUS_ORDER, Status

if TYPE_CHECKING:
    from canvas_tui.model.canvas import Block, Canvas


@dataclass(frozen=True, slots=True)
class Progress:
    counts: dict[Status, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def resolved(self) -> int:
        return self.counts[Status.DONE] + self.counts[Status.SKIP]

    @property
    def unresolved(self) -> int:
        return self.total - self.resolved

    @property
    def fraction(self) -> float:
        return self.resolved / self.total if self.total else 1.0

    @property
    def summary(self) -> str:
        """For example `9/15 resolved`."""
        return f"{self.resolved}/{self.total} resolved"

    def breakdown(self) -> str:
        """For example `● 8 done  ⊘ 1 skip  ◐ 4 draft  ○ 2 todo`."""
        return "  ".join(f"{s.glyph} {self.counts[s]} {s.value}" for s in STATUS_ORDER)


def unresolved_blocks(canvas: Canvas) -> list[str]:
    """Ids of the blocks still todo or draft, in the template's fill order."""
    return [spec.id for spec in canvas.template.blocks if not canvas.blocks[spec.id].status.resolved]


def count(blocks: Iterable[Block]) -> Progress:
    counts = dict.fromkeys(Status, 0)
    for block in blocks:
        counts[block.status] += 1
    return Progress(counts)
