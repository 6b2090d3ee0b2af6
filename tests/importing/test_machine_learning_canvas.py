"""Louis Dorard's Machine Learning Canvas (v1.1), bundled: its blocks, its grid, its licence kept."""

from __future__ import annotations

from pathlib import Path

from canvas_tui.cli import main
from canvas_tui.importing.names import block_for, block_names
from canvas_tui.model.layout import neighbour
from canvas_tui.storage import CanvasFile
from canvas_tui.templates import available_templates, load_template

ROOT = Path(__file__).parents[2]
TEMPLATE_FILE = ROOT / "src" / "canvas_tui" / "templates" / "machine-learning-canvas-v1.1.toml"


def test_its_ten_blocks_in_the_canvas_order() -> None:
    template = load_template("machine-learning-canvas-v1.1")
    assert [spec.title for spec in template.blocks] == [
        "Prediction Task",
        "Decisions",
        "Value Proposition",
        "Data Collection",
        "Data Sources",
        "Impact Simulation",
        "Making Predictions",
        "Building Models",
        "Features",
        "Monitoring",
    ]
    assert [field.label for field in template.fields] == ["Designed for", "Designed by", "Date", "Iteration"]
    assert available_templates()[0] == "mlops-canvas-v1.1"  # the default stays first
    assert "machine-learning-canvas-v1.1" in available_templates()


def test_its_grid_is_the_canvas_s_layout() -> None:
    template = load_template("machine-learning-canvas-v1.1")
    assert [[spec.id for spec in template.blocks_in(column.id)] for column in template.columns] == [
        ["prediction_task", "impact_simulation"],
        ["decisions", "making_predictions"],
        ["value_proposition", "monitoring"],
        ["data_collection", "building_models"],
        ["data_sources", "features"],
    ]
    assert neighbour(template, "decisions", "right")[0] == "value_proposition"
    assert neighbour(template, "making_predictions", "right", preferred_row=4)[0] == "monitoring"
    assert neighbour(template, "value_proposition", "down")[0] == "monitoring"


def test_older_names_are_synonyms() -> None:
    names = block_names(load_template("machine-learning-canvas-v1.1"))
    assert block_for("Offline Evaluation", names) == "impact_simulation"
    assert block_for("Live Evaluation and Monitoring", names) == "monitoring"
    assert block_for("ML Task", names) == "prediction_task"
    assert block_for("Collecting Data", names) == "data_collection"


def test_the_licence_mention_and_the_link_to_ownml_are_kept() -> None:
    template = load_template("machine-learning-canvas-v1.1")
    assert template.licence == "CC-BY-SA-4.0"
    assert "Louis Dorard" in template.attribution and "ownml.co" in template.attribution
    text = TEMPLATE_FILE.read_text(encoding="utf-8")
    assert "Creative\n# Commons Attribution-ShareAlike 4.0 International License" in text
    assert "Please keep this mention and the link to\n# ownml.co when sharing" in text
    notice = (ROOT / "NOTICE").read_text(encoding="utf-8")
    assert "Machine Learning Canvas" in notice and "Louis Dorard" in notice and "ownml.co" in notice
    assert "Creative Commons Attribution-ShareAlike 4.0" in notice


def test_a_new_canvas_of_it_opens_and_exports(tmp_path: Path) -> None:
    path = tmp_path / "ml.canvas.toml"
    assert (
        main(["new", str(path), "--template", "machine-learning-canvas-v1.1", "--product", "Flood alert"])
        == 0
    )
    document = CanvasFile.load(path)
    assert document.canvas.template.id == "machine-learning-canvas-v1.1"
    out = tmp_path / "ml.html"
    assert main(["export", str(path), "-o", str(out)]) == 0
    assert 'data-block="monitoring"' in out.read_text(encoding="utf-8")
