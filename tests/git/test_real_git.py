"""canvas-tui's drivers inside real git: merges through the driver, conflicts, textconv, setup.

Each test works in a fresh repository (tests/git/conftest.py) whose drivers were connected by
`canvas-tui git setup`, pointing at the installed `canvas-tui` script; edits are saved the way the
app saves them (CanvasFile), so comments and layout are the app's.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from tests.conftest import EXAMPLE
from tests.git.conftest import CANVAS_TUI, Repo

from canvas_tui.model import Status
from canvas_tui.model.conflicts import settle_conflict
from canvas_tui.storage import CanvasFile


def edit(path: Path, block: str, *, text: str | None = None, status: Status | None = None) -> None:
    document = CanvasFile.load(path)
    if text is not None:
        document.canvas.set_text(block, text)
    if status is not None:
        document.canvas.set_status(block, status)
    document.save()


def branch_edits(repo: Repo, feature: dict[str, str], main: dict[str, str]) -> None:
    """Branch `feature` sets the texts in `feature`; then main sets those in `main` (both committed)."""
    canvas = repo.root / "canvas.toml"
    repo.git("checkout", "-q", "-b", "feature")
    for block, text in feature.items():
        edit(canvas, block, text=text)
    repo.commit_all("feature edits")
    repo.git("checkout", "-q", "main")
    for block, text in main.items():
        edit(canvas, block, text=text)
    repo.commit_all("main edits")


def test_setup_points_git_at_the_installed_canvas_tui(repo: Repo) -> None:
    driver = repo.git("config", "--get", "merge.canvas-tui.driver").stdout.strip()
    textconv = repo.git("config", "--get", "diff.canvas-tui.textconv").stdout.strip()
    assert driver == f"{shlex.quote(str(CANVAS_TUI))} git merge %O %A %B %P"
    assert textconv == f"{shlex.quote(str(CANVAS_TUI))} git textconv"
    attributes = repo.git("check-attr", "merge", "diff", "--", "canvas.toml", "team.canvas.toml").stdout
    assert attributes.splitlines() == [
        "canvas.toml: merge: canvas-tui",
        "canvas.toml: diff: canvas-tui",
        "team.canvas.toml: merge: canvas-tui",
        "team.canvas.toml: diff: canvas-tui",
    ]


def test_two_branches_changing_different_blocks_merge_cleanly_through_the_driver(repo: Repo) -> None:
    branch_edits(
        repo,
        feature={"background": "Feature branch background.\nSecond line."},
        main={"objectives": "Main branch objectives."},
    )
    # Both edits are inside one TOML region that git's line merge would see as adjacent; the
    # driver merges by block, so there is no conflict either way.
    merge = repo.git("merge", "-q", "--no-edit", "feature", check=False)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    text = (repo.root / "canvas.toml").read_text(encoding="utf-8")
    merged = CanvasFile.load(repo.root / "canvas.toml").canvas
    assert merged.blocks["background"].text == "Feature branch background.\nSecond line."
    assert merged.blocks["objectives"].text == "Main branch objectives."
    assert text.startswith("# Machine Learning Operations Canvas (v1.1)\n")  # the comments survive
    assert "<<<<<<<" not in text
    assert repo.git("status", "--porcelain").stdout == ""  # merged and committed
    assert repo.canvas_tui("check", "canvas.toml").returncode == 0


def test_adjacent_blocks_that_git_alone_would_conflict_on_merge_cleanly(repo: Repo) -> None:
    """Without the driver, edits to neighbouring blocks' one-line texts touch adjacent lines."""
    canvas = repo.root / "canvas.toml"
    edit(canvas, "background", text="b")
    edit(canvas, "value_proposition", text="v")
    repo.commit_all("short texts")
    branch_edits(repo, feature={"background": "feature b"}, main={"value_proposition": "main v"})
    assert repo.git("merge", "-q", "--no-edit", "feature", check=False).returncode == 0
    merged = CanvasFile.load(canvas).canvas
    assert (merged.blocks["background"].text, merged.blocks["value_proposition"].text) == (
        "feature b",
        "main v",
    )


