"""The canvas model: statuses, next unresolved block, progress, iterations and search."""

from __future__ import annotations

import datetime as dt

import pytest

from canvas_tui.model import Block, BlockValue, Canvas, Snapshot, Status, Template, normalise_newlines

ALL_STATUSES = list(Status)


@pytest.fixture
def canvas(template: Template) -> Canvas:
    return Canvas.new(template, product="Test", today=dt.date(2026, 1, 2))


def resolve_all(canvas: Canvas, except_: tuple[str, ...] = ()) -> None:
    for block_id in canvas.blocks:
        if block_id not in except_:
            canvas.set_status(block_id, Status.DONE)


# -- a new canvas -----------------------------------------------------------------------------


def test_new_canvas_has_every_block_empty_and_todo_in_fill_order(canvas: Canvas, template: Template) -> None:
    assert tuple(canvas.blocks) == template.block_ids
    assert all(b.text == "" and b.status is Status.TODO for b in canvas.blocks.values())
    assert canvas.fields == {
        "product": "Test",
        "designed_by": "",
        "date": "2026-01-02",
        "iteration": 1,
    }


def test_blocks_given_out_of_order_are_kept_in_fill_order(template: Template) -> None:
    canvas = Canvas(template, blocks={"security": Block("security", "s", Status.DONE)})
    assert tuple(canvas.blocks) == template.block_ids
    assert canvas.block("security").text == "s"


# -- status -----------------------------------------------------------------------------------


def test_cycle_goes_todo_draft_done_todo(canvas: Canvas) -> None:
    seen = [canvas.block("background").status]
    for _ in range(3):
        seen.append(canvas.cycle_status("background"))
    assert seen == [Status.TODO, Status.DRAFT, Status.DONE, Status.TODO]


def test_cycle_from_skip_reenters_at_todo(canvas: Canvas) -> None:
    canvas.set_status("background", Status.SKIP)
    assert canvas.cycle_status("background") is Status.TODO


@pytest.mark.parametrize("text", ["", "words"])
@pytest.mark.parametrize("before", [Status.TODO, Status.DRAFT, Status.DONE])
def test_skip_toggles_on_then_back_to_the_status_it_had(canvas: Canvas, text: str, before: Status) -> None:
    canvas.set_text("fairness", text)
    canvas.set_status("fairness", before)
    assert canvas.toggle_skip("fairness") is Status.SKIP
    assert canvas.block("fairness").resolved
    assert canvas.toggle_skip("fairness") is before


@pytest.mark.parametrize(("text", "derived"), [("", Status.TODO), ("words", Status.DRAFT)])
def test_unskipping_a_block_skipped_in_the_file_derives_its_status(
    canvas: Canvas, text: str, derived: Status
) -> None:
    canvas.restore(replace_block(canvas, "fairness", text, Status.SKIP))
    assert canvas.toggle_skip("fairness") is derived


def test_typing_undone_back_to_nothing_makes_the_block_todo_again(canvas: Canvas) -> None:
    canvas.set_text("fairness", "w")
    assert canvas.block("fairness").status is Status.DRAFT
    canvas.set_text("fairness", "")
    assert canvas.block("fairness").status is Status.TODO
    canvas.set_status("fairness", Status.DRAFT)  # chosen by the user, not by typing: it stays
    canvas.set_text("fairness", "w")
    canvas.set_text("fairness", "")
    assert canvas.block("fairness").status is Status.DRAFT


def replace_block(canvas: Canvas, block_id: str, text: str, status: Status) -> Snapshot:
    state = canvas.state()
    state.blocks[block_id] = BlockValue(text, status)
    return state


def test_typing_into_a_todo_block_makes_it_draft(canvas: Canvas) -> None:
    canvas.set_text("background", "Subscribers leave.")
    assert canvas.block("background").status is Status.DRAFT


