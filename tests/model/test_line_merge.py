"""The line-level three-way merge of one block's text (model/line_merge.py), against `git merge-file`.

Examples first (two people editing one block), then how a line-level conflict is written and
settled through model/conflicts.py, then random texts built from a few lines, so that edits
collide often, with real git as the oracle.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from tests.budget import examples

from canvas_tui.model.conflicts import conflict_sides, conflict_text, has_conflict_marker, settle_conflict
from canvas_tui.model.line_merge import (
    MYERS_LIMIT,
    Hunk,
    LineConflict,
    LineMerge,
    _hunks,
    _kept,
    _lines,
    _myers,
    merge_lines,
)
from canvas_tui.model.merge import marker_label

P1 = "Churn is a cancellation within 30 days.\nLabels come from billing.\n"
P2 = "Features: usage, tickets, plan.\n"
P3 = "We retrain weekly.\nOwner: the data team.\n"
BASE = f"{P1}\n{P2}\n{P3}"


# -- two people, one block ------------------------------------------------------------------------


def test_edits_to_different_paragraphs_merge_cleanly() -> None:
    mine = BASE.replace("30 days", "45 days")
    theirs = BASE.replace("weekly", "fortnightly")
    merge = merge_lines(BASE, mine, theirs)
    assert merge.clean
    assert merge.marked() == BASE.replace("30 days", "45 days").replace("weekly", "fortnightly")


def test_the_same_paragraph_on_both_sides_conflicts_only_there() -> None:
    mine = BASE.replace("We retrain weekly.\nOwner: the data team.", "We retrain daily.\nOwner: Ana.")
    theirs = BASE.replace("We retrain weekly.\nOwner: the data team.", "We retrain monthly.\nOwner: Bo.")
    merge = merge_lines(BASE, mine, theirs)
    assert merge.conflicts == (
        LineConflict("We retrain daily.\nOwner: Ana.\n", "We retrain monthly.\nOwner: Bo.\n"),
    )
    marked = merge.marked("ours (main)", "theirs (feature)")
    assert marked.startswith(f"{P1}\n{P2}\n<<<<<<< ours (main)\n")  # the rest of the block once
    assert marked.count(P1) == 1 and marked.count(P2) == 1


def test_one_word_changed_both_ways_is_a_conflict_of_that_line_only() -> None:
    mine = BASE.replace("weekly", "fortnightly")
    theirs = BASE.replace("weekly", "monthly")
    merge = merge_lines(BASE, mine, theirs)
    assert merge.marked("ours (main)", "theirs (feature)") == (
        f"{P1}\n{P2}\n"
        "<<<<<<< ours (main)\nWe retrain fortnightly.\n"
        "=======\nWe retrain monthly.\n>>>>>>> theirs (feature)\n"
        "Owner: the data team.\n"
    )
    assert merge.settled("ours") == mine
    assert merge.settled("theirs") == theirs


def test_the_same_change_on_both_sides_is_taken_once() -> None:
    mine = theirs = BASE.replace("weekly", "fortnightly") + "Reviewed.\n"
    merge = merge_lines(BASE, mine, theirs)
    assert merge.clean and merge.marked() == mine


def test_changes_on_neighbouring_lines_conflict_as_in_git() -> None:
    # git takes changes that touch (one ends where the other starts) as one conflict.
    mine = BASE.replace("We retrain weekly.", "We retrain daily.")
    theirs = BASE.replace("Owner: the data team.", "Owner: Ana.")
    merge = merge_lines(BASE, mine, theirs)
    assert merge.conflicts == (
        LineConflict("We retrain daily.\nOwner: the data team.\n", "We retrain weekly.\nOwner: Ana.\n"),
    )
    # Two insertions at one place conflict too; an insertion one line away does not.
    assert not merge_lines("a\nb\n", "a\nx\nb\n", "a\ny\nb\n").clean
    assert merge_lines("a\nb\nc\n", "x\na\nb\nc\n", "a\nb\ny\nc\n").marked() == "x\na\nb\ny\nc\n"


def test_shared_lines_inside_a_conflict_are_taken_out() -> None:
    # Both rewrote the paragraph; they agree on its second line, which appears once.
    mine = BASE.replace(P3, "We retrain daily.\nOwner: Ana.\nOn call: Bo.\n")
    theirs = BASE.replace(P3, "We retrain monthly.\nOwner: Ana.\nOn call: Cy.\n")
    merge = merge_lines(BASE, mine, theirs)
    assert merge.regions[1:] == (
        LineConflict("We retrain daily.\n", "We retrain monthly.\n"),
        "Owner: Ana.\n",
        LineConflict("On call: Bo.\n", "On call: Cy.\n"),
    )
    # Two agreed lines in a row come out whole, in order.
    mine = BASE.replace(P3, "We retrain daily.\nOwner: Ana.\nDeputy: Bo.\nOn call: Bo.\n")
    theirs = BASE.replace(P3, "We retrain monthly.\nOwner: Ana.\nDeputy: Bo.\nOn call: Cy.\n")
    assert merge_lines(BASE, mine, theirs).regions[2] == "Owner: Ana.\nDeputy: Bo.\n"


@pytest.mark.parametrize(
    ("base", "mine", "theirs", "merged"),
    [
        ("", "", "", ""),
        ("", "a", "", "a"),
        ("", "", "b\n", "b\n"),
        ("a", "", "a", ""),  # a deletion of everything stands
        ("a\nb\nc", "A\nb\nc", "a\nb\nc\n", "A\nb\nc\n"),  # a newline added edits the last line
        ("a\nb\nc\n", "a\nb\nc", "A\nb\nc\n", "A\nb\nc"),
    ],
)
def test_empty_texts_and_last_newlines(base: str, mine: str, theirs: str, merged: str) -> None:
    merge = merge_lines(base, mine, theirs)
    assert merge.clean and merge.marked() == merged
    assert merge_lines(base, theirs, mine).marked() == merged


def test_a_last_line_changed_with_and_without_its_newline_conflicts() -> None:
    merge = merge_lines("a\nb", "a\nb\n", "a\nc")
    assert merge.conflicts == (LineConflict("b\n", "c"),)
    assert merge.settled("ours") == "a\nb\n" and merge.settled("theirs") == "a\nc"


def test_a_whole_block_pasted_over_another_merges_quickly() -> None:
    # Past MYERS_LIMIT changed lines the alignment comes from difflib; the merge is still exact.
    base = "".join(f"line {n}\n" for n in range(2 * MYERS_LIMIT))
    mine = "".join(f"other {n}\n" for n in range(2 * MYERS_LIMIT))
    assert merge_lines(base, mine, base).marked() == mine
    theirs = base.replace("line 0\n", "first\n")
    merge = merge_lines(base, mine, theirs)
    assert merge.settled("ours") == mine and merge.settled("theirs") == theirs


def test_past_the_limit_shared_lines_still_pair_up_however_common() -> None:
    """difflib's alignment, past MYERS_LIMIT changed lines: every shared line pairs with its own,
    also lines so common that difflib's "autojunk" would ignore them, and runs of them."""
    groups = MYERS_LIMIT // 2 + 50  # more changed lines than the limit: difflib aligns them
    old = [line for n in range(groups) for line in (f"a{n}\n", "same\n", "also\n")]
    new = [line for n in range(groups) for line in (f"b{n}\n", "same\n", "also\n")]
    assert _myers(old[:-2], new[:-2]) is None, "past the limit"
    assert _kept(old, new) == [(3 * n + k, 3 * n + k) for n in range(groups) for k in (1, 2)]


