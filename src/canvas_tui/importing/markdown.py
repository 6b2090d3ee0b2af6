"""A canvas written as Markdown, one section per block, into a canvas.

What counts as a section: a heading of any level, or (in a document whose headings name no block)
a bold label on a line of its own (`**Data Sources**`). A section's title names a block by the
block's title, its short title, its id or one of the template's synonyms, after numbering,
emphasis, case, accents and plurals are set aside; `Propostas de Valor (Value Propositions)`
names the block in the parentheses. Two sections that name one block ("Metrics", "Evaluation")
are merged into it, each under its own bold title.

The text under a section is kept as written, line for line (lists, tables, code, links), up to the
next section; a deeper heading that names no block stays in the text (a sub-heading of the
block), so does a label inside a block (`Inference:`, `**Note**`). Lines that repeat the template's
own guidance or guiding questions are taken out and reported. A section that names no block is
kept in the result's `unplaced` (the file's `[imported]` table) and named in the report. A README
whose canvas is one part of it: only the part between canvas-tui's markers, or else under a
heading that says "canvas" (when blocks are named there), is read.

Header fields come from bold lines before the first block (`**Product**: Churn`, `**Projeto**:`).

The document is parsed by a CommonMark parser (markdown-it-py), so what is a heading is what
renderers say. Sources come from strangers: the bytes, the lines and the headings are counted and
refused above bounds that keep the parse within seconds, before the parser sees them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from markdown_it import MarkdownIt

from canvas_tui.importing.names import block_for, block_names, field_names, words
from canvas_tui.importing.result import Imported, SourceError
from canvas_tui.model import Canvas, Status
from canvas_tui.model.template import Template

MAX_LINES = 20_000
"""Non-blank lines a Markdown canvas may have: a canvas has a few hundred; above this, refused."""
MAX_HEADINGS = 2_000
"""Heading lines a Markdown canvas may have (it needs a few dozen); parsing a million would take
minutes, so they are counted first."""

BEGIN_MARKER = "<!-- canvas-tui:begin -->"
END_MARKER = "<!-- canvas-tui:end -->"

_PARSER = MarkdownIt("commonmark", {"maxNesting": 20}).enable(["table", "strikethrough"])
_HEADING_LINE = re.compile(r"^ {0,3}(?:#{1,6}(?:[ \t]|$)|(?:=+|-+)[ \t]*$)", re.MULTILINE)
_LABEL = re.compile(r"^\s*(?:\*\*|__)(?P<title>[^*_\n]+?)(?:\*\*|__)\s*:?\s*$")
_EXPORTED_HEADING = re.compile(r"^(?P<title>.+?) · \S (?P<status>todo|draft|done|skip)(?: · Q \d+/\d+)?$")
"""A block's heading in canvas-tui's Markdown export (one written before the export carried its
hidden comment is read here, by the Markdown importer)."""
_FIELD = re.compile(
    r"^\s*(?:[-*+]\s+)?(?:\*\*|__)(?P<label>[^*_\n]+?)\s*:?\s*(?:\*\*|__)\s*:?\s*(?P<value>\S.*?)\s*$"
)


@dataclass(slots=True)
class Section:
    title: str
    line: int
    """0-based line of the heading or label."""
    level: int
    """1-6 for a heading, 7 for a bold label."""
    body_start: int
    end: int = -1
    block: str | None = None
    kind: str = "heading"
    lead: str = ""
    """Text after an inline label (`**Decisions:** text`): the first line of the section's text."""
    status: Status | None = None
    """The status a heading of our Markdown export carries (`### Background · ● done · Q 1/5`)."""

    def where(self, offset: int) -> str:
        return f'{self.kind} "{self.title}" (line {self.line + 1 + offset})'


@dataclass(slots=True)
class Outline:
    """A document's sections, found once: the template is chosen from their titles."""

    lines: list[str]
    headings: list[Section]
    labels: list[Section]
    path: Path
    offset: int = 0
    """Lines before `lines` in the file (the part before canvas-tui's begin marker)."""


