"""The bundled template describes the official canvas, and a broken template is refused clearly."""

from __future__ import annotations

import copy
import datetime as dt
import re
import tomllib
import unicodedata
from collections.abc import Callable
from importlib import resources
from typing import Any

import pytest

from canvas_tui.model import FieldTypeError, HeaderField, Template, TemplateError
from canvas_tui.model.template import parse_template
from canvas_tui.templates import DEFAULT_TEMPLATE, available_templates, load_template

# The official layout (design.md §2), in fill order: block id -> (column, first row, row span).
OFFICIAL_LAYOUT: dict[str, tuple[str, int, int]] = {
    "background": ("problem", 1, 2),
    "value_proposition": ("problem", 3, 2),
    "objectives": ("problem", 5, 2),
    "data_collection": ("data", 1, 3),
    "data_verification_and_governance": ("data", 4, 3),
    "modelling": ("model", 1, 2),
    "metrics_and_evaluation": ("model", 3, 2),
    "model_governance": ("model", 5, 2),
    "inference": ("operations", 1, 3),
    "decision": ("operations", 4, 3),
    "feedback": ("monitoring", 1, 3),
    "lifetime": ("monitoring", 4, 3),
    "fairness": ("risk", 1, 2),
    "explainability": ("risk", 3, 2),
    "security": ("risk", 5, 2),
}

# Copied from the seed (shared/seed/mlops-canvas-v1.1-seed.txt), which CI does not have.
# Background's has no final full stop in the seed either.
SEED_GUIDANCE = {
    "background": (
        "Describe the context, including the problem and business need. "
        "Explain why this ML project is important"
    ),
    "metrics_and_evaluation": (
        "Specify the performance metrics and evaluation methods. "
        "Describe how the model's effectiveness will be assessed."
    ),
    "security": (
        "Identify risks related to data breaches, adversarial attacks, and system vulnerabilities. "
        "Include measures for safeguarding data and ensuring model robustness against malicious "
        "exploitation."
    ),
}

LIGATURES = ("ﬁ", "ﬂ", "ﬀ", "ﬃ", "ﬄ")


def test_default_template_is_the_mlops_canvas(template: Template) -> None:
    assert DEFAULT_TEMPLATE == "mlops-canvas-v1.1"
    assert DEFAULT_TEMPLATE in available_templates()
    assert template.id == "mlops-canvas-v1.1"
    assert template.title == "Machine Learning Operations Canvas (v1.1)"
    assert template.licence == "Apache-2.0"
    assert "Nicki Skafte Detlefsen" in template.attribution
    assert template.rows == 6


def test_header_fields_are_product_designed_by_date_iteration(template: Template) -> None:
    assert [(f.id, f.label, f.kind) for f in template.fields] == [
        ("product", "Product name", "text"),
        ("designed_by", "Designed by", "text"),
        ("date", "Date", "date"),
        ("iteration", "Iteration", "integer"),
    ]


def test_columns_in_official_order(template: Template) -> None:
    assert [(c.id, c.title) for c in template.columns] == [
        ("problem", "Problem"),
        ("data", "Data"),
        ("model", "Model"),
        ("operations", "Operations"),
        ("monitoring", "Monitoring"),
        ("risk", "Risk"),
    ]
    assert all(c.rationale.strip() for c in template.columns)


def test_every_block_sits_where_the_official_canvas_puts_it(template: Template) -> None:
    layout = {spec.id: (spec.column, spec.row, spec.row_span) for spec in template.blocks}
    assert layout == OFFICIAL_LAYOUT


def test_fill_order_is_left_to_right_top_to_bottom(template: Template) -> None:
    assert template.block_ids == tuple(OFFICIAL_LAYOUT)


def test_blocks_in_column_are_top_to_bottom(template: Template) -> None:
    assert [b.id for b in template.blocks_in("model")] == [
        "modelling",
        "metrics_and_evaluation",
        "model_governance",
    ]


def test_75_questions_five_per_block(template: Template) -> None:
    assert all(len(spec.questions) == 5 for spec in template.blocks)
    assert sum(len(spec.questions) for spec in template.blocks) == 75


def test_each_question_is_one_plain_sentence_ending_in_a_question_mark(
    template: Template,
) -> None:
    for spec in template.blocks:
        for question in spec.questions:
            where = f"{spec.id}: {question!r}"
            assert question == question.strip(), where
            assert question.endswith("?"), where
            assert question.count("?") == 1, where
            assert "\n" not in question and "  " not in question, where
            assert question[0].isupper(), where
            assert not any(lig in question for lig in LIGATURES), where
            assert unicodedata.normalize("NFKC", question) == question, where


def test_guidance_and_titles_have_no_ligatures(template: Template) -> None:
    for spec in template.blocks:
        for text in (spec.title, spec.short_title, spec.guidance):
            assert not any(lig in text for lig in LIGATURES), spec.id


@pytest.mark.parametrize("block_id", sorted(SEED_GUIDANCE))
def test_guidance_is_the_seed_text(template: Template, block_id: str) -> None:
    assert template.block(block_id).guidance == SEED_GUIDANCE[block_id]


def test_unknown_template_id_is_a_template_error() -> None:
    with pytest.raises(TemplateError, match=r"unknown template 'nope' \(known: .*mlops-canvas-v1\.1"):
        load_template("nope")


