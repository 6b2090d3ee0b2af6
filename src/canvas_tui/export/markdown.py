"""The canvas as Markdown, ready to paste into a README.

Layout: the product name as `#` (the canvas's title when there is none), a hidden comment naming the
template and the marked questions (so an import gives back exactly this canvas), the header fields as
a table, a one-line progress summary, then each column as `##` and each block as `###` (title, status
glyph and word, and `Q 2/5` once a question is marked) with its text, in fill order, and the
template's attribution at the end. `heading_level` moves every heading down (2: `##` for the product),
for a section inside a README.

Block text is Markdown the user wrote and stays as written, except for what would break the
document's structure: a line that would become a heading (`# ...`, a setext `===`/`---` underline,
a heading inside a quote or list item, an HTML `<h1>`..`<h6>`) gets a backslash in front of its
marker, and a code fence or HTML comment left open is closed or escaped so it cannot swallow the
blocks after it. What counts as a heading is decided by a CommonMark parser (markdown-it-py, which
rich already depends on), so the escaping matches what renderers do rather than a guess.

Raw HTML in a block's text or a header field (`<script>`, `<img onerror=...>`, `<!-- -->`) is
escaped too: a canvas may come from someone else, and the page may be rendered by something that
does not sanitise HTML as GitHub does (a static-site generator, a wiki, an editor's preview). The
tag then shows as the text it is. Only what the parser reads as HTML gets a backslash before its
`<`; `a < b`, autolinks like `<https://example.com>` and tags inside code stay as written.
"""

from __future__ import annotations

import re
from urllib.parse import quote

from markdown_it import MarkdownIt
from markdown_it.token import Token

from canvas_tui.export.readme import MAX_HEADING_LEVEL
from canvas_tui.model import Canvas, FieldValue, Status
from canvas_tui.model.status import STATUS_ORDER

NOT_FILLED = "_Not filled in yet._"
NOT_APPLICABLE = "_Not applicable here._"

# CommonMark plus the GitHub table and strikethrough extensions: what README renderers parse.
_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_SENTINEL = "# canvas-tui-sentinel"
# An HTML heading tag not already escaped: `<h2>` is a heading on GitHub, even mid-line.
_HTML_HEADING = re.compile(r"(?<!\\)<(?=h[1-6](?:[\s/>]|$))", re.IGNORECASE)
# Where an inline HTML tag, comment, declaration or processing instruction could start.
_TAG_START = re.compile(r"<(?=[A-Za-z/!?])")


META = "canvas-tui"
"""The hidden comment's first word: `<!-- canvas-tui template="..." answered="..." -->`."""


def render_markdown(canvas: Canvas, heading_level: int = 1) -> str:
    """The whole canvas as one Markdown document (ends with a newline); its top heading at
    `heading_level` (1 to MAX_HEADING_LEVEL)."""
    if not 1 <= heading_level <= MAX_HEADING_LEVEL:
        raise ValueError(f"heading level must be 1 to {MAX_HEADING_LEVEL}")
    top, column_mark, block_mark = ("#" * (heading_level + step) for step in range(3))
    template = canvas.template
    progress = canvas.progress()
    product = " ".join(str(canvas.fields.get("product", "")).split())
    bodies = {block_id: _block_body(block.text, block.status) for block_id, block in canvas.blocks.items()}
    parts = [f"{top} {_inline(product) if product else template.title}", _meta(canvas, bodies)]
    parts.append(_fields_table(canvas))
    counts = " · ".join(f"{status.glyph} {progress.counts[status]} {status.value}" for status in STATUS_ORDER)
    answered, questions = canvas.question_coverage()
    coverage_line = f" · guiding questions answered: {answered}/{questions}" if answered else ""
    parts.append(f"**Progress:** {progress.summary} · {counts}{coverage_line}")
    for column in template.columns:
        parts.append(f"{column_mark} {column.title}")
        for spec in template.blocks_in(column.id):
            block = canvas.blocks[spec.id]
            marked = len(block.answered)
            coverage = f" · Q {marked}/{len(spec.questions)}" if spec.questions and marked else ""
            parts.append(f"{block_mark} {spec.title} · {block.status.label}{coverage}")
            parts.append(bodies[spec.id])
    parts.append("---")
    parts.append(f"_{template.attribution}_")
    return "\n\n".join(parts) + "\n"


