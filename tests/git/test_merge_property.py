"""The merge driver's rules, over random base/ours/theirs canvases (hypothesis).

- A change only one side made is never dropped: a block's text, a block's status and a header
  field changed on one side only are the merged value (a status in a block whose text is in
  conflict is draft by rule: the block needs a decision; both texts are there).
- A merge of X with itself is X (also from any base), and clean.
- A text both sides changed merges line by line: edits of different lines are both taken, with no
  conflict; lines both changed differently are held between markers that name the sides, and the
  block is then draft. The file the driver writes reads back (tomllib) as exactly the merge.
"""

from __future__ import annotations

import tempfile
import tomllib
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.budget import examples

from canvas_tui.git import merge_files, merge_snapshots
from canvas_tui.model import BlockValue, Canvas, FieldValue, Snapshot, Status
from canvas_tui.model.conflicts import has_conflict_marker
from canvas_tui.model.line_merge import merge_lines
from canvas_tui.storage import CanvasFile
from canvas_tui.templates import load_template

TEMPLATE = load_template()
BLOCK_IDS = TEMPLATE.block_ids

texts = st.one_of(
    st.sampled_from(["", "A line.", "Two\nlines", 'Quotes " and \\ backslash', "emoji 🚀 and 中文"]),
    st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\r"), max_size=30),
)
block_values = st.builds(BlockValue, texts, st.sampled_from(list(Status)))
field_values: st.SearchStrategy[dict[str, FieldValue]] = st.fixed_dictionaries(
    {
        "product": st.sampled_from(["", "Churn", "Churn early warning"]),
        "designed_by": st.sampled_from(["", "Growth", "Data team"]),
        "date": st.sampled_from(["2026-01-01", "2026-02-01", "2026-03-15"]),
        "iteration": st.integers(1, 5),
    }
)


@st.composite
def snapshots(draw: st.DrawFn) -> Snapshot:
    return Snapshot(draw(field_values), {block_id: draw(block_values) for block_id in BLOCK_IDS})


@st.composite
def line_edit(draw: st.DrawFn, text: str) -> str:
    """`text` with one line replaced, removed or added: teammates editing one paragraph each."""
    lines = text.split("\n")
    where = draw(st.integers(0, len(lines)))
    new = draw(st.sampled_from(["weekly", "fortnightly", "A line.", "Owner: Ana", ""]))
    how = draw(st.sampled_from(["replace", "remove", "add"]))
    if how == "add" or where == len(lines):
        lines.insert(where, new)
    elif how == "remove":
        del lines[where]
    else:
        lines[where] = new
    return "\n".join(lines)


@st.composite
def edited(draw: st.DrawFn, base: Snapshot) -> Snapshot:
    """`base` with some blocks' text and/or status and some fields changed."""
    blocks = dict(base.blocks)
    for block_id in draw(st.lists(st.sampled_from(BLOCK_IDS), max_size=6, unique=True)):
        old = blocks[block_id]
        text = draw(st.one_of(st.just(old.text), texts, line_edit(old.text)))
        status = draw(st.one_of(st.just(old.status), st.sampled_from(list(Status))))
        blocks[block_id] = BlockValue(text, status)
    fields = dict(base.fields)
    changed = draw(field_values)
    for key in draw(st.lists(st.sampled_from(list(fields)), max_size=4, unique=True)):
        fields[key] = changed[key]
    return Snapshot(fields, blocks)


@st.composite
def triples(draw: st.DrawFn) -> tuple[Snapshot, Snapshot, Snapshot]:
    base = draw(snapshots())
    return base, draw(edited(base)), draw(edited(base))


@given(triples())
@settings(max_examples=examples(300), suppress_health_check=[HealthCheck.too_slow])
def test_a_change_only_one_side_made_is_never_dropped(case: tuple[Snapshot, Snapshot, Snapshot]) -> None:
    base, ours, theirs = case
    for first, second in ((ours, theirs), (theirs, ours)):
        outcome = merge_snapshots(base, first, second)
        merged = outcome.merged
        for block_id in BLOCK_IDS:
            old, one, other, result = (s.blocks[block_id] for s in (base, first, second, merged))
            if other.text == old.text:  # only `first` may have changed the text
                assert result.text == one.text
            if block_id in outcome.conflicted_blocks:
                # Both changed the same lines: every line of both stays (the status is draft until
                # someone decides).
                lines = result.text.split("\n")
                assert all(line in lines for line in one.text.split("\n") + other.text.split("\n"))
            elif other.status == old.status:  # only `first` may have changed the status
                assert result.status == one.status
        for key, value in base.fields.items():
            if second.fields[key] == value:
                assert merged.fields[key] == first.fields[key]


