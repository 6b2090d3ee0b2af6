"""The canvas as one self-contained HTML page, laid out like the official canvas and printable on one page.

No scripts, no external resources: the CSS is inline and everything the user wrote is escaped with
`html.escape`, so a block that says `<script>` shows those characters and runs nothing. On screen the
cells grow with their text; printed, the page is one A4 landscape sheet whose geometry comes from
`model.fit.PrintLayout`, its text at one size (`model.fit.page_level`), smaller only in a block that
needs it, and a block that does not fit even at the smallest size carries a visible mark.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from canvas_tui.model import Canvas, Status
from canvas_tui.model.fit import DEFAULT_LAYOUT, Fit, PrintLayout, page_estimates
from canvas_tui.model.status import STATUS_ORDER

FIT_MARK = "⚠ Too long for its printed cell: the printout cuts it off"


def too_long_warning(titles: Iterable[str]) -> str:
    """The one line `canvas-tui export` prints for blocks the printed page cuts off."""
    listed = list(titles)
    blocks = "1 block is" if len(listed) == 1 else f"{len(listed)} blocks are"
    return f"{blocks} too long for the printed page and cut off there (marked on it): {', '.join(listed)}"


def too_long_to_print(canvas: Canvas, layout: PrintLayout = DEFAULT_LAYOUT) -> list[str]:
    """The titles of the blocks the HTML page marks as cut off, in the template's order."""
    fits = page_estimates(canvas.template, {b: block.text for b, block in canvas.blocks.items()}, layout)
    return [spec.title for spec in canvas.template.blocks if not fits[spec.id].fits]


NOT_FILLED = "Not filled in yet."
NOT_APPLICABLE = "Not applicable here."

BORDER = "#990000"  # the official canvas's dark red


def render_html(canvas: Canvas, layout: PrintLayout = DEFAULT_LAYOUT) -> str:
    """The whole canvas as an HTML document (ends with a newline)."""
    template = canvas.template
    progress = canvas.progress()
    product = str(canvas.fields.get("product", "")).strip()
    title = f"{product} · {template.title}" if product else template.title
    fields = "\n".join(
        f'      <div class="field"><span class="label">{escape(spec.label)}:</span>'
        f'<span class="value">{escape(str(canvas.fields.get(spec.id, "")))}</span></div>'
        for spec in template.fields
    )
    counts = " · ".join(
        f'<span class="count">{status.glyph} {progress.counts[status]} {status.value}</span>'
        for status in STATUS_ORDER
    )
    titles = "\n".join(
        f'      <h2 class="column-title" style="grid-column: {index}">{escape(column.title)}</h2>'
        for index, column in enumerate(template.columns, start=1)
    )
    texts = {block_id: block.text for block_id, block in canvas.blocks.items()}
    fits = page_estimates(template, texts, layout)
    cells = "\n".join(_cell(canvas, block_id, fits[block_id]) for block_id in template.block_ids)
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="generator" content="canvas-tui">
<meta name="canvas-tui-template" content="{escape(template.id)}">
<title>{escape(title)}</title>
<style>
{stylesheet(len(template.columns), template.rows, layout)}
</style>
</head>
<body>
<main class="page">
  <header class="top">
    <div class="heading">
      <h1>{escape(template.title)}</h1>
      <p class="progress"><strong>{escape(progress.summary)}</strong> · {counts}</p>
    </div>
    <div class="fields">
{fields}
    </div>
  </header>
  <section class="canvas" aria-label="{escape(template.title)}">
    <div class="column-titles">
{titles}
    </div>
    <div class="grid">
{cells}
    </div>
  </section>
  <footer class="attribution">{escape(template.attribution)}</footer>
