"""The "will not fit its printed cell" estimate."""

from __future__ import annotations

import pytest

from canvas_tui.model import Template
from canvas_tui.model.fit import DEFAULT_LAYOUT, char_cells, estimate, fits_printed_cell, wrapped_lines


def test_wrapping_counts_lines_like_a_greedy_word_wrap() -> None:
    assert wrapped_lines("", 10, 99) == 1
    assert wrapped_lines("aaaa bbbb", 9, 99) == 1
    assert wrapped_lines("aaaa bbbb", 8, 99) == 2
    assert wrapped_lines("aaaa\n\nbbbb", 80, 99) == 3  # blank lines take room, as printed
    assert wrapped_lines("x" * 25, 10, 99) == 3  # a word longer than the line breaks anywhere
    assert wrapped_lines("word " * 1000, 20, 5) == 6  # stops counting past the limit
    assert wrapped_lines("a" + " " * 12 + "b", 10, 99) == 2  # runs of spaces take room, as printed


@pytest.mark.parametrize(
    "text", ["x" * 100_000, "漢" * 50_000, "e\u0301" * 50_000, " " * 100_000 + "x" * 3000]
)
def test_giant_words_never_fit(template: Template, text: str) -> None:
    fit = estimate(template, template.block("data_collection"), text)
    assert not fit.fits and fit.lines_needed > fit.lines_available


def test_wide_characters_count_double() -> None:
    assert char_cells("a") == 1
    assert char_cells("漢") == 2
    assert char_cells("\u0301") == 0  # a combining accent takes no room
    assert wrapped_lines("漢字" * 5, 10, 99) == 2
    assert wrapped_lines("ab" * 5, 10, 99) == 1


def test_every_block_has_room_for_a_few_paragraphs(template: Template) -> None:
    for spec in template.blocks:
        fit = estimate(template, spec, "")
        assert fit.fits and fit.level == 0 and fit.lines_needed == 0
        assert fit.lines_available >= 12, spec.id
        assert fits_printed_cell(template, spec, "A short answer. " * 10)


def test_taller_cells_hold_more(template: Template) -> None:
    two_rows = estimate(template, template.block("background"), "")
    three_rows = estimate(template, template.block("data_collection"), "")
    assert three_rows.lines_available > two_rows.lines_available


def test_long_text_is_printed_smaller_then_marked(template: Template) -> None:
    spec = template.block("background")
    levels = []
    for words in (50, 120, 160, 1000):
        fit = estimate(template, spec, "lorem " * words)
        levels.append((fit.level, fit.fits))
    assert levels[0] == (0, True)
    assert levels[1][1] and levels[1][0] > 0
    assert levels[-1] == (len(DEFAULT_LAYOUT.font_sizes_pt) - 1, False)
    assert [level for level, _ in levels] == sorted(level for level, _ in levels)


@pytest.mark.parametrize("size", [10_000, 100_000])
def test_huge_texts_are_estimated_without_wrapping_them_all(template: Template, size: int) -> None:
    fit = estimate(template, template.block("security"), "x " * size)
    assert not fit.fits
    assert fit.lines_needed <= 2 * fit.lines_available  # counting stopped early
    assert fit.shortfall > 1


def test_layout_adds_up_to_the_page() -> None:
    layout = DEFAULT_LAYOUT
    rows, columns = 6, 6
    height = 6 * layout.row_height_mm(rows) + 6 * layout.frame_mm
    assert height == pytest.approx(layout.grid_height_mm)
    width = columns * layout.column_width_mm(columns) + (columns + 1) * layout.frame_mm
    assert width == pytest.approx(layout.content_width_mm)
    assert layout.content_height_mm + 2 * layout.margin_mm < layout.page_height_mm
