"""A review of a draft canvas, rule by rule, the way a course teacher would read it. No Textual.

Each rule has an id (to turn it off), the templates it applies to (None: every template), and a
one-line description that quotes the guide's own wording, so a finding can always say why. Rules
are written to stay quiet on a good canvas: a false alarm costs more trust than a missed one, so
every check looks for the *absence* of any sign of an answer, and is generous about what counts.

Content rules read what is written: an empty block is not reviewed (its status already says it
is to do) and a skipped block is "not applicable here". The conflict-marker rule reads every block.

Turning rules off: `[lint] off = ["rule-id", ...]` in the canvas file (that canvas) or in
config.toml (every canvas of that user). `findings(canvas, off)` is what the app calls.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from canvas_tui.model import Block, BlockSpec, Canvas, Status
from canvas_tui.model.conflicts import first_marker

if TYPE_CHECKING:
    from canvas_tui.storage import CanvasFile

MLOPS = "mlops-canvas-v1.1"

DONE_MIN_WORDS = 6
"""A block marked done with fewer words than this is 'a few words'."""

GUIDANCE_SHARE = 0.6
"""A text whose word triples are at least this share from the guide's prompt is still the prompt."""


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing the review found in one block."""

    block_id: str
    rule_id: str
    message: str


@dataclass(frozen=True, slots=True)
class Report:
    """One canvas reviewed: the rules turned off for it, and what the others found."""

    document: CanvasFile
    off: list[str]
    found: list[Finding]


def reports_data(reports: Iterable[Report]) -> dict[str, Any]:
    """`canvas-tui lint --json`: every canvas reviewed and the number of findings (schema in
    docs/lint.md), beside status_data and CanvasDiff.as_data, so scripts read one shape per command."""
    files = [
        {
            "file": str(report.document.path),
            "template": report.document.canvas.template.id,
            "off": report.off,
            "findings": [
                {
                    "block": f.block_id,
                    "title": report.document.canvas.template.block(f.block_id).title,
                    "rule": f.rule_id,
                    "message": f.message,
                }
                for f in report.found
            ],
        }
        for report in reports
    ]
    return {"files": files, "count": sum(len(file["findings"]) for file in files)}


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    description: str
    """One line: what the rule looks for, quoting the guide."""
    check: Callable[[Canvas, BlockSpec, Block], str | None]
    """The finding's message for one block, or None when the block passes."""
    blocks: tuple[str, ...] | None = None
    """The block ids it reads (None: every block)."""
    templates: tuple[str, ...] | None = None
    """The templates it applies to (None: every template)."""
    reads_empty: bool = False
    """Whether it also reads empty and skipped blocks."""

    def applies_to(self, template_id: str) -> bool:
        return self.templates is None or template_id in self.templates


# -- text helpers ---------------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", unicodedata.normalize("NFKC", text).casefold())


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, unicodedata.normalize("NFKC", text), re.IGNORECASE | re.MULTILINE) is not None


def _first_sentence(text: str) -> str:
    sentence = re.split(r"(?<=[.?!])\s", " ".join(text.split()), maxsplit=1)[0]
    return sentence


# -- rules for every template ---------------------------------------------------------------------

_MARKER = re.compile(r"^(?:<{7}|>{7}|\|{7})(?: |$)", re.MULTILINE)


def _conflict_marker(canvas: Canvas, spec: BlockSpec, block: Block) -> str | None:
    match = _MARKER.search(block.text)
    found = (match.start() if match else None, first_marker(block.text))  # first_marker: longer ones too
    starts = [start for start in found if start is not None]
    if not starts:
        return None
    line = block.text.count("\n", 0, min(starts)) + 1
    return (
        f"a merge conflict marker is left on line {line} of the text; keep the right version "
        "and delete the lines starting <<<<<<<, ======= and >>>>>>>"
    )


def _trigrams(words: list[str]) -> list[tuple[str, ...]]:
    return [tuple(words[i : i + 3]) for i in range(len(words) - 2)]


def _guidance_text(canvas: Canvas, spec: BlockSpec, block: Block) -> str | None:
    words = _words(block.text)
    if len(words) < 3:
        return None
    prompt = set(_trigrams(_words(spec.guidance)))
    for question in spec.questions:
        prompt |= set(_trigrams(_words(question)))
    own = _trigrams(words)
    share = sum(1 for gram in own if gram in prompt) / len(own)
    if share < GUIDANCE_SHARE:
        return None
    return (
        f'the text is still mostly the guide\'s prompt ("{_first_sentence(spec.guidance)}"); '
        "write this canvas's answer in its place"
    )


