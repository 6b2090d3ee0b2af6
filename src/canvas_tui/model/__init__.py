"""The canvas as pure data: template, canvas, blocks, status, progress and print fit. No Textual, no I/O."""

from canvas_tui.model.canvas import Block, BlockValue, Canvas, Snapshot
from canvas_tui.model.progress import Progress
from canvas_tui.model.status import Status
from canvas_tui.model.template import (
    BlockSpec,
    Column,
    FieldTypeError,
    FieldValue,
    HeaderField,
    Template,
    TemplateError,
)
from canvas_tui.model.text import normalise_newlines

__all__ = [
    "Block",
    "BlockSpec",
    "BlockValue",
    "Canvas",
    "Column",
    "FieldTypeError",
    "FieldValue",
    "HeaderField",
    "Progress",
    "Snapshot",
    "Status",
    "Template",
    "TemplateError",
    "normalise_newlines",
]
