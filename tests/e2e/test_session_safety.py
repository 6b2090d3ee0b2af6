"""The six ways work was lost or a file clobbered, each replayed with the installed command in a pty.

1. a restore after a crash brought back a teammate's old values; 2. a second instance took the
first one's recovery file; 3. Save as left a recovery file behind; 4. any TOML file was taken for a
canvas; 5. without a terminal the app spun forever, and a mistyped command opened an editor;
6. a path in a missing folder opened read-only.
"""

from __future__ import annotations

import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("termios", reason="pseudo-terminals need a POSIX system")

from tests.tui.helpers import dead_instance

from canvas_tui.files import recovery
from canvas_tui.files.lock import lock_path
from canvas_tui.model import Status
from canvas_tui.storage import CanvasFile

from .terminal import CTRL_Q, CTRL_S, ENTER, ESC, Terminal, installed_script
from .test_hangup_and_kill import start_typing

CANVAS_TUI = installed_script("canvas-tui")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "churn-early-warning.toml"


@pytest.fixture
def example_copy(tmp_path: Path) -> Path:
    return Path(shutil.copyfile(EXAMPLE, tmp_path / "canvas.toml"))


def on_disk(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


def holds(path: Path, words: str) -> bool:
    found = recovery.read(path)
    return found is not None and words in found.mine.blocks["background"].text


def test_1_restore_after_a_crash_keeps_a_teammates_later_changes(example_copy: Path) -> None:
    rec = recovery.recovery_path(example_copy)
    with Terminal([CANVAS_TUI, "--no-autosave", example_copy], columns=120, lines=40) as term:
        start_typing(term, "Typed before the crash.")
        term.wait_until(lambda: holds(rec, "Typed before the crash."), description="the recovery file")
        assert term.process is not None
        term.process.kill()
        term.process.wait(timeout=10)
    teammate = CanvasFile.load(example_copy)  # `git pull` brings a teammate's changes
    teammate.canvas.set_field("product", "Renamed by a teammate")
    teammate.canvas.set_status("security", Status.DONE)
    teammate.save()

    with Terminal([CANVAS_TUI, example_copy], columns=120, lines=40) as term:
        term.wait_for("did not exit cleanly")
        term.wait_for("Unsaved edits were kept for: Background")
        screen = term.screen_text()
        assert "Product name" not in screen and "Security" not in screen, "only my edits are named"
        term.send("r")
        term.wait_for_gone("did not exit cleanly")
        term.send(CTRL_Q)  # autosave is on: quitting saves
        assert term.wait_exit() == 0
    disk = on_disk(example_copy)
    assert disk["blocks"]["background"]["text"].endswith("Typed before the crash.")
    assert disk["canvas"]["product"] == "Renamed by a teammate"
    assert disk["blocks"]["security"]["status"] == "done"
    assert not recovery.recovery_files(example_copy)


def test_2_a_second_instance_says_who_has_the_canvas_and_leaves_its_recovery_file(
    example_copy: Path,
) -> None:
    rec = recovery.recovery_path(example_copy)
    with Terminal([CANVAS_TUI, "--no-autosave", example_copy], columns=120, lines=40) as first:
        start_typing(first, "The first instance's words.")
        # The whole sentence: a recovery file written while the words were still arriving is written
        # again once they are all in.
        first.wait_until(
            lambda: holds(rec, "The first instance's words."), description="the first one's recovery file"
        )
        kept = rec.read_bytes()
        with Terminal([CANVAS_TUI, example_copy], columns=120, lines=40) as second:
            second.wait_for("is already open:")
            second.wait_for(" (PID ")
            assert "did not exit cleanly" not in second.screen_text()
            second.send("r")
            second.wait_for("read-only")
            second.send(CTRL_Q)
            assert second.wait_exit() == 0
        assert rec.read_bytes() == kept, "the second instance never touches the first one's file"
        first.send(CTRL_S)
        first.wait_for("Saved")
        first.send(ESC)
        first.wait_for("resolved")
        first.send(CTRL_Q)
        assert first.wait_exit() == 0
    assert on_disk(example_copy)["blocks"]["background"]["text"].endswith("The first instance's words.")
    assert not rec.exists() and not lock_path(example_copy).exists()


def test_3_save_as_leaves_no_recovery_file_at_the_old_path(example_copy: Path) -> None:
    copy = example_copy.with_name("copy.toml")
    with Terminal([CANVAS_TUI, example_copy], columns=120, lines=40) as first:
        first.wait_for("resolved")
        # An instance that crashed left its edits; read-only takes no edits, but they can come
        # back, and Save as is then the way to keep them.
        document = CanvasFile.load(example_copy)
        base = document.canvas.state()
        document.canvas.set_text("background", "Saved in the copy.")
        crashed = dead_instance()
        recovery.write(
            recovery.recovery_path(example_copy, crashed.token),
            example_copy,
            base,
            document.canvas.state(),
            crashed,
        )
        with Terminal([CANVAS_TUI, example_copy], columns=120, lines=40) as second:
            second.wait_for("is already open")
            second.send("r")  # read-only: ctrl+s offers Save as
            second.wait_for("did not exit cleanly")
            second.send("r")  # restore
            second.wait_for("ctrl+s saves a copy")
            second.wait_until(
                lambda: any(holds(p, "Saved in the copy.") for p in recovery.recovery_files(example_copy)),
                description="the second instance's recovery file",
            )
            second.send(CTRL_S)
            second.wait_for("Save a copy")
            second.send(b"\x15")  # ctrl+u: clear the suggested path
            second.wait_for_gone("canvas-copy.toml")
            second.send(str(copy))
            second.wait_for("/copy.toml")  # the field shows the end of a long path
            second.send(ENTER)
            second.wait_for("Saved a copy as")
            assert not recovery.recovery_files(example_copy), "no stale recovery file at the old path"
            second.send(ESC)
            second.send(CTRL_Q)
            assert second.wait_exit() == 0
        first.send(CTRL_Q)
        assert first.wait_exit() == 0
    assert on_disk(copy)["blocks"]["background"]["text"].endswith("Saved in the copy.")
    with Terminal([CANVAS_TUI, example_copy], columns=120, lines=40) as again:
        again.wait_for("resolved")
        assert "did not exit cleanly" not in again.screen_text()
        again.send(CTRL_Q)
        assert again.wait_exit() == 0


def test_4_a_toml_file_that_is_not_a_canvas_is_refused(tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[project]\nname = "example"\n', encoding="utf-8")
    before = pyproject.read_bytes()
    for argv in ([pyproject], ["status", pyproject], ["export", pyproject, "--format", "md"]):
        with Terminal([CANVAS_TUI, *argv], columns=120, lines=40) as term:
            assert term.wait_exit() == 2
            output = term.output_text().strip()
        assert "is not a canvas" in output and "canvas-tui new" in output, output
        assert len(output.splitlines()) == 1 and "Traceback" not in output
    assert pyproject.read_bytes() == before


def test_5_without_a_terminal_it_exits_at_once_with_one_line(example_copy: Path, tmp_path: Path) -> None:
    log = tmp_path / "log"
    with log.open("wb") as out:
        code = subprocess.call(
            [CANVAS_TUI, example_copy], stdin=subprocess.DEVNULL, stdout=out, stderr=out, timeout=60
        )
    assert code == 2
    assert log.read_text().strip().splitlines() == [
        "canvas-tui: error: the editor needs a terminal (stdin and stdout are not one); "
        "for scripts use `canvas-tui status` or `canvas-tui export`"
    ]
    with Terminal([CANVAS_TUI, "stauts", example_copy], columns=120, lines=40) as term:
        assert term.wait_exit() == 2
        output = term.output_text().strip()
    assert "stauts: unknown command; did you mean `canvas-tui status`?" in output
    assert not (example_copy.parent / "stauts").exists()


def test_6_a_path_in_a_missing_folder_is_said_as_such(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-folder" / "canvas.toml"
    with Terminal([CANVAS_TUI, missing], columns=120, lines=40) as term:
        assert term.wait_exit() == 2
        output = term.output_text().strip()
    assert f"the folder {missing.parent} does not exist" in output
    assert "read-only" not in output
