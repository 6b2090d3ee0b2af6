"""Each lint rule: a canvas it must flag, and a near miss it must leave alone.

False alarms are worse than silence, so every near miss is a text a careful team could write.
"""

from __future__ import annotations

import pytest
from tests.conftest import EXAMPLE

from canvas_tui.lint import RULE_IDS, RULES, by_block, findings, off_list, rules_for
from canvas_tui.model import Canvas, Status, Template
from canvas_tui.model.conflicts import conflict_text, settle_conflict
from canvas_tui.storage import CanvasFile


def canvas_with(template: Template, block_id: str, text: str, status: Status = Status.DRAFT) -> Canvas:
    canvas = Canvas.new(template)
    canvas.set_text(block_id, text)
    canvas.set_status(block_id, status)
    return canvas


def rule_ids(canvas: Canvas, block_id: str) -> list[str]:
    return [f.rule_id for f in findings(canvas) if f.block_id == block_id]


# (rule, block, text that must be flagged, near miss that must stay quiet, status)
CASES = [
    (
        "objectives-measurable",
        "objectives",
        "Reduce churn significantly and make the retention team much more effective.",
        "Reduce monthly churn among contacted subscribers by fifteen percent within a year.",
    ),
    (
        "objectives-measurable",
        "objectives",
        "Improve customer satisfaction and catch churners earlier than today.",
        "Lower monthly churn from 4.2% to 3.6% by the end of next year.",
    ),
    (
        "metrics-named",
        "metrics_and_evaluation",
        "We check with the retention team whether the flagged subscribers look right to them, "
        "compared with the current rule.",
        "We check precision in the top flags with the retention team, compared with the current rule.",
    ),
    (
        "metrics-baseline",
        "metrics_and_evaluation",
        "We report precision, recall and PR-AUC on a held-out test set with 5-fold cross-validation.",
        "We report precision, recall and PR-AUC on a held-out test set against the skip rule baseline.",
    ),
    (
        "metrics-baseline",
        "metrics_and_evaluation",
        "Model quality is tracked with the F1 score on the last two months of data.",
        "Model quality is tracked with the F1 score, which must stay at 0.7 or more.",
    ),
    (
        "lifetime-conditions",
        "lifetime",
        "We watch input drift in a dashboard and page the team when it grows.",
        "We watch input drift; retrain when PSI passes 0.2, and retire the model if the rule beats it.",
    ),
    (
        "lifetime-conditions",
        "lifetime",
        "Retrain monthly on a rolling window, and after any drift alert.",
        "Retrain monthly on a rolling window; decommission it when the product line closes.",
    ),
    (
        "guidance-text",
        "background",
        "Describe the context, including the problem and business need. Explain why this ML "
        "project is important",
        "Describe the context: subscribers cancel without warning and the retention team hears of "
        "it too late, losing about 2M a month.",
    ),
    (
        "guidance-text",
        "security",
        "What risks exist for data breaches or leaks, and how will you mitigate them?\n"
        "How will you safeguard against adversarial attacks on the model?",
        "What risks exist for data breaches? The daily list links customers to churn risk, so it "
        "stays inside the CRM with exports disabled and access logged.",
    ),
    (
        "conflict-marker",
        "decision",
        "Agents decide.\n<<<<<<< ours (main)\nCall them.\n=======\nEmail them.\n>>>>>>> theirs (b)\n",
        "Agents decide.\n\nA heading\n=======\n\nUse <<<<<<<< and >>>>>>> arrows in the text.",
    ),
]


@pytest.mark.parametrize(("rule", "block", "flagged", "near_miss"), CASES)
def test_rule_flags_and_near_miss_is_quiet(
    template: Template, rule: str, block: str, flagged: str, near_miss: str
) -> None:
    assert rule in rule_ids(canvas_with(template, block, flagged), block)
    assert rule_ids(canvas_with(template, block, near_miss), block) == []


def test_every_rule_has_a_case() -> None:
    assert {case[0] for case in CASES} | {"done-but-thin"} == set(RULE_IDS)