def _meta(canvas: Canvas, bodies: dict[str, str]) -> str:
    """What the page does not show but an import needs to give back this very canvas: the template,
    which questions are marked, the blank lines around a block's text that the page leaves out, and
    a header field whose spacing the table cannot keep (percent-encoded), and the blocks whose text
    the page shows escaped (`bodies`: what it shows)."""
    answered = " ".join(
        f"{block_id}:{','.join(map(str, block.answered))}"
        for block_id, block in canvas.blocks.items()
        if block.answered
    )
    pairs = {block_id: text_edges(block.text) for block_id, block in canvas.blocks.items()}
    filled = [(lead, trail) for lead, core, trail in pairs.values() if core]
    usual = max(set(filled), key=filled.count) if filled else ("", "")
    edges = [f"*:{quote(usual[0], safe='')},{quote(usual[1], safe='')}"] if usual != ("", "") else []
    for block_id, (lead, core, trail) in pairs.items():
        if (lead, trail) != (usual if core else ("", "")):
            edges.append(f"{block_id}:{quote(lead, safe='')},{quote(trail, safe='')}")
    fields = [
        f"{field_id}:{quote(value, safe='')}"
        for field_id, value in canvas.fields.items()
        if isinstance(value, str) and (value != " ".join(value.split()) or value == "—")
    ]
    escaped = []
    for block_id, block in canvas.blocks.items():
        core = text_edges(block.text)[1]
        shown = bodies[block_id]
        if core and shown != core:
            # How: "c" shown as a code block, else how many lines (closing fences) were added.
            how = "c" if shown == _code_block(core) else str(shown.count("\n") - core.count("\n"))
            escaped.append(f"{block_id}:{how}")
    parts = [f'template="{canvas.template.id}"']
    parts += [
        f'{name}="{" ".join(items)}"'
        for name, items in (
            ("answered", [answered] if answered else []),
            ("edges", edges),
            ("fields", fields),
            ("escaped", escaped),
        )
        if items
    ]
    return f"<!-- {META} {' '.join(parts)} -->"


def text_edges(text: str) -> tuple[str, str, str]:
    """A block's text as (blank lines before, what the page shows, blank lines after)."""
    lines = text.split("\n")
    start, stop = 0, len(lines)
    while start < stop and not lines[start].strip():
        start += 1
    while stop > start and not lines[stop - 1].strip():
        stop -= 1
    if start == stop:
        return text, "", ""
    core = "\n".join(lines[start:stop])
    lead = "".join(line + "\n" for line in lines[:start])
    return lead, core, text[len(lead) + len(core) :]


def _inline(text: str) -> str:
    """One line of the user's text inside a heading: HTML and backslashes escaped."""
    return text.replace("\\", "\\\\").replace("<", "\\<")


def _fields_table(canvas: Canvas) -> str:
    specs = canvas.template.fields
    header = "| " + " | ".join(spec.label for spec in specs) + " |"
    rule = "|" + "|".join("---" for _ in specs) + "|"
    values = "| " + " | ".join(_table_cell(canvas.fields.get(spec.id, "")) for spec in specs) + " |"
    return "\n".join((header, rule, values))


def _table_cell(value: FieldValue) -> str:
    """A header field as one table cell: on one line, pipes escaped, an em dash when empty."""
    text = " ".join(str(value).split())
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("<", "\\<") if text else "—"


def _block_body(text: str, status: Status) -> str:
    _, core, _ = text_edges(text.replace("\r\n", "\n").replace("\r", "\n"))
    if not core:
        return NOT_APPLICABLE if status is Status.SKIP else NOT_FILLED
    return safe_block_markdown(core)


