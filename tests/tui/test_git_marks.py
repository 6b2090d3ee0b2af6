"""A canvas in git: cards mark what changed since HEAD and blocks holding a merge conflict, and the
editor settles a conflict (keep ours, theirs or both)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from rich.text import Text
from tests.tui.helpers import make_app
from tests.waiting import wait_until
from textual.widgets import Static

from canvas_tui.lint import findings
from canvas_tui.model import BlockValue, Snapshot, Status
from canvas_tui.model.conflicts import conflict_text, has_conflict_marker
from canvas_tui.model.merge import merge3
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.editor_screen import EditorScreen
from canvas_tui.tui.screens.resolve_screen import ResolveScreen

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git (.ci/run installs it)")


def git(folder: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=folder,
        check=True,
        capture_output=True,
    )


def card_text(screen: CanvasScreen, block_id: str) -> str:
    shown = screen.card(block_id).render()
    assert isinstance(shown, Text)
    return shown.plain


async def test_cards_mark_the_blocks_changed_since_the_last_commit(example_copy: Path) -> None:
    git(example_copy.parent, "init", "-q")
    git(example_copy.parent, "add", example_copy.name)
    git(example_copy.parent, "commit", "-q", "-m", "canvas")
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        await wait_until(lambda: app.head is not None, "HEAD is read")
        await pilot.pause()
        assert "Δ" not in card_text(screen, "lifetime")
        app.session.set_text("lifetime", "Retrain monthly.")
        await pilot.pause()
        assert "Δ" in card_text(screen, "lifetime")
        assert "Δ" not in card_text(screen, "security")


async def test_outside_git_nothing_is_marked(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        app.session.set_text("lifetime", "Retrain monthly.")
        await pilot.pause()
        assert app.head is None
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        assert "Δ" not in card_text(screen, "lifetime")


async def test_a_conflicted_block_is_marked_and_settled_in_the_editor(example_copy: Path) -> None:
    document = CanvasFile.load(example_copy)
    document.canvas.set_text("lifetime", conflict_text("Retrain monthly.", "Retrain weekly.", "ours (main)"))
    document.save()
    app = make_app(example_copy, start="lifetime")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        assert "⚠ conflict" in card_text(screen, "lifetime")
        await pilot.press("e")
        assert isinstance(app.screen, EditorScreen)
        await pilot.press("f9")
        assert isinstance(app.screen, ResolveScreen)
        await pilot.press("t")
        assert app.canvas.blocks["lifetime"].text == "Retrain weekly."
        await pilot.press("ctrl+z")
        assert has_conflict_marker(app.canvas.blocks["lifetime"].text), "undo brings the conflict back"


@pytest.mark.parametrize(("key", "side"), [("o", 0), ("t", 1)])
async def test_f9_keeps_exactly_one_side_when_the_texts_hold_marker_lines(
    example_copy: Path, key: str, side: int
) -> None:
    sides = (
        "Plan\n=======\n<<<<<<< ours (main)\nRetrain monthly.\n=======\n>>>>>>> theirs (feature)\n",
        "Their plan\n>>>>>>> theirs (feature)\n=========\nStop.",
    )
    document = CanvasFile.load(example_copy)
    document.canvas.set_text("lifetime", conflict_text(*sides, "ours (main)", "theirs (feature)"))
    document.save()
    app = make_app(example_copy, start="lifetime")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e")
        await wait_until(lambda: isinstance(app.screen, EditorScreen), "the editor")
        await pilot.press("f9")
        await wait_until(lambda: isinstance(app.screen, ResolveScreen), "the resolve dialog")
        await pilot.press(key)
        await wait_until(lambda: app.canvas.blocks["lifetime"].text == sides[side], "exactly one side")


async def test_keep_both_of_a_live_conflict_is_marked_flagged_and_settled_in_the_editor(
    example_copy: Path,
) -> None:
    """ "Keep both" in the dialog leaves the clashing lines between markers: the card marks the block,
    `check` and lint find it, and f9 settles it, keeping the teammate's edit of another line."""
    base_text = "We retrain weekly.\n\nOwner: the data team.\n"
    base = BlockValue(base_text, Status.DRAFT)
    mine = BlockValue(base_text.replace("weekly", "fortnightly"), Status.DRAFT)
    theirs = BlockValue(base_text.replace("weekly", "monthly").replace("the data team", "Ana"), Status.DRAFT)
    merge = merge3(*(Snapshot({}, {"lifetime": value}) for value in (base, mine, theirs)))
    kept = merge.resolve({"lifetime": "both"}, ("carol", "bob")).blocks["lifetime"].text
    assert kept.startswith("<<<<<<< carol\n") and ">>>>>>> bob\n" in kept, "who wrote each side"
    assert kept.count("Owner: Ana.\n") == 1 and kept.count("\n\n") == 1, "common lines once"
    document = CanvasFile.load(example_copy)
    document.canvas.set_text("lifetime", kept)
    document.save()
    assert "lifetime" in [f.block_id for f in findings(document.canvas) if f.rule_id == "conflict-marker"]
    check = subprocess.run(
        [sys.executable, "-m", "canvas_tui", "check", str(example_copy)], capture_output=True
    )
    assert check.returncode != 0, "check fails on the kept conflict"
    app = make_app(example_copy, start="lifetime")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        assert "⚠ conflict" in card_text(screen, "lifetime")
        await pilot.press("e")
        await wait_until(lambda: isinstance(app.screen, EditorScreen), "the editor")
        await pilot.press("f9")
        await wait_until(lambda: isinstance(app.screen, ResolveScreen), "the resolve dialog")
        body = app.screen.query_one("#resolve-body", Static).render()
        assert "Ours · carol" in str(body) and "Theirs · bob" in str(body), "the sides are named"
        await pilot.press("o")
        await wait_until(
            lambda: app.canvas.blocks["lifetime"].text == "We retrain fortnightly.\n\nOwner: Ana.\n", "mine"
        )
