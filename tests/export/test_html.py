"""HTML export: self-contained, laid out like the official canvas, and every user character escaped."""

from __future__ import annotations

import html
import re

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.export.conftest import check_golden

from canvas_tui.export.html import FIT_MARK, NOT_FILLED, render_html
from canvas_tui.model import Canvas, Template
from canvas_tui.storage import CanvasFile
from canvas_tui.templates import load_template

CELL = re.compile(
    r'<article class="(?P<classes>[^"]*)" id="block-(?P<id>[a-z_]+)" data-block="(?P=id)"'
    r' style="grid-column: (?P<column>\d+); grid-row: (?P<row>\d+) / span (?P<span>\d+)">'
    r"(?P<body>.*?)</article>",
    re.DOTALL,
)
TEXT = re.compile(r'<div class="text">(.*?)</div>', re.DOTALL)


def cells(document: str) -> dict[str, re.Match[str]]:
    return {match["id"]: match for match in CELL.finditer(document)}


def cell_text(document: str, block_id: str) -> str:
    """The raw (escaped) content of a block's text element."""
    match = TEXT.search(cells(document)[block_id]["body"])
    assert match is not None
    return match.group(1)


def test_example_matches_golden(example_document: CanvasFile) -> None:
    check_golden("churn-early-warning.html", render_html(example_document.canvas))


def test_self_contained_no_scripts_no_network(example_document: CanvasFile) -> None:
    page = render_html(example_document.canvas).lower()
    assert page.startswith("<!doctype html>")
    for forbidden in (
        "<script",
        "<link",
        "<img",
        "<iframe",
        "src=",
        "href=",
        "url(",
        "http://",
        "https://",
        "@import",
    ):
        assert forbidden not in page, forbidden
    assert "<style>" in page


def test_cells_sit_where_the_official_canvas_puts_them(example_document: CanvasFile) -> None:
    template = example_document.canvas.template
    found = cells(render_html(example_document.canvas))
    assert list(found) == list(template.block_ids)  # fill order in the document, too
    placement = {block_id: (int(m["column"]), int(m["row"]), int(m["span"])) for block_id, m in found.items()}
    assert placement == {
        "background": (1, 1, 2),
        "value_proposition": (1, 3, 2),
        "objectives": (1, 5, 2),
        "data_collection": (2, 1, 3),
        "data_verification_and_governance": (2, 4, 3),
        "modelling": (3, 1, 2),
        "metrics_and_evaluation": (3, 3, 2),
        "model_governance": (3, 5, 2),
        "inference": (4, 1, 3),
        "decision": (4, 4, 3),
        "feedback": (5, 1, 3),
        "lifetime": (5, 4, 3),
        "fairness": (6, 1, 2),
        "explainability": (6, 3, 2),
        "security": (6, 5, 2),
    }


def test_header_status_badges_and_attribution(example_document: CanvasFile) -> None:
    canvas = example_document.canvas
    page = render_html(canvas)
    assert '<span class="label">Product name:</span><span class="value">Churn early warning</span>' in page
    assert '<span class="label">Iteration:</span><span class="value">3</span>' in page
    assert "<strong>8/15 resolved</strong>" in page
    found = cells(page)
    assert '<span class="badge status-done">● done</span>' in found["background"]["body"]
    assert '<span class="badge status-draft">◐ draft</span>' in found["decision"]["body"]
    assert NOT_FILLED in found["lifetime"]["body"]  # empty: says so, and shows the guidance
    assert html.escape(canvas.template.block("lifetime").guidance) in found["lifetime"]["body"]
    assert html.escape(canvas.template.attribution) in page
    assert "#990000" in page
    assert "@page { size: A4 landscape;" in page


def test_script_in_a_block_is_shown_not_run(template: Template) -> None:
    canvas = Canvas.new(template, product="<b>Bold</b> & co")
    canvas.set_text("background", '<script>alert("hi")</script>\n<img src=x onerror=alert(1)>')
    page = render_html(canvas)
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "&lt;script&gt;alert(&quot;hi&quot;)&lt;/script&gt;" in cell_text(page, "background")
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; co" in page


def test_text_that_will_not_fit_is_marked(template: Template) -> None:
    canvas = Canvas.new(template)
    canvas.set_text("background", "A sentence that goes on and on. " * 200)
    canvas.set_text("modelling", "Short.")
    found = cells(render_html(canvas))
    assert "overflows" in found["background"]["classes"].split()
    assert FIT_MARK in found["background"]["body"]
    assert "overflows" not in found["modelling"]["classes"].split()
    assert FIT_MARK not in found["modelling"]["body"]


def test_longer_text_is_printed_smaller_before_it_is_marked(template: Template) -> None:
    canvas = Canvas.new(template)
    canvas.set_text("objectives", "word " * 40)
    canvas.set_text("security", "word " * 150)
    found = cells(render_html(canvas))

    def size(block_id: str) -> str:
        return next(c for c in found[block_id]["classes"].split() if c.startswith("fs-"))

    # The page's one size is as small as the long block makes it, down to 6 pt (fs-2); below
    # that only the long block is smaller.
    assert {size(block_id) for block_id in found if block_id != "security"} == {"fs-2"}
    assert size("security") == "fs-3" and "overflows" not in found["security"]["classes"]
    canvas.set_text("security", "word " * 20)
    assert {c for cell in cells(render_html(canvas)).values() for c in cell["classes"].split()} >= {"fs-0"}


@settings(max_examples=300, deadline=None)
@given(text=st.text(min_size=1).filter(str.strip))
def test_any_block_text_survives_escaped(text: str) -> None:
    canvas = Canvas.new(load_template())
    canvas.blocks["decision"].text = text  # as stored: no newline normalisation on the way
    page = render_html(canvas)
    raw = cell_text(page, "decision")
    assert html.unescape(raw) == text
    assert "<" not in raw and ">" not in raw  # nothing the user typed can open or close a tag
    assert len(cells(page)) == 15  # and the page structure is intact
