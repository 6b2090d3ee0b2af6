"""canvas-tui's own exports (JSON, HTML, Markdown) read back into the canvas they came from.

Each export carries what an import needs: the JSON everything; the HTML page the template's id
(`<meta name="canvas-tui-template">`), each block's status and marked questions as attributes and
its text as written; the Markdown a hidden comment with the template and the marked questions,
each block's status in its heading and the header fields as a table. Text, status, marked
questions and header fields come back as they were (Markdown: a block's leading and trailing
blank lines are not exported, and the escaping the export adds is taken off again).
"""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from canvas_tui.importing.result import Imported, SourceError
from canvas_tui.model import Canvas, Status
from canvas_tui.model.template import Template, TemplateError
from canvas_tui.templates import TemplateCatalog, load_template, user_templates_folder

# -- which template ---------------------------------------------------------------------------------


def template_by_id(path: Path, template_id: str, wanted: str | None) -> Template:
    """The template an export names; `--template` may only repeat it."""
    if wanted is not None and wanted != template_id:
        raise SourceError(
            f"{path}: is a canvas-tui export of a {template_id} canvas; --template {wanted} does not apply "
            "to it (leave --template out)"
        )
    try:
        return load_template(template_id)
    except TemplateError as error:
        raise SourceError(f"{path}: {error}") from None


def _template_by_title(path: Path, title: str, wanted: str | None) -> Template:
    if wanted is not None:
        return template_by_id(path, wanted, None)
    for entry in TemplateCatalog.load(user_templates_folder()).entries.values():
        if entry.template.title == title:
            return entry.template
    raise SourceError(f'{path}: names a canvas "{title}" that no template here has; give --template ID')


def _set_field(path: Path, canvas: Canvas, field_id: str, value: object) -> None:
    spec = next((spec for spec in canvas.template.fields if spec.id == field_id), None)
    if spec is None:
        return
    if isinstance(value, str) and spec.kind == "integer":
        try:
            value = spec.parse(value)
        except ValueError as error:
            raise SourceError(f"{path}: {error}") from None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise SourceError(f"{path}: header field {field_id} must be text or a whole number")
    canvas.set_field(field_id, value)


def _set_block(canvas: Canvas, block_id: str, text: str, status: Status, answered: list[int]) -> None:
    canvas.set_text(block_id, text)
    canvas.set_status(block_id, status)
    canvas.set_answered(block_id, answered)


def _placed(result: Imported, kind: str) -> Imported:
    template = result.canvas.template
    result.placed.append(f"{kind} export of a {template.id} canvas: every block and header field")
    return result


# -- JSON -------------------------------------------------------------------------------------------