def check_bounds(path: Path, text: str) -> None:
    """Refuse, before parsing, a document no canvas needs: one line naming the file."""
    headings = (
        sum(1 for _ in _HEADING_LINE.finditer(text)) if "#" in text or "=" in text or "-" in text else 0
    )
    if headings > MAX_HEADINGS:
        raise SourceError(
            f"{path}: has {headings:,} headings; a Markdown canvas has a few dozen (at most "
            f"{MAX_HEADINGS:,} are read): refused"
        )
    lines = sum(1 for line in text.split("\n") if line.strip())
    if lines > MAX_LINES:
        raise SourceError(
            f"{path}: has {lines:,} lines of text; a Markdown canvas has a few hundred (at most "
            f"{MAX_LINES:,} are read): refused"
        )


def outline(path: Path, text: str) -> Outline:
    """The headings and bold labels of `text` (within canvas-tui's markers when it has them)."""
    check_bounds(path, text)
    lines = text.split("\n")
    offset = 0
    if BEGIN_MARKER in text:
        begin = next((i for i, line in enumerate(lines) if line.strip() == BEGIN_MARKER), None)
        if begin is not None:
            end = next(
                (i for i in range(begin + 1, len(lines)) if lines[i].strip() == END_MARKER), len(lines)
            )
            lines, offset = lines[begin + 1 : end], begin + 1
    try:
        tokens = _PARSER.parse("\n".join(lines))
    except RecursionError:
        raise SourceError(f"{path}: nested too deeply to read as Markdown") from None
    headings: list[Section] = []
    labels: list[Section] = []
    for index, token in enumerate(tokens):
        if token.level != 0 or token.map is None:
            continue
        if token.type == "heading_open":
            inline = tokens[index + 1]
            # The words a reader sees: a link's or an emphasis's text, not its markup.
            shown = [
                child.content for child in inline.children or [] if child.type in ("text", "code_inline")
            ]
            title = " ".join("".join(shown).split()) or " ".join(inline.content.split())
            level = int(token.tag[1])
            exported = _EXPORTED_HEADING.match(title)
            status = Status(exported["status"]) if exported else None
            title = exported["title"] if exported else title
            headings.append(Section(title, token.map[0], level, token.map[1], status=status))
        elif token.type == "paragraph_open":
            start, stop = token.map
            for number in range(start, stop):
                match = _LABEL.match(lines[number])
                with_text = _FIELD.match(lines[number])
                if match and not with_text:
                    labels.append(Section(match["title"].strip(), number, 7, number + 1, kind="label"))
                elif with_text:
                    title, lead = with_text["label"].strip(), with_text["value"]
                    labels.append(Section(title, number, 7, number + 1, kind="label", lead=lead))
    return Outline(lines, headings, labels, path, offset)


def titles(found: Outline) -> list[str]:
    return [section.title for section in (*found.headings, *found.labels)]


