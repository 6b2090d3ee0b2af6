"""Moving between blocks by where they sit on the canvas grid, respecting row spans.

Like a text editor that keeps its column when the cursor moves through short lines, moving
left and right keeps a preferred row: from Data Collection (rows 1-3), right goes to Modelling
when you came from Background (row 1) and to Metrics and Evaluation when you came from Value
Proposition (row 3).
"""

from __future__ import annotations

from typing import Literal

from canvas_tui.model.template import BlockSpec, Template

Move = Literal["up", "down", "left", "right"]


def block_at(template: Template, column_index: int, row: int) -> BlockSpec | None:
    """The block covering `row` in the column at `column_index`, if any."""
    if not 0 <= column_index < len(template.columns) or not 1 <= row <= template.rows:
        return None
    column_id = template.columns[column_index].id
    for spec in template.blocks_in(column_id):
        if spec.covers_row(row):
            return spec
    return None


def neighbour(
    template: Template, block_id: str, move: Move, preferred_row: int | None = None
) -> tuple[str, int]:
    """The block reached by `move` from `block_id`, and the preferred row to remember there.

    With no preferred row (or one outside the block) the block's top row is used. At the edge
    of the canvas the block stays where it is.
    """
    spec = template.block(block_id)
    row = preferred_row if preferred_row is not None and spec.covers_row(preferred_row) else spec.row
    column = template.column_index(spec.column)
    if move == "up":
        target = block_at(template, column, spec.row - 1)
        return (target.id, target.last_row) if target else (block_id, row)
    if move == "down":
        target = block_at(template, column, spec.last_row + 1)
        return (target.id, target.row) if target else (block_id, row)
    step = -1 if move == "left" else 1
    target = block_at(template, column + step, row)
    return (target.id, row) if target else (block_id, row)
