"""`canvas-tui serve` end to end: the real command, Debian's chromium driven by Playwright.

Playwright never downloads a browser here: it launches the system's chromium by path. The tests
skip only when there is no chromium (CI installs it, .ci/run) or Playwright is not installed.
Everything waits on conditions with bounds (tests/waiting.py); nothing sleeps for a fixed time.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from tests.waiting import wait_until_sync

from canvas_tui.files.resources import example_canvas_path
from canvas_tui.serve.guard import is_loopback
from canvas_tui.serve.page import page_template

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Served:
    """A running `canvas-tui serve` and what it printed."""

    process: subprocess.Popen[str]
    canvas: Path
    out: list[str] = field(default_factory=list)
    err: list[str] = field(default_factory=list)

    @property
    def url(self) -> str:
        for line in self.out:
            if line.startswith("Open: "):
                return line.removeprefix("Open: ").strip()
        raise AssertionError(f"no URL printed: {self.out} {self.err}")

    @property
    def origin(self) -> str:
        return self.url.split("/", 3)[0] + "//" + self.url.split("/", 3)[2]


def start(canvas: Path, *extra: str) -> Served:
    command = [sys.executable, "-m", "canvas_tui", "serve", str(canvas), "--port", str(free_port()), *extra]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    served = Served(process, canvas)
    assert process.stdout is not None and process.stderr is not None
    for stream, lines in ((process.stdout, served.out), (process.stderr, served.err)):
        threading.Thread(target=lambda s=stream, into=lines: into.extend(s), daemon=True).start()
    wait_until_sync(
        lambda: any(line.startswith("Open: ") for line in served.out) or process.poll() is not None,
        "the server to print its URL",
    )
    assert process.poll() is None, f"serve exited: {served.err}"
    return served


def stop(served: Served) -> int:
    if served.process.poll() is None:
        served.process.send_signal(signal.SIGINT)
    try:
        return served.process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(served.process.pid, signal.SIGKILL)  # the server's own process group only
        raise


@pytest.fixture
def canvas(tmp_path: Path) -> Path:
    return Path(shutil.copyfile(example_canvas_path(), tmp_path / "canvas.toml"))


@pytest.fixture
def served(canvas: Path) -> Iterator[Served]:
    running = start(canvas)
    yield running
    stop(running)


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


# -- no browser needed -----------------------------------------------------------------------------


def test_a_request_without_the_token_gets_403(served: Served) -> None:
    url, origin = served.url, served.origin
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert len(token) >= 40
    assert status_of(url) == 200
    assert status_of(f"{url}static/js/textual.js") == 200
    for path in (
        "/",
        "/ws",
        "/static/js/textual.js",
        "/static/",
        f"/{token[:-1]}/",
        f"/x{token}/",
        "/download/x",
    ):
        assert status_of(origin + path) == 403, path


def test_the_page_loads_nothing_from_the_internet(served: Served) -> None:
    with urllib.request.urlopen(served.url, timeout=30) as response:
        page = response.read().decode("utf-8")
    assert "googleapis" not in page and "https://" not in page
    assert "static/fonts/RobotoMono-VariableFont_wght.ttf" in page


def test_page_template_refuses_a_page_it_does_not_know(monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the offline page: a textual-serve whose page links elsewhere is refused, not served."""
    import canvas_tui.serve.page as serve

    assert "fonts.googleapis" not in page_template()
    monkeypatch.setattr(serve, "FONT_LINK", re.compile("will-not-match"))
    with pytest.raises(serve.ServeError):
        serve.page_template()


def test_a_non_loopback_host_warns(canvas: Path) -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.0.2.1")
    running = start(canvas, "--host", "0.0.0.0")
    try:
        wait_until_sync(
            lambda: any("warning: listening on 0.0.0.0" in line for line in running.err), "a warning"
        )
    finally:
        assert stop(running) == 0


