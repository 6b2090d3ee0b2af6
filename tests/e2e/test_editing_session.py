"""End-to-end: the installed `canvas-tui` command in a real pseudo-terminal, read back with pyte.

No Textual Pilot here: keys go in as bytes and the screen comes back through a terminal emulator, so
the console script, argument parsing, Textual's driver and key parser and the saving all run as they do
for a user. Waits are generous; nothing asserts on how long anything took.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from .terminal import CTRL_Q, CTRL_S, HOME, Terminal, installed_script

CANVAS_TUI = installed_script("canvas-tui")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "churn-early-warning.toml"
COLUMNS, LINES = 120, 40
SENTENCE = "Typed over a real pty."


@pytest.fixture(autouse=True)
def _installed() -> None:
    if not CANVAS_TUI.exists():
        pytest.fail(f"{CANVAS_TUI} is missing; install the project into this environment (pip install -e .)")


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    return Path(shutil.copyfile(EXAMPLE, tmp_path / EXAMPLE.name))


def canvas_tui(*args: str | Path) -> Terminal:
    """The installed command with `args`, in a 120x40 terminal (the full grid with previews)."""
    return Terminal([CANVAS_TUI, *args], columns=COLUMNS, lines=LINES)


def load(path: Path) -> dict[str, Any]:
    with path.open("rb") as file:
        return tomllib.load(file)


def open_first_block(term: Terminal) -> None:
    """From the canvas (Background is selected at start), open Background's editor."""
    term.send(HOME)  # the cursor starts on the first unresolved block
    term.send("e")
    term.wait_for("Guiding questions")
    term.wait_for("block 1/15")  # the editor title is written on mount, after which keys reach it


def type_text(term: Terminal, text: str) -> None:
    term.send(text)
    term.wait_for(text)


def back_to_canvas(term: Terminal) -> None:
    """Leave the editor with escape and wait until the canvas is drawn again."""
    term.press_escape()
    term.wait_for("resolved")
    term.wait_for_gone("Guiding questions")


def test_type_into_block_save_and_quit(example_copy: Path) -> None:
    original_bytes = example_copy.read_bytes()
    original = load(example_copy)

    with canvas_tui("--no-autosave", example_copy) as term:
        term.wait_for("Background")
        term.wait_for("resolved")
        open_first_block(term)
        term.wait_for("Problem · block 1/15")
        type_text(term, SENTENCE)
        back_to_canvas(term)
        term.wait_for("unsaved")
        term.send(CTRL_S)
        term.wait_for("Saved")
        term.wait_for_gone("unsaved")
        term.send(CTRL_Q)
        assert term.wait_exit() == 0

    saved = load(example_copy)
    assert SENTENCE in saved["blocks"]["background"]["text"]
    assert saved["blocks"]["background"]["text"].startswith(original["blocks"]["background"]["text"])
    # Everything but that one text is as it was: header fields, statuses, the other 14 blocks.
    expected = original
    expected["blocks"]["background"]["text"] = saved["blocks"]["background"]["text"]
    assert saved == expected
    # And byte for byte outside the [blocks.background] table (comments, order, quoting kept).
    saved_bytes = example_copy.read_bytes()
    start, end = b"[blocks.background]", b"[blocks.value_proposition]"
    assert saved_bytes.split(start)[0] == original_bytes.split(start)[0]
    assert saved_bytes.split(end)[1] == original_bytes.split(end)[1]


def test_new_file_written_on_first_save(tmp_path: Path) -> None:
    path = tmp_path / "fresh.toml"

    with canvas_tui("--no-autosave", path) as term:
        term.wait_for("New canvas")
        term.wait_for("resolved")
        open_first_block(term)
        type_text(term, SENTENCE)
        back_to_canvas(term)
        assert not path.exists(), "nothing is written before the first save"
        term.send(CTRL_S)
        term.wait_for("Saved")
        term.send(CTRL_Q)
        assert term.wait_exit() == 0

    saved = load(path)
    background = saved["blocks"]["background"]
    assert SENTENCE in background["text"]
    assert background["status"] == "draft"


def test_quit_guard_asks_when_autosave_off(example_copy: Path) -> None:
    original_bytes = example_copy.read_bytes()

    with canvas_tui("--no-autosave", example_copy) as term:
        term.wait_for("resolved")
        open_first_block(term)
        type_text(term, SENTENCE)
        back_to_canvas(term)
        term.send("q")
        # The header already says "● unsaved"; this is the question itself.
        term.wait_for("unsaved changes")
        term.wait_for("Discard (d)")
        term.send("d")
        assert term.wait_exit() == 0

    assert example_copy.read_bytes() == original_bytes


def test_bad_file_exits_2_with_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[canvas]\ntemplate = = "mlops-canvas-v1.1"\n', encoding="utf-8")
    original_bytes = bad.read_bytes()

    with canvas_tui(bad) as term:
        assert term.wait_exit() == 2
        output = term.output_text()
        screen = term.screen_text()

    # The terminal wraps a long line on screen; the raw output shows what was printed.
    printed = [line for line in output.splitlines() if line.strip()]
    assert len(printed) == 1, output
    assert printed[0].startswith("canvas-tui: error:")
    assert "bad.toml:2:" in printed[0]
    assert "bad.toml:2:" in screen.replace("\n", "")
    assert "Traceback" not in output
    assert bad.read_bytes() == original_bytes


def test_autosave_writes_after_edit(example_copy: Path) -> None:
    with canvas_tui(example_copy) as term:
        term.wait_for("resolved")
        open_first_block(term)
        type_text(term, SENTENCE)
        back_to_canvas(term)
        term.wait_until(
            lambda: SENTENCE.encode() in example_copy.read_bytes(),
            timeout=10,
            description="the autosave to reach the file",
        )
        term.send(CTRL_Q)
        assert term.wait_exit() == 0
        asked = "unsaved changes" in term.output_text()

    assert not asked, "ctrl+q asked about unsaved changes although autosave had saved them"
    assert SENTENCE in load(example_copy)["blocks"]["background"]["text"]
