"""A real git repository in a temp folder, with canvas-tui's drivers set up by `canvas-tui git setup`.

Every git and canvas-tui process runs with a private HOME and no system config, so nothing from
the machine's or the user's git config leaks in, and nothing is written outside tmp_path.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE
from tests.e2e.terminal import installed_script

CANVAS_TUI = installed_script("canvas-tui")


@dataclass
class Repo:
    root: Path
    env: dict[str, str]

    def git(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        result = subprocess.run(
            ["git", *args], cwd=self.root, env=self.env, capture_output=True, text=True, timeout=60
        )
        if check and result.returncode != 0:
            raise AssertionError(f"git {' '.join(args)} failed ({result.returncode}):\n{result.stderr}")
        return result

    def canvas_tui(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CANVAS_TUI), *map(str, args)],
            cwd=self.root,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    def commit_all(self, message: str) -> None:
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)


def git_env(home: Path) -> dict[str, str]:
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Ada",
        "GIT_AUTHOR_EMAIL": "ada@example.org",
        "GIT_COMMITTER_NAME": "Ada",
        "GIT_COMMITTER_EMAIL": "ada@example.org",
        "COLUMNS": "120",
        "LC_ALL": "C.UTF-8",
    }


@pytest.fixture
def bare_repo(tmp_path: Path) -> Iterator[Repo]:
    """An empty repository on branch main (no canvas-tui setup yet)."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed (.ci/run installs it)")
    home = tmp_path / "home"
    home.mkdir()
    root = tmp_path / "repo"
    root.mkdir()
    repo = Repo(root, git_env(home))
    repo.git("init", "-q", "-b", "main")
    yield repo


@pytest.fixture
def repo(bare_repo: Repo) -> Repo:
    """A repository with the example canvas committed on main and the drivers set up."""
    setup = bare_repo.canvas_tui("git", "setup", "--command", shlex.quote(str(CANVAS_TUI)))
    assert setup.returncode == 0, setup.stderr
    shutil.copyfile(EXAMPLE, bare_repo.root / "canvas.toml")
    bare_repo.commit_all("The team's canvas")
    return bare_repo