def _done_but_thin(canvas: Canvas, spec: BlockSpec, block: Block) -> str | None:
    if block.status is not Status.DONE:
        return None
    count = len(block.text.split())
    if count >= DONE_MIN_WORDS:
        return None
    said = "is empty" if count == 0 else f"has only {count} word{'s' if count != 1 else ''}"
    return (
        f'marked done but {said}; the block asks: "{_first_sentence(spec.guidance)}" '
        "(use skip when it does not apply)"
    )


# -- rules for the MLOps canvas -------------------------------------------------------------------

_NUMBER_WORDS = (
    r"\d|%|\bper ?cent|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|thirty|fifty|hundred|thousand|million|billion|half|halve|double|twice|triple|third|"
    r"quarter|dozen)\b"
)


def _objectives_measurable(canvas: Canvas, spec: BlockSpec, block: Block) -> str | None:
    if _has(_NUMBER_WORDS, block.text):
        return None
    return (
        "names no measurable target (no number, percentage or amount); the guide asks for "
        '"specific, measurable goals" and "clear performance thresholds or benchmarks"'
    )


_METRICS = (
    r"metric|accuracy|precision|recall|\bf[ -]?(?:1|beta|score)|\bauc|roc|auprc|\bap\b|map@|"
    r"\bmap\b|rmse|mae|mse|mape|smape|\br2\b|r²|r-squared|log[ -]?loss|"
    r"cross[ -]?entropy|brier|calibrat|ndcg|mrr|hit[ -]?rate|bleu|rouge|perplexity|\biou\b|"
    r"\bdice\b|latency|throughput|error|sensitivity|specificity|true positive|false positive|"
    r"false negative|\b[tf][pn]r\b|kappa|\bmcc\b|\bwer\b|\bcer\b|top[ -]?\d|coverage|"
    r"click[ -]?through|\bctr\b|conversion|uplift|\blift\b|score|\brate\b|likelihood|loss\b|"
    r"auroc|gini|ks statistic|\bmape\b|mean absolute|mean squared|deviation"
)


def _metrics_named(canvas: Canvas, spec: BlockSpec, block: Block) -> str | None:
    if _has(_METRICS, block.text):
        return None
    return (
        "names no metric (such as precision, recall, RMSE or latency); the guide asks to "
        '"Specify the performance metrics and evaluation methods"'
    )


_BASELINE = (
    r"baseline|benchmark|threshold|target|\bgoal|compar|\bvs\.?\b|versus|better than|worse than|"
    r"beat|outperform|at least|at most|no less|no more|minimum|maximum|\bmin\b|\bmax\b|above|"
    r"below|\bunder\b|\bover\b|exceed|[<>≥≤]|must (?:reach|be|stay|not)|current|existing|"
    r"rule[- ]based|heuristic|human|manual|champion|production model|status quo|random|"
    r"\d+(?:[.,]\d+)?\s*%|\b\d*\.\d+\b"
)


def _metrics_baseline(canvas: Canvas, spec: BlockSpec, block: Block) -> str | None:
    if _has(_BASELINE, block.text):
        return None
    return (
        'sets no threshold or baseline to judge the metrics by; the guide asks "What baseline or '
        'benchmarks will you compare the model against?"'
    )


_RETRAINING = (
    r"re-?train|re-?fit|train(?:ed|s|ing)? (?:it |the model )?again|fine[- ]?tun|re-?calibrat|"
    r"model updates?|updat\w* (?:the |a )?model|new (?:model )?versions?|refresh|re-?learn|"
    r"online learning|continual|incremental"
)
_DECOMMISSIONING = (
    r"decommission|retir|sunset|shut (?:it )?down|shutdown|switch(?:ed)? (?:it )?off|turn(?:ed)? "
    r"(?:it )?off|end[- ]of[- ]life|deprecat|replac|phase[ds]? out|withdr[ae]w|discontinu|"
    r"stop using|take (?:it |the model )?(?:out|offline)|taken (?:out|offline)|kill[- ]switch|"
    r"fall(?:s)? ?back|switch back|revert|roll ?back|remov\w* (?:the |a )?model|lifespan|expire"
)


def _lifetime_conditions(canvas: Canvas, spec: BlockSpec, block: Block) -> str | None:
    missing = [
        name
        for name, pattern in (("retraining", _RETRAINING), ("decommissioning", _DECOMMISSIONING))
        if not _has(pattern, block.text)
    ]
    if not missing:
        return None
    said = " or ".join(missing)
    asked = " and ".join(f'"conditions for {name}"' for name in missing)
    return f"says nothing of {said}; the guide asks for {asked}"


