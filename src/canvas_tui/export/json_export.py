"""The canvas as JSON: everything in the file plus derived progress, keys in a fixed order.

`canvas-tui status --json` is this data cut down (`status_data`); the export adds each block's
text, its place on the grid, whether it fits its printed cell, and whatever else the file holds
that canvas-tui does not use (`extra`), so nothing in the file is lost. The schema is in docs/export.md.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Mapping
from typing import Any

from canvas_tui.model import Progress
from canvas_tui.model.fit import estimate
from canvas_tui.storage import CanvasFile

SCHEMA_VERSION = 1


def export_data(document: CanvasFile) -> dict[str, Any]:
    """The export as plain JSON-ready data; keys in the documented order."""
    return {**_canvas_data(document), "extra": _extra(document)}


STATUS_SHAPE: dict[str, Any] = {
    "file": None,
    "template": None,
    "canvas": None,
    "progress": None,
    "coverage": None,
    "columns": {
        "id": None,
        "title": None,
        "resolved": None,
        "total": None,
        "counts": None,
        "blocks": {
            "id": None,
            "title": None,
            "status": None,
            "resolved": None,
            "words": None,
            "answered": None,
            "questions": None,
        },
    },
    "next": None,
    "warnings": None,
}
"""The keys of `canvas-tui status --json`, in order; a key with a shape is a list of such objects."""


def status_data(document: CanvasFile) -> dict[str, Any]:
    """`canvas-tui status --json`: the export's data cut down to STATUS_SHAPE, so the two cannot drift.

    The export's `extra` is left out before it is built: it needs the file's tomlkit parse, which
    the status command has no other use for.
    """
    return project(_canvas_data(document), STATUS_SHAPE)


def project(data: dict[str, Any], shape: dict[str, Any]) -> dict[str, Any]:
    """`data` with only the keys of `shape`, in its order; nested shapes apply to each list item."""
    return {
        key: data[key] if inner is None else [project(item, inner) for item in data[key]]
        for key, inner in shape.items()
    }


def _canvas_data(document: CanvasFile) -> dict[str, Any]:
    """Everything the export holds except `extra`, keys in the documented order."""
    canvas = document.canvas
    template = canvas.template
    next_block = canvas.next_unresolved(template.block_ids[-1])
    columns = []
    for column in template.columns:
        blocks = []
        for spec in template.blocks_in(column.id):
            block = canvas.blocks[spec.id]
            blocks.append(
                {
                    "id": spec.id,
                    "title": spec.title,
                    "status": block.status.value,
                    "resolved": block.resolved,
                    "words": len(block.text.split()),
                    "answered": list(block.answered),
                    "questions": len(spec.questions),
                    "unknown_status": block.unknown_status,
                    "row": spec.row,
                    "row_span": spec.row_span,
                    "fits_print": estimate(template, spec, block.text).fits,
                    "text": block.text,
                }
            )
        columns.append(
            {
                "id": column.id,
                "title": column.title,
                **_progress(canvas.column_progress(column.id)),
                "blocks": blocks,
            }
        )
    return {
        "schema_version": SCHEMA_VERSION,
        "file": str(document.path),
        "template": template.id,
        "template_title": template.title,
        "attribution": template.attribution,
        "canvas": dict(canvas.fields),
        "progress": _progress(canvas.progress()),
        "coverage": dict(zip(("answered", "total"), canvas.question_coverage(), strict=True)),
        "columns": columns,
        "next": next_block,
        "warnings": list(document.warnings),
    }


def render_json(document: CanvasFile) -> str:
    """`export_data` as indented UTF-8 JSON text, ending with a newline."""
    return json.dumps(export_data(document), ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def _progress(progress: Progress) -> dict[str, Any]:
    return {
        "resolved": progress.resolved,
        "total": progress.total,
        "counts": {status.value: number for status, number in progress.counts.items()},
    }


def _extra(document: CanvasFile) -> dict[str, Any]:
    """What the file holds beyond the header fields and the blocks' text and status, in file order."""
    template = document.canvas.template
    fields = {"template", *(spec.id for spec in template.fields)}
    known = set(template.block_ids)
    extra: dict[str, Any] = {}
    for key, value in document.document.unwrap().items():
        if key == "canvas" and isinstance(value, Mapping):
            rest = {name: item for name, item in value.items() if name not in fields}
            if rest:
                extra["canvas"] = rest
        elif key == "blocks" and isinstance(value, Mapping):
            blocks = {}
            for block_id, table in value.items():
                if block_id not in known or not isinstance(table, Mapping):
                    blocks[block_id] = table
                    continue
                rest = {
                    name: item for name, item in table.items() if name not in ("text", "status", "answered")
                }
                if rest:
                    blocks[block_id] = rest
            if blocks:
                extra["blocks"] = blocks
        else:
            extra[key] = value
    result = _plain(extra)
    assert isinstance(result, dict)
    return result


def _plain(value: object) -> object:
    """TOML values as JSON values: dates and times become ISO 8601 text, inf and nan become text."""
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dt.date | dt.time):  # datetime is a date
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value
