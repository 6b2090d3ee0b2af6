"""The HTML export in a real browser: Debian's chromium, headless.

Layout is measured by a small script injected into a *copy* of the export (the export itself has
no scripts): it writes every cell's bounding box into the DOM, which `--dump-dom` hands back. The
print layout is measured the same way with the print styles forced on screen, and printing is
checked with `--print-to-pdf`: exactly one A4 landscape page.
"""

from __future__ import annotations

import html
import itertools
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from canvas_tui.export.html import render_html
from canvas_tui.model import Canvas, Template
from canvas_tui.model.fit import DEFAULT_LAYOUT
from canvas_tui.storage import CanvasFile

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

MEASURE = """<script>
(() => {
  const boxes = {};
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  for (const el of document.querySelectorAll("[data-block]")) {
    const text = el.querySelector(".text");
    boxes[el.dataset.block] = {
      box: box(el),
      overflows: el.classList.contains("overflows"),
      clipped: text !== null && text.scrollHeight > text.clientHeight + 1,
    };
  }
  const columns = [...document.querySelectorAll(".column-title")].map((el) => [el.textContent, box(el)]);
  const page = document.querySelector(".page");
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = JSON.stringify({
    cells: boxes, columns, page: box(page), scrollWidth: document.documentElement.scrollWidth,
    viewport: window.innerWidth,
  });
  document.body.appendChild(out);
})();
</script>"""

PX_PER_MM = 96 / 25.4


@pytest.fixture(scope="module")
def chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        pytest.skip(
            "chromium is not installed: `apt-get install -y --no-install-recommends chromium` "
            "(.ci/run does this in CI) to check the HTML export in a real browser"
        )
    return path