RULES: tuple[Rule, ...] = (
    Rule(
        "conflict-marker",
        "A git merge conflict left in a block: a line starting <<<<<<< or >>>>>>> (the canvas "
        "file keeps both sides of a conflict inside the block's text until you choose).",
        _conflict_marker,
        reads_empty=True,
    ),
    Rule(
        "guidance-text",
        "The block's text is still the template's own prompt (its guidance or its guiding "
        "questions), not an answer to it.",
        _guidance_text,
    ),
    Rule(
        "done-but-thin",
        f"A block marked done that is empty or has fewer than {DONE_MIN_WORDS} words: done means "
        "the block answers its prompt.",
        _done_but_thin,
        reads_empty=True,
    ),
    Rule(
        "objectives-measurable",
        'Objectives names no number, percentage or amount: the guide asks to "State the specific, '
        'measurable goals of the ML project".',
        _objectives_measurable,
        blocks=("objectives",),
        templates=(MLOPS,),
    ),
    Rule(
        "metrics-named",
        'Metrics and Evaluation names no metric: the guide asks to "Specify the performance '
        'metrics and evaluation methods".',
        _metrics_named,
        blocks=("metrics_and_evaluation",),
        templates=(MLOPS,),
    ),
    Rule(
        "metrics-baseline",
        'Metrics and Evaluation sets no threshold or baseline: the guide asks "What baseline or '
        'benchmarks will you compare the model against?".',
        _metrics_baseline,
        blocks=("metrics_and_evaluation",),
        templates=(MLOPS,),
    ),
    Rule(
        "lifetime-conditions",
        'Lifetime says nothing of retraining or of decommissioning: the guide asks for "conditions '
        'for retraining, and conditions for decommissioning".',
        _lifetime_conditions,
        blocks=("lifetime",),
        templates=(MLOPS,),
    ),
)

RULE_IDS = tuple(rule.id for rule in RULES)


def rules_for(template_id: str) -> list[Rule]:
    """The rules that apply to canvases of a template."""
    return [rule for rule in RULES if rule.applies_to(template_id)]


def findings(canvas: Canvas, off: Iterable[str] = ()) -> list[Finding]:
    """Every finding on `canvas`, block by block in fill order, rules in their order; the rules
    whose ids are in `off` are not run."""
    skip = set(off)
    return [found for spec in canvas.template.blocks for found in block_findings(canvas, spec.id, skip)]


def block_findings(canvas: Canvas, block_id: str, off: Iterable[str] = ()) -> list[Finding]:
    """The findings on one block (the app reviews a block as it changes, not the whole canvas)."""
    skip = set(off)
    spec, block = canvas.template.block(block_id), canvas.blocks[block_id]
    blank = not block.text.strip() or block.status is Status.SKIP
    found: list[Finding] = []
    for rule in rules_for(canvas.template.id):
        if rule.id in skip or (rule.blocks is not None and block_id not in rule.blocks):
            continue
        if blank and not rule.reads_empty:
            continue
        message = rule.check(canvas, spec, block)
        if message is not None:
            found.append(Finding(block_id, rule.id, message))
    return found


def by_block(found: Iterable[Finding]) -> dict[str, list[Finding]]:
    """Findings grouped by block id (for a card's mark and a block's guidance panel)."""
    grouped: dict[str, list[Finding]] = {}
    for finding in found:
        grouped.setdefault(finding.block_id, []).append(finding)
    return grouped


# -- which rules are off --------------------------------------------------------------------------


def off_list(data: Mapping[str, Any], where: str) -> tuple[list[str], list[str]]:
    """The rule ids in a `[lint] off = [...]` table of parsed TOML, and warnings for what is wrong
    there (`where` names the file). Unknown ids are warned about and ignored."""
    table = data.get("lint")
    if table is None:
        return [], []
    if not isinstance(table, Mapping):
        return [], [f"{where}: 'lint' must be a table: [lint]; ignoring it"]
    value = table.get("off", [])
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        return [], [f"{where}: field 'lint.off' must be a list of rule ids, like off = [\"{RULE_IDS[0]}\"]"]
    off, warnings = [], []
    for item in value:
        if item in RULE_IDS:
            off.append(item)
        else:
            warnings.append(
                f"{where}: field 'lint.off' names an unknown rule '{item}' (rules: {', '.join(RULE_IDS)})"
            )
    return off, warnings


def rules_off(document: CanvasFile, user_off: Iterable[str] = ()) -> tuple[list[str], list[str]]:
    """The rules turned off for one canvas, sorted: the user's own (config.toml) and the canvas's
    `[lint]` table; with warnings for what is wrong in that table. The editor and `canvas-tui lint`
    both ask here, so a rule off for one is off for the other. A canvas not yet saved has no table
    of its own, and a text that is not TOML turns nothing off (opening it says what is wrong)."""
    from canvas_tui.storage import readback

    canvas_off: list[str] = []
    warnings: list[str] = []
    if document.exists:
        try:
            # readback.loads: tomllib's result without its slow scan of long block texts.
            data = readback.loads(document.text.removeprefix("\ufeff"))
        except ValueError:
            data = {}
        canvas_off, warnings = off_list(data, str(document.path))
    return sorted(set(user_off) | set(canvas_off)), warnings