def import_markdown(found: Outline, template: Template) -> Imported:
    """The canvas `found` describes, in `template`."""
    names = block_names(template)
    for section in (*found.headings, *found.labels):
        section.block = block_for(section.title, names)
    lines = found.lines
    headings = _canvas_part(found.headings, len(lines))
    if any(section.block for section in headings):
        sections = _sections(headings, lines)
    else:
        labels = [label for label in found.labels if not _is_field(label, template)]
        sections = _label_sections(labels, found.headings, len(lines))
    if not any(section.block for section in sections):
        raise SourceError(
            f"{found.path}: no heading or bold label names a block of the {template.title}; "
            "nothing to import (`canvas-tui templates` lists the canvases, --template chooses one)"
        )
    canvas = Canvas(template)
    result = Imported(canvas)
    first = min((s.line for s in sections if s.block), default=len(lines))
    _read_fields(lines[:first], template, result, found.offset)
    exported = any(section.status for section in sections)
    if exported:
        _read_table_fields(lines[:first], template, result, found.offset)
    texts: dict[str, list[tuple[Section, str]]] = {}
    for section in sections:
        body = _body(lines, section)
        where = section.where(found.offset)
        if section.kind == "group":
            continue
        if exported:
            body = _export_body(body, template)
            if section.block is None and (section.line < first or not body.strip()):
                continue  # our export's title, header table, progress line and column headings
        if section.block is None:
            if not body.strip():
                result.left_out.append(f"{where}: names no block; nothing under it")
                continue
            if all(_FIELD.match(line) for line in body.split("\n") if line.strip()):
                result.left_out.append(f"{where}: names no block; only header fields under it")
                continue
            key = _unique(section.title, result.unplaced)
            result.unplaced[key] = body
            result.left_out.append(
                f'{where}: names no block; kept in the file\'s [imported] table as "{key}"'
            )
            continue
        body, removed = _without_prompts(body, template, section.block)
        if removed:
            result.left_out.append(f"{where}: {removed} line(s) of the template's own guidance taken out")
        texts.setdefault(section.block, []).append((section, body))
    placed: list[tuple[int, str]] = []
    for block_id, parts in texts.items():
        title = template.block(block_id).title
        filled = [(section, body) for section, body in parts if body.strip()]
        for section, body in parts:
            state = "" if body.strip() else " (empty)"
            placed.append((section.line, f"{section.where(found.offset)} -> block {title}{state}"))
        if len(filled) > 1:
            text = "\n\n".join(f"**{section.title}**\n\n{body}" for section, body in filled)
        else:
            text = filled[0][1] if filled else ""
        canvas.set_text(block_id, text)
        statuses = {section.status for section, _ in parts}
        if len(parts) == 1 and None not in statuses:
            canvas.set_status(block_id, parts[0][0].status or Status.derived(text))
    result.placed += [line for _, line in sorted(placed)]  # in the order of the file
    missing = [spec.title for spec in template.blocks if spec.id not in texts]
    if missing:
        result.left_out.append(f"no section for: {', '.join(missing)} (left empty, to do)")
    return result


def _canvas_part(headings: list[Section], count: int) -> list[Section]:
    """The headings of the canvas: under a heading that says "canvas" (and names no block) when
    blocks are named there, else all of them. Each heading's `end` is set (next heading at its
    level or above)."""
    for index, section in enumerate(headings):
        section.end = next((h.line for h in headings[index + 1 :] if h.level <= section.level), count)
    best: tuple[int, int] | None = None
    for index, section in enumerate(headings):
        if section.block is None and "canva" in words(section.title):
            inner = [h for h in headings[index + 1 :] if h.line < section.end]
            named = len({h.block for h in inner if h.block})
            if named and (best is None or named > best[0]):
                best = (named, index)
    if best is None:
        return headings
    container = headings[best[1]]
    inner = [h for h in headings if container.line < h.line < container.end]
    for section in inner:
        section.end = min(section.end, container.end)
    return inner


def _sections(headings: list[Section], lines: list[str]) -> list[Section]:
    """Headings that start a section: those that name a block, and those that name none and are
    not a sub-heading inside a block's text. A heading naming a block with nothing under it before
    a deeper heading that names a block is a group ("## Data" above "### Data Sources"), not a block."""
    limit = headings[-1].end if headings else len(lines)
    starts: list[Section] = []
    current: Section | None = None
    for index, section in enumerate(headings):
        following = headings[index + 1] if index + 1 < len(headings) else None
        if section.block is not None:
            if (
                following is not None
                and following.level > section.level
                and following.block is not None
                and not any(line.strip() for line in lines[section.body_start : following.line])
            ):
                current = None
                section.block, section.kind = None, "group"  # no text of its own: it ends what came before
                starts.append(section)
                continue
            current = section
            starts.append(section)
            continue
        if current is not None and section.level > current.level:
            continue  # a sub-heading of the block's text
        current = None
        starts.append(section)
    for index, section in enumerate(starts):
        section.end = starts[index + 1].line if index + 1 < len(starts) else limit
    return starts