def test_same_block_changed_on_both_branches_is_a_conflict_inside_the_block(repo: Repo) -> None:
    branch_edits(
        repo,
        feature={"background": "Their background."},
        main={"background": "Our background."},
    )
    merge = repo.git("merge", "--no-edit", "feature", check=False)
    assert merge.returncode != 0
    assert "CONFLICT" in merge.stdout
    path = repo.root / "canvas.toml"
    data = tomllib.loads(path.read_text(encoding="utf-8"))  # still a valid TOML file
    block = data["blocks"]["background"]
    assert block["status"] == "draft"
    assert block["text"] == (
        "<<<<<<< ours (main)\nOur background.\n=======\nTheir background.\n>>>>>>> theirs (feature)\n"
    )
    assert data["blocks"]["objectives"]["status"] == "done"  # untouched blocks are as they were
    assert "# Template: Nicki Skafte Detlefsen" in path.read_text(encoding="utf-8")

    status = repo.canvas_tui("status", "canvas.toml", "--check")
    assert status.returncode == 1
    assert "Merge conflicts (markers in the text): Background" in status.stdout
    check = repo.canvas_tui("check", "canvas.toml")
    assert check.returncode == 1
    assert "block Background holds a merge conflict marker" in check.stderr

    # The driver itself, on the three versions git kept in the index: exit 1 on the conflict.
    stages = {}
    for stage, name in ((1, "base"), (2, "ours"), (3, "theirs")):
        stages[name] = repo.root / f"{name}.tmp"
        stages[name].write_text(repo.git("show", f":{stage}:canvas.toml").stdout, encoding="utf-8")
    driver = repo.canvas_tui("git", "merge", stages["base"], stages["ours"], stages["theirs"], "canvas.toml")
    assert driver.returncode == 1, driver.stderr
    assert "conflict in block Background" in driver.stderr
    tomllib.loads(stages["ours"].read_text(encoding="utf-8"))


OURS_WITH_MARKERS = (
    "Plan\n=======\n<<<<<<< ours (main)\nRetrain monthly.\n=======\nRetrain weekly.\n"
    ">>>>>>> theirs (feature)\n\n"
)
THEIRS_WITH_MARKERS = "Their plan\n==========\n>>>>>>> theirs (feature)\nStop retraining.\n<<<<<<<"


def test_keeping_one_side_gives_exactly_that_text_when_the_texts_hold_marker_lines(repo: Repo) -> None:
    # Each side's text holds lines like the markers (the very ones of this merge, with the branch
    # names, and a Markdown underline): the driver writes longer markers, and keeping a side is
    # exactly what that branch had.
    branch_edits(repo, feature={"background": THEIRS_WITH_MARKERS}, main={"background": OURS_WITH_MARKERS})
    merge = repo.git("merge", "--no-edit", "feature", check=False)
    assert merge.returncode != 0 and "CONFLICT" in merge.stdout
    text = CanvasFile.load(repo.root / "canvas.toml").canvas.blocks["background"].text
    assert text.startswith("<<<<<<<<<<< ours (main)\n")  # ten `=` in theirs: eleven
    assert settle_conflict(text, "ours") == OURS_WITH_MARKERS
    assert settle_conflict(text, "theirs") == THEIRS_WITH_MARKERS
    assert repo.canvas_tui("check", "canvas.toml").returncode == 1
    assert repo.canvas_tui("status", "canvas.toml", "--check").returncode == 1


def test_resolving_the_conflict_makes_status_check_pass_again(repo: Repo) -> None:
    branch_edits(repo, feature={"background": "Theirs."}, main={"background": "Ours."})
    repo.git("merge", "--no-edit", "feature", check=False)
    path = repo.root / "canvas.toml"
    # Resolve every block the way a finished canvas would be: text kept, markers gone, done.
    document = CanvasFile.load(path)
    document.canvas.set_text("background", "Ours.\n\nTheirs.")
    for block_id in document.canvas.blocks:
        document.canvas.set_status(block_id, Status.DONE)
    document.save()
    assert repo.canvas_tui("check", "canvas.toml").returncode == 0
    assert repo.canvas_tui("status", "canvas.toml", "--check").returncode == 0


