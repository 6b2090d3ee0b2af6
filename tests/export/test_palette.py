"""Exports from the TUI's command palette: written next to the canvas, and the app says where."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from tests.observe import Notices
from tests.waiting import wait_until
from textual.widgets import Input, OptionList

from canvas_tui.export.markdown import render_markdown
from canvas_tui.files.resources import example_canvas_path
from canvas_tui.storage import CanvasFile
from canvas_tui.tui.app import CanvasApp


@pytest.fixture
def canvas_path(tmp_path: Path) -> Path:
    path = tmp_path / "canvas.toml"
    shutil.copyfile(example_canvas_path(), path)
    return path


async def run_command(app: CanvasApp, name: str) -> list[tuple[str, str]]:
    """Run a palette command by name; the (title, message) of the notifications shown."""
    notices = Notices()
    async with app.run_test(size=(120, 40), message_hook=notices.hook) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        app.screen.query_one(Input).value = name  # as if typed
        hits = app.screen.query_one(OptionList)
        await wait_until(
            lambda: hits.option_count and str(hits.get_option_at_index(0).prompt).startswith(name),
            f"the palette to find {name!r}",
        )
        await pilot.press("enter")
        await wait_until(
            lambda: any(
                title.startswith("Exported") or title == "Not exported" for title, _ in notices.titled
            ),
            "the export to say how it went",
        )
        return notices.titled


@pytest.mark.parametrize(
    ("name", "suffix"),
    [
        ("Export as Markdown", ".md"),
        ("Export as HTML", ".html"),
        ("Export as JSON", ".json"),
        ("Export as PDF", ".pdf"),
    ],
)
async def test_export_writes_next_to_the_canvas(canvas_path: Path, name: str, suffix: str) -> None:
    app = CanvasApp(CanvasFile.load(canvas_path), autosave=False)
    seen = await run_command(app, name)
    target = canvas_path.with_suffix(suffix)
    assert target.exists()
    assert any(message == f"Wrote {target}" for _, message in seen), seen


async def test_export_includes_unsaved_edits(canvas_path: Path) -> None:
    document = CanvasFile.load(canvas_path)
    document.canvas.set_text("lifetime", "Retire the model when the skip rule wins again.")
    app = CanvasApp(document, autosave=False)
    await run_command(app, "Export as Markdown")
    text = canvas_path.with_suffix(".md").read_text(encoding="utf-8")
    assert text == render_markdown(document.canvas)
    assert "Retire the model when the skip rule wins again." in text


async def test_svg_export_pictures_the_canvas_screen(canvas_path: Path) -> None:
    app = CanvasApp(CanvasFile.load(canvas_path), autosave=False)
    await run_command(app, "Export as SVG")
    root = ET.fromstring(canvas_path.with_suffix(".svg").read_text(encoding="utf-8"))
    text = "".join(root.itertext()).replace("\xa0", " ")
    assert "Data Collection" in text and "Security" in text
    assert "Export as" not in text  # the palette is gone before the picture is taken
    assert "Machine Learning Operations Canvas (v1.1) by Nicki Skafte Detlefsen" in text  # <desc>
