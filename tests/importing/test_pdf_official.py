"""A filled official MLOps Canvas PDF comes in: each cell's typed text to its block, the printed
titles and guidance taken off, wrapped lines and hyphenation joined, the header boxes to [canvas]."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.importing.pdf_pages import SEED, Typed, filled_page

from canvas_tui.importing.pdf import clean_text, import_pdf
from canvas_tui.importing.pdf_layout import Line, join_lines, strip_printed
from canvas_tui.model import Status
from canvas_tui.model.template import Template
from canvas_tui.templates import load_template

needs_seed = pytest.mark.skipif(not SEED.exists(), reason="the official page (../shared/seed) is not here")

TYPED: dict[str, Typed] = {
    "background": Typed(
        [
            "Riders of a bike-share scheme in Aarhus find empty docks at rush hour.",
            "Rebalancing vans run on a fixed route today.",
        ]
    ),
    "value_proposition": Typed(["Fewer empty docks, so more trips and fewer complaints."]),
    "objectives": Typed(["Cut empty-dock minutes by 30% within two months of launch."]),
    "data_collection": Typed(
        ["Dock sensor events every minute, trip logs from the app, weather from the national service."]
    ),
    "data_verification_and_governance": Typed(
        lines=["Checks:", "- sensor gaps over 10 min flagged", "- trips without end dropped"]
    ),
    "modelling": Typed(["Poisson regression per dock and hour, then gradient boosting."]),
    "metrics_and_evaluation": Typed(["MAE of hourly demand per dock; backtest on 2024."]),
    "model_governance": Typed(
        lines=[
            "Each release is reviewed by the ops lead and the data scien-",
            "tist on call before it ships.",
        ]
    ),
    "inference": Typed(["A batch job every 15 minutes writes a forecast table the van planner reads."]),
    "decision": Typed(["Planners pick routes; the model only suggests."]),
    "feedback": Typed(["Drivers flag wrong suggestions in their app."]),
    "lifetime": Typed(["Retrain monthly; retire when a station layout changes."]),
    "fairness": Typed(["Suburbs get the same service level as the centre."]),
    "explainability": Typed(["Each suggestion names its top two reasons."]),
    "security": Typed(["No personal data leaves the trip database."]),
}
EXPECTED = {
    "background": "Riders of a bike-share scheme in Aarhus find empty docks at rush hour.\n\n"
    "Rebalancing vans run on a fixed route today.",
    "data_verification_and_governance": (
        "Checks:\n- sensor gaps over 10 min flagged\n- trips without end dropped"
    ),
    "model_governance": (
        "Each release is reviewed by the ops lead and the data scientist on call before it ships."
    ),
}
FIELDS = {"product": "Dock Balancer", "designed_by": "Team 7", "date": "2025-03-14", "iteration": "2"}


def expected_text(block_id: str) -> str:
    return EXPECTED.get(block_id) or "\n\n".join(TYPED[block_id].paragraphs)


@pytest.fixture(scope="module")
def template() -> Template:
    return load_template()


def write(tmp_path: Path, data: bytes, name: str = "filled.pdf") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("on_seed", [pytest.param(True, marks=needs_seed), False], ids=["seed", "stand-in"])
def test_every_block_gets_its_typed_text_without_the_printed_words(
    template: Template, tmp_path: Path, on_seed: bool
) -> None:
    path = write(tmp_path, filled_page(template, TYPED, FIELDS, on_seed=on_seed))
    imported = import_pdf(path, None)
    got = {block_id: block.text for block_id, block in imported.canvas.blocks.items()}
    assert got == {block_id: expected_text(block_id) for block_id in template.block_ids}
    assert all(block.status is Status.DRAFT for block in imported.canvas.blocks.values())
    assert imported.left_out == []


@pytest.mark.parametrize("on_seed", [pytest.param(True, marks=needs_seed), False], ids=["seed", "stand-in"])
def test_the_header_boxes_go_to_the_canvas_fields(template: Template, tmp_path: Path, on_seed: bool) -> None:
    imported = import_pdf(write(tmp_path, filled_page(template, TYPED, FIELDS, on_seed=on_seed)), None)
    assert imported.canvas.fields == {
        "product": "Dock Balancer",
        "designed_by": "Team 7",
        "date": "2025-03-14",
        "iteration": 2,
    }
    assert "the Product name box -> [canvas] product" in imported.placed


@needs_seed
def test_the_blank_official_page_imports_as_an_empty_canvas(template: Template) -> None:
    imported = import_pdf(SEED, None)
    assert all(block.text == "" for block in imported.canvas.blocks.values())
    assert imported.left_out == []  # every printed word on the page is the page's own


def test_text_outside_every_cell_is_reported_not_lost_silently(template: Template, tmp_path: Path) -> None:
    data = filled_page(template, {}, {}, on_seed=False, outside="Draft for the tutor, do not grade")
    imported = import_pdf(write(tmp_path, data), None)
    assert any("Draft for the tutor, do not grade" in line for line in imported.left_out)
    assert all(block.text == "" for block in imported.canvas.blocks.values())


def test_an_iteration_that_is_no_number_is_reported(template: Template, tmp_path: Path) -> None:
    data = filled_page(template, {}, {"iteration": "second"}, on_seed=False)
    imported = import_pdf(write(tmp_path, data), None)
    assert imported.canvas.fields["iteration"] == 1
    assert any("Iteration" in line and "second" in line for line in imported.left_out)


def line(text: str, y: float, end: float, size: float = 8.0) -> Line:
    return Line(text, 10.0, y, size, end)


def test_guidance_quoted_by_the_team_after_their_own_text_is_kept() -> None:
    printed = ["Background", "Describe the context, including the problem"]
    lines = [
        line("Background", 10, 60),
        line("Describe the context,", 20, 100),
        line("including the problem", 30, 100),
        line("Our own words first.", 40, 100),
        line("Background", 50, 60),
    ]
    kept, taken = strip_printed(lines, printed)
    assert taken == 3
    assert [k.text for k in kept] == ["Our own words first.", "Background"]


def test_a_hyphen_of_a_compound_stays_and_a_wrapping_hyphen_goes() -> None:
    joined = join_lines([line("a state-of-the-", 10, 200), line("art model with recal-", 20, 200)])
    assert joined == "a state-of-the-art model with recal-"
    joined = join_lines([line("a model with recal-", 10, 200), line("ibration", 20, 80)])
    assert joined == "a model with recalibration"


def test_a_short_line_before_a_new_sentence_keeps_its_line_break() -> None:
    joined = join_lines(
        [line("A long line that the typing tool wrapped here", 10, 200), line("Owner:", 20, 40)]
    )
    assert joined == "A long line that the typing tool wrapped here Owner:"
    joined = join_lines([line("Owner: Ana", 10, 50), line("Reviewer: the data lead of the team", 20, 200)])
    assert joined == "Owner: Ana\nReviewer: the data lead of the team"


def test_control_characters_never_reach_a_block() -> None:
    text = "ok\x1b[2J\x07 bell\x9b31m\u202eevil\r\nnext\x00"
    assert clean_text(text) == "ok[2J bell31mevil\nnext"
    assert clean_text("e\ufb03cient", ligatures=True) == "efficient"


def test_a_page_saved_upright_and_turned_for_viewing_reads_the_same(
    template: Template, tmp_path: Path
) -> None:
    import io

    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(filled_page(template, TYPED, FIELDS, on_seed=False)))
    page = writer.pages[0]
    page.rotate(90)
    page.transfer_rotation_to_content()  # the content itself now stands upright on a portrait page
    page.rotate(270)  # and the viewer turns it back to landscape
    buffer = io.BytesIO()
    writer.write(buffer)
    imported = import_pdf(write(tmp_path, buffer.getvalue()), None)
    assert {k: b.text for k, b in imported.canvas.blocks.items()} == {
        k: expected_text(k) for k in template.block_ids
    }
    assert imported.canvas.fields["product"] == "Dock Balancer"