def test_a_marker_left_in_a_done_block_still_fails_status_check(repo: Repo) -> None:
    path = repo.root / "canvas.toml"
    document = CanvasFile.load(path)
    for block_id in document.canvas.blocks:
        document.canvas.set_status(block_id, Status.DONE)
    document.canvas.set_text("security", "<<<<<<< ours\nA\n=======\nB\n>>>>>>> theirs\n")
    document.canvas.set_status("security", Status.DONE)
    document.save()
    assert repo.canvas_tui("status", "canvas.toml", "--check").returncode == 1


def test_git_diff_shows_block_headings_through_textconv(repo: Repo) -> None:
    edit(repo.root / "canvas.toml", "objectives", text="Cut churn by a fifth.", status=Status.DRAFT)
    diff = repo.git("diff").stdout
    assert "-## Problem / Objectives [done]" in diff
    assert "+## Problem / Objectives [draft]" in diff
    assert "+Cut churn by a fifth." in diff
    assert "blocks.objectives" not in diff  # the TOML itself is not what git shows
    # git log -p after a commit, too; hunk headers name the block (xfuncname).
    edit(repo.root / "canvas.toml", "data_collection", text="Only billing data.")
    repo.commit_all("data")
    log = repo.git("log", "-p", "-1").stdout
    assert "+Only billing data." in log
    hunk_headers = [line for line in log.splitlines() if line.startswith("@@ ")]
    assert hunk_headers
    assert all(re.fullmatch(r"@@ [^@]+ @@ ## \w+ / .+ \[\w+\]", line) for line in hunk_headers), hunk_headers


@pytest.mark.parametrize("line", ["first", "last"])
def test_each_hunk_is_named_after_the_block_that_holds_the_change(repo: Repo, line: str) -> None:
    """An edit to a block's first line used to be named after the block before it (issue 24)."""
    path = repo.root / "canvas.toml"
    original = path.read_bytes()
    canvas = CanvasFile.load(path).canvas
    template = canvas.template
    for spec in template.blocks:
        if not canvas.blocks[spec.id].text:
            continue
        lines = canvas.blocks[spec.id].text.rstrip("\n").split("\n")
        index = 0 if line == "first" else len(lines) - 1
        lines[index] = "Changed. " + lines[index]
        edit(path, spec.id, text="\n".join(lines) + "\n")
        headers = [row for row in repo.git("diff").stdout.splitlines() if row.startswith("@@ ")]
        column = template.columns[template.column_index(spec.column)].title
        status = canvas.blocks[spec.id].status.value
        assert headers == [f"{headers[0].rsplit(' @@ ', 1)[0]} @@ ## {column} / {spec.title} [{status}]"], (
            spec.id,
            headers,
        )
        path.write_bytes(original)


def test_git_setup_twice_is_idempotent(bare_repo: Repo) -> None:
    first = bare_repo.canvas_tui("git", "setup", "--command", "canvas-tui")
    assert first.returncode == 0, first.stderr
    assert "wrote" in first.stdout and ".gitattributes" in first.stdout
    attributes = (bare_repo.root / ".gitattributes").read_bytes()
    config = bare_repo.git("config", "--local", "--list").stdout
    second = bare_repo.canvas_tui("git", "setup", "--command", "canvas-tui")
    assert second.returncode == 0
    assert second.stdout.startswith("Already set up; nothing changed:")
    assert "wrote" not in second.stdout
    assert (bare_repo.root / ".gitattributes").read_bytes() == attributes
    assert bare_repo.git("config", "--local", "--list").stdout == config
    assert attributes.decode().splitlines() == [
        "canvas.toml merge=canvas-tui diff=canvas-tui",
        "*.canvas.toml merge=canvas-tui diff=canvas-tui",
    ]
    ignored = (bare_repo.root / ".gitignore").read_text(encoding="utf-8").splitlines()
    assert ignored == [".*.toml.lock", ".*.toml*.recovery*", ".*.toml.*.presence"], (
        "an open canvas's lock, recovery and presence files"
    )