GIT_ALIGNMENTS = [
    # (old, new, the changes `git diff` finds): with repeated lines several alignments are equally
    # short; each change is moved down as far as equal lines allow, or back up to face the other
    # text's change, as git does, so that both sides' edits meet the base where they do in git.
    ("d\nd\nc\na\nc\nc\n", "y\nd\nc\na\nc\n", [(0, 1, 0, 1), (5, 6, 5, 5)]),
    ("b\na\na\na\nd\na\nc\n", "b\na\nd\na\nd\na\nc\n\nb", [(2, 3, 2, 3), (7, 7, 7, 9)]),
    ("a\na\nd\nc\nb\nc\na\n", "a\na\nd\nc\nc\nd\nc\na\na", [(4, 5, 4, 6), (7, 7, 8, 9)]),
    ("a\nb\na\nc\nd\nd", "a\nb\nc\nd\nd\nd", [(2, 3, 2, 2), (5, 5, 4, 5)]),
    ("c\nd\nc\nc\nb\n", "c\nd\nx\nc\nb\n", [(2, 3, 2, 3)]),
    ("a\nb\nc\n", "a\nb\nb\nc\n", [(2, 2, 2, 3)]),
    ("c\nd\nc\nc\nd\nd\nc", "c\nc\nd\nc\nb\nd\nc", [(1, 3, 1, 1), (5, 5, 3, 5)]),  # lines shared
    ("b\nc\nd\nc\nc\nd\nb", "b\nc\nc\nc\nc\nd\nd\nb", [(2, 3, 2, 2), (5, 5, 4, 6)]),  # at both ends
    # Runs that meet while they move join into one (found by mutation testing, checked with git):
    ("a\nb\na\nc\na\nb\nb\na\n", "c\nc\na\na\nc\nc\n", [(0, 3, 0, 1), (5, 7, 3, 3), (8, 8, 4, 6)]),
    ("c\na\n", "b\nc\nb\nc\n", [(0, 0, 0, 3), (1, 2, 4, 4)]),
    ("b\nc\nb\nc\nc\n", "a\nb\nb\nb\n", [(0, 0, 0, 2), (1, 2, 3, 3), (3, 5, 4, 4)]),
    ("a\nb\nb\n", "b\na\na\na\na\n", [(0, 2, 0, 0), (3, 3, 1, 5)]),
    ("b\nb\na\n", "a\na\na\nb\nb\nb\n", [(0, 0, 0, 4), (2, 3, 6, 6)]),  # moved up, then on
    ("b\nb\nb\nb\na\nb\na\n", "b\na\na\nb\nb\nb\na\n", [(1, 1, 1, 3), (5, 7, 7, 7)]),  # down by one
    ("", "c\nc\na\nb\na\nb\nc\na\n", [(0, 0, 0, 8)]),  # from nothing
    ("a\na\nb\nb\nb\nb\nb\n", "c\nc\nb\nb\na\na\nb\n", [(0, 4, 0, 2), (6, 6, 4, 6)]),
]


