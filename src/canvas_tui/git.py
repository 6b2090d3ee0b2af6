"""canvas-tui in a team's git: the processes git runs (the merge driver, the diff text), setup,
and `git show`. What a merge decides is model/merge.py's (merge_snapshots); this room reads the
three files git hands over, writes the result, and talks to git.

- merge_files: the driver itself (`canvas-tui git merge %O %A %B %P`): the result is written into
  ours (%A) through a normal save, so its comments, unknown keys and tables survive and the file
  reads back as the merged values; a file that is not a canvas leaves %A untouched.
- textconv: the canvas as text with one heading per block, for `git diff` and `git log -p`.
- setup: the .gitattributes lines and the git config that connect the two drivers.
- show_revision, head_state: the canvas as another revision has it (`git show`).
No Textual here.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from canvas_tui.errors import GitError
from canvas_tui.files.atomic import atomic_write, read_file
from canvas_tui.model import Canvas, Snapshot
from canvas_tui.model.merge import DriverMerge, merge_snapshots
from canvas_tui.model.text import for_terminal
from canvas_tui.storage import CanvasFile, CanvasFileError, canvas_from_text

DRIVER = "canvas-tui"
"""The name of the merge and diff drivers in git's config and in .gitattributes."""
DEFAULT_PATTERNS = ("canvas.toml", "*.canvas.toml")
ATTRIBUTES = f"merge={DRIVER} diff={DRIVER}"
GIT_TIMEOUT = 30


# -- the merge driver --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class MergeReport:
    merge: DriverMerge
    ours: CanvasFile
    lines: list[str] = field(default_factory=list)


def merge_files(
    base_path: Path,
    ours_path: Path,
    theirs_path: Path,
    shown_as: str | None = None,
    ours_label: str = "ours",
    theirs_label: str = "theirs",
) -> MergeReport:
    """Merge theirs into ours (the file at `ours_path` is replaced by the result).

    Raises CanvasFileError (and leaves every file untouched) when an input is not a canvas or the
    sides use different templates.
    """
    name = shown_as or str(ours_path)
    base, ours, theirs = (
        _load_side(path, side, shown_as)
        for path, side in ((base_path, "base"), (ours_path, "ours"), (theirs_path, "theirs"))
    )
    template = ours.canvas.template.id
    for other in (base, theirs):
        if _differs(other, template):
            raise CanvasFileError(
                name,
                f"the sides use different templates ({template} and {other.canvas.template.id}); "
                "canvas-tui cannot merge them block by block",
            )
    merged = merge_snapshots(
        base.canvas.state(), ours.canvas.state(), theirs.canvas.state(), ours_label, theirs_label
    )
    ours.canvas.restore(merged.merged)
    ours.save()
    lines = [f"{name}: {line}" for line in merged.settled]
    titles = {spec.id: spec.title for spec in ours.canvas.template.blocks}
    labels = {spec.id: spec.label for spec in ours.canvas.template.fields}
    for block_id in merged.conflicted_blocks:
        lines.append(f"{name}: conflict in block {titles[block_id]} (both texts kept between markers)")
    for field_id in merged.conflicted_fields:
        lines.append(
            f"{name}: conflict in {labels.get(field_id, field_id)}: kept ours "
            f"{merged.merged.fields[field_id]!r}, theirs was {theirs.canvas.fields[field_id]!r}"
        )
    return MergeReport(merged, ours, lines)


def _load_side(path: Path, side: str, shown_as: str | None) -> CanvasFile:
    """One version of the file; an error names it as the user knows it (`canvas.toml (theirs)`),
    not by the temporary file git handed over."""
    try:
        return CanvasFile.load(path)
    except CanvasFileError as error:
        if shown_as is None:
            raise
        raise CanvasFileError(f"{shown_as} ({side})", error.message, error.line, error.column) from None


def _differs(document: CanvasFile, template: str) -> bool:
    # An empty base (a file both sides added) has no template of its own: any template matches.
    return document.canvas.template.id != template and bool(document.text.strip())


def side_labels(cwd: Path | None = None) -> tuple[str, str]:
    """`ours (branch)` and `theirs (branch)` where git tells the names, else `ours` and `theirs`.

    During `git merge` the current branch is HEAD's name, and git names the commit being merged in
    the environment (GITHEAD_<sha>=feature); a rebase or a detached HEAD gets the plain words.
    """
    ours, theirs = "ours", "theirs"
    try:
        branch = run_git(["rev-parse", "--abbrev-ref", "HEAD"], cwd).strip()
    except GitError:
        branch = ""
    if branch and branch != "HEAD":
        ours = f"ours ({branch})"
    names = {value for key, value in os.environ.items() if key.startswith("GITHEAD_") and value}
    if len(names) == 1:
        theirs = f"theirs ({names.pop()})"
    return ours, theirs


# -- a canvas that is not a file: another revision --------------------------------------------


def in_work_tree(path: Path) -> bool:
    """Whether `path` lies in a git work tree, by looking for `.git` upwards (no git process)."""
    return any((folder / ".git").exists() for folder in path.absolute().parents)