# -- a broken template is refused, naming the source and the field ------------------------------


def bundled_data() -> dict[str, Any]:
    entry = resources.files("canvas_tui.templates").joinpath(f"{DEFAULT_TEMPLATE}.toml")
    return tomllib.loads(entry.read_text(encoding="utf-8"))


def test_the_bundled_data_parses_unchanged() -> None:
    """The broken-template cases below start from this data, so it must itself be valid."""
    assert parse_template(bundled_data(), "bundled.toml") == load_template()


def _without_guidance(data: dict[str, Any]) -> None:
    del data["blocks"][0]["guidance"]


def _span_past_last_row(data: dict[str, Any]) -> None:
    data["blocks"][2]["row_span"] = 3  # objectives starts on row 5 of 6


def _span_zero(data: dict[str, Any]) -> None:
    data["blocks"][0]["row_span"] = 0


def _span_overlapping(data: dict[str, Any]) -> None:
    data["blocks"][0]["row_span"] = 3  # background would cover value_proposition's row 3


def _unknown_column(data: dict[str, Any]) -> None:
    data["blocks"][1]["column"] = "finance"


def _duplicate_block_id(data: dict[str, Any]) -> None:
    data["blocks"][1]["id"] = "background"


def _duplicate_column_id(data: dict[str, Any]) -> None:
    data["columns"][1]["id"] = "problem"


def _fill_order_missing_a_block(data: dict[str, Any]) -> None:
    data["fill_order"].remove("security")


def _questions_not_strings(data: dict[str, Any]) -> None:
    data["blocks"][0]["questions"] = [1, 2]


def _no_rows(data: dict[str, Any]) -> None:
    del data["rows"]


def _bad_field_kind(data: dict[str, Any]) -> None:
    data["fields"][3]["kind"] = "float"


@pytest.mark.parametrize(
    ("breakage", "field", "problem"),
    [
        (_without_guidance, "blocks[0].guidance", "must be a non-empty string"),
        (_span_past_last_row, "blocks[2].row_span", "runs past the last row"),
        (_span_zero, "blocks[0].row_span", "must be a positive integer"),
        (_span_overlapping, "blocks", "do not tile column 'problem'"),
        (_unknown_column, "blocks[1].column", "unknown column 'finance'"),
        (_duplicate_block_id, "blocks[1].id", "repeats the id 'background'"),
        (_duplicate_column_id, "columns", "duplicate ids"),
        (_fill_order_missing_a_block, "fill_order", "every block id"),
        (_questions_not_strings, "blocks[0].questions", "array of strings"),
        (_no_rows, "rows", "positive integer"),
        (_bad_field_kind, "fields[3].kind", "must be one of"),
    ],
)
def test_broken_template_names_source_and_field(
    breakage: Callable[[dict[str, Any]], None], field: str, problem: str
) -> None:
    data = copy.deepcopy(bundled_data())
    breakage(data)
    with pytest.raises(TemplateError) as caught:
        parse_template(data, "broken.toml")
    message = str(caught.value)
    assert message.startswith(f"broken.toml: field '{field}' "), message
    assert problem in message
    assert "\n" not in message


# -- header fields: one definition for the file and the form ---------------------------------------

ITERATION = HeaderField("iteration", "Iteration", "integer")
DATE = HeaderField("date", "Date", "date")
PRODUCT = HeaderField("product", "Product name", "text")


def test_a_field_reads_the_values_a_file_may_hold() -> None:
    assert ITERATION.from_file(3) == 3
    assert DATE.from_file(dt.date(2026, 11, 26)) == "2026-11-26"
    assert DATE.from_file("next spring") == "next spring"  # text in a date field is kept as written
    assert PRODUCT.from_file("Churn\r\nwarning") == "Churn\nwarning"


@pytest.mark.parametrize(
    ("spec", "value", "expected"),
    [
        (ITERATION, True, "an integer"),
        (ITERATION, "3", "an integer"),
        (ITERATION, 0, "1 or more"),
        (ITERATION, -5, "1 or more"),
        (PRODUCT, 3, "a string"),
    ],
)
def test_a_field_refuses_what_it_cannot_hold_from_a_file(
    spec: HeaderField, value: object, expected: str
) -> None:
    with pytest.raises(FieldTypeError) as caught:
        spec.from_file(value)
    assert caught.value.expected == expected


def test_a_field_parses_what_a_person_typed() -> None:
    assert ITERATION.parse("4") == 4
    assert DATE.parse(" 2026-11-26 ") == "2026-11-26"
    assert DATE.parse("  ") == "  "  # an empty date is allowed
    assert PRODUCT.parse("Churn") == "Churn"


@pytest.mark.parametrize(
    ("spec", "typed", "message"),
    [
        (ITERATION, "four", "Iteration must be a whole number."),
        (ITERATION, "", "Iteration must be a whole number."),
        (ITERATION, "-5", "Iteration must be a whole number of 1 or more."),
        (ITERATION, "0", "Iteration must be a whole number of 1 or more."),
        (DATE, "26/11/2026", "Date must be a date like 2026-11-26."),
    ],
)
def test_a_field_tells_a_person_what_it_needs(spec: HeaderField, typed: str, message: str) -> None:
    with pytest.raises(ValueError, match="^" + re.escape(message) + "$"):
        spec.parse(typed)
