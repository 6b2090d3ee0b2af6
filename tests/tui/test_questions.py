"""Guiding-question coverage: marked in the editor, shown on the card, kept in the file."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

from tests.observe import screen_text
from tests.tui.helpers import make_app
from tests.waiting import wait_until
from textual.widgets import Static

from canvas_tui.export import render
from canvas_tui.model import Status
from canvas_tui.model.merge import merge3
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.screens.canvas_screen import CanvasScreen
from canvas_tui.tui.screens.editor_screen import EditorScreen
from canvas_tui.tui.widgets.guidance_panel import QuestionList


def answered_on_disk(path: Path, block_id: str) -> object:
    return tomllib.loads(path.read_text(encoding="utf-8"))["blocks"][block_id].get("answered")


async def test_questions_are_marked_and_unmarked_from_the_keyboard(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e", "f5", "down", "space", "down", "down", "space")
        editor = app.screen
        assert isinstance(editor, EditorScreen)
        assert app.canvas.blocks["background"].answered == (2, 4)
        assert "2/5 answered" in str(editor.query_one("#guidance").query("Static").last().render())
        await pilot.press("up", "up", "space")  # unmark 2
        assert app.canvas.blocks["background"].answered == (4,)
        await pilot.press("f5", *"typed", "escape")  # back in the text: letters are text again
        assert app.canvas.blocks["background"].text.endswith("typed")
        assert isinstance(app.screen, CanvasScreen)
        card = app.screen.card("background")
        assert card.question_count == "Q 1/5"
        edge = card.region.bottom - 1  # the count is on the card's bottom edge
        await wait_until(
            lambda: "Q 1/5" in screen_text(app).splitlines()[edge][card.region.x : card.region.right],
            "the card's edge shows the new count",
        )
        await pilot.press("ctrl+s")
    assert answered_on_disk(example_copy, "background") == [4]


async def test_escape_in_the_question_list_goes_back_to_the_text(example_copy: Path) -> None:
    app = make_app(example_copy)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e", "f5")
        assert isinstance(app.focused, QuestionList)
        await pilot.press("escape")
        assert isinstance(app.screen, EditorScreen), "the first escape leaves the list, not the editor"
        assert not isinstance(app.focused, QuestionList)


def test_answered_survives_save_merge_and_export(example: Path) -> None:
    document = CanvasFile.load(example)
    document.canvas.set_answered("lifetime", [3, 1])
    document.save()
    assert answered_on_disk(example, "lifetime") == [1, 3]
    reloaded = CanvasFile.load(example)
    assert reloaded.canvas.blocks["lifetime"].answered == (1, 3)
    # A teammate changes the text of the same block: the marks and the text merge, no conflict.
    base = reloaded.canvas.state()
    theirs = CanvasFile.load(example)
    theirs.canvas.set_text("lifetime", "Retrain monthly.")
    mine = CanvasFile.load(example)
    mine.canvas.set_answered("lifetime", [1, 3, 5])
    merged = merge3(base, mine.canvas.state(), theirs.canvas.state())
    assert not merged.conflicts
    assert merged.merged.blocks["lifetime"].answered == (1, 3, 5)
    assert merged.merged.blocks["lifetime"].text == "Retrain monthly."
    data = json.loads(render(reloaded, "json"))
    block = next(b for c in data["columns"] for b in c["blocks"] if b["id"] == "lifetime")
    assert (block["answered"], block["questions"]) == ([1, 3], 5)
    assert "### Lifetime · ○ todo · Q 2/5" in render(reloaded, "md")


def test_hand_written_bad_answered_values_warn_and_stay_as_written(tmp_path: Path) -> None:
    path = tmp_path / "canvas.toml"
    original = (
        '[blocks.lifetime]\nstatus = "draft"\nanswered = [7]\ntext = "x"\n\n'
        '[blocks.security]\nanswered = "all of them"\ntext = "y"\n'
    )
    path.write_text(original, encoding="utf-8")
    document = CanvasFile.load(path)
    assert len(document.warnings) == 2
    assert "answered [7] is not a list of question numbers 1 to 5" in document.warnings[0]
    assert document.canvas.blocks["lifetime"].answered == ()
    document.canvas.set_status("fairness", Status.DONE)
    document.save()
    saved = path.read_text(encoding="utf-8")
    assert "answered = [7]" in saved and 'answered = "all of them"' in saved
    document.canvas.set_answered("lifetime", [2])
    document.save()
    assert answered_on_disk(path, "lifetime") == [2]


async def test_lint_findings_show_on_the_card_and_in_the_guidance_panel(example_copy: Path) -> None:
    app = make_app(example_copy, start="lifetime")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("e", *"Runs.", "f3")  # a few words (a draft), then done
        assert app.canvas.blocks["lifetime"].status is Status.DONE
        review = app.screen.query_one("#review", Static)
        await wait_until(lambda: review.display and "⚑" in str(review.render()), "the review lists it")
        await pilot.press("escape")
        screen = app.screen
        assert isinstance(screen, CanvasScreen)
        await wait_until(lambda: "⚑" in str(screen.card("lifetime").render()), "the card's lint mark")
        assert "⚑" not in str(screen.card("background").render()), "a good block has no mark"
