"""Markdown canvases as teams keep them: Dorard's canvas in Portuguese, Made With ML's sections, a
README with a canvas part, bold labels, the template's own prompts left in."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from canvas_tui.importing.sources import canvas_toml, import_source
from canvas_tui.model import Status
from canvas_tui.storage import CanvasFile

DATA = Path(__file__).parent / "data"


def between(path: Path, start: str, stop: str | None) -> str:
    """The fixture's own lines after the line `start` up to the line `stop`, blank edges off: what
    an import must keep verbatim."""
    lines = path.read_text(encoding="utf-8").split("\n")
    first = lines.index(start) + 1
    last = lines.index(stop) if stop is not None else len(lines)
    return "\n".join(lines[first:last]).strip("\n")


def test_dorard_in_portuguese_goes_into_dorards_canvas_by_the_english_names() -> None:
    source = DATA / "dorard-pt.md"
    result = import_source(source)
    canvas = result.canvas
    assert canvas.template.id == "machine-learning-canvas-v1.1"  # chosen by the headings
    assert canvas.fields["product"] == "Previsão de Evasão"
    assert canvas.fields["designed_by"] == "Ana, Bruno"
    assert canvas.fields["date"] == "2024-03-10"
    expected = {
        "value_proposition": (
            "## 1. Propostas de Valor (Value Propositions)",
            "## 2. Fontes de Dados (Data Sources)",
        ),
        "data_sources": ("## 2. Fontes de Dados (Data Sources)", "## 3. Tarefa de Previsão (ML Task)"),
        "prediction_task": ("## 3. Tarefa de Previsão (ML Task)", "## 4. Decisões (Decisions)"),
        "decisions": ("## 4. Decisões (Decisions)", "## 5. Coleta de Dados (Collecting Data)"),
        "data_collection": (
            "## 5. Coleta de Dados (Collecting Data)",
            "## 6. Avaliação Offline (Offline Evaluation)",
        ),
        "impact_simulation": (
            "## 6. Avaliação Offline (Offline Evaluation)",
            "## 7. Monitoramento (Live Evaluation and Monitoring)",
        ),
        "monitoring": ("## 7. Monitoramento (Live Evaluation and Monitoring)", "## Referências"),
    }
    for block_id, (start, stop) in expected.items():
        assert canvas.blocks[block_id].text == between(source, start, stop), block_id
        assert canvas.blocks[block_id].status is Status.DRAFT
    # The table, the <br/> and the sub-heading are kept as written.
    assert "| SIGAA | banco |" in canvas.blocks["data_sources"].text
    assert "coordenadores<br/>cedo" in canvas.blocks["value_proposition"].text
    assert "### Detalhes" in canvas.blocks["prediction_task"].text
    for empty in ("making_predictions", "building_models", "features"):
        assert canvas.blocks[empty].text == "" and canvas.blocks[empty].status is Status.TODO
    assert result.unplaced == {"Referências": "- [Dorard](https://ownml.co)"}
    assert any('"Referências"' in line and "[imported]" in line for line in result.left_out)
    assert (
        'heading "6. Avaliação Offline (Offline Evaluation)" (line 34) -> block Impact Simulation'
        in result.placed
    )


def test_the_template_can_be_given(tmp_path: Path) -> None:
    result = import_source(DATA / "dorard-pt.md", "mlops-canvas-v1.1")
    assert result.canvas.template.id == "mlops-canvas-v1.1"
    # Dorard's names that the MLOps canvas knows land there; the others are kept aside, not lost.
    assert result.canvas.blocks["value_proposition"].text.startswith("- Reduzir a evasão")
    assert "| SIGAA | banco |" in result.canvas.blocks["data_collection"].text
    assert "3. Tarefa de Previsão (ML Task)" in result.unplaced


def test_made_with_ml_sections_merge_into_the_mlops_blocks() -> None:
    source = DATA / "made-with-ml.md"
    result = import_source(source)
    canvas = result.canvas
    assert canvas.template.id == "mlops-canvas-v1.1"
    assert (canvas.fields["product"], canvas.fields["designed_by"]) == ("Tagifai", "Goku, Vegeta")
    assert (canvas.fields["date"], canvas.fields["iteration"]) == ("2025-02-01", 2)
    metrics = between(source, "### Metrics", "### Evaluation")
    evaluation = between(source, "### Evaluation", "### Modeling")
    assert canvas.blocks["metrics_and_evaluation"].text == (
        f"**Metrics**\n\n{metrics}\n\n**Evaluation**\n\n{evaluation}"
    )
    data = canvas.blocks["data_collection"].text
    assert data.startswith("**Data**\n\nTitle and description") and "**Labeling**" in data
    assert "# not a heading, code\n```" in data  # code kept, its comment no heading
    # A label inside a block's text stays there: "Inference:" under Modeling is not the Inference block.
    assert canvas.blocks["modelling"].text == between(source, "### Modeling", "### Inference")
    assert "Inference:" in canvas.blocks["modelling"].text
    assert (
        canvas.blocks["inference"].text == "Online, behind an API: see [the docs](https://example.com/api)."
    )
    assert canvas.blocks["value_proposition"].text.startswith("**Value proposition**\n\n- **Product**")
    assert list(result.unplaced) == ["Team", "Timeline"]
    assert result.unplaced["Team"] == "Goku (ML), Vegeta (product)."


def test_a_readme_is_read_only_in_its_canvas_section() -> None:
    result = import_source(DATA / "readme-with-canvas.md")
    canvas = result.canvas
    assert canvas.fields["product"] == "Churn radar" and canvas.fields["designed_by"] == "Team 7"
    assert canvas.blocks["background"].text == "Customers leave without saying so."
    # A deeper heading that names no block is part of the block's text.
    assert canvas.blocks["data_collection"].text == "#### Sources\n\nBilling and app logs, nightly."
    assert canvas.blocks["modelling"].text == "A gradient-boosted model."
    # Install and License are the README's, not the canvas's: neither placed nor kept.
    assert result.unplaced == {}
    assert not any("Install" in line or "License" in line for line in result.left_out + result.placed)


def test_bold_labels_are_sections_when_no_heading_names_a_block() -> None:
    result = import_source(DATA / "bold-labels.md")
    canvas = result.canvas
    assert canvas.fields["product"] == "Alerta de enchentes"
    assert canvas.blocks["background"].text == "Rivers flood towns every spring."
    value = canvas.blocks["value_proposition"].text
    # "Inference:" and a bold line naming no block stay inside the block's text.
    assert value == (
        "Warn people a day earlier.\n\nInference: our first thought was a phone alert; see Decision.\n\n"
        "**Note**\nBold lines that name no block stay in the text."
    )
    assert canvas.blocks["inference"].text == ""
    assert canvas.blocks["decision"].text == "The civil defence decides whether to send an alert."
    assert canvas.blocks["metrics_and_evaluation"].text == (
        "**Metrics**\n\nRecall of floods.\n\n**Evaluation**\n\nTwo past seasons held out."
    )


def test_the_templates_own_prompts_are_taken_out_and_reported() -> None:
    result = import_source(DATA / "with-prompts.md")
    assert result.canvas.blocks["background"].text == "Our shop loses 5% of orders to fraud."
    assert (
        'heading "Background" (line 1): 2 line(s) of the template\'s own guidance taken out'
        in result.left_out
    )
    # A question that is not the template's stays.
    assert result.canvas.blocks["objectives"].text.startswith("- What are the specific objectives")


def test_the_canvas_file_keeps_the_unplaced_sections_in_one_table(tmp_path: Path) -> None:
    out = tmp_path / "made.canvas.toml"
    result = import_source(DATA / "made-with-ml.md")
    out.write_text(canvas_toml(result, out), encoding="utf-8")
    data = tomllib.loads(out.read_text(encoding="utf-8"))
    assert data["imported"] == result.unplaced
    document = CanvasFile.load(out)
    assert document.warnings == []
    assert document.canvas.blocks["feedback"].text == "Users can accept or reject a suggested tag."
    # A save keeps the table (the storage layer keeps tables it does not know).
    document.canvas.set_text("feedback", "Changed.")
    document.save()
    assert tomllib.loads(out.read_text(encoding="utf-8"))["imported"] == result.unplaced


@pytest.mark.parametrize(
    ("heading", "block"),
    [
        ("## Live Evaluation and Monitoring", "monitoring"),
        ("### ML Task", "prediction_task"),
        ("# 3) Collecting Data:", "data_collection"),
        ("## **Offline Evaluation**", "impact_simulation"),
        ("## Fontes de Dados [Data Sources]", "data_sources"),
        ("## Building Models", "building_models"),
    ],
)
def test_older_and_decorated_names_of_dorards_blocks(tmp_path: Path, heading: str, block: str) -> None:
    source = tmp_path / "canvas.md"
    source.write_text(f"{heading}\n\nText.\n", encoding="utf-8")
    result = import_source(source, "machine-learning-canvas-v1.1")
    assert result.canvas.blocks[block].text == "Text."


def test_inline_labels_start_sections_and_a_date_in_portuguese_stays_a_date() -> None:
    result = import_source(DATA / "inline-labels.md")
    canvas = result.canvas
    # Dorard's own titles ("Decisions", "Data Sources") settle the choice of canvas.
    assert canvas.template.id == "machine-learning-canvas-v1.1"
    assert (canvas.fields["product"], canvas.fields["date"]) == ("Detector de fraude", "2024-05-02")
    assert canvas.blocks["value_proposition"].text == "bloquear fraudes antes do envio.\nMenos estornos."
    assert canvas.blocks["decisions"].text == "a transação fica retida para revisão."
    # A bold label naming no block stays in the text of the block before it.
    assert canvas.blocks["data_sources"].text == (
        "logs de pagamento; cadastro de clientes.\n\n**Nota:** isto continua em Data Sources."
    )
    assert canvas.blocks["data_collection"].text == ""  # "**Data**: 2024-05-02" is the date, not a block


def test_a_markdown_export_from_before_the_hidden_comment_comes_back_but_for_blank_edges() -> None:
    """An export made before this version (tests' copy of the golden file of then) has no hidden
    comment: the status in each heading, the header table and the texts come back; the blank lines
    around a text, which that export did not keep, do not."""
    from tests.conftest import EXAMPLE

    from canvas_tui.storage import CanvasFile

    example = CanvasFile.load(EXAMPLE).canvas
    result = import_source(DATA / "export-before-this-version.md")
    canvas = result.canvas
    assert canvas.template.id == example.template.id
    assert canvas.fields == example.fields
    for block_id, block in example.blocks.items():
        assert canvas.blocks[block_id].text == block.text.strip("\n"), block_id
        assert canvas.blocks[block_id].status is block.status, block_id
    assert result.unplaced == {} and result.left_out == []
