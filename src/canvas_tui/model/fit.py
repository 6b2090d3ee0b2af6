"""Will a block's text fit its cell on the printed page? An estimate, shared by the HTML export and the TUI.

The printed canvas is one A4 landscape page laid out on a fixed grid (the numbers below are also
what the HTML export's print CSS is generated from, so the estimate and the page agree). For each
block the estimate wraps the text greedily into lines of the cell's width, using a conservative
average character width, and compares the line count with the lines the cell has room for.

Long texts are printed smaller before they are given up on, but the page reads as one: its text has
one size, the largest of `PrintLayout.font_sizes_pt` at which every block fits (`page_level`), and
only a block that does not fit at that size gets a smaller one. One very long block does not shrink
the whole page below `PrintLayout.page_min_pt`: below it, only that block is smaller. A block that
does not fit even at the smallest size "will not fit its printed cell": the exports mark it and
`canvas-tui export` names it, and the TUI can show the same mark.

Pure functions, no Textual, and cheap enough for every repaint: wrapping stops as soon as the text
has run out of room, so a 100,000-character block costs no more than one that just overflows.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from canvas_tui.model.template import BlockSpec, Template

MM_PER_PT = 25.4 / 72


@dataclass(frozen=True, slots=True)
class PrintLayout:
    """The printed page, in millimetres and points. The HTML print CSS is generated from these."""

    page_width_mm: float = 297.0  # A4 landscape
    page_height_mm: float = 210.0
    margin_mm: float = 7.0
    header_mm: float = 14.0  # canvas title, header fields and progress line
    column_titles_mm: float = 7.0
    footer_mm: float = 6.0  # attribution
    frame_mm: float = 0.6  # the dark red lines: outer frame and between cells
    padding_mm: float = 1.2  # inside a cell, each side
    title_pt: float = 8.0  # block title
    badge_mm: float = 12.0  # the status badge beside the title
    heading_gap_mm: float = 0.8  # between the title line and the text
    font_sizes_pt: tuple[float, ...] = (7.0, 6.5, 6.0, 5.5, 5.0)  # block text, largest first
    page_min_pt: float = 6.0  # the page's one text size is never made smaller for one long block
    line_height: float = 1.25  # times the font size
    # Average advance of a character in prose: Arial (and Liberation Sans) measure 0.44 em, DejaVu Sans,
    # the widest common fallback, 0.51 em. A little above the widest, so a "fits" is never a surprise.
    char_width_em: float = 0.52
    title_char_width_em: float = 0.6  # the same for the bold title (DejaVu Sans Bold: 0.57 em)

    @property
    def content_width_mm(self) -> float:
        return self.page_width_mm - 2 * self.margin_mm

    @property
    def content_height_mm(self) -> float:
        # A hair under the page: Chromium starts a second, empty page when content meets the edge.
        return self.page_height_mm - 2 * self.margin_mm - 1.0

    @property
    def grid_height_mm(self) -> float:
        """The height of the block grid: what is left after header, column titles and footer."""
        return self.content_height_mm - self.header_mm - self.column_titles_mm - self.footer_mm

    def column_width_mm(self, columns: int) -> float:
        inner = self.content_width_mm - 2 * self.frame_mm
        return (inner - (columns - 1) * self.frame_mm) / columns

    def row_height_mm(self, rows: int) -> float:
        inner = self.grid_height_mm - self.frame_mm  # the frame below the last row
        return (inner - (rows - 1) * self.frame_mm) / rows

    def cell_size_mm(self, template: Template, spec: BlockSpec) -> tuple[float, float]:
        """Width and height of a block's cell inside its lines, spans included."""
        width = self.column_width_mm(len(template.columns))
        height = spec.row_span * self.row_height_mm(template.rows) + (spec.row_span - 1) * self.frame_mm
        return width, height


DEFAULT_LAYOUT = PrintLayout()


@dataclass(frozen=True, slots=True)
class Fit:
    """The estimate for one block."""

    fits: bool
    level: int  # index into PrintLayout.font_sizes_pt: the size the block is printed at
    font_pt: float
    lines_needed: int  # at that size; capped a little above lines_available when it does not fit
    lines_available: int

    @property
    def shortfall(self) -> float:
        """How many times too long the text is (1.0 or less: it fits)."""
        return self.lines_needed / self.lines_available if self.lines_available else math.inf


