"""A dropped SSH link, a shutdown, a kill -9: the words typed are on disk or offered back."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from canvas_tui.files.recovery import recovery_path

from .terminal import CTRL_Q, CTRL_S, HOME, Terminal, installed_script

CANVAS_TUI = installed_script("canvas-tui")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "churn-early-warning.toml"


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    return Path(shutil.copyfile(EXAMPLE, tmp_path / EXAMPLE.name))


def background_text(path: Path) -> str:
    return str(tomllib.loads(path.read_text(encoding="utf-8"))["blocks"]["background"]["text"])


def start_typing(term: Terminal, words: str) -> None:
    """Open the first block's editor and type `words`, leaving the editor open (mid-edit)."""
    term.wait_for("resolved")
    term.send(HOME)  # the cursor starts on the first unresolved block
    term.send("e")
    term.wait_for("Guiding questions")
    term.send(words)
    term.wait_for(words)


def test_hang_up_mid_edit_saves_the_text(example_copy: Path) -> None:
    with Terminal([CANVAS_TUI, example_copy], columns=120, lines=40) as term:
        start_typing(term, "Typed before the link dropped.")
        code = term.hang_up()
    assert code == 0
    assert background_text(example_copy).endswith("Typed before the link dropped.")
    assert not recovery_path(example_copy).exists()


def test_sigterm_mid_edit_saves_the_text(example_copy: Path) -> None:
    with Terminal([CANVAS_TUI, example_copy], columns=120, lines=40) as term:
        start_typing(term, "Typed before shutdown.")
        assert term.process is not None
        term.process.send_signal(signal.SIGTERM)
        assert term.wait_exit() == 0
    assert background_text(example_copy).endswith("Typed before shutdown.")


def test_hang_up_without_autosave_keeps_a_recovery_file_that_is_offered(example_copy: Path) -> None:
    before = example_copy.read_bytes()
    with Terminal([CANVAS_TUI, "--no-autosave", example_copy], columns=120, lines=40) as term:
        start_typing(term, "Only in the recovery file.")
        assert term.hang_up() == 0
    assert example_copy.read_bytes() == before, "autosave is off: the canvas file stays as it was"
    rec = recovery_path(example_copy)
    assert rec.exists()
    assert rec.stat().st_mode & 0o777 == 0o600

    with Terminal([CANVAS_TUI, "--no-autosave", example_copy], columns=120, lines=40) as term:
        term.wait_for("did not exit cleanly")
        term.wait_for("Background")
        term.send("r")
        term.wait_for_gone("did not exit cleanly")
        term.send(CTRL_S)
        term.wait_for("Saved")
        term.send(CTRL_Q)
        assert term.wait_exit() == 0
    assert background_text(example_copy).endswith("Only in the recovery file.")
    assert not rec.exists()


def test_kill_9_mid_edit_leaves_a_recovery_file_that_is_offered(example_copy: Path) -> None:
    with Terminal([CANVAS_TUI, "--no-autosave", example_copy], columns=120, lines=40) as term:
        start_typing(term, "Survives kill -9.")
        rec = recovery_path(example_copy)
        term.wait_until(rec.exists, timeout=5)  # about a second behind the last keystroke
        assert term.process is not None
        term.process.kill()
        term.process.wait(timeout=10)
    with Terminal([CANVAS_TUI, example_copy], columns=120, lines=40) as term:
        term.wait_for("Unsaved edits were kept for: Background")
        term.send("r")
        term.wait_for_gone("did not exit cleanly")
        term.send(CTRL_Q)  # autosave is on: quitting saves
        assert term.wait_exit() == 0
    assert background_text(example_copy).endswith("Survives kill -9.")


SAVE_LOOP = """
import sys
from canvas_tui.storage import CanvasFile
path = sys.argv[1]
document = CanvasFile.load(path)
texts = [sys.argv[2], sys.argv[3]]
print("ready", flush=True)
i = 0
while True:
    document.canvas.set_text("background", texts[i % 2])
    document.save()
    i += 1
"""


def test_kill_9_during_saves_always_leaves_the_old_or_the_new_file(example_copy: Path) -> None:
    """Saves in a loop, killed at random moments: the file always parses and is one whole version."""
    text_a = "Version A. " * 2000
    text_b = "Version B, longer. " * 3000
    rng = random.Random(2476)
    for _ in range(40):
        child = subprocess.Popen(
            [sys.executable, "-c", SAVE_LOOP, str(example_copy), text_a, text_b],
            stdout=subprocess.PIPE,
        )
        assert child.stdout is not None
        assert child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=10)
        assert background_text(example_copy) in (
            text_a,
            text_b,
            tomllib.loads(EXAMPLE.read_text())["blocks"]["background"]["text"],
        )
        leftovers = [p for p in example_copy.parent.iterdir() if p.name.endswith(".tmp")]
        for leftover in leftovers:  # a temp file a kill interrupted; the canvas is intact anyway
            os.unlink(leftover)