def test_whitespace_alone_leaves_a_todo_block_todo(canvas: Canvas) -> None:
    canvas.set_text("background", "  \n\t")
    assert canvas.block("background").status is Status.TODO


@pytest.mark.parametrize("status", [Status.DRAFT, Status.DONE, Status.SKIP])
def test_typing_never_changes_a_status_the_user_chose(canvas: Canvas, status: Status) -> None:
    canvas.set_text("background", "old")
    canvas.set_status("background", status)
    canvas.set_text("background", "new")
    canvas.set_text("background", "")
    assert canvas.block("background").status is status


def test_set_text_normalises_newlines(canvas: Canvas) -> None:
    canvas.set_text("background", "a\r\nb\rc\n")
    assert canvas.block("background").text == "a\nb\nc\n"


def test_set_field_normalises_newlines(canvas: Canvas) -> None:
    canvas.set_field("product", "a\r\nb\rc")
    assert canvas.fields["product"] == "a\nb\nc"


def test_set_field_refuses_an_unknown_field(canvas: Canvas) -> None:
    with pytest.raises(KeyError):
        canvas.set_field("owner", "x")


def test_normalise_newlines() -> None:
    assert normalise_newlines("a\r\nb\rc\nd\r\r\n") == "a\nb\nc\nd\n\n"


def test_status_parse_accepts_ours_only() -> None:
    assert Status.parse(" Done ") is Status.DONE
    assert Status.parse("wip") is None
    assert Status.parse(1) is None


def test_every_status_has_a_distinct_glyph_and_a_word() -> None:
    assert len({s.glyph for s in Status}) == len(Status)
    assert [s.label for s in Status] == [f"{s.glyph} {s.value}" for s in Status]


# -- unknown status from a file ---------------------------------------------------------------


def unknown(template: Template, text: str) -> Canvas:
    block = Block("background", text, Status.derived(text), unknown_status='"wip"')
    return Canvas(template, blocks={"background": block})


@pytest.mark.parametrize("text", ["", "written"])
def test_unknown_status_never_counts_as_resolved(template: Template, text: str) -> None:
    canvas = unknown(template, text)
    resolve_all(canvas, except_=("background",))
    assert not canvas.block("background").resolved
    assert canvas.progress().resolved == 14
    assert canvas.next_unresolved("security") == "background"


def test_typing_into_an_unknown_status_block_follows_the_text(template: Template) -> None:
    canvas = unknown(template, "")
    canvas.set_text("background", "now written")
    assert canvas.block("background").status is Status.DRAFT
    canvas.set_text("background", "")
    assert canvas.block("background").status is Status.TODO
    assert canvas.block("background").unknown_status == '"wip"'


def test_choosing_a_status_forgets_the_unknown_one(template: Template) -> None:
    canvas = unknown(template, "text")
    canvas.set_status("background", Status.DONE)
    assert canvas.block("background").unknown_status is None
    assert canvas.block("background").resolved


# -- next unresolved --------------------------------------------------------------------------


def test_next_unresolved_forward_skips_resolved_blocks(canvas: Canvas) -> None:
    canvas.set_status("value_proposition", Status.DONE)
    canvas.set_status("objectives", Status.SKIP)
    assert canvas.next_unresolved("background") == "data_collection"


def test_next_unresolved_backward(canvas: Canvas) -> None:
    canvas.set_status("data_collection", Status.DONE)
    assert canvas.next_unresolved("data_verification_and_governance", -1) == "objectives"


def test_next_unresolved_wraps_forward_and_backward(canvas: Canvas) -> None:
    resolve_all(canvas, except_=("background", "security"))
    assert canvas.next_unresolved("security") == "background"
    assert canvas.next_unresolved("background", -1) == "security"
    assert canvas.next_unresolved("modelling") == "security"
    assert canvas.next_unresolved("modelling", -1) == "background"