def safe_block_markdown(text: str) -> str:
    """`text` with the least escaping that keeps it from creating headings or swallowing what follows.

    Text without such lines comes back unchanged. Each pass parses the text (followed by a blank line
    and a heading, as in the document) and escapes what the parser says is a problem (raw HTML
    included); a text that still misbehaves after many passes is shown verbatim in a code block.
    """
    lines = text.split("\n")
    for _ in range(2 * len(lines) + 8):
        if not (_escape_pass(lines) or _escape_html(lines)):
            if _html_count(_parse(lines)):
                break  # HTML the escaping could not reach: the code block below shows it as text
            return "\n".join(lines)
    return _code_block(text)


def _escape_pass(lines: list[str]) -> bool:
    """Escape the problems one parse finds, in place; False when there were none."""
    count = len(lines)
    tokens = _PARSER.parse("\n".join(lines) + "\n\n" + _SENTINEL + "\n")
    changed = False
    for token in tokens:  # a flat list: headings inside quotes and list items are here too
        where = token.map
        if where is None or where[0] >= count:
            continue
        if token.type == "heading_open":
            if token.markup.startswith("#"):
                changed |= _escape_first(lines, where[0], "#")
            else:  # setext: the underline is the heading's last line
                changed |= _escape_first(lines, min(where[1], count) - 1, token.markup[:1])
        elif token.type in ("html_block", "inline") and _HTML_HEADING.search(token.content):
            for index in range(where[0], min(where[1], count)):
                escaped = _HTML_HEADING.sub(r"\\<", lines[index])
                if escaped != lines[index]:
                    lines[index] = escaped
                    changed = True
    if changed:
        return True
    # Nothing may run on into the next block: the sentinel must still be a top-level heading.
    last = tokens[-3] if len(tokens) >= 3 else None
    if last is not None and last.type == "heading_open" and last.map == [count + 1, count + 2]:
        return False
    for token in tokens:
        if token.map is None or token.level != 0 or token.map[1] <= count:
            continue
        if token.type == "fence":
            lines.append(token.markup)
            return True
        if token.type == "html_block":
            return _escape_first(lines, token.map[0], "<")
    return False


def _parse(lines: list[str]) -> list[Token]:
    return _PARSER.parse("\n".join(lines) + "\n\n" + _SENTINEL + "\n")


def _html_count(tokens: list[Token]) -> int:
    """How many pieces of raw HTML (blocks and inline tags) a renderer would pass through."""
    count = 0
    for token in tokens:
        if token.type == "html_block":
            count += 1
        elif token.type == "inline":
            count += sum(child.type == "html_inline" for child in token.children or [])
    return count


def _escape_html(lines: list[str]) -> bool:
    """Escape the raw HTML one parse finds, in place; False when there was none.

    An HTML block gets a backslash before its opening `<` (it becomes a paragraph; a tag left in
    that is inline HTML for the next pass). An inline tag has no column in the parser's tokens, so
    each `<` that could open a tag on the lines of a paragraph holding HTML is escaped on trial and
    kept only if the parser then finds less HTML: a `<b>` in a code span on the same line stays.
    """
    tokens = _parse(lines)
    found = _html_count(tokens)
    if not found:
        return False
    count = len(lines)
    changed = False
    for token in tokens:
        if token.type == "html_block" and token.map is not None and token.map[0] < count:
            changed |= _escape_first(lines, token.map[0], "<")
    if changed:
        return True
    for token in tokens:
        if token.type != "inline" or token.map is None or token.map[0] >= count:
            continue
        if not any(child.type == "html_inline" for child in token.children or []):
            continue
        for index in range(token.map[0], min(token.map[1], count)):
            for match in reversed(list(_TAG_START.finditer(lines[index]))):
                line = lines[index]
                lines[index] = line[: match.start()] + "\\" + line[match.start() :]
                now = _html_count(_parse(lines))
                if now < found:
                    found, changed = now, True
                else:
                    lines[index] = line
    return changed


def _escape_first(lines: list[str], index: int, marker: str) -> bool:
    """Put a backslash before the first unescaped `marker` on line `index`."""
    line = lines[index]
    position = 0
    while True:
        position = line.find(marker, position)
        if position < 0:
            return False
        if position == 0 or line[position - 1] != "\\":
            lines[index] = line[:position] + "\\" + line[position:]
            return True
        position += 1


def _code_block(text: str) -> str:
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}text\n{text}\n{fence}"