def test_done_but_thin_flags_an_empty_or_few_word_done_block(template: Template) -> None:
    assert rule_ids(canvas_with(template, "inference", "", Status.DONE), "inference") == ["done-but-thin"]
    assert rule_ids(canvas_with(template, "inference", "Batch job, nightly.", Status.DONE), "inference") == [
        "done-but-thin"
    ]
    message = findings(canvas_with(template, "inference", "TBD", Status.DONE))[0].message
    assert "has only 1 word" in message and "Describe the deployment process" in message


def test_done_but_thin_near_misses(template: Template) -> None:
    short = "A nightly Airflow job scores every subscriber."
    assert rule_ids(canvas_with(template, "inference", short, Status.DONE), "inference") == []
    # A draft may be short; a skipped block is not applicable.
    assert rule_ids(canvas_with(template, "inference", "TBD", Status.DRAFT), "inference") == []
    assert rule_ids(canvas_with(template, "inference", "", Status.SKIP), "inference") == []


def test_empty_and_skipped_blocks_are_not_reviewed(template: Template) -> None:
    canvas = Canvas.new(template)
    assert findings(canvas) == []
    canvas.set_text("lifetime", "We keep an eye on it.")
    canvas.set_status("lifetime", Status.SKIP)
    assert findings(canvas) == []


def test_conflict_marker_is_found_even_in_a_skipped_block_and_names_the_line(template: Template) -> None:
    canvas = canvas_with(template, "fairness", "Fine.\n<<<<<<< ours\na\n=======\nb\n>>>>>>> theirs\n")
    canvas.set_status("fairness", Status.SKIP)
    [finding] = findings(canvas)
    assert finding.rule_id == "conflict-marker"
    assert "line 2" in finding.message


def test_a_conflict_between_longer_markers_is_found_on_its_first_line(template: Template) -> None:
    # A side that holds `=========` gets markers of ten: the rule finds the conflict, not the text.
    text = "Fine.\n" + conflict_text("Plan\n=========", "Other plan", "ours (main)", "theirs (b)")
    canvas = canvas_with(template, "fairness", text)
    [finding] = findings(canvas)
    assert finding.rule_id == "conflict-marker"
    assert "line 2" in finding.message
    settled = canvas_with(template, "fairness", settle_conflict(text, "ours"))
    assert rule_ids(settled, "fairness") == []


def test_the_example_canvas_has_no_findings() -> None:
    """The bundled example is a well-filled canvas: any finding here would be a false alarm."""
    document = CanvasFile.load(EXAMPLE)
    assert findings(document.canvas) == []


def test_rules_can_be_turned_off(template: Template) -> None:
    canvas = canvas_with(template, "objectives", "Make customers happier.")
    assert rule_ids(canvas, "objectives") == ["objectives-measurable"]
    assert findings(canvas, off=["objectives-measurable"]) == []


def test_findings_group_by_block(template: Template) -> None:
    canvas = canvas_with(template, "objectives", "Make customers happier.")
    canvas.set_text("lifetime", "We watch drift.")
    grouped = by_block(findings(canvas))
    assert list(grouped) == ["objectives", "lifetime"]


def test_every_description_is_one_line_and_mlops_rules_quote_the_guide() -> None:
    for rule in RULES:
        assert "\n" not in rule.description and rule.description.endswith(".")
        if rule.templates is not None:
            assert '"' in rule.description, rule.id


def test_mlops_rules_apply_to_the_mlops_canvas_only() -> None:
    assert [rule.id for rule in rules_for("my-canvas")] == [
        "conflict-marker",
        "guidance-text",
        "done-but-thin",
    ]
    assert len(rules_for("mlops-canvas-v1.1")) == len(RULES)


def test_off_list_reads_known_ids_and_warns_about_the_rest() -> None:
    assert off_list({}, "c.toml") == ([], [])
    off, warnings = off_list({"lint": {"off": ["guidance-text", "nope"]}}, "c.toml")
    assert off == ["guidance-text"]
    assert warnings == [
        "c.toml: field 'lint.off' names an unknown rule 'nope' (rules: " + ", ".join(RULE_IDS) + ")"
    ]
    off, warnings = off_list({"lint": {"off": "guidance-text"}}, "c.toml")
    assert off == [] and "must be a list of rule ids" in warnings[0]
    off, warnings = off_list({"lint": 3}, "c.toml")
    assert off == [] and "must be a table" in warnings[0]