def import_json(path: Path, text: str, wanted: str | None) -> Imported:
    """`canvas-tui export --format json` back into its canvas."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise SourceError(f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg})") from None
    except RecursionError:
        raise SourceError(f"{path}: JSON nested too deeply to read") from None
    if (
        not isinstance(data, dict)
        or "schema_version" not in data
        or not isinstance(data.get("columns"), list)
    ):
        raise SourceError(f"{path}: JSON, but not a canvas-tui export (no schema_version and columns)")
    template_id = data.get("template")
    if not isinstance(template_id, str):
        raise SourceError(f"{path}: JSON export without a template id")
    canvas = Canvas(template_by_id(path, template_id, wanted))
    fields = data.get("canvas", {})
    if not isinstance(fields, dict):
        raise SourceError(f"{path}: 'canvas' must be an object of header fields")
    for field_id, value in fields.items():
        _set_field(path, canvas, str(field_id), value)
    for column in data["columns"]:
        for block in column.get("blocks", []) if isinstance(column, dict) else []:
            _json_block(path, canvas, block)
    return _placed(Imported(canvas), "JSON")


def _json_block(path: Path, canvas: Canvas, block: Any) -> None:
    if not isinstance(block, dict) or block.get("id") not in canvas.blocks:
        return
    block_id = block["id"]
    text, answered = block.get("text", ""), block.get("answered", [])
    status = Status.parse(block.get("status"))
    if (
        not isinstance(text, str)
        or status is None
        or not isinstance(answered, list)
        or not all(isinstance(n, int) and not isinstance(n, bool) for n in answered)
    ):
        raise SourceError(f"{path}: block {block_id}: text, status or answered is not what the export writes")
    _set_block(canvas, block_id, text, status, answered)
    unknown = block.get("unknown_status")
    if isinstance(unknown, str):
        canvas.blocks[block_id].unknown_status = unknown
        canvas.blocks[block_id].status = Status.derived(text)


# -- HTML -------------------------------------------------------------------------------------------

GENERATOR = re.compile(r'<meta name="generator" content="canvas-tui">')


def is_own_html(text: str) -> bool:
    return GENERATOR.search(text[:4096]) is not None


class _Page(HTMLParser):
    """The parts of our HTML page an import needs (the page is ours: escaped text, known classes)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.template: str | None = None
        self.title = ""
        self.fields: list[tuple[str, str]] = []
        self.blocks: dict[str, dict[str, str]] = {}
        self._into: str | None = None
        self._block: str | None = None
        self._buffer: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {name: value or "" for name, value in attrs}
        classes = found.get("class", "").split()
        if tag == "meta" and found.get("name") == "canvas-tui-template":
            self.template = found.get("content")
        elif tag == "h1":
            self._start("title")
        elif tag == "article" and "data-block" in found:
            self._block = found["data-block"]
            status = next((c.removeprefix("status-") for c in classes if c.startswith("status-")), "")
            self.blocks[self._block] = {
                "status": status,
                "answered": found.get("data-answered", ""),
                "text": "",
            }
        elif tag == "span" and "label" in classes:
            self._start("label")
        elif tag == "span" and "value" in classes:
            self._start("value")
        elif tag == "div" and "text" in classes and self._block is not None:
            self._start("text")

    def _start(self, what: str) -> None:
        self._into, self._buffer = what, []

    def handle_data(self, data: str) -> None:
        if self._into is not None:
            self._buffer.append(data)

    def handle_endtag(self, tag: str) -> None:
        what, text = self._into, "".join(self._buffer)
        if what is None or tag not in ("h1", "span", "div"):
            if tag == "article":
                self._block = None
            return
        self._into = None
        if what == "title":
            self.title = text
        elif what == "label":
            self.fields.append((text.removesuffix(":"), ""))
        elif what == "value" and self.fields:
            self.fields[-1] = (self.fields[-1][0], text)
        elif what == "text" and self._block is not None:
            self.blocks[self._block]["text"] = text


def import_html(path: Path, text: str, wanted: str | None) -> Imported:
    """`canvas-tui export --format html` back into its canvas."""
    page = _Page()
    page.feed(text)
    page.close()
    if page.template is not None:
        template = template_by_id(path, page.template, wanted)
    else:
        template = _template_by_title(path, page.title, wanted)
    canvas = Canvas(template)
    labels = {spec.label: spec.id for spec in template.fields}
    for label, value in page.fields:
        if label in labels:
            _set_field(path, canvas, labels[label], value)
    for block_id, found in page.blocks.items():
        status = Status.parse(found["status"])
        if block_id not in canvas.blocks or status is None:
            continue
        answered = [int(n) for n in found["answered"].split() if n.isdigit()]
        _set_block(canvas, block_id, found["text"], status, answered)
    return _placed(Imported(canvas), "HTML")


# -- Markdown ---------------------------------------------------------------------------------------

META = re.compile(
    r'^<!-- canvas-tui template="(?P<template>[^"]+)"(?: answered="(?P<answered>[^"]*)")?'
    r'(?: edges="(?P<edges>[^"]*)")?(?: fields="(?P<fields>[^"]*)")?(?: escaped="(?P<escaped>[^"]*)")? -->$'
)


def own_markdown_meta(lines: list[str]) -> int | None:
    """The line of our export's hidden comment, when `lines` are our Markdown export."""
    for index, line in enumerate(lines[:200]):
        if META.match(line):
            return index
    return None


