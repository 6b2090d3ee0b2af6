"""Three people on one canvas, each a real canvas-tui in its own terminal with its own $USER: each
is told who has the canvas open, by name, even after the first one left; the headers name the
others; a reload names the block and who saved it."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from canvas_tui.files.presence import REMOTE_ENV

from .terminal import CTRL_Q, CTRL_S, ESC, Terminal, installed_script
from .test_hangup_and_kill import start_typing

CANVAS_TUI = installed_script("canvas-tui")
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "churn-early-warning.toml"


@pytest.fixture
def canvas(tmp_path: Path) -> Path:
    return Path(shutil.copyfile(EXAMPLE, tmp_path / "canvas.toml"))


def as_user(name: str) -> dict[str, str]:
    env = dict(os.environ, USER=name, LOGNAME=name)
    env.pop(REMOTE_ENV, None)
    return env


def editor(canvas: Path, user: str) -> Terminal:
    return Terminal([CANVAS_TUI, canvas], columns=150, lines=40, env=as_user(user))


def presence_files(canvas: Path) -> list[str]:
    return [path.name for path in canvas.parent.iterdir() if path.name.endswith(".presence")]


def test_three_users_see_each_other_by_name(canvas: Path) -> None:
    with editor(canvas, "alice") as alice:
        alice.wait_for("resolved")
        with editor(canvas, "bob") as bob:
            bob.wait_for("canvas.toml is already open:")
            bob.wait_for("• alice (PID ")
            bob.send("o")  # open anyway
            bob.wait_for("also open: alice")
            alice.wait_for("also open: bob")  # at alice's next disk check
            with editor(canvas, "carol") as carol:
                carol.wait_for("• alice (PID ")
                carol.wait_for("• bob (PID ")
                carol.send("o")
                carol.wait_for("also open: alice, bob")
                alice.send(CTRL_Q)  # the first holder leaves
                assert alice.wait_exit() == 0
                carol.wait_for("also open: bob")
                carol.wait_for_gone("alice")
                with editor(canvas, "dave") as dave:
                    # The lock was free again: the others are named all the same.
                    dave.wait_for("• bob (PID ")
                    dave.wait_for("• carol (PID ")
                    dave.send("q")
                    assert dave.wait_exit() == 0
                start_typing(bob, " Bob was here.")
                bob.send(CTRL_S)
                bob.wait_for("Saved")
                carol.wait_for("Changed by bob:")  # the block's name may wrap to the next row
                bob.send(ESC)
                bob.wait_for("resolved")
                bob.send(CTRL_Q)
                assert bob.wait_exit() == 0
                carol.wait_for_gone("also open")
                carol.send(CTRL_Q)
                assert carol.wait_exit() == 0
    assert presence_files(canvas) == [], "each instance took its presence file with it"
