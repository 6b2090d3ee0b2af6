"""Deeply nested files: refused when read, with line and column, if a save could not write them back.

The limit is measured here against what tomlkit (every save) and tomllib (every read back) really
manage; a file at the limit opens and saves, one level deeper is refused, and files 1000 and 100000
deep are one line and exit 2 from every command, never a RecursionError.
"""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tomlkit.exceptions import TOMLKitError

from canvas_tui import cli
from canvas_tui.files import nesting
from canvas_tui.files.nesting import MAX_DEPTH, TooDeepError
from canvas_tui.storage import CanvasFile, CanvasFileError

CANVAS_TUI = Path(sys.executable).parent / "canvas-tui"
HEAD = '[canvas]\ntemplate = "mlops-canvas-v1.1"\nproduct = "Deep"\n'
"""A canvas header: what follows sits in the [canvas] table, at depth 1."""
TAIL = '\n[blocks.background]\ntext = "Before"\n'


# -- the real limit -----------------------------------------------------------------------------


def _saves(text: str) -> bool:
    """Whether a save can write `text`: tomlkit parses it and writes it back as it was, and the
    standard reader reads what was written."""
    try:
        document = tomlkit.parse(text)
        written = document.as_string()
        tomllib.loads(written)
    except (TOMLKitError, RecursionError):
        return False
    return written == text


def _deepest(build: Callable[[int], str]) -> int:
    """The deepest n for which build(n) can be saved (bisection over 1..4000)."""
    low, high = 1, 4000
    assert _saves(build(low)) and not _saves(build(high))
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if _saves(build(middle)) else (low, middle)
    return low


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda n: "x = " + "[" * n + "]" * n + "\n", id="arrays"),
        pytest.param(lambda n: "x = " + "{a = " * n + "1" + "}" * n + "\n", id="inline tables"),
        pytest.param(lambda n: "x = " + "[{a = " * n + "1" + "}]" * n + "\n", id="both"),
        pytest.param(lambda n: ".".join(["k"] * n) + " = 1\n", id="dotted key"),
        pytest.param(lambda n: "[" + ".".join(["t"] * n) + "]\nv = 1\n", id="table header"),
    ],
)
def test_the_limit_is_well_below_what_a_save_can_write(build: Callable[[int], str]) -> None:
    # tomlkit 0.15 stops at 100 levels (2 x 50 for the mixed case), the standard reader near 400:
    # the limit keeps half of the room, for the stack the editor itself is using when it reads.
    deepest = _deepest(build)
    containers = deepest * 2 if build(1).startswith("x = [{") else deepest
    assert containers >= 2 * MAX_DEPTH, (deepest, MAX_DEPTH)


# -- at the limit and one deeper ------------------------------------------------------------------

# Each shape: the canvas text nested `depth` deep (the [canvas] table is depth 1), and the offset of
# the place where it opens its deepest container.
Shape = Callable[[int], tuple[str, int]]


def _arrays(depth: int) -> tuple[str, int]:
    body = "x = " + "[" * (depth - 1) + "]" * (depth - 1)
    return HEAD + body + TAIL, len(HEAD) + body.index("]") - 1


def _inline_tables(depth: int) -> tuple[str, int]:
    body = "x = " + "{a = " * (depth - 1) + "1" + "}" * (depth - 1)
    return HEAD + body + TAIL, len(HEAD) + body.rindex("{")


def _mixed(depth: int) -> tuple[str, int]:
    # Arrays of inline tables over several lines, with comments and strings that hold brackets.
    levels = range(2, depth + 1)
    openers = ["[ # [[[ {{{\n" if level % 2 == 0 else '{ s = "]]] [[[", a = ' for level in levels]
    closers = ["\n]" if level % 2 == 0 else "}" for level in reversed(levels)]
    before = HEAD + "x = " + "".join(openers[:-1])
    return before + openers[-1] + "'''[[[\n]]]'''" + "".join(closers) + TAIL, len(before)


def _dotted_key(depth: int) -> tuple[str, int]:
    # Every part but the last is a table: depth - 1 of them, in [canvas].
    body = " . ".join(["k"] * (depth - 1)) + ".'k' = 1"
    return HEAD + body + TAIL, len(HEAD) + body.rindex(".")