@given(triples())
@settings(max_examples=examples(200))
def test_a_text_both_sides_changed_merges_line_by_line(
    case: tuple[Snapshot, Snapshot, Snapshot],
) -> None:
    base, ours, theirs = case
    result = merge_snapshots(base, ours, theirs, "ours (main)", "theirs (feature)")
    for block_id in BLOCK_IDS:
        old, mine, other = base.blocks[block_id], ours.blocks[block_id], theirs.blocks[block_id]
        merged = result.merged.blocks[block_id]
        both_changed = mine.text != old.text and other.text != old.text and mine.text != other.text
        lines = merge_lines(old.text, mine.text, other.text)
        assert (block_id in result.conflicted_blocks) == (both_changed and not lines.clean)
        if both_changed:
            assert merged.text == lines.marked("ours (main)", "theirs (feature)")
        if block_id in result.conflicted_blocks:
            assert has_conflict_marker(merged.text)
            assert merged.status is Status.DRAFT
        elif both_changed and mine.status == old.status == other.status:
            assert merged.status == old.status, "a clean line merge forces no draft"
    assert result.clean == (not result.conflicted_blocks and not result.conflicted_fields)


@given(snapshots(), snapshots())
@settings(max_examples=examples(200))
def test_a_merge_of_x_with_itself_is_x(x: Snapshot, base: Snapshot) -> None:
    for origin in (x, base):
        result = merge_snapshots(origin, x, x)
        assert result.merged == x
        assert result.clean


def _write(path: Path, state: Snapshot) -> None:
    document = CanvasFile.create(path)
    document.canvas.restore(state)
    document.save()


@given(triples())
@settings(max_examples=examples(40), deadline=None)
def test_the_file_the_driver_writes_reads_back_as_the_merge(
    case: tuple[Snapshot, Snapshot, Snapshot],
) -> None:
    base, ours, theirs = case
    with tempfile.TemporaryDirectory() as folder:
        paths = [Path(folder) / name for name in ("base.toml", "ours.toml", "theirs.toml")]
        for path, state in zip(paths, case, strict=True):
            _write(path, state)
        report = merge_files(paths[0], paths[1], paths[2], shown_as="canvas.toml")
        tomllib.loads(paths[1].read_text(encoding="utf-8"))
        written = CanvasFile.load(paths[1]).canvas.state()
        assert written == merge_snapshots(base, ours, theirs).merged
        assert report.merge.merged == written
        assert isinstance(CanvasFile.load(paths[1]).canvas, Canvas)


def _snapshot(**blocks: BlockValue) -> Snapshot:
    fields: dict[str, FieldValue] = {
        "product": "Churn",
        "designed_by": "Growth",
        "date": "2026-01-01",
        "iteration": 1,
    }
    empty = BlockValue("", Status.TODO)
    return Snapshot(fields, {block_id: blocks.get(block_id, empty) for block_id in BLOCK_IDS})


def test_header_rules_iteration_takes_the_higher_date_the_later_other_fields_keep_ours() -> None:
    base = _snapshot()
    ours = Snapshot({**base.fields, "iteration": 3, "date": "2026-03-01", "product": "A"}, base.blocks)
    theirs = Snapshot({**base.fields, "iteration": 2, "date": "2026-04-01", "product": "B"}, base.blocks)
    result = merge_snapshots(base, ours, theirs)
    assert result.merged.fields == {
        "product": "A",
        "designed_by": "Growth",
        "date": "2026-04-01",
        "iteration": 3,
    }
    assert result.conflicted_fields == ("product",)
    assert not result.clean
    assert not result.conflicted_blocks


def test_text_on_one_side_and_status_on_the_other_take_both() -> None:
    base = _snapshot(background=BlockValue("Draft text.", Status.DRAFT))
    ours = _snapshot(background=BlockValue("Better text.", Status.DRAFT))
    theirs = _snapshot(background=BlockValue("Draft text.", Status.DONE))
    result = merge_snapshots(base, ours, theirs)
    assert result.merged.blocks["background"] == BlockValue("Better text.", Status.DONE)
    assert result.clean


def test_a_status_both_sides_changed_differently_becomes_draft_without_markers() -> None:
    base = _snapshot(background=BlockValue("Text.", Status.DRAFT))
    ours = _snapshot(background=BlockValue("Text.", Status.DONE))
    theirs = _snapshot(background=BlockValue("Text.", Status.SKIP))
    result = merge_snapshots(base, ours, theirs)
    assert result.merged.blocks["background"] == BlockValue("Text.", Status.DRAFT)
    assert result.clean and result.settled
