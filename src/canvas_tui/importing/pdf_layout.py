"""Where a filled canvas page puts its text, and how a cell's lines become a block's text.

Two page geometries are known, both in points from the page's top-left corner:

- The official one-page MLOps Canvas v1.1 (A4 landscape, 842 x 596 pt; measured from the official
  PDF, see `OFFICIAL`): four header boxes, six columns between x 12 and 830, the block grid
  between y 74 and 545, cut into the template's rows (three-block columns at 74 / 231 / 388 / 545,
  two-block columns at 74 / 309 / 545). Teams type onto that page under each block's printed title
  and guidance.
- canvas-tui's own PDF export (export/pdf.py), whose boxes come from the exporter itself, for a
  page whose embedded data is missing or does not match it.

A cell's text is its fragments, grouped into lines by baseline, less the printed words at its
top (the block's title, the guidance, and on our export the status badge and the "not filled"
line), with wrapped lines joined: see `cell_text`.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from canvas_tui.importing.pdf_sandbox import Fragment
from canvas_tui.model.template import Template


@dataclass(frozen=True, slots=True)
class Box:
    """A rectangle in points from the page's top-left corner."""

    left: float
    top: float
    right: float
    bottom: float

    def holds(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.top <= y <= self.bottom


@dataclass(frozen=True, slots=True)
class Geometry:
    """A page's boxes: one per header field and one per block, by id."""

    width: float
    height: float
    fields: dict[str, Box]
    cells: dict[str, Box]


@dataclass(frozen=True, slots=True)
class OfficialPage:
    """The official page's measurements (README of the seed: the official PDF, measured)."""

    width: float = 842.0
    height: float = 596.0
    field_boxes: tuple[tuple[float, float], ...] = ((388, 513), (529, 655), (671, 755), (771, 830))
    field_top: float = 19.0
    field_bottom: float = 43.0
    grid_left: float = 12.0
    grid_right: float = 830.0
    grid_top: float = 74.0
    grid_bottom: float = 545.0


OFFICIAL = OfficialPage()

OFFICIAL_FURNITURE = (
    "Product name:",
    "Designed by:",
    "Date:",
    "Iteration:",
    "By Nicki Skafte Detlefsen",
    "nsde@dtu.dk",
    "From DTU course",
    "02476 Machine Learning Operations",
    "License: Apache 2.0",
)
"""The official page's own text outside the cells (besides the canvas and column titles): not the
team's, so not reported as left out. Quoted from the official page (Apache-2.0, see NOTICE)."""


def official_geometry(template: Template, page: OfficialPage = OFFICIAL) -> Geometry:
    """The official page's boxes for `template`'s fields and blocks: columns of equal width
    (the printed edges are 136-137 pt apart), rows of equal height."""
    columns = len(template.columns)
    column_width = (page.grid_right - page.grid_left) / columns
    row_height = (page.grid_bottom - page.grid_top) / template.rows
    cells = {}
    for spec in template.blocks:
        left = page.grid_left + template.column_index(spec.column) * column_width
        top = page.grid_top + (spec.row - 1) * row_height
        cells[spec.id] = Box(left, top, left + column_width, top + spec.row_span * row_height)
    fields = {
        spec.id: Box(x0, page.field_top, x1, page.field_bottom)
        for spec, (x0, x1) in zip(template.fields, page.field_boxes, strict=False)
    }
    return Geometry(page.width, page.height, fields, cells)


def anchor(fragment: Fragment) -> tuple[float, float]:
    """The point that decides a fragment's box: just inside its start, halfway up a lowercase letter
    (a baseline drawn on a cell's lower line still belongs to the cell above it)."""
    return fragment.x + 1.0, fragment.y - 0.3 * max(fragment.size, 1.0)


# -- words as printed ----------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})


def words(text: str) -> list[str]:
    """`text` as comparable words: ligatures and look-alikes folded (NFKC), case folded."""
    return unicodedata.normalize("NFKC", text).translate(_QUOTES).casefold().split()


@dataclass(frozen=True, slots=True)
class Line:
    """One printed line of a cell: its fragments joined in reading order."""

    text: str
    x: float
    y: float  # baseline
    size: float
    end: float  # an estimate of where the line's ink ends (average advance of 0.5 em)


_AVERAGE_ADVANCE_EM = 0.5


def lines_of(fragments: Iterable[Fragment]) -> list[Line]:
    """Fragments grouped by baseline (within half a font size), top to bottom, each left to right."""
    ordered = sorted(fragments, key=lambda f: (f.y, f.x))
    groups: list[list[Fragment]] = []
    for fragment in ordered:
        if groups and abs(fragment.y - groups[-1][0].y) <= 0.5 * max(fragment.size, groups[-1][0].size, 1.0):
            groups[-1].append(fragment)
        else:
            groups.append([fragment])
    lines = []
    for group in groups:
        group.sort(key=lambda f: f.x)
        text = ""
        for fragment in group:
            piece = fragment.text.replace("\n", " ")
            if text and not text.endswith((" ", "\t")) and not piece.startswith((" ", "\t")):
                text += " "
            text += piece
        text = " ".join(text.split())
        size = max(f.size for f in group) or 10.0
        last = group[-1]
        end = last.x + len(last.text.strip()) * _AVERAGE_ADVANCE_EM * (last.size or size)
        lines.append(Line(text, group[0].x, group[0].y, size, end))
    return [line for line in lines if line.text]


def strip_printed(lines: Sequence[Line], printed: Sequence[str]) -> tuple[list[Line], int]:
    """`lines` less those at the top that are the printed texts `printed` (in that order, each
    optional, each possibly cut short, as wrapped and truncated on the page); also the number of
    lines taken. A line is taken only when it continues the printed words exactly where the
    previous one stopped, or starts one of the later printed texts: the team's own text, even when
    it quotes the guidance, starts after that run and is kept."""
    pieces = [words(text) for text in printed]
    piece, cursor = -1, 0
    taken = 0
    for line in lines:
        line_words = words(line.text)
        if piece >= 0 and pieces[piece][cursor : cursor + len(line_words)] == line_words:
            cursor += len(line_words)
            taken += 1
            continue
        for later in range(piece + 1, len(pieces)):
            if line_words and pieces[later][: len(line_words)] == line_words:
                piece, cursor = later, len(line_words)
                taken += 1
                break
        else:
            break
    return list(lines[taken:]), taken


# -- joining lines ---------------------------------------------------------------------------------

_LIST_ITEM = re.compile(r"^(?:[-*•◦▪‣–—+]\s|\d{1,3}[.)]\s|[a-zA-Z][.)]\s|\[[ xX]\]\s)")
_HYPHEN_END = re.compile(r"(\w)[-\u00ad]$")


def join_lines(lines: Sequence[Line]) -> str:
    """Lines of one cell as the text that was typed: a line the typing tool wrapped joins the next
    one (a word broken with a hyphen is joined again), and a line that the author ended stays
    ended: before a list item, before a wider gap (a blank line), and where the next line's first
    word would clearly have fitted on it (measured against the cell's longest line)."""
    if not lines:
        return ""
    wrap_at = max(line.end for line in lines)
    start = min(line.x for line in lines)
    text = lines[0].text
    for previous, line in itertools.pairwise(lines):
        gap = line.y - previous.y
        if gap > 1.75 * max(previous.size, line.size):
            text += "\n\n" + line.text
            continue
        first_word = line.text.split()[0] if line.text.split() else ""
        room = wrap_at - previous.end
        needed = (len(first_word) + 1) * _AVERAGE_ADVANCE_EM * line.size
        # The ends are estimates (an average advance per character): only a clear gap counts.
        fits_before = room > 1.5 * needed + 0.12 * (wrap_at - start)
        if _LIST_ITEM.match(line.text) or fits_before:
            text += "\n" + line.text
            continue
        hyphen = _HYPHEN_END.search(previous.text)
        if hyphen and line.text[:1].islower():
            last_word = previous.text.split()[-1]
            if previous.text.endswith("\u00ad") or "-" not in last_word[:-1]:
                text = text[:-1] + line.text  # a hyphen the wrapping added: the word is one
            else:
                text += line.text  # a compound that was already hyphenated keeps its hyphen
            continue
        text += " " + line.text
    return text


def cell_text(fragments: Iterable[Fragment], printed: Sequence[str]) -> str:
    """A cell's text without its printed words, wrapped lines joined."""
    kept, _taken = strip_printed(lines_of(fragments), printed)
    return join_lines(kept)


def one_line(fragments: Iterable[Fragment]) -> str:
    """A header box's fragments as one line of text."""
    return " ".join(line.text for line in lines_of(fragments))


def is_furniture(text: str, known: Iterable[str]) -> bool:
    """Whether `text` is one of the page's own printed texts (or a run of several of them)."""
    found = words(text)
    if not found:
        return True
    rest = " ".join(found)
    for item in sorted((" ".join(words(k)) for k in known), key=len, reverse=True):
        rest = rest.replace(item, " ")
    return not rest.strip()