def run(chromium: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    command = [chromium, *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args]
    result = subprocess.run(command, capture_output=True, text=True, timeout=180, check=False)
    assert result.returncode == 0, f"chromium failed ({result.returncode}): {result.stderr[-2000:]}"
    return result


def measure(chromium: str, tmp_path: Path, page: str, *, print_styles: bool, font: str | None = None) -> Any:
    """Bounding boxes of the cells and column titles of `page`, as chromium lays it out."""
    if print_styles:  # the print layout, on screen: fixed A4 geometry, fitted font sizes
        page = page.replace("@media print {", "@media all {")
    if font is not None:
        page = page.replace("</style>", f'.page, .page * {{ font-family: "{font}" !important; }}\n</style>')
    copy = tmp_path / "measure.html"
    copy.write_text(page.replace("</body>", MEASURE + "\n</body>"), encoding="utf-8")
    dom = run(chromium, tmp_path, "--window-size=1600,1200", "--dump-dom", copy.as_uri()).stdout
    match = re.search(r'<pre id="measured">(.*?)</pre>', dom, re.DOTALL)
    assert match is not None, "the measuring script did not run"
    return json.loads(html.unescape(match.group(1)))


def close(a: float, b: float, tolerance: float = 1.5) -> bool:
    return abs(a - b) <= tolerance


def assert_canvas_layout(template: Template, measured: Any) -> None:
    """The 15 cells sit in the template's columns and rows, spans included, edges aligned."""
    cells = measured["cells"]
    assert set(cells) == set(template.block_ids)
    titles = measured["columns"]
    assert [title for title, _ in titles] == [column.title for column in template.columns]
    lefts = [box[0] for _, box in titles]
    assert lefts == sorted(lefts) and len(set(lefts)) == len(lefts)
    # Each cell spans exactly its column: the same left and right edges as the column title.
    for spec in template.blocks:
        left, _, right, _ = cells[spec.id]["box"]
        _, (title_left, _, title_right, _) = titles[template.column_index(spec.column)]
        assert close(left, title_left) and close(right, title_right), spec.id
    # Row lines: every cell starting on row r has the same top, every cell ending on row r the same
    # bottom; rows go down the page; cells of one column stack with only the grid line between them.
    tops: dict[int, list[float]] = {}
    bottoms: dict[int, list[float]] = {}
    for spec in template.blocks:
        _, top, _, bottom = cells[spec.id]["box"]
        tops.setdefault(spec.row, []).append(top)
        bottoms.setdefault(spec.last_row, []).append(bottom)
    for row, values in [*tops.items(), *bottoms.items()]:
        assert max(values) - min(values) <= 1.5, f"row {row} edges differ: {values}"
    for column in template.columns:
        specs = template.blocks_in(column.id)
        assert specs[0].row == 1 and specs[-1].last_row == template.rows
        for upper, lower in itertools.pairwise(specs):
            gap = cells[lower.id]["box"][1] - cells[upper.id]["box"][3]
            assert 0 < gap < 6, (upper.id, lower.id, gap)
    assert measured["scrollWidth"] <= measured["viewport"], "the page scrolls sideways"


def test_screen_layout_matches_the_canvas(
    chromium: str, tmp_path: Path, example_document: CanvasFile
) -> None:
    canvas = example_document.canvas
    measured = measure(chromium, tmp_path, render_html(canvas), print_styles=False)
    assert_canvas_layout(canvas.template, measured)
    assert not any(cell["clipped"] for cell in measured["cells"].values()), "on screen nothing is cut"


def stress_canvas(template: Template) -> Canvas:
    """Texts of many lengths, some just under and some just over what their cells hold."""
    canvas = Canvas.new(template, product="A product name long enough to need cutting in the printed header")
    sentence = "Subscribers who skip twice in a row cancel 40% more often than the others. "
    for index, spec in enumerate(template.blocks):
        paragraphs = [sentence * (2 + (index * 3 + part) % 5) for part in range(1 + index % 4)]
        canvas.set_text(spec.id, "\n\n".join(paragraphs))
    canvas.set_text("lifetime", sentence * 120)  # far too long anywhere
    canvas.set_text("security", "")
    return canvas


@pytest.mark.parametrize("font", [None, "DejaVu Sans"], ids=["page-fonts", "dejavu-sans"])
@pytest.mark.parametrize("which", ["example", "stress"])
def test_print_layout_matches_the_canvas_and_unmarked_text_fits(
    chromium: str, tmp_path: Path, example_document: CanvasFile, which: str, font: str | None
) -> None:
    canvas = (
        example_document.canvas if which == "example" else stress_canvas(example_document.canvas.template)
    )
    measured = measure(chromium, tmp_path, render_html(canvas), print_styles=True, font=font)
    assert_canvas_layout(canvas.template, measured)
    layout = DEFAULT_LAYOUT
    left, top, right, bottom = measured["page"]
    assert close(right - left, layout.content_width_mm * PX_PER_MM, 2)
    assert close(bottom - top, layout.content_height_mm * PX_PER_MM, 2)
    # Rows are equal: a cell's height is its span times a row, plus the lines it covers.
    row = layout.row_height_mm(canvas.template.rows) * PX_PER_MM
    for spec in canvas.template.blocks:
        _, cell_top, _, cell_bottom = measured["cells"][spec.id]["box"]
        expected = spec.row_span * row + (spec.row_span - 1) * layout.frame_mm * PX_PER_MM
        assert close(cell_bottom - cell_top, expected, 2), spec.id
    # The estimate errs on the safe side: a block without the mark is never cut when printed.
    for block_id, cell in measured["cells"].items():
        if not cell["overflows"]:
            assert not cell["clipped"], f"{block_id} is cut off in print but not marked"
    if which == "stress":
        assert measured["cells"]["lifetime"]["overflows"] and measured["cells"]["lifetime"]["clipped"]
    else:
        assert not any(cell["overflows"] for cell in measured["cells"].values())


def pdf_pages(pdf: bytes) -> int:
    """Page objects (`/Type /Page`, not the `/Type /Pages` tree) in a PDF."""
    return len(re.findall(rb"/Type\s*/Page(?![A-Za-z])", pdf))


@pytest.mark.parametrize("which", ["example", "stress"])
def test_prints_on_one_a4_landscape_page(
    chromium: str, tmp_path: Path, example_document: CanvasFile, which: str
) -> None:
    canvas = (
        example_document.canvas if which == "example" else stress_canvas(example_document.canvas.template)
    )
    page = tmp_path / "canvas.html"
    page.write_text(render_html(canvas), encoding="utf-8")
    pdf = tmp_path / "canvas.pdf"
    run(
        chromium,
        tmp_path,
        "--no-pdf-header-footer",
        "--print-to-pdf-no-header",
        f"--print-to-pdf={pdf}",
        page.as_uri(),
    )
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert pdf_pages(data) == 1
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert boxes, "no page size in the PDF"
    for width, height in boxes:
        assert close(float(width), 841.89, 2) and close(float(height), 595.28, 2), (width, height)


def test_pdf_page_count_sees_several_pages() -> None:
    """Guards the page count against passing vacuously: the page tree is not a page."""
    assert pdf_pages(b"<< /Type /Pages /Kids [3 0 R 4 0 R] >> << /Type /Page >> << /Type/Page >>") == 2
