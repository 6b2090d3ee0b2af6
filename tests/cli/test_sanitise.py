"""A canvas from a stranger cannot steer the terminal: escapes and markup from files are shown, not obeyed.

Hostile text (C0 and C1 controls, ESC/CSI/OSC/DCS sequences, OSC 52 clipboard writes, OSC 8 links,
bidi overrides, Rich markup and emoji codes) goes into a canvas's header fields, block texts,
unknown block names and `[lint] off`; every command that prints from a canvas runs in-process
(canvas_tui.cli.main, output captured) and must print no ESC but its own colours, no C1 control,
no bidi control, and every printable character of the input, in order. A few cases run in a
real pseudo-terminal, and the editor's "already open" dialog is checked with Pilot.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import select
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from canvas_tui.cli import main
from canvas_tui.export.markdown import render_markdown
from canvas_tui.model.text import for_terminal
from canvas_tui.storage import CanvasFile

CANVAS_TUI = Path(sys.executable).parent / "canvas-tui"

ATTACKS = [
    "\x1b",
    "\x1b[2J\x1b[H",  # clear the screen
    "\x1b[31m",  # SGR from the file, not ours
    "\x1b]52;c;ZWNobyBwd25lZA==\x07",  # OSC 52: write the clipboard
    "\x1b]8;;https://evil.example\x1b\\click\x1b]8;;\x1b\\",  # OSC 8: a link
    "\x1b]0;title\x1b\\",  # OSC 0: the window title
    "\x1bP+q544e\x1b\\",  # DCS
    "\x9b2J",  # CSI as C1
    "\x9d52;c;aGk=\x9c",  # OSC as C1, ended by ST as C1
    "\x90q\x9c",  # DCS as C1
    "\x85",
    "\x07\x08\r\x0b\x0c\x7f\x00",
    "\u202ereversed\u202c",
    "\u2066isolated\u2069",
    "\u2028",
    "[link=https://evil.example]x[/link]",
    "[bold red]loud[/]",
    "[/]",
    ":smile:",
    "<script>alert(1)</script>",
]

HOSTILE = st.lists(
    st.one_of(
        st.sampled_from(ATTACKS),
        st.text(st.characters(exclude_categories=["Cs"], max_codepoint=0x2FFFF), max_size=8),
    ),
    min_size=1,
    max_size=5,
).map("".join)

OUR_SGR = re.compile(r"\x1b\[[0-9;]*m")
FORBIDDEN = re.compile("[\x1b\x80-\x9f\u202a-\u202e\u2066-\u2069]")


def toml_string(value: str) -> str:
    """A TOML basic string holding exactly `value` (JSON's escapes are TOML's; DEL must be escaped)."""
    return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")


@dataclass
class Hostile:
    product: str
    designed_by: str
    text: str
    block_name: str
    rule: str

    def canvas_toml(self) -> str:
        return (
            "[canvas]\n"
            f"product = {toml_string(self.product)}\n"
            f"designed_by = {toml_string(self.designed_by)}\n"
            "[blocks.background]\n"
            'status = "draft"\n'
            f"text = {toml_string(self.text)}\n"
            "[blocks.security]\n"
            f"text = {toml_string(self.text)}\n"
            f"[blocks.{toml_string('x-' + self.block_name)}]\n"
            'text = "kept"\n'
            "[lint]\n"
            f"off = [{toml_string('x-' + self.rule)}]\n"
        )


BENIGN = '[canvas]\nproduct = "P"\ndesigned_by = "D"\n[blocks.background]\nstatus = "done"\ntext = "Plain."\n'


def visible(text: str) -> str:
    """The characters a reader must be able to see: printable and not white space."""
    return "".join(char for char in text if char.isprintable() and not char.isspace())


def shows_in_order(needle: str, haystack: str) -> bool:
    """Every visible character of `needle` is in `haystack`, in the same order."""
    rest = iter(visible(haystack))
    return all(char in rest for char in visible(needle))


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def run(*args: str | Path, terminal: bool = False) -> tuple[int, str, str]:
    """canvas-tui in-process: (exit code, stdout, stderr)."""
    out: io.StringIO = FakeTerminal() if terminal else io.StringIO()
    err = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main([str(arg) for arg in args])
    return code, out.getvalue(), err.getvalue()


def assert_harmless(output: str, *, coloured: bool = False) -> None:
    if coloured:
        output = OUR_SGR.sub("", output)
    found = FORBIDDEN.search(output)
    assert found is None, f"{found.group()!r} reached the output: {output!r}"


@pytest.fixture(scope="module", autouse=True)
def own_config() -> Iterator[None]:
    """No user settings or templates of the machine running the tests; a fixed terminal width."""
    with tempfile.TemporaryDirectory() as home, pytest.MonkeyPatch.context() as patch:
        patch.setenv("XDG_CONFIG_HOME", home)
        patch.setenv("COLUMNS", "100")
        patch.delenv("NO_COLOR", raising=False)
        yield


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    product=HOSTILE,
    designed_by=HOSTILE,
    text=HOSTILE,
    block_name=HOSTILE,
    rule=HOSTILE,
)
def test_no_command_sends_a_files_escapes_to_the_terminal(
    product: str, designed_by: str, text: str, block_name: str, rule: str
) -> None:
    hostile = Hostile(product, designed_by, text, block_name, rule)
    with tempfile.TemporaryDirectory() as folder:
        path, other = Path(folder) / "canvas.toml", Path(folder) / "other.toml"
        path.write_text(hostile.canvas_toml(), encoding="utf-8")
        other.write_text(BENIGN, encoding="utf-8")
        document = CanvasFile.load(path)
        stored = document.canvas.fields  # newlines are normalised on load
        fields, texts = (product, designed_by), (text,)
        unknown = ("x-" + block_name,)
        stored_text = document.canvas.blocks["background"].text
        # What the diff lists: what differs from the benign canvas.
        changed = [value for value, benign in ((product, "P"), (designed_by, "D")) if value != benign]
        changed += [stored_text] if stored_text != "Plain." else []

        # status: the header fields on stdout, the unknown block in a warning
        for terminal in (False, True):
            code, out, err = run("status", path, terminal=terminal)
            assert code == 0, err
            assert_harmless(out, coloured=terminal)
            assert_harmless(err)
            assert all(shows_in_order(field, out) for field in fields)
            assert all(shows_in_order(name, err) for name in unknown)

        # status A B: the product in a table cell, never markup
        code, out, err = run("status", path, other)
        assert_harmless(out)
        assert_harmless(err)
        assert shows_in_order(product, out)

        # JSON for scripts: no raw control character, the same values
        code, out, _ = run("status", path, "--json")
        assert_harmless(out)
        assert json.loads(out)["canvas"]["product"] == stored["product"]

        # diff, plain and in colour: fields and texts as deletions
        code, plain, err = run("diff", path, other)
        assert code == 1, err
        code, coloured, err = run("diff", path, other, "--color", "always")
        assert code == 1, err
        assert_harmless(plain)
        assert_harmless(coloured, coloured=True)
        for shown in (plain, OUR_SGR.sub("", coloured)):
            assert all(shows_in_order(value, shown) for value in changed)
        code, out, _ = run("diff", path, other, "--json")
        assert_harmless(out)
        olds = {change["id"]: change["old"] for change in json.loads(out)["fields"]}
        assert olds.get("product", "P") == stored["product"]

        # git textconv (what `git diff` and `git log -p` show)
        code, out, err = run("git", "textconv", path)
        assert code == 0, err
        assert_harmless(out)
        assert all(shows_in_order(value, out) for value in (*fields, stored_text))

        # lint: the unknown rule and block named in warnings
        code, out, err = run("lint", path)
        assert_harmless(out)
        assert_harmless(err)
        assert shows_in_order("x-" + rule, err)
        code, out, _ = run("lint", path, "--json")
        assert_harmless(out)

        # export -o - onto a terminal: shown; into a pipe: the exact document, it is data
        code, out, err = run("export", path, "-f", "md", "-o", "-", terminal=True)
        assert code == 0, err
        assert_harmless(out)
        assert all(shows_in_order(value, out) for value in (*fields, *texts))
        code, out, _ = run("export", path, "-f", "md", "-o", "-")
        assert out == render_markdown(document.canvas)

        # check: silent or one line, never the file's escapes
        code, out, err = run("check", path)
        assert_harmless(out)
        assert_harmless(err)


# -- the sanitiser itself -----------------------------------------------------------------------


def test_for_terminal_pictures_c0_and_escapes_c1_and_bidi() -> None:
    assert for_terminal("a\x1b[2Jb") == "a\u241b[2Jb"
    assert for_terminal("\x00\x07\x7f") == "\u2400\u2407\u2421"
    assert for_terminal("\x9b2J\x85") == "\\x9b2J\\x85"
    assert for_terminal("\u202eabc\u2069") == "\\u202eabc\\u2069"
    assert for_terminal("one\ntwo\tthree") == "one\u240atwo\u2409three"
    assert for_terminal("one\ntwo\tthree\r", multiline=True) == "one\ntwo\tthree\u240d"
    kept = "[link=x]y[/link] :smile: ␛ \\x1b עברית 中文 😀 e\u0301"
    assert for_terminal(kept) == kept


@given(st.text())
def test_for_terminal_keeps_every_printable_character(text: str) -> None:
    for multiline in (False, True):
        shown = for_terminal(text, multiline=multiline)
        assert FORBIDDEN.search(shown) is None
        assert shows_in_order(text, shown)


# -- each exit, by example ----------------------------------------------------------------------

LINK_MARKUP = "[link=https://evil.example]click me[/link]"
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"


def write_canvas(path: Path, product: str = LINK_MARKUP, text: str = f"before {OSC52} after") -> Path:
    path.write_text(
        f"[canvas]\nproduct = {toml_string(product)}\ndesigned_by = {toml_string(OSC52)}\n"
        f'[blocks.background]\nstatus = "draft"\ntext = {toml_string(text)}\n'
        f'[blocks.{toml_string("evil" + OSC52)}]\ntext = "x"\n',
        encoding="utf-8",
    )
    return path


def test_status_of_several_canvases_prints_markup_literally(tmp_path: Path) -> None:
    first = write_canvas(tmp_path / "a.toml")
    second = write_canvas(tmp_path / "b.toml", product=":smile: [bold]not bold[/bold]")
    code, out, err = run("status", first, second)
    assert code == 0
    assert LINK_MARKUP in out
    assert ":smile: [bold]not bold[/bold]" in out
    assert "\x1b" not in out + err
    assert "evil\u241b]52;c;ZWNobyBwd25lZA==\u2407" in err  # the unknown block, pictured


def test_status_header_fields_show_their_escapes(tmp_path: Path) -> None:
    code, out, _ = run("status", write_canvas(tmp_path / "a.toml"))
    assert code == 0
    assert f"Product name: {LINK_MARKUP}" in out
    assert "Designed by: \u241b]52;c;ZWNobyBwd25lZA==\u2407" in out


def test_diff_shows_escapes_plain_and_in_colour(tmp_path: Path) -> None:
    old = write_canvas(tmp_path / "old.toml")
    new = write_canvas(tmp_path / "new.toml", text="before \x9b2J after")
    _, plain, _ = run("diff", old, new)
    assert "- before \u241b]52;c;ZWNobyBwd25lZA==\u2407 after" in plain
    assert "+ before \\x9b2J after" in plain
    _, coloured, _ = run("diff", old, new, "--color", "always")
    assert "\x1b[" in coloured  # colours are ours to send
    assert "\x1b" not in OUR_SGR.sub("", coloured)
    assert "\\x9b2J" in OUR_SGR.sub("", coloured)


def test_textconv_shows_escapes_also_for_a_broken_file(tmp_path: Path) -> None:
    _, out, _ = run("git", "textconv", write_canvas(tmp_path / "a.toml"))
    assert "before \u241b]52;c;ZWNobyBwd25lZA==\u2407 after" in out
    broken = tmp_path / "broken.toml"
    broken.write_bytes(b"[canvas\r\nproduct = '\x1b[2J'\r\n\xff\n")
    code, out, _ = run("git", "textconv", broken)
    assert code == 0
    assert out == "[canvas\nproduct = '\u241b[2J'\n\\xff\n"


def test_export_to_a_pipe_is_exact_and_to_a_terminal_shown(tmp_path: Path) -> None:
    path = write_canvas(tmp_path / "a.toml")
    _, piped, _ = run("export", path, "-f", "json", "-o", "-")
    assert json.loads(piped)["columns"][0]["blocks"][0]["text"] == f"before {OSC52} after"
    _, piped, _ = run("export", path, "-f", "md", "-o", "-")
    assert OSC52 in piped
    _, shown, _ = run("export", path, "-f", "md", "-o", "-", terminal=True)
    assert "\x1b" not in shown and "before \u241b]52;c;" in shown
    c1 = write_canvas(tmp_path / "c1.toml", text="\x9b2J")
    _, shown, _ = run("export", c1, "-f", "json", terminal=True)
    assert json.loads(shown)["columns"][0]["blocks"][0]["text"] == "\x9b2J"  # still the same JSON
    out = tmp_path / "out.md"
    run("export", path, "-o", out)
    assert OSC52 in out.read_text(encoding="utf-8")  # a file the user names is the exact export


def test_git_merge_report_shows_escapes(tmp_path: Path) -> None:
    base = write_canvas(tmp_path / "base.toml", product="base")
    ours = write_canvas(tmp_path / "ours.toml", product=f"ours{OSC52}")
    theirs = write_canvas(tmp_path / "theirs.toml", product="theirs\x9b2J")
    code, _, err = run("git", "merge", base, ours, theirs, "canvas.toml")
    assert code == 1
    assert err and "\x1b" not in err and "\x9b" not in err


# -- in a real terminal -------------------------------------------------------------------------


def in_a_pty(*args: str | Path) -> bytes:
    """Run canvas-tui with a pseudo-terminal as its stdout; everything it wrote there."""
    primary, secondary = os.openpty()
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "TERM": "xterm-256color", "COLUMNS": "120"}
    with tempfile.TemporaryDirectory() as home:
        env["XDG_CONFIG_HOME"] = home
        process = subprocess.Popen(
            [str(CANVAS_TUI), *map(str, args)], stdout=secondary, stderr=secondary, env=env
        )
        os.close(secondary)
        output = b""
        try:
            while True:
                ready, _, _ = select.select([primary], [], [], 30)
                if not ready:
                    break
                try:
                    chunk = os.read(primary, 65536)
                except OSError:  # the child closed the terminal
                    break
                if not chunk:
                    break
                output += chunk
        finally:
            os.close(primary)
            process.wait(timeout=30)
    return output


@pytest.mark.skipif(not CANVAS_TUI.exists(), reason="needs the installed canvas-tui script")
@pytest.mark.parametrize(
    "command",
    [["status", "{a}"], ["status", "{a}", "{b}"], ["export", "{a}", "-f", "md"], ["diff", "{a}", "{b}"]],
)
def test_in_a_terminal_only_our_colours_are_sent(tmp_path: Path, command: list[str]) -> None:
    a = write_canvas(tmp_path / "a.toml")
    b = write_canvas(tmp_path / "b.toml", product="[bold]other[/bold]", text="\x9b2J")
    output = in_a_pty(*(part.format(a=a, b=b) for part in command)).decode("utf-8")
    assert output
    assert "\x1b" not in OUR_SGR.sub("", output), output
    assert "\x9b" not in output and "evil.example\x1b" not in output
    if command == ["status", "{a}"]:
        assert "[link=https://evil.example]click me[/link]" in output