def _header(depth: int) -> tuple[str, int]:
    body = "[canvas." + ".".join(["t"] * (depth - 1)) + "]"
    return HEAD + body + "\nv = 1\n" + TAIL, len(HEAD) + body.rindex(".")


def _array_of_tables(depth: int) -> tuple[str, int]:
    # The array counts: canvas, "t" and depth - 3 parts more, the last of them an array.
    body = '[[ canvas . "t" . ' + " . ".join(["t"] * (depth - 3)) + " ]]"
    return HEAD + body + "\nv = 1\n" + TAIL, len(HEAD) + body.rindex(".")


def _line_and_column(text: str, offset: int) -> tuple[int, int]:
    return text.count("\n", 0, offset) + 1, offset - text.rfind("\n", 0, offset)


SHAPES = [_arrays, _inline_tables, _mixed, _dotted_key, _header, _array_of_tables]


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.__name__.strip("_"))
def test_a_file_at_the_limit_opens_and_saves(tmp_path: Path, shape: Shape) -> None:
    path = tmp_path / "canvas.toml"
    text, _ = shape(MAX_DEPTH)
    path.write_text(text)
    document = CanvasFile.load(path)
    document.canvas.blocks["background"].text = "After"
    document.save()
    again = CanvasFile.load(path)
    assert again.canvas.blocks["background"].text == "After"
    written, opened = tomllib.loads(path.read_text())["canvas"], tomllib.loads(text)["canvas"]
    assert {key: written[key] for key in opened} == opened  # the deep value is kept as it was


@pytest.mark.parametrize("shape", SHAPES, ids=lambda shape: shape.__name__.strip("_"))
def test_one_level_deeper_is_refused_with_its_line_and_column(tmp_path: Path, shape: Shape) -> None:
    path = tmp_path / "canvas.toml"
    text, offset = shape(MAX_DEPTH + 1)
    line, column = _line_and_column(text, offset)
    path.write_text(text)
    with pytest.raises(CanvasFileError) as caught:
        CanvasFile.load(path)
    assert (caught.value.line, caught.value.column) == (line, column)
    assert str(caught.value) == (
        f"{path}:{line}:{column}: nested more than {MAX_DEPTH} levels deep (arrays, inline tables, "
        "table and key names together): too deep for canvas-tui to save, so it is not read"
    )
    assert path.read_text() == text


# -- the scan against the reader ------------------------------------------------------------------


def _depth(value: object) -> int:
    """How many containers the deepest value of what tomllib read sits in."""
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    return 0


def _scanned_depth(text: str) -> int:
    """The smallest limit the scan lets `text` through at."""
    limit = 0
    while True:
        try:
            nesting.check(text, limit)
        except TooDeepError:
            limit += 1
        else:
            return limit


_TRICKY = st.sampled_from(
    ["[", "]", "{", "}", ".", "#", "=", ",", '"', "'", '"""', "'''", "\\", "\n", "a", " ", "[[x]]"]
)
_STRINGS = st.lists(_TRICKY, max_size=6).map("".join)
_SCALARS = st.one_of(
    st.integers(-5, 5), st.sampled_from([1.5, True, dt.datetime(1979, 5, 27, 7, 32)]), _STRINGS
)
_VALUES = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3),
        st.dictionaries(st.sampled_from(["a", "b.c", "d e", "f"]), inner, max_size=3),
    ),
    max_leaves=12,
)
_DOCUMENTS = st.dictionaries(st.sampled_from(["t", "u.v", "w"]), _VALUES, min_size=1, max_size=3)


def _has_array_of_tables(text: str) -> bool:
    return any(line.lstrip().startswith("[[") for line in text.split("\n"))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DOCUMENTS)
def test_the_scan_counts_what_the_reader_builds(data: dict[str, Any]) -> None:
    # tomlkit writes tables as [headers], dicts in arrays inline, lists of dicts as [[arrays]], and
    # quotes odd keys; the strings hold every character the scan must skip. A sub-table of an
    # [[array]] is counted from its header alone (one level fewer than it builds, tomlkit's count).
    text = tomlkit.dumps(data)
    read = tomllib.loads(text)
    scanned, built = _scanned_depth(text), _depth(read) - 1
    if _has_array_of_tables(text):
        assert scanned <= built, text
    else:
        assert scanned == built, text