def test_a_bad_canvas_or_port_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("not = [valid", encoding="utf-8")
    for args in ([str(bad)], [str(tmp_path / "c.toml"), "--port", "0"]):
        result = subprocess.run(
            [sys.executable, "-m", "canvas_tui", "serve", *args],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("canvas-tui: error: ")


def test_a_port_in_use_is_one_line(canvas: Path, served: Served) -> None:
    port = served.origin.rsplit(":", 1)[1]
    result = subprocess.run(
        [sys.executable, "-m", "canvas_tui", "serve", str(canvas), "--port", port],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.startswith("canvas-tui: error: cannot listen on") and result.stderr.count("\n") == 1


# -- in a real browser -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium") or (
        "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None
    )
    if chromium is None:
        pytest.skip("chromium is not installed (.ci/run installs Debian's); cannot drive a browser")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def open_tab(browser: Browser, url: str, outside: list[str]) -> Page:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    origin = url.split("/", 3)[2]
    page.on("request", lambda request: outside.append(request.url) if origin not in request.url else None)
    page.goto(url)
    page.wait_for_selector("body.-first-byte", timeout=60_000)  # the app's first screen arrived
    page.click("#terminal")
    return page


def png_pixels(png: bytes) -> tuple[int, int, list[bytes]]:
    """Width, height and the RGB(A) rows of an 8-bit PNG (as Chromium writes them): a tiny decoder."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    position, data, width, height, channels = 8, b"", 0, 0, 0
    while position < len(png):
        length, kind = struct.unpack(">I4s", png[position : position + 8])
        chunk = png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and colour in (2, 6)
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            data += chunk
        position += 12 + length
    raw = zlib.decompress(data)
    stride = width * channels
    rows: list[bytes] = []
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                guess = left + up - corner
                near = min((abs(guess - left), 0), (abs(guess - up), 1), (abs(guess - corner), 2))[1]
                line[x] = (line[x] + (left, up, corner)[near]) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, rows


def distinct_colours(png: bytes) -> int:
    width, _, rows = png_pixels(png)
    channels = len(rows[0]) // width
    seen: set[bytes] = set()
    for row in rows[::7]:
        for x in range(0, width * channels, channels * 5):
            seen.add(row[x : x + 3])
    return len(seen)


def test_the_canvas_appears_and_keys_typed_in_the_browser_reach_the_file(
    browser: Browser, served: Served
) -> None:
    outside: list[str] = []
    page = open_tab(browser, served.url, outside)
    # Not blank: the canvas's text, lines and status colours, not one flat background.
    wait_until_sync(lambda: distinct_colours(page.screenshot()) > 20, "the canvas to be drawn in the tab")
    before = served.canvas.read_text(encoding="utf-8")
    assert "Zanzibar" not in before
    page.keyboard.press("Enter")  # the first block, Background, is selected: open its editor
    page.keyboard.type("Zanzibar ")
    page.keyboard.press("Escape")  # leaving the editor saves when autosave is on (the default)
    wait_until_sync(
        lambda: "Zanzibar" in served.canvas.read_text(encoding="utf-8"), "the typed word to be saved"
    )
    assert outside == [], f"the page fetched from elsewhere: {outside}"
    page.close()


def test_ctrl_c_stops_the_server_and_open_sessions_keep_their_edits(browser: Browser, canvas: Path) -> None:
    running = start(canvas)
    try:
        page = open_tab(browser, running.url, [])
        wait_until_sync(lambda: distinct_colours(page.screenshot()) > 20, "the canvas to be drawn")
        page.keyboard.press("Enter")
        drawn = page.screenshot()
        page.keyboard.type("Timbuktu ")  # the editor stays open: only SIGTERM (or autosave) saves it
        wait_until_sync(lambda: page.screenshot() != drawn, "the typed word to reach the app's screen")
        # The app has the word once it is in its recovery file (or saved): a changed screenshot
        # alone may be the editor opening, on a loaded machine before the keys arrived.
        wait_until_sync(
            lambda: any(
                "Timbuktu" in path.read_text(encoding="utf-8")
                for path in canvas.parent.iterdir()
                if path.name.endswith(".recovery") or path == canvas
            ),
            "the typed word in the app",
        )
    finally:
        code = stop(running)
    assert code == 0, running.err
    assert "Timbuktu" in canvas.read_text(encoding="utf-8")
    assert not canvas.with_name(f".{canvas.name}.lock").exists()  # the app let go of the file


def test_a_second_browser_gets_the_lock_question_and_cannot_overwrite(
    browser: Browser, served: Served
) -> None:
    first = open_tab(browser, served.url, [])
    wait_until_sync(lambda: distinct_colours(first.screenshot()) > 20, "the first tab's canvas")
    second = open_tab(browser, served.url, [])
    wait_until_sync(lambda: distinct_colours(second.screenshot()) > 20, "the second tab's screen")
    # The second app asks: read-only, open anyway or quit. Read-only: what it types is never saved.
    second.keyboard.press("r")
    second.keyboard.press("Enter")
    second.keyboard.type("Kathmandu ")
    second.keyboard.press("Escape")
    second.keyboard.press("Control+s")
    # The first tab still owns the file: its edit is saved...
    first.keyboard.press("Enter")
    first.keyboard.type("Ouagadougou ")
    first.keyboard.press("Escape")
    wait_until_sync(
        lambda: "Ouagadougou" in served.canvas.read_text(encoding="utf-8"), "the first tab's edit on disk"
    )
    # ...and closing the read-only tab (its app gets SIGTERM) writes nothing either.
    second.close()
    first.close()
    wait_until_sync(lambda: not served_children(served), "both tabs' apps to exit")
    assert "Kathmandu" not in served.canvas.read_text(encoding="utf-8")


def served_children(served: Served) -> list[Any]:
    """The app processes the server runs (one per open tab)."""
    children = Path(f"/proc/{served.process.pid}/task/{served.process.pid}/children")
    return children.read_text().split() if children.exists() else []