def test_git_setup_keeps_existing_attributes_and_adds_only_new_patterns(bare_repo: Repo) -> None:
    (bare_repo.root / ".gitattributes").write_text("*.png binary", encoding="utf-8")  # no final newline
    bare_repo.canvas_tui("git", "setup", "--command", "canvas-tui")
    added = bare_repo.canvas_tui("git", "setup", "--command", "canvas-tui", "plans/*.toml")
    assert added.stdout.splitlines()[0].endswith(": plans/*.toml merge=canvas-tui diff=canvas-tui")
    assert (bare_repo.root / ".gitattributes").read_text(encoding="utf-8").splitlines() == [
        "*.png binary",
        "canvas.toml merge=canvas-tui diff=canvas-tui",
        "*.canvas.toml merge=canvas-tui diff=canvas-tui",
        "plans/*.toml merge=canvas-tui diff=canvas-tui",
    ]


def test_git_setup_global_writes_the_users_config_and_attributes(bare_repo: Repo) -> None:
    result = bare_repo.canvas_tui("git", "setup", "--global", "--command", "canvas-tui")
    assert result.returncode == 0, result.stderr
    home = Path(bare_repo.env["HOME"])
    assert "merge.canvas-tui.driver = canvas-tui git merge %O %A %B %P" in result.stdout
    assert bare_repo.git("config", "--global", "--get", "diff.canvas-tui.textconv").stdout.strip() == (
        "canvas-tui git textconv"
    )
    assert (home / ".config" / "git" / "attributes").read_text(encoding="utf-8").startswith("canvas.toml ")
    assert not (bare_repo.root / ".gitattributes").exists()
    again = bare_repo.canvas_tui("git", "setup", "--global", "--command", "canvas-tui")
    assert again.stdout.startswith("Already set up")


def test_git_setup_outside_a_repository_is_one_line_and_exit_2(bare_repo: Repo, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    result = bare_repo.canvas_tui("git", "setup")
    assert result.returncode == 0  # inside: fine
    lonely = Repo(outside, bare_repo.env)
    refused = lonely.canvas_tui("git", "setup")
    assert refused.returncode == 2
    assert refused.stderr.startswith("canvas-tui: error: git rev-parse")
    assert len(refused.stderr.splitlines()) == 1


def test_setup_without_command_uses_the_installed_script_when_not_on_path(bare_repo: Repo) -> None:
    assert bare_repo.canvas_tui("git", "setup").returncode == 0
    driver = bare_repo.git("config", "--get", "merge.canvas-tui.driver").stdout.strip()
    assert driver == f"{shlex.quote(str(CANVAS_TUI))} git merge %O %A %B %P"


def test_diff_against_head_and_a_revision(repo: Repo) -> None:
    assert repo.canvas_tui("diff", "canvas.toml").returncode == 0  # same as HEAD
    edit(repo.root / "canvas.toml", "model_governance", status=Status.DONE)
    result = repo.canvas_tui("diff", "canvas.toml")
    assert result.returncode == 1
    assert "## Model / Model Governance  [draft -> done]" in result.stdout
    assert "Background" not in result.stdout
    repo.commit_all("governance done")
    assert repo.canvas_tui("diff", "canvas.toml").returncode == 0
    assert repo.canvas_tui("diff", "canvas.toml", "--rev", "HEAD~1").returncode == 1
    missing = repo.canvas_tui("diff", "canvas.toml", "--rev", "no-such-rev")
    assert missing.returncode == 2
    assert missing.stderr.startswith("canvas-tui: error: git show")
    assert len(missing.stderr.splitlines()) == 1


def test_merge_driver_leaves_ours_untouched_when_an_input_is_not_a_canvas(repo: Repo) -> None:
    base = repo.root / "base.tmp"
    ours = repo.root / "ours.tmp"
    theirs = repo.root / "theirs.tmp"
    base.write_bytes((repo.root / "canvas.toml").read_bytes())
    ours.write_bytes(base.read_bytes())
    theirs.write_text('[project]\nname = "not a canvas"\n', encoding="utf-8")
    before = ours.read_bytes()
    result = repo.canvas_tui("git", "merge", base, ours, theirs, "canvas.toml")
    assert result.returncode == 2
    assert "is not a canvas" in result.stderr and len(result.stderr.splitlines()) == 1
    assert ours.read_bytes() == before


def test_git_setup_never_writes_through_a_planted_gitattributes_link(bare_repo: Repo) -> None:
    """A cloned repository can hold `.gitattributes -> ../home/.bashrc`; git itself does not follow it."""
    home = Path(bare_repo.env["HOME"])
    bashrc = home / ".bashrc"
    bashrc.write_text("alias ll='ls -l'\n", encoding="utf-8")
    (bare_repo.root / ".gitattributes").symlink_to(os.path.relpath(bashrc, bare_repo.root))
    result = bare_repo.canvas_tui("git", "setup", "--command", "canvas-tui")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"canvas-tui: error: {bare_repo.root / '.gitattributes'}: cannot read: is a symbolic link; "
        "canvas-tui does not follow links it did not create"
    ]
    assert bashrc.read_text(encoding="utf-8") == "alias ll='ls -l'\n"