def import_markdown_export(path: Path, lines: list[str], meta_line: int, wanted: str | None) -> Imported:
    """`canvas-tui export --format md` (at any heading level, also inside a README) back into its canvas."""
    from canvas_tui.export.markdown import NOT_APPLICABLE, NOT_FILLED

    match = META.match(lines[meta_line])
    assert match is not None
    template = template_by_id(path, match["template"], wanted)
    top = next((lines[i] for i in range(meta_line - 1, -1, -1) if lines[i].startswith("#")), "#")
    level = len(top) - len(top.lstrip("#"))
    canvas = Canvas(template)
    _markdown_fields(path, canvas, lines[meta_line + 1 : meta_line + 6])
    answered = _answered(match["answered"] or "")
    escaped = _pairs(match["escaped"] or "")
    edges = {key: value.partition(",") for key, value in _pairs(match["edges"] or "").items()}
    for field_id, value in _pairs(match["fields"] or "").items():
        _set_field(path, canvas, field_id, unquote(value))
    order = [spec for column in template.columns for spec in template.blocks_in(column.id)]
    marks = "#" * (level + 2)
    statuses = "|".join(status.value for status in Status)
    found: list[tuple[int, str, Status]] = []
    position = meta_line
    for spec in order:
        heading = re.compile(
            rf"^{marks} {re.escape(spec.title)} · \S+ (?P<status>{statuses})(?: · Q \d+/\d+)?$"
        )
        index = next((i for i in range(position, len(lines)) if heading.match(lines[i])), None)
        if index is None:
            raise SourceError(f"{path}: a canvas-tui Markdown export without the block {spec.title}")
        status_match = heading.match(lines[index])
        assert status_match is not None
        found.append((index, spec.id, Status(status_match["status"])))
        position = index + 1
    end = next((i for i in range(len(lines) - 1, position - 1, -1) if lines[i] == "---"), len(lines))
    column_marks = {f"{'#' * (level + 1)} {column.title}" for column in template.columns}
    for number, (index, block_id, status) in enumerate(found):
        stop = found[number + 1][0] if number + 1 < len(found) else end
        body_lines = lines[index + 2 : stop - 1]
        if body_lines and body_lines[-1] in column_marks and number + 1 < len(found):
            body_lines = body_lines[:-2]  # the next column's heading and its blank line
        body = "\n".join(body_lines)
        if body in (NOT_FILLED, NOT_APPLICABLE):
            text = ""
        else:
            text = unescape_block(body, escaped[block_id]) if block_id in escaped else body
        lead, _, trail = edges.get(block_id, edges.get("*", ("", "", "")) if text else ("", "", ""))
        text = unquote(lead) + text + unquote(trail)
        _set_block(canvas, block_id, text, status, answered.get(block_id, []))
    return _placed(Imported(canvas), "Markdown")


def _pairs(value: str) -> dict[str, str]:
    return {key: rest for key, _, rest in (item.partition(":") for item in value.split())}


def _answered(value: str) -> dict[str, list[int]]:
    marks: dict[str, list[int]] = {}
    for item in value.split():
        block_id, _, numbers = item.partition(":")
        marks[block_id] = [int(n) for n in numbers.split(",") if n.isdigit()]
    return marks


def _markdown_fields(path: Path, canvas: Canvas, lines: list[str]) -> None:
    rows = [line for line in lines if line.startswith("|")]
    if len(rows) < 3:
        return
    labels, values = table_cells(rows[0]), table_cells(rows[2])
    by_label = {spec.label: spec for spec in canvas.template.fields}
    for label, value in zip(labels, values, strict=False):
        spec = by_label.get(label)
        if spec is not None:
            _set_field(path, canvas, spec.id, "" if value == "—" else value)


def table_cells(row: str) -> list[str]:
    """A table row's cells, the export's escapes (`\\|`, `\\\\`, `\\<`) taken off."""
    cells: list[str] = []
    current: list[str] = []
    escaped = False
    for char in row.strip().removeprefix("|").removesuffix("|"):
        if escaped:
            current.append(char)
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "|":
            cells.append("".join(current).strip())
            current = []
        else:
            current.append(char)
    cells.append("".join(current).strip())
    return cells


_INSERTED = re.compile(r"\\(?=[#=\-<])")
_FENCED = re.compile(r"^(?P<fence>`{3,})text\n(?P<text>.*)\n(?P=fence)$", re.DOTALL)


def unescape_block(body: str, how: str) -> str:
    """The block text whose export is `body`, for a block the export had to escape, `how` as its
    hidden comment says: "c" shown as a code block, else the number of lines (closing code fences) it
    added; the backslashes it put in front of markers are taken off. The guess is checked by
    exporting it again; when that does not give `body`, `body` as it is."""
    from canvas_tui.export.markdown import safe_block_markdown

    fenced = _FENCED.match(body)
    if how == "c" and fenced is not None:
        candidate = fenced["text"]
    else:
        lines = body.split("\n")
        added = int(how) if how.isdigit() and int(how) < len(lines) else 0
        candidate = _INSERTED.sub("", "\n".join(lines[: len(lines) - added]))
    return candidate if safe_block_markdown(candidate) == body else body