def show_revision(path: Path, revision: str) -> str:
    """The text of `path` as it is in `revision` (`git show REV:./NAME`, run in the file's folder)."""
    folder = path.absolute().parent
    return run_git(["show", f"{revision}:./{path.name}"], folder)


def head_state(path: Path) -> Snapshot | None:
    """The canvas as committed at HEAD, for marking what changed since; None outside git, for a
    file not committed yet, or one HEAD cannot read (nothing to compare with, nothing is marked)."""
    if not in_work_tree(path):
        return None
    try:
        return canvas_from_text(f"{path.name} (HEAD)", show_revision(path, "HEAD")).state()
    except (GitError, CanvasFileError):
        return None


# -- textconv -----------------------------------------------------------------------------------


def textconv(canvas: Canvas) -> str:
    """The canvas as readable text: the header fields, then per block its heading
    `## Column / Block [status]`, an underline, the questions its text answers, and the text.

    Git names a hunk (`@@ -70,7 +70,7 @@ ## Risk / Explainability [draft]`) by the last heading
    *above the hunk's first context line*, and a hunk starts three lines above its first change: a
    heading right above a block's text would sit inside the context of an edit to its first lines,
    and the hunk would be named after the block before. So three lines (`HEADING_GAP`) always
    separate a heading from its block's text, and hunks are named by the block that holds the edit.

    Git shows this text on a terminal (`git diff`, `git log -p`, through a pager that passes escape
    sequences on), so everything in it goes through for_terminal: a commit from someone else can
    show its escapes, never send them.
    """
    template = canvas.template
    out = [for_terminal(f"# {template.title}")]
    for header in template.fields:
        out.append(for_terminal(f"{header.label}: {canvas.fields.get(header.id, '')}"))
    columns = {column.id: column.title for column in template.columns}
    for spec in template.blocks:
        block = canvas.blocks[spec.id]
        status = block.unknown_status if block.unknown_status is not None else block.status.value
        heading = for_terminal(f"## {columns[spec.column]} / {spec.title} [{status}]")
        answered = ", ".join(str(number) for number in block.answered) or "none"
        questions = f"Questions answered: {answered} of {len(spec.questions)}" if spec.questions else ""
        gap = ["─" * min(len(heading), 60), questions, ""]  # HEADING_GAP lines
        out += ["", heading, *gap]
        if block.text:
            out.append(for_terminal(block.text.rstrip("\n"), multiline=True))
    return "\n".join(out) + "\n"


HEADING_GAP = 3
"""Lines between a block's heading and its text in `textconv`: git's default diff context."""


def textconv_of_bytes(raw: bytes) -> str:
    """What textconv shows for a file that is not a valid canvas (a half-resolved conflict): its
    text as it is, newlines normalised, bytes that are not UTF-8 as `\\xff`, escapes made visible."""
    text = raw.decode("utf-8", errors="backslashreplace").replace("\r\n", "\n").replace("\r", "\n")
    return for_terminal(text, multiline=True)


# -- git itself ---------------------------------------------------------------------------------


def run_git(args: Sequence[str], cwd: Path | None = None) -> str:
    """Run git; its stdout, or GitError with the first line git wrote on stderr."""
    if shutil.which("git") is None:
        raise GitError("git is not installed (or not on PATH)")
    try:
        result = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, timeout=GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as error:
        raise GitError(f"git {args[0]} failed: {error}") from None
    if result.returncode != 0:
        message = next((line for line in result.stderr.splitlines() if line.strip()), "")
        raise GitError(f"git {' '.join(args[:2])}: {message or f'exit code {result.returncode}'}")
    return result.stdout


def _config_get(key: str, scope: str, cwd: Path) -> str | None:
    """`key` in git's config: in one `scope` (--local, --global), or as git sees it ("")."""
    try:
        return run_git(["config", *([scope] if scope else []), "--get", key], cwd).rstrip("\n")
    except GitError:
        return None  # not set (git config exits 1)


def default_command() -> str:
    """How git should run this canvas-tui: by its absolute path, quoted for the shell git runs
    drivers with. Git started by a GUI client, an IDE or a hook often has a PATH without the folder
    canvas-tui was installed in; a bare name would fail there and git would fall back to merging
    canvases as plain text."""
    script = _running_script()
    if script is not None:
        return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m canvas_tui"


def _running_script() -> Path | None:
    """The canvas-tui console script this process was started as; None when it runs as a module
    (`python -m canvas_tui`). Embedded (no script of its own): the script of this installation."""
    started_as = sys.argv[0] if sys.argv else ""
    if Path(started_as).stem == "canvas-tui":
        found = started_as if os.sep in started_as else shutil.which(started_as)
        if found and Path(found).is_file():
            return Path(found).resolve()
    if Path(started_as).name == "__main__.py":
        return None
    beside = Path(sys.executable).parent / "canvas-tui"
    return beside if beside.is_file() else None


DRIVER_KEYS = (f"merge.{DRIVER}.driver", f"diff.{DRIVER}.textconv")
"""The settings in git's config that run canvas-tui."""


