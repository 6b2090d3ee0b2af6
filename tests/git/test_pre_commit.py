"""The pre-commit hooks (.pre-commit-hooks.yaml at the repository root).

`pre-commit try-repo` installs this repository into a fresh virtualenv the way a team's
pre-commit would (pip, from PyPI: it needs the network and takes some seconds), then runs the
hook over a canvas holding a conflict marker. The hooks' entries are also run directly, so their
contract holds without the network.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE
from tests.git.conftest import Repo

from canvas_tui.storage import CanvasFile

ROOT = Path(__file__).parents[2]
PRE_COMMIT = Path(sys.executable).parent / "pre-commit"


def hooks() -> dict[str, dict[str, object]]:
    import yaml  # pre-commit's own dependency; imported here so the test file loads without it

    return {hook["id"]: hook for hook in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}


def conflicted_canvas(folder: Path) -> Path:
    path = folder / "team.canvas.toml"
    shutil.copyfile(EXAMPLE, path)
    document = CanvasFile.load(path)
    document.canvas.set_text("modelling", "<<<<<<< ours (main)\nA\n=======\nB\n>>>>>>> theirs (feature)\n")
    document.save()
    return path


def test_the_hooks_file_names_both_hooks_for_canvas_files() -> None:
    text = (ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    assert "- id: canvas-tui-check" in text and "- id: canvas-tui-complete" in text
    if not PRE_COMMIT.exists():
        return
    found = hooks()
    assert found["canvas-tui-check"]["entry"] == "canvas-tui check"
    assert found["canvas-tui-complete"]["entry"] == "canvas-tui check --complete"
    import re

    pattern = re.compile(str(found["canvas-tui-check"]["files"]))
    for name in ("canvas.toml", "docs/canvas.toml", "team.canvas.toml", "a/b/x.canvas.toml"):
        assert pattern.search(name), name
    for name in ("pyproject.toml", "mycanvas.toml", "canvas.toml.bak"):
        assert not pattern.search(name), name


@pytest.mark.skipif(not PRE_COMMIT.exists(), reason="pre-commit is not installed (test extra)")
def test_pre_commit_try_repo_fails_on_a_conflicted_canvas(bare_repo: Repo, tmp_path: Path) -> None:
    shutil.copyfile(EXAMPLE, bare_repo.root / "canvas.toml")
    conflicted = conflicted_canvas(bare_repo.root)
    tomllib.loads(conflicted.read_text(encoding="utf-8"))  # valid TOML; only the marker is wrong
    bare_repo.commit_all("canvases")
    env = {
        **bare_repo.env,
        "PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin",
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        # pip's cache (outside tmp_path) makes the install of this repository seconds, not minutes.
        "PIP_CACHE_DIR": os.environ.get("PIP_CACHE_DIR", str(Path.home() / ".cache" / "pip")),
    }
    result = subprocess.run(
        [str(PRE_COMMIT), "try-repo", str(ROOT), "canvas-tui-check", "--all-files"],
        cwd=bare_repo.root,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "Failed" in output
    assert "team.canvas.toml:" in output and "block Modelling holds a merge conflict marker" in output
    assert "canvas.toml:" not in output.replace("team.canvas.toml:", "")  # the clean one passes


def test_the_hook_entries_fail_on_a_conflicted_canvas_and_pass_a_complete_one(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "canvas-tui"
    conflicted = conflicted_canvas(tmp_path)
    complete = tmp_path / "canvas.toml"
    shutil.copyfile(EXAMPLE, complete)
    document = CanvasFile.load(complete)
    for block_id in document.canvas.blocks:
        document.canvas.set_status(block_id, document.canvas.blocks[block_id].status.DONE)
    document.save()

    def entry(*args: str | Path) -> int:
        return subprocess.run([script, *map(str, args)], capture_output=True, timeout=60).returncode

    assert entry("check", complete, conflicted) == 1
    assert entry("check", complete) == 0
    assert entry("status", "--check", complete) == 0
    assert entry("status", "--check", complete, conflicted) == 1
    assert entry("status", "--check", EXAMPLE) == 1  # drafts are unresolved
    assert entry("check", "--complete", complete) == 0
    assert entry("check", "--complete", complete, conflicted) == 1
    assert entry("check", "--complete", EXAMPLE) == 1


def test_the_complete_hook_says_one_line_per_unresolved_block(tmp_path: Path) -> None:
    """What a commit window can show: no table, one line per block to finish, where it is in the file."""
    script = Path(sys.executable).parent / "canvas-tui"
    path = tmp_path / "canvas.toml"
    shutil.copyfile(EXAMPLE, path)
    result = subprocess.run([script, "check", "--complete", path], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1 and result.stdout == ""
    lines = result.stderr.splitlines()
    canvas = CanvasFile.load(path).canvas
    unresolved = [spec for spec in canvas.template.blocks if not canvas.blocks[spec.id].status.resolved]
    assert len(lines) == len(unresolved) == 7, lines
    text = path.read_text(encoding="utf-8").split("\n")
    for line, spec in zip(lines, unresolved, strict=True):
        status = canvas.blocks[spec.id].status.value
        expected = rf"{re.escape(str(path))}:\d+: block {spec.title} is {status}, not done or skipped"
        assert re.fullmatch(expected, line), line
        number = int(line.split(":")[1])
        assert text[number - 1].strip() == f'status = "{status}"' or spec.id in text[number - 1], line