def _label_sections(labels: list[Section], headings: list[Section], count: int) -> list[Section]:
    """Bold labels that name a block, as sections, for a document whose headings name none; a
    heading ends the section before it. A bold line that names no block stays in the text."""
    starts = [label for label in labels if label.block is not None]
    boundaries = sorted({h.line for h in headings} | {s.line for s in starts} | {count})
    for section in starts:
        section.end = next(line for line in boundaries if line > section.line)
    return starts


def _is_field(label: Section, template: Template) -> bool:
    """An inline label that is a header field with a value it can hold (`**Data**: 2024-03-10` is a
    date in Portuguese, `**Data**: billing logs` the Data block)."""
    field_id = field_names(template).get(words(label.title))
    if not label.lead or field_id is None:
        return False
    try:
        next(spec for spec in template.fields if spec.id == field_id).parse(label.lead)
    except ValueError:
        return False
    return True


def _body(lines: list[str], section: Section) -> str:
    body = ([section.lead] if section.lead else []) + lines[section.body_start : section.end]
    while body and not body[0].strip():
        body.pop(0)
    while body and not body[-1].strip():
        body.pop()
    return "\n".join(body)


_PROMPT_NOISE = re.compile(r"^\s*(?:[-*+>]\s+|\d+[.)]\s+)*")


def _without_prompts(body: str, template: Template, block_id: str) -> tuple[str, int]:
    """The body without lines that only repeat the template's guidance or one of its questions."""
    spec = template.block(block_id)
    prompts = {words(text) for text in (spec.guidance, *spec.questions)}
    prompts |= {words(sentence) for sentence in re.split(r"(?<=[.?!])\s+", spec.guidance)}
    prompts.discard("")
    kept, removed = [], 0
    for line in body.split("\n"):
        plain = words(_PROMPT_NOISE.sub("", line))
        if plain and plain in prompts:
            removed += 1
            continue
        kept.append(line)
    if not removed:
        return body, 0
    while kept and not kept[0].strip():
        kept.pop(0)
    return "\n".join(kept).strip("\n"), removed


def _read_fields(lines: list[str], template: Template, result: Imported, offset: int) -> None:
    names = field_names(template)
    specs = {spec.id: spec for spec in template.fields}
    for number, line in enumerate(lines):
        match = _FIELD.match(line)
        if not match:
            continue
        field_id = names.get(words(match["label"]))
        where = f'line {number + 1 + offset} "{match["label"].strip()}"'
        if field_id is None:
            continue
        value = match["value"].strip()
        try:
            parsed = specs[field_id].parse(value)
        except ValueError as error:
            result.left_out.append(f"{where}: {error} Left out.")
            continue
        result.canvas.set_field(field_id, parsed)
        result.placed.append(f"{where} -> {specs[field_id].label}")


def _export_body(body: str, template: Template) -> str:
    """A block's text in our Markdown export: the placeholder of an empty block is no text, and the
    page's closing rule and attribution are not the last block's."""
    if body in ("_Not filled in yet._", "_Not applicable here._"):
        return ""
    ending = f"---\n\n_{template.attribution}_"
    if body == ending:
        return ""
    return body.removesuffix("\n\n" + ending)


def _read_table_fields(lines: list[str], template: Template, result: Imported, offset: int) -> None:
    """The header fields from our export's table: labels in the first row, values in the third."""
    rows = [(number, line) for number, line in enumerate(lines) if line.startswith("|")]
    if len(rows) < 3:
        return
    from canvas_tui.importing.own_exports import table_cells

    specs = {spec.label: spec for spec in template.fields}
    number = rows[2][0]
    for label, value in zip(table_cells(rows[0][1]), table_cells(rows[2][1]), strict=False):
        spec = specs.get(label)
        if spec is None or value in ("", "—"):
            continue
        try:
            result.canvas.set_field(spec.id, spec.parse(value))
        except ValueError as error:
            result.left_out.append(f'line {number + 1 + offset} "{label}": {error} Left out.')
            continue
        result.placed.append(f'line {number + 1 + offset} "{label}" -> {spec.label}')


def _unique(title: str, taken: dict[str, str]) -> str:
    key, number = title or "untitled", 2
    while key in taken:
        key, number = f"{title} ({number})", number + 1
    return key
