"""The output layer's hold on Textual: a driver subclass given to the app, through public API only.

These fail when what tui/wire/driver.py relies on changes in a Textual release: the version it was
checked with, the driver's `write` and `flush` (each frame goes through them), the constructor
`App(driver_class=...)` calls, and the frame shape Textual writes (checked in a real terminal by
tests/e2e/test_repaint.py). And the switch: `--wire plain`, CANVAS_TUI_WIRE, the browser mode.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest
import textual
from textual.app import App
from textual.driver import Driver
from textual.drivers.linux_driver import LinuxDriver

from canvas_tui.cli import editor
from canvas_tui.cli.common import UserError
from canvas_tui.tui.wire import driver as wire_driver
from canvas_tui.tui.wire import driver_class
from canvas_tui.tui.wire.driver import CHECKED_WITH, WireDriver, supported


def test_the_installed_textual_is_the_one_the_driver_was_checked_with() -> None:
    assert supported(), f"Textual {textual.__version__}: check tui/wire/driver.py, then CHECKED_WITH"
    assert textual.__version__.startswith(CHECKED_WITH)


def parameters(function: object) -> list[tuple[str, object]]:
    return [(p.name, p.kind) for p in inspect.signature(function).parameters.values()]  # type: ignore[arg-type]


def test_the_driver_api_it_builds_on_is_unchanged() -> None:
    positional = inspect.Parameter.POSITIONAL_OR_KEYWORD
    keyword = inspect.Parameter.KEYWORD_ONLY
    assert parameters(Driver.write) == [("self", positional), ("data", positional)]
    assert parameters(Driver.flush) == [("self", positional)]
    assert parameters(LinuxDriver.__init__) == [
        ("self", positional),
        ("app", positional),
        ("debug", keyword),
        ("mouse", keyword),
        ("size", keyword),
    ]
    assert parameters(WireDriver.__init__) == parameters(LinuxDriver.__init__)
    assert parameters(LinuxDriver.start_application_mode) == [("self", positional)]
    # The terminal's cursor, shown for the editor: Textual hides it as it starts and moves it to
    # App.cursor_position after every frame, where TextArea puts its cursor.
    assert r'self.write("\x1b[?25l")  # Hide cursor' in inspect.getsource(LinuxDriver)
    assert "self.cursor_position = " in inspect.getsource(App.__init__)
    assert "driver_class" in inspect.signature(App.__init__).parameters


def test_the_driver_overrides_only_public_methods() -> None:
    own = {name for name, value in vars(WireDriver).items() if callable(value)}
    # show_cursor and terminal_resized are the layer's own; the others override Textual's public
    # driver methods.
    assert own == {"__init__", "write", "flush", "start_application_mode", "show_cursor", "terminal_resized"}
    assert not hasattr(LinuxDriver, "show_cursor")
    assert not hasattr(LinuxDriver, "terminal_resized")


@pytest.fixture
def written(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """What the driver hands to Textual's writer thread, on a terminal of 20x5 until changed."""
    out: list[str] = []
    monkeypatch.setattr(LinuxDriver, "write", lambda self, data: out.append(data))
    monkeypatch.setattr(LinuxDriver, "flush", lambda self: None)
    monkeypatch.setattr(wire_driver, "terminal_size", lambda: (20, 5))
    yield out


async def test_the_driver_sends_only_what_changed_and_everything_after_a_resize(
    written: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    driver = WireDriver(App())
    frame = "\x1b[?25l\x1b[0m\x1b[1;1H\x1b[1;31mhello\x1b[0m\x1b[2;1H\x1b[32mworld\x1b[0m"
    driver.write(frame)
    driver.flush()
    assert "hello" in "".join(written)
    written.clear()
    driver.write(frame.replace("world", "wOrld"))
    assert "".join(written) == "\x1b[2GO"  # from the end of "world", the cursor hidden
    written.clear()
    monkeypatch.setattr(wire_driver, "terminal_size", lambda: (30, 6))
    driver.write(frame)  # the terminal changed size: nothing on it is known
    assert "hello" in "".join(written) and "world" in "".join(written)


async def test_without_a_terminal_the_output_passes_unchanged(
    written: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(wire_driver, "terminal_size", lambda: None)
    driver = WireDriver(App())
    driver.write("\x1b[1;1Habc")
    driver.write("\x1b[1;1Habc")
    assert written == ["\x1b[1;1Habc"] * 2


def test_the_switch() -> None:
    assert driver_class("diff", {}) is WireDriver
    assert driver_class("plain", {}) is None
    served = {"TEXTUAL_DRIVER": editor.WEB_DRIVER}
    assert driver_class("diff", served) is None  # textual-serve's driver, never replaced


def test_the_command_line_and_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(editor.WIRE_VARIABLE, raising=False)
    assert editor._wire(None) == "diff"
    assert editor._wire("plain") == "plain"
    monkeypatch.setenv(editor.WIRE_VARIABLE, "plain")
    assert editor._wire(None) == "plain"
    assert editor._wire("diff") == "diff"  # the flag wins
    monkeypatch.setenv(editor.WIRE_VARIABLE, "fast")
    with pytest.raises(UserError, match="CANVAS_TUI_WIRE=fast"):
        editor._wire(None)


def test_the_browser_mode_runs_the_editor_plain() -> None:
    from canvas_tui.cli import serve_tab

    assert '"--wire", "plain"' in inspect.getsource(serve_tab.main)