</main>
</body>
</html>
"""


def _cell(canvas: Canvas, block_id: str, fit: Fit) -> str:
    template = canvas.template
    spec = template.block(block_id)
    block = canvas.blocks[block_id]
    column = template.column_index(spec.column) + 1
    classes = f"cell status-{block.status.value} fs-{fit.level}" + ("" if fit.fits else " overflows")
    answered = f' data-answered="{" ".join(map(str, block.answered))}"' if block.answered else ""
    parts = [
        f'      <article class="{classes}" id="block-{escape(spec.id)}"'
        f' data-block="{escape(spec.id)}"{answered}'
        f' style="grid-column: {column}; grid-row: {spec.row} / span {spec.row_span}">',
        '        <div class="cell-head">'
        f"<h3>{escape(spec.title)}</h3>"
        f'<span class="badge status-{block.status.value}">{escape(block.status.label)}</span></div>',
    ]
    if not fit.fits:
        parts.append(f'        <p class="fit-mark">{escape(FIT_MARK)}</p>')
    if block.text.strip():
        parts.append(f'        <div class="text">{escape(block.text)}</div>')
    else:
        empty = NOT_APPLICABLE if block.status is Status.SKIP else NOT_FILLED
        parts.append(f'        <p class="empty">{empty}</p>')
        parts.append(f'        <p class="guidance">{escape(spec.guidance)}</p>')
    parts.append("      </article>")
    return "\n".join(parts)


def stylesheet(columns: int, rows: int, layout: PrintLayout = DEFAULT_LAYOUT) -> str:
    """The page's CSS. The print part is generated from `layout`, the geometry fit.py estimates with."""
    frame = layout.frame_mm
    sizes = "\n".join(
        f"  .cell.fs-{level} :is(.text, .empty, .guidance) {{ font-size: {size:g}pt; }}"
        for level, size in enumerate(layout.font_sizes_pt)
    )
    return f"""*, *::before, *::after {{ box-sizing: border-box; }}
html {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }}
body {{
  margin: 0; padding: 16px; background: #d9d9d9; color: #111;
  font-family: Arial, Helvetica, "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 15px;
}}
.page {{
  max-width: 1800px; margin: 0 auto; padding: 16px 20px; background: #fff;
  display: flex; flex-direction: column; gap: 10px;
}}
.top {{
  display: flex; flex-wrap: wrap; align-items: flex-end; justify-content: space-between; gap: 8px 24px;
}}
h1 {{ margin: 0; font-size: 1.6rem; }}
.progress {{ margin: 4px 0 0; font-size: 0.9rem; }}
.fields {{ display: flex; flex-wrap: wrap; gap: 12px; }}
.field {{ display: flex; flex-direction: column; min-width: 7rem; max-width: 22rem; }}
.field .label {{ font-weight: bold; font-size: 0.8rem; }}
.field .value {{
  border: 2px solid {BORDER}; min-height: 1.9rem; padding: 3px 6px; overflow-wrap: anywhere;
  white-space: pre-wrap;
}}
.canvas {{ border: 2px solid {BORDER}; }}
.column-titles, .grid {{ display: grid; grid-template-columns: repeat({columns}, minmax(0, 1fr)); }}
.column-titles {{ border-bottom: 2px solid {BORDER}; column-gap: 2px; }}
.column-title {{ margin: 0; padding: 2px 4px; text-align: center; font-size: 1.5rem; }}
.grid {{
  grid-template-rows: repeat({rows}, minmax(5.5rem, auto)); gap: 2px; background: {BORDER};
}}
.cell {{ background: #fff; padding: 6px 8px; min-width: 0; display: flex; flex-direction: column; }}
.cell-head {{ display: flex; align-items: flex-start; justify-content: space-between; gap: 6px; }}
.cell-head h3 {{ margin: 0 0 4px; font-size: 1rem; line-height: 1.25; }}
.badge, .count {{ white-space: nowrap; }}
.badge {{
  font-size: 0.75rem; line-height: 1.2; padding: 1px 5px; border: 1px solid; border-radius: 3px;
  flex: none;
}}
.status-todo.badge {{ color: #4a4a4a; background: #efefef; }}
.status-draft.badge {{ color: #7a4b00; background: #fff1cc; }}
.status-done.badge {{ color: #1b5e20; background: #e1f2e1; }}
.status-skip.badge {{ color: #1f4e8c; background: #e3ecf8; }}
.text {{
  white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.85rem; line-height: {layout.line_height:g};
}}
.empty, .guidance {{ margin: 0 0 4px; font-size: 0.85rem; font-style: italic; color: #666; }}
.empty {{ font-weight: bold; }}
.fit-mark {{
  margin: 0 0 4px; padding: 1px 4px; font-size: 0.75rem; font-weight: bold;
  color: {BORDER}; background: #fde7e7; border-left: 3px solid {BORDER};
}}
.overflows {{ outline: 2px dashed {BORDER}; outline-offset: -4px; }}
.attribution {{ font-size: 0.75rem; color: #444; }}

@page {{ size: A4 landscape; margin: {layout.margin_mm:g}mm; }}
@media print {{
  body {{ padding: 0; background: #fff; font-size: 7pt; }}
  .page {{
    width: {layout.content_width_mm:g}mm; height: {layout.content_height_mm:g}mm; max-width: none;
    margin: 0; padding: 0; gap: 0; overflow: hidden; break-inside: avoid;
  }}
  .top {{ height: {layout.header_mm:g}mm; flex: none; flex-wrap: nowrap; overflow: hidden; gap: 4mm; }}
  .heading {{ min-width: 0; }}
  h1 {{ font-size: 14pt; white-space: nowrap; }}
  .progress {{ margin: 0.8mm 0 1.2mm; font-size: 7pt; white-space: nowrap; }}
  .fields {{ flex-wrap: nowrap; gap: 3mm; margin-bottom: 1.2mm; }}
  .field {{ min-width: 22mm; max-width: 45mm; }}
  .field .label {{ font-size: 7pt; }}
  .field .value {{
    border-width: {frame:g}mm; min-height: 0; height: 6mm; padding: 0.8mm 1.2mm; font-size: 8pt;
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  }}
  .canvas {{
    flex: none; border-width: {frame:g}mm;
    height: {layout.column_titles_mm + layout.grid_height_mm:g}mm;
    display: flex; flex-direction: column;
  }}
  .column-titles {{
    flex: none; height: {layout.column_titles_mm - frame:g}mm; border-bottom-width: {frame:g}mm;
    column-gap: {frame:g}mm; align-items: center;
  }}
  .column-title {{ font-size: 13pt; padding: 0; line-height: 1; }}
  .grid {{
    flex: 1 1 auto; min-height: 0; grid-template-rows: repeat({rows}, minmax(0, 1fr)); gap: {frame:g}mm;
  }}
  .cell {{ padding: {layout.padding_mm:g}mm; overflow: hidden; }}
  .cell-head {{ gap: 1mm; }}
  .cell-head h3 {{ font-size: {layout.title_pt:g}pt; margin: 0 0 {layout.heading_gap_mm:g}mm; }}
  .badge {{ font-size: 5.5pt; padding: 0 0.6mm; border-width: 0.2mm; max-width: {layout.badge_mm:g}mm; }}
  .text {{ flex: 1 1 auto; min-height: 0; overflow: hidden; }}
{sizes}
  .fit-mark {{ font-size: 6pt; margin-bottom: 0.6mm; padding: 0.3mm 1mm; border-left-width: 0.8mm; }}
  .overflows {{ outline-width: 0.4mm; outline-offset: -0.8mm; }}
  .attribution {{
    flex: none; height: {layout.footer_mm:g}mm; padding-top: 1.5mm; font-size: 6.5pt;
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis;
  }}
}}"""