def missing_driver(folder: Path) -> str | None:
    """Why git cannot run the canvas-tui its config names for a repository at `folder` (None: it
    can, or none is configured): git then merges canvases as plain text, block conflicts and all."""
    in_a_repository = any((place / ".git").exists() for place in (folder, *folder.parents))
    if shutil.which("git") is None or not in_a_repository:
        return None
    missing: list[str] = []
    program = ""
    for key in DRIVER_KEYS:
        configured = _config_get(key, "", folder)
        if not configured:
            continue
        try:
            words = shlex.split(configured)
        except ValueError:
            words = []
        if not words or shutil.which(words[0]) is None:
            missing.append(key)
            program = program or (words[0] if words else configured)
    if not missing:
        return None
    return (
        f"git runs {program} for canvases ({' and '.join(missing)}), and it cannot be found: git "
        "merges them as plain text; `canvas-tui git setup` points git at this canvas-tui"
    )


def _attributes_file(global_: bool, cwd: Path) -> Path:
    if not global_:
        return Path(run_git(["rev-parse", "--show-toplevel"], cwd).strip()) / ".gitattributes"
    configured = _config_get("core.attributesFile", "--global", cwd)
    if configured:
        return Path(configured).expanduser()
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "git" / "attributes"


IGNORED = (".*.toml.lock", ".*.toml*.recovery*", ".*.toml.*.presence")
"""The lock, recovery and presence files beside an open canvas (see docs/safety.md, "Your data is safe")."""


MAX_ATTRIBUTES_BYTES = 4 * 1024 * 1024
"""A .gitattributes or .gitignore is lines of patterns; anything larger is refused."""


def _append_missing(
    path: Path, lines: list[str], written: list[str], present: list[str], *, follow_links: bool
) -> None:
    """Add the `lines` a file lacks at its end; note each line as written or already present.

    A repository's own files may be links planted by whoever made it (git itself does not follow
    them): `follow_links` is False there, and only the user's global file is reached through one."""
    try:
        existing = read_file(path, limit=MAX_ATTRIBUTES_BYTES, follow_links=follow_links).decode("utf-8")
    except FileNotFoundError:
        existing = ""
    except OSError as error:
        raise GitError(f"{path}: cannot read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise GitError(f"{path}: cannot read: {error}") from None
    have = {" ".join(line.split()) for line in existing.splitlines()}
    new_lines: list[str] = []
    for line in lines:
        if line in have:
            present.append(f"{path}: {line}")
        elif line not in new_lines:
            new_lines.append(line)
    if new_lines:
        path.parent.mkdir(parents=True, exist_ok=True)
        prefix = "" if not existing or existing.endswith("\n") else "\n"
        added = prefix + "".join(f"{line}\n" for line in new_lines)
        try:
            atomic_write(path, (existing + added).encode("utf-8"), follow_links=follow_links)
        except OSError as error:
            raise GitError(f"{path}: cannot write: {error.strerror or error}") from None
        written.extend(f"{path}: {line}" for line in new_lines)


def setup(
    cwd: Path, patterns: Sequence[str] = DEFAULT_PATTERNS, *, global_: bool = False, command: str = ""
) -> tuple[list[str], list[str]]:
    """Write the missing attributes lines and driver settings: (what was written, what was there)."""
    command = command or default_command()
    scope = "--global" if global_ else "--local"
    if not global_:
        run_git(["rev-parse", "--show-toplevel"], cwd)  # a clear error outside a repository
    written: list[str] = []
    present: list[str] = []
    attributes = _attributes_file(global_, cwd)
    wanted = [f"{pattern} {ATTRIBUTES}" for pattern in patterns]
    _append_missing(attributes, wanted, written, present, follow_links=global_)
    if not global_:
        # What canvas-tui keeps beside an open canvas (its lock, unsaved edits) is no one else's.
        _append_missing(
            attributes.with_name(".gitignore"), list(IGNORED), written, present, follow_links=False
        )
    settings = {
        f"merge.{DRIVER}.name": "canvas-tui: block-level merge of ML canvases",
        # Git reads % in the driver as a placeholder; %% is a percent sign of the path itself.
        f"merge.{DRIVER}.driver": f"{command.replace('%', '%%')} git merge %O %A %B %P",
        f"diff.{DRIVER}.textconv": f"{command} git textconv",
        # Hunk headers name the block a change is in (`@@ -4,2 +4,2 @@ ## Problem / Background [done]`).
        f"diff.{DRIVER}.xfuncname": "^## .*$",
    }
    where = "git config --global" if global_ else "git config (this repository)"
    for key, value in settings.items():
        if _config_get(key, scope, cwd) == value:
            present.append(f"{where}: {key} = {value}")
            continue
        run_git(["config", scope, key, value], cwd)
        written.append(f"{where}: {key} = {value}")
    return written, present


__all__ = [
    "ATTRIBUTES",
    "DEFAULT_PATTERNS",
    "DRIVER",
    "DriverMerge",
    "GitError",
    "MergeReport",
    "canvas_from_text",
    "head_state",
    "in_work_tree",
    "merge_files",
    "merge_snapshots",
    "missing_driver",
    "run_git",
    "setup",
    "show_revision",
    "side_labels",
    "textconv",
    "textconv_of_bytes",
]
