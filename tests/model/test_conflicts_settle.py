"""Settling a merge conflict inside a block: keep ours, keep theirs, or keep both."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.budget import examples

from canvas_tui.model.conflicts import conflict_sides, conflict_text, has_conflict_marker, settle_conflict

TEXT = "Shared first line.\n" + conflict_text("We retrain monthly.", "We retrain weekly.", "ours (main)")


def test_each_side_is_the_whole_block_settled_that_way() -> None:
    assert conflict_sides(TEXT) == (
        "Shared first line.\nWe retrain monthly.",
        "Shared first line.\nWe retrain weekly.",
    )
    assert conflict_sides("No conflict here.\n=======\nunderlined") is None


def test_settling_leaves_no_marker() -> None:
    for keep in ("ours", "theirs", "both"):
        settled = settle_conflict(TEXT, keep)
        assert not has_conflict_marker(settled) and "=======" not in settled
    assert settle_conflict(TEXT, "both") == "Shared first line.\nWe retrain monthly.\nWe retrain weekly."
    assert settle_conflict("plain", "ours") == "plain"


# -- texts that hold marker-like lines ------------------------------------------------------------

OLD = "<<<<<<< ours (main)\nWe retrain monthly.\n=======\nWe retrain weekly.\n>>>>>>> theirs (feature)\n"
"""A conflict as canvas-tui wrote them before markers could grow longer."""

_LINES = st.one_of(
    st.sampled_from(
        [
            "<<<<<<< ours (main)",
            "=======",
            ">>>>>>> theirs (feature)",
            "<<<<<<< ours",
            ">>>>>>> theirs",
            "<<<<<<<",
            ">>>>>>>",
            "|||||||",
            "========",
            "<<<<<<<< ours (main)",
            ">>>>>>>>",
            "=" * 12,
            "<" * 30 + " x",
            "",
            "Title",
        ]
    ),
    st.text(alphabet=st.sampled_from(list("<=> |\r\t\x85\u2028ab")), max_size=12),
)
_TEXTS = st.tuples(st.lists(_LINES, max_size=8), st.sampled_from(["", "\n", "\n\n"])).map(
    lambda parts: "\n".join(parts[0]) + parts[1]
)
_LABELS = st.one_of(
    st.sampled_from(["ours (main)", "theirs (feature)", "ours", "theirs", ""]),
    st.text(alphabet=st.sampled_from(list("<=>\n\r ab()")), max_size=10),
)


@settings(max_examples=examples(500), deadline=None)
@given(_TEXTS, _TEXTS, _LABELS, _LABELS)
def test_settling_gives_back_exactly_each_sides_text(ours: str, theirs: str, left: str, right: str) -> None:
    # Whatever the texts hold (marker lines, the very markers with the same branch names, trailing
    # newlines), keeping one side is exactly that side's text, as the merge driver was given it.
    text = conflict_text(ours, theirs, left, right)
    assert has_conflict_marker(text)
    assert conflict_sides(text) == (ours, theirs)
    assert settle_conflict(text, "ours") == ours
    assert settle_conflict(text, "theirs") == theirs
    assert settle_conflict(text, "both") == "\n".join(side for side in (ours, theirs) if side)
    # A conflict of a text that holds a conflict: settling the outer one gives the inner back whole.
    outer = conflict_text(text, theirs, left, right)
    assert settle_conflict(outer, "ours") == text


@settings(max_examples=examples(200), deadline=None)
@given(
    _TEXTS,
    _TEXTS,
    st.sampled_from(["", "Intro.\n", "Intro.\n\n"]),
    st.sampled_from(["", "Outro.", "\nOutro.\n"]),
)
def test_text_around_a_conflict_is_kept_on_both_sides(
    ours: str, theirs: str, before: str, after: str
) -> None:
    text = before + conflict_text(ours, theirs, "ours (main)", "theirs (feature)") + after
    for keep, side in (("ours", ours), ("theirs", theirs)):
        # The closing marker's newline ends the side's last line; a side with no lines leaves
        # no empty line behind (a conflict stands for whole lines).
        tail = "\n" + after if after and side else after
        assert settle_conflict(text, keep) == before + side + tail


def test_markers_grow_only_when_a_text_needs_it() -> None:
    assert conflict_text("a", "b") == "<<<<<<< ours\na\n=======\nb\n>>>>>>> theirs\n"
    assert conflict_text("Heading\n==========", "b").startswith("<<<<<<<<<<< ours\n")  # 10 + 1
    assert conflict_text("", "") == "<<<<<<< ours\n=======\n>>>>>>> theirs\n"
    assert conflict_text("a", "b", "ours\n(main)") == "<<<<<<< ours (main)\na\n=======\nb\n>>>>>>> theirs\n"


def test_conflicts_written_before_still_settle() -> None:
    assert conflict_sides(OLD) == ("We retrain monthly.", "We retrain weekly.")
    assert settle_conflict("Intro.\n" + OLD + "Outro.", "theirs") == "Intro.\nWe retrain weekly.\nOutro."
    assert settle_conflict(OLD, "both") == "We retrain monthly.\nWe retrain weekly."


def test_an_opening_marker_without_its_own_middle_and_closing_is_plain_text() -> None:
    unclosed = "<<<<<<<< ours\nno end\n=======\n>>>>>>> theirs\n"  # eight, then seven
    assert conflict_sides(unclosed) is None
    assert settle_conflict(unclosed, "ours") == unclosed
    assert has_conflict_marker(unclosed)  # `check` still stops it
    # Each length is looked for once: many openings without an end do not each search the rest.
    many = "<<<<<<<<\n" * 20_000 + conflict_text("a", "b")
    assert settle_conflict(many, "theirs") == "<<<<<<<<\n" * 20_000 + "b"