# -- a driver git finds without PATH ------------------------------------------------------------


def install_elsewhere(folder: Path) -> Path:
    """Another installation's canvas-tui script (a copy: its path is its own, not a link's)."""
    folder.mkdir(parents=True)
    script = folder / "canvas-tui"
    shutil.copy2(CANVAS_TUI, script)
    return script


def run_from_shell(repo: Repo, folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """`canvas-tui ARGS` typed in a shell whose PATH holds `folder` (the user's, with the venv on it)."""
    env = {**repo.env, "PATH": f"{folder}:{repo.env['PATH']}"}
    return subprocess.run(
        ["canvas-tui", *args], cwd=repo.root, env=env, capture_output=True, text=True, timeout=60
    )


def driver_of(repo: Repo) -> str:
    return repo.git("config", "--get", "merge.canvas-tui.driver").stdout.strip()


def merge_adjacent_blocks(repo: Repo) -> subprocess.CompletedProcess[str]:
    """Edits to neighbouring blocks' one-line texts: a text merge conflicts, the block driver does not."""
    shutil.copyfile(EXAMPLE, repo.root / "canvas.toml")
    canvas = repo.root / "canvas.toml"
    edit(canvas, "background", text="b")
    edit(canvas, "value_proposition", text="v")
    repo.commit_all("The team's canvas")
    branch_edits(repo, feature={"background": "feature b"}, main={"value_proposition": "main v"})
    return repo.git("merge", "--no-edit", "feature", check=False)  # PATH=/usr/bin:/bin


def test_a_git_without_canvas_tui_on_path_merges_through_the_driver(bare_repo: Repo) -> None:
    setup = run_from_shell(bare_repo, CANVAS_TUI.parent, "git", "setup")
    assert setup.returncode == 0, setup.stderr
    assert driver_of(bare_repo) == f"{shlex.quote(str(CANVAS_TUI.resolve()))} git merge %O %A %B %P"
    assert "/usr/bin" not in CANVAS_TUI.parent.as_posix() and bare_repo.env["PATH"] == "/usr/bin:/bin"
    merge = merge_adjacent_blocks(bare_repo)
    assert merge.returncode == 0, merge.stdout + merge.stderr
    assert "not found" not in merge.stderr
    merged = CanvasFile.load(bare_repo.root / "canvas.toml").canvas
    texts = (merged.blocks["background"].text, merged.blocks["value_proposition"].text)
    assert texts == ("feature b", "main v")


def test_setup_run_again_from_another_install_points_git_at_it(bare_repo: Repo, tmp_path: Path) -> None:
    assert run_from_shell(bare_repo, CANVAS_TUI.parent, "git", "setup").returncode == 0
    other = install_elsewhere(tmp_path / "other 100% install" / "bin")  # a space and a percent sign
    again = run_from_shell(bare_repo, other.parent, "git", "setup")
    assert again.returncode == 0, again.stderr
    assert "merge.canvas-tui.driver" in again.stdout, "the change is said"
    quoted = shlex.quote(str(other.resolve()))
    assert driver_of(bare_repo) == f"{quoted.replace('%', '%%')} git merge %O %A %B %P"
    textconv = bare_repo.git("config", "--get", "diff.canvas-tui.textconv").stdout.strip()
    assert textconv == f"{quoted} git textconv"
    merge = merge_adjacent_blocks(bare_repo)
    assert merge.returncode == 0, merge.stdout + merge.stderr


def test_setup_run_as_a_module_writes_the_interpreter_and_the_module(bare_repo: Repo) -> None:
    setup = subprocess.run(
        [sys.executable, "-m", "canvas_tui", "git", "setup"],
        cwd=bare_repo.root,
        env=bare_repo.env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert setup.returncode == 0, setup.stderr
    assert driver_of(bare_repo) == f"{shlex.quote(sys.executable)} -m canvas_tui git merge %O %A %B %P"
    merge = merge_adjacent_blocks(bare_repo)
    assert merge.returncode == 0, merge.stdout + merge.stderr


def test_check_warns_once_when_the_configured_driver_cannot_be_found(bare_repo: Repo, tmp_path: Path) -> None:
    other = install_elsewhere(tmp_path / "gone" / "bin")
    assert run_from_shell(bare_repo, other.parent, "git", "setup").returncode == 0
    shutil.copyfile(EXAMPLE, bare_repo.root / "canvas.toml")
    assert bare_repo.canvas_tui("check", "canvas.toml").stderr == "", "silent while the driver is there"
    other.unlink()  # that installation was removed
    check = bare_repo.canvas_tui("check", "canvas.toml")
    assert check.returncode == 0, "a warning, not a failure"
    assert len(check.stderr.splitlines()) == 1, check.stderr
    assert check.stderr.startswith("canvas-tui: warning: ")
    assert str(other.resolve()) in check.stderr and "cannot be found" in check.stderr
    assert run_from_shell(bare_repo, CANVAS_TUI.parent, "git", "setup").returncode == 0
    assert bare_repo.canvas_tui("check", "canvas.toml").stderr == ""


THREE_PARAGRAPHS = "Alpha one.\n\nBeta two.\n\nGamma three.\n"


def merge_paragraph_edits(repo: Repo, feature: str, main: str) -> subprocess.CompletedProcess[str]:
    """Background holds THREE_PARAGRAPHS on both branches, then each edits it: git merges feature."""
    edit(repo.root / "canvas.toml", "background", text=THREE_PARAGRAPHS)
    repo.commit_all("three paragraphs")
    branch_edits(repo, feature={"background": feature}, main={"background": main})
    return repo.git("merge", "--no-edit", "feature", check=False)


def test_paragraphs_one_and_three_of_one_block_on_two_branches_merge_cleanly(repo: Repo) -> None:
    canvas = repo.root / "canvas.toml"
    merge = merge_paragraph_edits(
        repo,
        feature=THREE_PARAGRAPHS.replace("Alpha", "Feature's alpha"),
        main=THREE_PARAGRAPHS.replace("Gamma", "Main's gamma"),
    )
    assert merge.returncode == 0, merge.stdout + merge.stderr
    merged = CanvasFile.load(canvas).canvas.blocks["background"].text
    assert merged == "Feature's alpha one.\n\nBeta two.\n\nMain's gamma three.\n"
    assert repo.canvas_tui("check", "canvas.toml").returncode == 0


def test_the_same_paragraph_on_two_branches_marks_only_that_paragraph(repo: Repo) -> None:
    canvas = repo.root / "canvas.toml"
    merge = merge_paragraph_edits(
        repo,
        feature=THREE_PARAGRAPHS.replace("Beta two.", "Beta, fortnightly."),
        main=THREE_PARAGRAPHS.replace("Beta two.", "Beta, weekly."),
    )
    assert merge.returncode != 0 and "CONFLICT" in merge.stdout
    text = tomllib.loads(canvas.read_text(encoding="utf-8"))["blocks"]["background"]["text"]
    assert text == (
        "Alpha one.\n\n"
        "<<<<<<< ours (main)\nBeta, weekly.\n=======\nBeta, fortnightly.\n>>>>>>> theirs (feature)\n"
        "\nGamma three.\n"
    )
    assert repo.canvas_tui("check", "canvas.toml").returncode == 1