_KEYS = st.sampled_from(["a{}", '"q.k{}"', "'l{}'", "b{} . c", "d.e{}.f"])
"""Keys as people write them, `{}` for a number that keeps them apart."""


@st.composite
def _hand_written(draw: st.DrawFn) -> str:
    """TOML as people write it: dotted keys with spaces, comments, multi-line arrays and strings."""

    def value(level: int) -> str:
        kind = draw(st.sampled_from(["scalar", "array", "table"] if level < 5 else ["scalar"]))
        if kind == "scalar":
            return draw(
                st.sampled_from(
                    [
                        *("1", "-0.5e3", "1979-05-27", "07:32:00", "true", '"a[b"', "'c{d'", '"\\"]"'),
                        *('"""\n[x]\n""\\""""', "'''\n{y.z}\n'''''", '"""a\\\n  b"""'),
                        *('"""]\\"""[{"""', '"""a\\\\"""'),
                    ]
                )
            )
        if kind == "array":
            items = [value(level + 1) for _ in range(draw(st.integers(0, 3)))]
            return "[ # ]\n  " + ",\n  ".join(items) + "\n]"
        keys = draw(st.lists(_KEYS, max_size=3))
        return "{ " + ", ".join(f"{key.format(n)} = {value(level + 1)}" for n, key in enumerate(keys)) + " }"

    lines = []
    for n, header in enumerate(
        draw(st.lists(st.sampled_from(["", "[s]", "[s . t]", '["x.y".z]']), min_size=1))
    ):
        if header:
            lines.append(f"{header.replace(']', str(n) + ']')}  # [[comment]]")
        for m, key in enumerate(draw(st.lists(_KEYS, min_size=1, max_size=3))):
            lines.append(f"{key.format(m)} = {value(0)}")
    return "\n".join(lines) + "\n"


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_hand_written())
def test_the_scan_counts_hand_written_toml(text: str) -> None:
    try:
        read = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return  # a key defined twice: nothing to compare with
    assert _scanned_depth(text) == _depth(read) - 1, text


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("[]{}.=,#\"'\\\n ab1")), max_size=60))
def test_the_scan_reads_any_text_without_failing(text: str) -> None:
    # Text that is not TOML either passes (the reader then says what is wrong) or is too deep.
    try:
        nesting.check(text, 3)
    except TooDeepError as error:
        assert error.line is not None and error.column is not None
        assert 1 <= error.line <= text.count("\n") + 1


# -- every command: exit 2, one line ------------------------------------------------------------


def _deep_canvas(folder: Path, depth: int, name: str = "deep.toml") -> Path:
    path = folder / name
    path.write_text(HEAD + "x = " + "[" * depth + "]" * depth + TAIL)
    return path