@pytest.mark.parametrize(("old", "new", "changes"), GIT_ALIGNMENTS)
def test_edits_line_up_with_the_base_as_in_git(old: str, new: str, changes: list[Hunk]) -> None:
    assert _hunks(_lines(old), _lines(new)) == changes


# -- written with markers, settled through model/conflicts.py ---------------------------------------


def test_settling_the_marked_text_gives_each_side_with_the_clean_edits_in() -> None:
    mine = BASE.replace("30 days", "45 days").replace("weekly", "fortnightly")
    theirs = BASE.replace("tickets", "tickets, logins").replace("weekly", "monthly")
    merge = merge_lines(BASE, mine, theirs)
    marked = merge.marked("ours (main)", "theirs (feature)")
    assert has_conflict_marker(marked)  # `check` stops it until it is settled
    ours = mine.replace("tickets", "tickets, logins")
    assert settle_conflict(marked, "ours") == merge.settled("ours") == ours
    assert (
        settle_conflict(marked, "theirs") == merge.settled("theirs") == ours.replace("fortnightly", "monthly")
    )
    assert conflict_sides(marked) == (merge.settled("ours"), merge.settled("theirs"))
    # "Keep both": the common lines once, both versions of the line that differs, ours first.
    assert (
        settle_conflict(marked, "both")
        == merge.settled("both")
        == ours.replace("We retrain fortnightly.\n", "We retrain fortnightly.\nWe retrain monthly.\n")
    )


def test_a_side_with_no_lines_leaves_no_empty_line() -> None:
    mine = BASE.replace("Features: usage, tickets, plan.\n", "")
    theirs = BASE.replace("usage", "usage, logins")
    merge = merge_lines(BASE, mine, theirs)
    assert merge.conflicts == (LineConflict("", "Features: usage, logins, tickets, plan.\n"),)
    marked = merge.marked()
    assert "<<<<<<< ours\n=======\nFeatures" in marked
    assert settle_conflict(marked, "ours") == mine
    assert settle_conflict(marked, "theirs") == theirs
    assert settle_conflict(marked, "both") == theirs


def test_markers_outgrow_marker_like_lines_and_an_older_conflict_stays() -> None:
    # A Markdown underline, and a conflict both sides kept from an earlier merge.
    older = conflict_text("old ours", "old theirs")
    base = f"Title\n=======\n{older}tail\nEnd.\n"
    mine, theirs = base.replace("tail", "mine"), base.replace("tail", "theirs")
    marked = merge_lines(base, mine, theirs).marked()
    assert "\n<<<<<<<< ours\nmine\n========\ntheirs\n>>>>>>>> theirs\n" in marked
    assert settle_conflict(marked, "ours") == mine and settle_conflict(marked, "theirs") == theirs