def char_cells(char: str) -> int:
    """Width of a character in average-character units: wide (CJK, emoji) count two, marks none."""
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def wrapped_lines(text: str, width: int, limit: int) -> int:
    """How many lines `text` takes when wrapped greedily at word boundaries into `width` characters.

    Every newline starts a new line (blank lines count) and runs of spaces take their room, as the
    exports keep the user's line breaks and spacing. Counting stops once it passes `limit`, and
    then the answer is `limit + 1`: only the start of a long text is ever looked at.
    """
    width = max(width, 1)
    lines = 1
    used = 0  # cells taken on the current line
    for match in _TOKENS.finditer(text):
        token = match.group()
        if token == "\n":
            lines += 1
            used = 0
        elif token[0] == " ":
            used += len(token)  # spaces at the end of a line hang there; elsewhere they take room
        else:
            size = len(token) if token.isascii() else sum(char_cells(c) for c in token)
            if used and used + size > width:
                lines += 1
                used = 0
            if size > width:  # a word longer than the line breaks anywhere
                extra = (size - 1) // width
                lines += extra
                size -= extra * width
            used += size
        if lines > limit:
            return limit + 1
    return lines


# Words are taken at most 1,024 characters at a time, so a text that is one giant "word" costs no
# more than its first few lines; a chunk boundary may count a line more, which errs on the safe side.
_TOKENS = re.compile(r"\n| {1,1024}|[^ \n]{1,1024}")


def page_level(first_fits: Iterable[int | None], layout: PrintLayout = DEFAULT_LAYOUT) -> int:
    """The page's text size, as an index into `layout.font_sizes_pt`, from the level each block first
    fits at (None: at no size). The largest size every block fits at, but not below `page_min_pt`
    for the sake of a few long blocks: those alone are printed smaller."""
    floor = max(
        (level for level, size in enumerate(layout.font_sizes_pt) if size >= layout.page_min_pt), default=0
    )
    return min(max((level for level in first_fits if level is not None), default=0), floor)


def estimate(
    template: Template,
    spec: BlockSpec,
    text: str,
    layout: PrintLayout = DEFAULT_LAYOUT,
    *,
    start_level: int = 0,
) -> Fit:
    """Whether `text` fits the printed cell of block `spec`, and at which font size: the largest
    from `layout.font_sizes_pt[start_level]` down (the page's size, see `page_level`)."""
    cell_width_mm, cell_height_mm = layout.cell_size_mm(template, spec)
    width_mm = cell_width_mm - 2 * layout.padding_mm
    height_mm = cell_height_mm - 2 * layout.padding_mm
    title_mm = layout.title_pt * MM_PER_PT
    title_width = int((width_mm - layout.badge_mm) / (title_mm * layout.title_char_width_em))
    title_lines = wrapped_lines(spec.title, title_width, 3)
    height_mm -= title_lines * title_mm * layout.line_height + layout.heading_gap_mm
    text = text.strip("\n")
    empty = not text or text.isspace()
    last = len(layout.font_sizes_pt) - 1
    fit = Fit(True, start_level, layout.font_sizes_pt[start_level], 0, 0)
    for level, size_pt in enumerate(layout.font_sizes_pt):
        if level < start_level:
            continue
        size_mm = size_pt * MM_PER_PT
        available = max(int(height_mm / (size_mm * layout.line_height)), 0)
        per_line = int(width_mm / (size_mm * layout.char_width_em))
        needed = wrapped_lines(text, per_line, available + max(available // 2, 1)) if not empty else 0
        fit = Fit(needed <= available, level, size_pt, needed, available)
        if fit.fits or level == last:
            break
    return fit


def page_estimates(
    template: Template, texts: dict[str, str], layout: PrintLayout = DEFAULT_LAYOUT
) -> dict[str, Fit]:
    """Every block's estimate on one page: at the page's size (`page_level`), or smaller where a
    block needs it. `texts` maps block ids to their text."""
    first = {spec.id: estimate(template, spec, texts.get(spec.id, ""), layout) for spec in template.blocks}
    level = page_level((fit.level if fit.fits else None for fit in first.values()), layout)
    fits = {}
    for spec in template.blocks:
        fit = first[spec.id]
        if fit.level < level:  # it fits at a larger size: printed at the page's
            fit = estimate(template, spec, texts.get(spec.id, ""), layout, start_level=level)
        fits[spec.id] = fit
    return fits


def fits_printed_cell(template: Template, spec: BlockSpec, text: str) -> bool:
    """True when the block's text fits its printed cell (at the smallest print size, if need be)."""
    return estimate(template, spec, text).fits
