"""The canvas as pure data: template, canvas, blocks, status, progress and print fit. No Textual, no I/O."""

from canvas_tui.model.canvas import Block, BlockValue, Canvas, FieldValue, Snapshot, normalise_newlines
from canvas_tui.model.progress import Progress
from canvas_tui.model.status import Status
from canvas_tui.model.template import BlockSpec, Column, HeaderField, Template, TemplateError

__all__ = [
    "Block",
    "BlockSpec",
    "BlockValue",
    "Canvas",
    "Column",
    "FieldValue",
    "HeaderField",
    "Progress",
    "Snapshot",
    "Status",
    "Template",
    "TemplateError",
    "normalise_newlines",
]