def test_where_the_written_conflict_differs_from_git() -> None:
    # 1. Conflicts a few lines apart stay apart (git joins them when three or fewer lines, or
    #    lines without a letter or digit, lie between), so "keep both" keeps the line between once.
    merge = merge_lines("a\nb\nc\nd\n", "A\nb\nC\nd\n", "X\nb\nZ\nd\n")
    assert merge.regions == (LineConflict("A\n", "X\n"), "b\n", LineConflict("C\n", "Z\n"), "d\n")
    assert merge.settled("both") == "A\nX\nb\nC\nZ\nd\n"
    # 2. A conflict at the very end of the block is written as a whole-block conflict is: each side
    #    is its text and one newline, so a side ending with a newline shows an empty line, and
    #    settling gives the newline back (git's own markers would lose it).
    assert merge_lines("a\nb\n", "a\nB1\n", "a\nB2\n").marked() == (
        "a\n<<<<<<< ours\nB1\n\n=======\nB2\n\n>>>>>>> theirs\n"
    )


# -- random texts, git merge-file as the oracle -----------------------------------------------------

LINES = ["a", "b", "c", "", "=======", "<<<<<<< x"]
"""A few lines, so that edits collide and repeat; two look like markers."""


@st.composite
def texts(draw: st.DrawFn) -> str:
    return "\n".join(draw(st.lists(st.sampled_from(LINES), max_size=8))) + draw(st.sampled_from(["", "\n"]))


@st.composite
def edits(draw: st.DrawFn, base: str) -> str:
    """`base` with a few lines replaced, inserted or removed, and maybe its last newline changed."""
    lines = base.split("\n")
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines)))
        kind = draw(st.sampled_from(["replace", "insert", "remove"]))
        if kind == "insert":
            lines.insert(at, draw(st.sampled_from([*LINES, "x", "y"])))
        elif at < len(lines):
            if kind == "replace":
                lines[at] = draw(st.sampled_from([*LINES, "x", "y"]))
            else:
                del lines[at]
    return "\n".join(lines)