@pytest.mark.parametrize("depth", [1000, 100_000])
@pytest.mark.parametrize(
    "command",
    [
        ["check"],
        ["status"],
        ["status", "--check"],
        ["lint"],
        ["export", "--format", "md"],
        ["export", "--format", "json"],
    ],
    ids=" ".join,
)
def test_every_command_refuses_a_deep_file_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str], depth: int
) -> None:
    path = _deep_canvas(tmp_path, depth)
    started = time.monotonic()
    code = cli.main([*command, str(path)])
    elapsed = time.monotonic() - started
    out, err = capsys.readouterr()
    assert code == 2
    assert err == f"canvas-tui: error: {path}:4:{4 + MAX_DEPTH}: nested more than {MAX_DEPTH} " + (
        "levels deep (arrays, inline tables, table and key names together): too deep for canvas-tui "
        "to save, so it is not read\n"
    )
    assert out == ""
    assert elapsed < 5, elapsed  # the scan stops at the first level too deep


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_diff_refuses_a_deep_file_on_either_side(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], depth: int
) -> None:
    deep = _deep_canvas(tmp_path, depth)
    fine = tmp_path / "fine.toml"
    fine.write_text(HEAD + TAIL)
    for pair in ([deep, fine], [fine, deep]):
        assert cli.main(["diff", *map(str, pair)]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1 and f"{deep}:4:{4 + MAX_DEPTH}: nested" in err


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_the_merge_driver_refuses_a_deep_side_and_leaves_ours_as_it_was(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], depth: int
) -> None:
    fine = HEAD + TAIL
    sides = ("base", "ours", "theirs")
    for deep_side in sides:
        paths = []
        for side in sides:
            path = tmp_path / f"{side}.toml"
            if side == deep_side:
                _deep_canvas(tmp_path, depth, path.name)
            else:
                path.write_text(fine)
            paths.append(path)
        before = paths[1].read_bytes()
        assert cli.main(["git", "merge", *map(str, paths), "canvas.toml"]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1, err
        where = f"canvas.toml ({deep_side}):4:{4 + MAX_DEPTH}"
        assert err.startswith(f"canvas-tui: error: {where}: nested more than {MAX_DEPTH} levels deep")
        assert paths[1].read_bytes() == before


def _run(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CANVAS_TUI), *map(str, args)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd,
        env={"PATH": "/usr/bin:/bin", "HOME": str(cwd)},
    )


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_the_installed_command_refuses_a_deep_file_without_a_traceback(tmp_path: Path, depth: int) -> None:
    path = _deep_canvas(tmp_path, depth)
    fine = tmp_path / "fine.toml"
    fine.write_text(HEAD + TAIL)
    runs: list[list[str | Path]] = [["check", path], ["git", "merge", fine, fine, path, "canvas.toml"]]
    for args in runs:
        result = _run(*args, cwd=tmp_path)
        assert result.returncode == 2, result.stderr
        assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
        shown = "canvas.toml (theirs)" if args[0] == "git" else str(path)  # as git shows it: %P
        assert f"{shown}:4:{4 + MAX_DEPTH}: nested more than {MAX_DEPTH} levels deep" in result.stderr


# -- the other files canvas-tui reads -------------------------------------------------------------

DEEP_TOML = "x = " + "[" * 100_000 + "]" * 100_000 + "\n"
DEEP_JSON = "[" * 100_000 + "]" * 100_000


def test_a_deep_settings_file_is_a_warning_and_defaults(tmp_path: Path) -> None:
    from canvas_tui.files.settings import Settings

    path = tmp_path / "settings.toml"
    path.write_text('theme = "nord"\n' + DEEP_TOML)
    loaded = Settings.load(path)
    assert not loaded.readable
    assert loaded.warnings == [
        f"{path}:2:{4 + MAX_DEPTH + 1}: " + TooDeepError(1, 1).message + "; using defaults"
    ]


def test_a_deep_theme_file_is_refused_in_one_line(tmp_path: Path) -> None:
    from canvas_tui.tui.themes import ThemeFileError, load_theme_file

    path = tmp_path / "deep.toml"
    path.write_text(DEEP_TOML)
    with pytest.raises(ThemeFileError) as caught:
        load_theme_file(path)
    assert str(caught.value) == f"{path}:1:{4 + MAX_DEPTH + 1}: " + TooDeepError(1, 1).message


def test_a_deep_template_file_is_refused_in_one_line(tmp_path: Path) -> None:
    from canvas_tui.model import TemplateError
    from canvas_tui.templates import load_template_file

    path = tmp_path / "deep.toml"
    path.write_text('id = "deep"\n' + DEEP_TOML)
    with pytest.raises(TemplateError) as caught:
        load_template_file(path)
    assert str(caught.value) == f"{path}:2:{4 + MAX_DEPTH + 1}: " + TooDeepError(1, 1).message


def test_deep_json_beside_a_canvas_reads_as_none(tmp_path: Path) -> None:
    # The lock, a recovery file and the places list are JSON, and may be planted beside a canvas.
    from canvas_tui.files import lock as instance
    from canvas_tui.files import places, recovery

    canvas = tmp_path / "canvas.toml"
    instance.lock_path(canvas).write_text(DEEP_JSON)
    assert instance.read_lock(canvas) is None
    planted = tmp_path / ".canvas.toml.recovery"
    planted.write_text(DEEP_JSON)
    assert recovery.read(planted) is None
    remembered = tmp_path / "places.json"
    remembered.write_text(DEEP_JSON)
    assert places.Places(remembered).last_block(canvas) is None