def test_next_unresolved_counts_drafts_as_unresolved(canvas: Canvas) -> None:
    resolve_all(canvas)
    canvas.set_status("decision", Status.DRAFT)
    assert canvas.next_unresolved("inference") == "decision"


def test_next_unresolved_comes_back_to_the_only_unresolved_block(canvas: Canvas) -> None:
    resolve_all(canvas, except_=("modelling",))
    assert canvas.next_unresolved("modelling") == "modelling"
    assert canvas.next_unresolved("modelling", -1) == "modelling"


@pytest.mark.parametrize("direction", [1, -1])
def test_next_unresolved_is_none_when_all_resolved(canvas: Canvas, direction: int) -> None:
    resolve_all(canvas)
    canvas.set_status("lifetime", Status.SKIP)
    assert canvas.next_unresolved("background", direction) is None  # type: ignore[arg-type]


# -- progress ---------------------------------------------------------------------------------


def test_progress_overall_counts_each_status(canvas: Canvas) -> None:
    canvas.set_status("background", Status.DONE)
    canvas.set_status("value_proposition", Status.DONE)
    canvas.set_status("security", Status.SKIP)
    canvas.set_text("modelling", "draft text")
    progress = canvas.progress()
    assert progress.counts == {
        Status.DONE: 2,
        Status.SKIP: 1,
        Status.DRAFT: 1,
        Status.TODO: 11,
    }
    assert (progress.total, progress.resolved, progress.unresolved) == (15, 3, 12)
    assert progress.summary == "3/15 resolved"
    assert progress.fraction == pytest.approx(3 / 15)
    assert progress.breakdown() == "● 2 done  ⊘ 1 skip  ◐ 1 draft  ○ 11 todo"


def test_progress_per_column(canvas: Canvas) -> None:
    canvas.set_status("background", Status.DONE)
    canvas.set_status("objectives", Status.SKIP)
    canvas.set_text("value_proposition", "text")
    canvas.set_status("fairness", Status.DONE)
    problem = canvas.column_progress("problem")
    assert (problem.total, problem.resolved) == (3, 2)
    assert problem.counts[Status.DRAFT] == 1
    data = canvas.column_progress("data")
    assert (data.total, data.resolved, data.counts[Status.TODO]) == (2, 0, 2)
    risk = canvas.column_progress("risk")
    assert (risk.total, risk.resolved) == (3, 1)
    totals = [canvas.column_progress(c.id).total for c in canvas.template.columns]
    assert totals == [3, 2, 3, 2, 2, 3]


def test_all_resolved_is_full_progress(canvas: Canvas) -> None:
    resolve_all(canvas)
    assert canvas.progress().fraction == 1.0
    assert canvas.progress().summary == "15/15 resolved"


# -- iterations, search, state -----------------------------------------------------------------


def test_new_iteration_increments_iteration_and_sets_date(canvas: Canvas) -> None:
    canvas.set_field("iteration", 4)
    canvas.new_iteration(dt.date(2027, 3, 9))
    assert canvas.fields["iteration"] == 5
    assert canvas.fields["date"] == "2027-03-09"


def test_search_matches_text_case_insensitively_in_fill_order_and_titles_when_asked(canvas: Canvas) -> None:
    canvas.set_text("security", "Encrypt the CHURN scores.")
    canvas.set_text("background", "Churn is rising.")
    assert canvas.search("churn") == ["background", "security"]
    assert canvas.search("  GOVERNANCE ") == []
    assert canvas.search("  GOVERNANCE ", titles=True) == [
        "data_verification_and_governance",
        "model_governance",
    ]
    assert canvas.search("no such words") == []
    assert canvas.search("   ") == []


def test_state_changes_with_any_edit_and_only_then(canvas: Canvas) -> None:
    before = canvas.state()
    canvas.set_text("background", "")
    canvas.set_status("background", Status.TODO)
    assert canvas.state() == before
    canvas.set_text("background", "x")
    assert canvas.state() != before