class Git:
    """`git merge-file` and `git diff` in one folder, with no user or system configuration."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.env = {
            **os.environ,
            "HOME": str(folder),
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
        }

    def _run(self, *args: str, **files: str) -> subprocess.CompletedProcess[str]:
        for name, text in files.items():
            (self.folder / name).write_text(text, newline="")
        return subprocess.run(["git", *args], cwd=self.folder, env=self.env, capture_output=True, text=True)

    def merge(self, base: str, mine: str, theirs: str) -> tuple[bool, str]:
        done = self._run("merge-file", "-p", "mine", "base", "theirs", base=base, mine=mine, theirs=theirs)
        assert done.returncode >= 0, done.stderr
        return done.returncode == 0, done.stdout

    def hunks(self, old: str, new: str) -> list[tuple[int, int, int, int]]:
        """The changes git's diff finds from `old` to `new`, as (old start, old end, new start, new end)."""
        done = self._run(
            "diff", "--no-index", "--no-indent-heuristic", "--no-color", "-U0", "old", "new", old=old, new=new
        )
        hunks = []
        for found in re.finditer(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@", done.stdout, re.MULTILINE):
            old_line, old_count, new_line, new_count = (int(part or 1) for part in found.groups())
            old_start = old_line - (old_count > 0)
            new_start = new_line - (new_count > 0)
            hunks.append((old_start, old_start + old_count, new_start, new_start + new_count))
        return hunks


@pytest.fixture(scope="module")
def git() -> Iterator[Git]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    with tempfile.TemporaryDirectory() as folder:
        yield Git(Path(folder))


def surplus(text: str, than: str) -> Counter[str]:
    """Lines `text` has more of than `than`: lines some edit added, however it is aligned."""
    return Counter(_split(text)) - Counter(_split(than))


def _split(text: str) -> list[str]:
    return re.findall(r"[^\n]*\n|[^\n]+$", text)


def holds(text: str, lines: Counter[str]) -> bool:
    return not lines - Counter(_split(text))


@pytest.mark.parametrize(("old", "new", "changes"), GIT_ALIGNMENTS)
def test_those_alignments_are_gits(git: Git, old: str, new: str, changes: list[Hunk]) -> None:
    assert git.hunks(old, new) == changes


@settings(
    max_examples=examples(200), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.data())
def test_like_git_merge_file(git: Git, data: st.DataObject) -> None:
    base = data.draw(texts(), "base")
    mine = data.draw(edits(base), "mine")
    theirs = data.draw(edits(base), "theirs")
    merge = merge_lines(base, mine, theirs)
    git_clean, git_text = git.merge(base, mine, theirs)
    aligned_as_git = all(
        git.hunks(base, side) == _hunks(_lines(base), _lines(side)) for side in (mine, theirs)
    )
    event("aligned as git" if aligned_as_git else "aligned otherwise")
    event("clean in git" if git_clean else "conflict in git")
    if aligned_as_git:
        # Where the edits line up with the base as git lines them up, the merge is git's.
        assert merge.clean == git_clean
        if merge.clean:
            assert merge.marked() == git_text
    assert_a_true_merge(base, mine, theirs, merge)


def assert_a_true_merge(base: str, mine: str, theirs: str, merge: LineMerge) -> None:
    """What holds of any merge, however the edits line up: no side's new line is lost, a conflict
    holds both sides' lines, and the marked text settles to exactly each side."""
    assert holds(merge.settled("ours"), surplus(mine, base))
    assert holds(merge.settled("theirs"), surplus(theirs, base))
    if merge.clean:
        assert merge.settled("ours") == merge.settled("theirs") == merge.marked()
        assert holds(merge.marked(), surplus(mine, base) | surplus(theirs, base))
        return
    for conflict in merge.conflicts:
        assert conflict.ours != conflict.theirs
        assert conflict.ours in mine and conflict.theirs in theirs
    marked = merge.marked("ours (main)", "theirs (feature)")
    assert has_conflict_marker(marked)
    for keep in ("ours", "theirs", "both"):
        assert settle_conflict(marked, keep) == merge.settled(keep)
    assert conflict_sides(marked) == (merge.settled("ours"), merge.settled("theirs"))


@settings(max_examples=examples(300), deadline=None)
@given(st.data())
def test_any_merge_is_true_and_symmetric(data: st.DataObject) -> None:
    base = data.draw(texts(), "base")
    mine = data.draw(edits(base), "mine")
    theirs = data.draw(edits(base), "theirs")
    merge = merge_lines(base, mine, theirs)
    assert_a_true_merge(base, mine, theirs, merge)
    mirrored = merge_lines(base, theirs, mine)
    assert mirrored.clean == merge.clean
    if merge.clean:
        assert mirrored.marked() == merge.marked()
    assert merge_lines(base, mine, base).marked() == mine
    assert merge_lines(base, base, theirs).marked() == theirs
    assert merge_lines(base, mine, mine).marked() == mine


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("carol", "carol"),
        ("  ana  maria ", "ana maria"),
        ("bob\n>>>>>>> evil\x1b[2J", "bob >>>>>>> evil [2J"),
        ("x" * 100, "x" * 40),
        ("\x00\t\n", "on disk"),
        ("", "on disk"),
    ],
)
def test_a_marker_label_is_one_printable_line_or_the_fallback(name: str, label: str) -> None:
    assert marker_label(name, "on disk") == label


def longest_common_subsequence(old: list[str], new: list[str]) -> int:
    table = [[0] * (len(new) + 1) for _ in range(len(old) + 1)]
    for i, line in enumerate(old):
        for j, other in enumerate(new):
            table[i + 1][j + 1] = table[i][j] + 1 if line == other else max(table[i][j + 1], table[i + 1][j])
    return table[-1][-1]


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.sampled_from("abc"), max_size=9), st.lists(st.sampled_from("abc"), max_size=9))
def test_the_shortest_edit_keeps_a_longest_common_subsequence(old: list[str], new: list[str]) -> None:
    """Myers' search on its own (shared first and last lines included, which _kept trims before
    calling it): the kept pairs are equal lines, in order on both sides, as many as can be."""
    kept = _myers(old, new)
    assert kept is not None
    assert all(old[i] == new[j] for i, j in kept)
    assert all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(kept))
    assert len(kept) == longest_common_subsequence(old, new)
