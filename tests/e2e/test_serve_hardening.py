"""`canvas-tui serve` tried as an attacker would, on 127.0.0.1: huge resizes, other sites' pages,
too many tabs, garbage on the websocket, a tab that never reads, a server killed with -9.

Websocket clients are aiohttp's (installed with textual-serve) or, where a client must misbehave
below aiohttp (never read), a raw socket. Nothing sleeps for a fixed time: every wait is for a
condition, with a bound (tests/waiting.py).
"""

from __future__ import annotations

import asyncio
import base64
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
import pyte
import pytest
from tests.e2e.test_serve import Served, free_port, served_children, start, status_of, stop
from tests.waiting import wait_until, wait_until_sync
from textual_serve.app_service import AppService

import canvas_tui.serve.server as serve
from canvas_tui.files.resources import example_canvas_path
from canvas_tui.serve.guard import MAX_COLUMNS, MAX_ROWS, read_message
from canvas_tui.serve.server import TESTED_TEXTUAL_SERVE


@pytest.fixture
def canvas(tmp_path: Path) -> Path:
    target = tmp_path / "canvas.toml"
    target.write_bytes(example_canvas_path().read_bytes())
    return target


@pytest.fixture
def served(canvas: Path) -> Iterator[Served]:
    running = start(canvas)
    yield running
    stop(running)


@dataclass
class Logged:
    """A running `canvas-tui serve` whose output goes to files, read whole once it has exited."""

    process: subprocess.Popen[bytes]
    out: Path
    err: Path

    @property
    def url(self) -> str:
        for line in self.out.read_text(encoding="utf-8").splitlines():
            if line.startswith("Open: "):
                return line.removeprefix("Open: ")
        raise AssertionError("no URL printed")

    @property
    def origin(self) -> str:
        return "http://" + self.url.split("/", 3)[2]


def start_logged(canvas: Path, folder: Path, *extra: str) -> Logged:
    out, err = folder / "out.txt", folder / "err.txt"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "canvas_tui", "serve", str(canvas), "--port", str(free_port()), *extra],
            stdout=stdout,
            stderr=stderr,
            start_new_session=True,
        )
    logged = Logged(process, out, err)
    wait_until_sync(lambda: "Open: " in out.read_text() or process.poll() is not None, "the URL")
    assert process.poll() is None, err.read_text()
    return logged


def lock_of(canvas: Path) -> Path:
    return canvas.with_name(f".{canvas.name}.lock")


def websocket_url(served: Served, query: str = "") -> str:
    return served.url.replace("http://", "ws://", 1) + "ws" + query


def is_running(pid: int) -> bool:
    """Running, and not a zombie waiting for whoever adopted it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def peak_memory_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no VmHWM")


class Tab:
    """A websocket client that collects the app's screen output."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.websocket = websocket
        self.output = bytearray()
        self.closed: int | None = None
        self.reader = asyncio.create_task(self.read())

    async def read(self) -> None:
        async for message in self.websocket:
            if message.type == aiohttp.WSMsgType.BINARY:
                self.output.extend(message.data)
        self.closed = self.websocket.close_code

    def screen_text(self) -> str:
        """The tab's screen as a terminal would show it: typed text may reach the screen in pieces,
        with cursor moves between them, so the raw bytes need not hold it in one run."""
        screen = pyte.Screen(500, 200)
        pyte.ByteStream(screen).feed(bytes(self.output))
        return "\n".join(screen.display)

    async def wait_for(self, data: bytes, description: str) -> None:
        await wait_until(lambda: data in self.output, description)

    async def wait_for_text(self, text: str, description: str) -> None:
        await wait_until(lambda: text in self.screen_text(), description)

    async def close(self) -> None:
        await self.websocket.close()
        await self.reader


@pytest.fixture
async def client() -> AsyncIterator[aiohttp.ClientSession]:
    async with aiohttp.ClientSession() as session:
        yield session


async def open_tab(client: aiohttp.ClientSession, url: str, headers: dict[str, str] | None = None) -> Tab:
    tab = Tab(await client.ws_connect(url, headers=headers))
    await wait_until(lambda: len(tab.output) > 1000, "the app's first screen")
    return tab


# -- what a tab may send ---------------------------------------------------------------------------


def test_messages_other_than_the_pages_are_refused_and_sizes_clamped() -> None:
    assert read_message('["stdin", "a"]') == ("stdin", "a")
    assert read_message('["resize", {"width": 100000, "height": 100000}]') == (
        "resize",
        (MAX_COLUMNS, MAX_ROWS),
    )
    assert read_message('["resize", {"width": -5, "height": 0}]') == ("resize", (1, 1))
    assert read_message('["focus"]') == ("focus", None)
    assert read_message('["something-new", 1]') == ("something-new", 1)  # ignored, not refused
    for bad in (
        "not json",
        "{}",
        "[]",
        "[1, 2]",
        '["stdin", 5]',
        '["ping"]',
        '["resize", [80, 24]]',
        '["resize", {"width": "80", "height": 24}]',
        '["resize", {"width": true, "height": 24}]',
        '["resize", {"width": 80.5, "height": 24}]',
    ):
        assert isinstance(read_message(bad), str), bad


def test_the_textual_serve_internals_serve_uses_are_there(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fails when textual-serve is upgraded: check `_ServedApp` against it, then add its version."""
    installed = serve.textual_serve_version()
    assert ".".join(installed.split(".")[:2]) in TESTED_TEXTUAL_SERVE, installed
    serve.check_textual_serve()

    class Moved(AppService):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            del self._process

    monkeypatch.setattr(serve, "AppService", Moved)
    with pytest.raises(serve.ServeError, match="_process"):
        serve.check_textual_serve()


# -- against a running server ----------------------------------------------------------------------


async def test_a_huge_resize_is_clamped_and_the_app_stays_small(
    served: Served, client: aiohttp.ClientSession
) -> None:
    # Textual moves the cursor to each row it paints: ESC [ row ; column H.
    tab = await open_tab(client, websocket_url(served, "?width=100000&height=100000"))
    await tab.wait_for(f"\x1b[{MAX_ROWS};".encode(), "the first screen at the largest size")
    for width, height in ((80, 24), (100000, 100000), (3, 100000)):
        tab.output.clear()
        await tab.websocket.send_json(["resize", {"width": width, "height": height}])
        last = min(height, MAX_ROWS)
        await tab.wait_for(f"\x1b[{last};".encode(), f"a screen {last} rows high")
        assert f"\x1b[{MAX_ROWS + 1};".encode() not in tab.output
    (app,) = served_children(served)
    peak = peak_memory_mb(int(app))
    assert peak < 250, f"the tab's app peaked at {peak:.0f} MB"
    await tab.close()


async def test_only_the_servers_own_page_may_open_a_tab(
    served: Served, client: aiohttp.ClientSession
) -> None:
    url = websocket_url(served)
    for origin in ("http://evil.example", "null", served.origin.replace("127.0.0.1", "localhost")):
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(url, headers={"Origin": origin})
        assert refused.value.status == 403, origin
    assert served_children(served) == []  # refused before any app started
    # Its own page (what a browser sends), and a script that sends no Origin: both need the token.
    for headers in ({"Origin": served.origin}, {}):
        tab = await open_tab(client, url, headers=headers)
        await tab.close()


async def test_one_tab_too_many_gets_a_page_saying_so(canvas: Path, client: aiohttp.ClientSession) -> None:
    running = start(canvas, "--max-sessions", "1")
    try:
        first = await open_tab(client, websocket_url(running))
        async with client.get(running.url) as page:
            assert page.status == 503
            assert "All 1 sessions are in use" in await page.text()
        with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
            await client.ws_connect(websocket_url(running))
        assert refused.value.status == 503
        await wait_until(lambda: any("all 1 sessions are in use" in line for line in running.err), "a line")
        await first.close()
        await wait_until(lambda: not served_children(running), "the first tab's app to end")
        async with client.get(running.url) as page:
            assert page.status == 200
        await (await open_tab(client, websocket_url(running))).close()
    finally:
        assert stop(running) == 0


async def test_a_malformed_message_is_one_line_and_ends_that_tab(
    canvas: Path, tmp_path: Path, client: aiohttp.ClientSession
) -> None:
    running = start_logged(canvas, tmp_path)
    tab = await open_tab(client, running.url.replace("http://", "ws://") + "ws")
    await tab.websocket.send_str('["resize", {"width": "wide"}]')
    await asyncio.wait_for(tab.reader, 30)
    assert tab.closed == aiohttp.WSCloseCode.UNSUPPORTED_DATA
    await wait_until(lambda: not children(running.process.pid), "the tab's app to end")
    running.process.send_signal(signal.SIGINT)
    assert await asyncio.to_thread(running.process.wait, 60) == 0
    assert running.err.read_text(encoding="utf-8").splitlines() == [
        "canvas-tui: closed a tab that sent resize without whole-number width and height, "
        "not what canvas-tui's page sends",
        "canvas-tui: stopping; open sessions save first",
    ]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP])
async def test_stopping_the_server_is_quiet_and_the_tab_saves(
    canvas: Path, tmp_path: Path, client: aiohttp.ClientSession, signum: signal.Signals
) -> None:
    running = start_logged(canvas, tmp_path)
    tab = await open_tab(client, running.url.replace("http://", "ws://") + "ws")
    await tab.websocket.send_json(["stdin", "\r"])  # open the first block's editor
    output = len(tab.output)
    await wait_until(lambda: len(tab.output) > output, "the editor")
    await tab.websocket.send_json(["stdin", "Reykjavik "])
    await tab.wait_for_text("Reykjavik", "the typed word on the tab's screen")
    running.process.send_signal(signum)
    assert await asyncio.to_thread(running.process.wait, 60) == 0
    assert "Reykjavik" in canvas.read_text(encoding="utf-8")  # saved on SIGTERM from the server
    assert not lock_of(canvas).exists()
    err = running.err.read_text(encoding="utf-8")
    assert err == "canvas-tui: stopping; open sessions save first\n", err  # no traceback, no "Event loop"
    assert len(running.out.read_text(encoding="utf-8").splitlines()) == 3  # only what it said at start


def children(pid: int) -> list[str]:
    listing = Path(f"/proc/{pid}/task/{pid}/children")
    return listing.read_text().split() if listing.exists() else []


def test_a_server_killed_with_9_takes_its_tabs_apps_with_it(canvas: Path) -> None:
    running = start(canvas)

    async def open_and_kill() -> tuple[int, float]:
        async with aiohttp.ClientSession() as session:
            await open_tab(session, websocket_url(running))
            await wait_until(lambda: lock_of(canvas).exists(), "the tab's app to take the lock")
            (app,) = served_children(running)
            killed = time.monotonic()
            os.kill(running.process.pid, signal.SIGKILL)
            await wait_until(
                lambda: not is_running(int(app)) and not lock_of(canvas).exists(),
                "the tab's app to end and let go of the canvas",
                bound=15,
            )
            return int(app), time.monotonic() - killed

    app, took = asyncio.run(open_and_kill())
    running.process.wait(timeout=30)
    print(f"the tab's app ended {took:.2f} s after kill -9 of its server")
    assert not is_running(app)


def test_a_tab_that_never_reads_cannot_keep_its_app_or_its_session(canvas: Path) -> None:
    """It fills every buffer until the app blocks writing its screen, then drops the connection:
    the app still saves and ends, its lock goes, and its session is free for the next tab."""
    running = start(canvas, "--max-sessions", "1")
    try:
        host, port = running.origin.removeprefix("http://").rsplit(":", 1)
        path = running.url.split(running.origin, 1)[1]
        raw = socket.socket()
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        raw.connect((host, int(port)))
        key = base64.b64encode(os.urandom(16)).decode()
        raw.sendall(
            f"GET {path}ws?width={MAX_COLUMNS}&height={MAX_ROWS} HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n".encode()
        )
        wait_until_sync(lambda: lock_of(canvas).exists(), "the tab's app to take the lock")
        (app,) = served_children(running)
        wchan = Path(f"/proc/{app}/wchan")
        resizes = iter(range(10**6))

        def blocked() -> bool:
            # Each resize repaints the whole screen; nobody reads it.
            raw.sendall(
                masked_text(f'["resize", {{"width": {MAX_COLUMNS - next(resizes) % 2}, "height": 200}}]')
            )
            return "pipe_write" in wchan.read_text()

        wait_until_sync(blocked, "the app to block writing to the tab that does not read", bound=60)
        raw.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        raw.close()  # a reset, as from a browser that crashed
        wait_until_sync(
            lambda: not is_running(int(app)) and not lock_of(canvas).exists(), "the app to save and end"
        )
        wait_until_sync(lambda: status_of(running.url) == 200, "its session to be free again")

        async def next_tab() -> None:
            async with aiohttp.ClientSession() as session:
                await (await open_tab(session, websocket_url(running))).close()

        asyncio.run(next_tab())
    finally:
        assert stop(running) == 0
    assert not any("Traceback" in line for line in running.err), running.err


def masked_text(text: str) -> bytes:
    """One client-to-server websocket text frame (clients must mask what they send)."""
    data, mask = text.encode(), os.urandom(4)
    assert len(data) < 126
    return bytes([0x81, 0x80 | len(data)]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))


# -- an app that will not stop ---------------------------------------------------------------------

STUBBORN_APP = """
import os, signal, sys
signal.signal(signal.SIGTERM, signal.SIG_IGN)
sys.stdout.buffer.write(b"__GANGLION__\\n")
ready = str(os.getpid()).encode().ljust(20)
sys.stdout.buffer.write(b"D" + len(ready).to_bytes(4, "big") + ready)
sys.stdout.flush()
sys.stdin.buffer.read()
"""


@pytest.fixture
async def stubborn_server(
    canvas: Path, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[tuple[serve.TokenServer, str]]:
    def command(_: Path) -> str:
        return f"exec {sys.executable} -c '{STUBBORN_APP}'"

    monkeypatch.setattr(serve, "app_command", command)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = serve.TokenServer(canvas, host="127.0.0.1", port=port)
    server.grace = 0.5
    runner = await server.listen()
    yield server, server.address.url.replace("http://", "ws://") + "ws"
    await runner.cleanup()


async def test_an_app_that_ignores_sigterm_is_killed_after_the_grace_period(
    stubborn_server: tuple[serve.TokenServer, str],
    client: aiohttp.ClientSession,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server, url = stubborn_server
    tab = Tab(await client.ws_connect(url))
    await wait_until(lambda: len(tab.output) >= 20, "the app's pid")
    pid = int(tab.output.decode().strip())
    closed = time.monotonic()
    await tab.close()
    await wait_until(lambda: not is_running(pid) and not server.services, "the app to be killed")
    assert time.monotonic() - closed >= server.grace  # SIGTERM first, and the grace period
    assert "did not stop within 0.5 s of SIGTERM; killed it" in capsys.readouterr().err


def test_a_tab_app_whose_server_hangs_up_gets_sighup_then_ends() -> None:
    """Where the kernel cannot be asked (not Linux), the closed pipe from the server is the sign."""
    program = (
        "import signal, sys, threading\n"
        "from canvas_tui.cli.serve_tab import watch_server\n"
        "signal.signal(signal.SIGHUP, lambda *_: print('hangup', flush=True))\n"
        "watch = {'kernel_hangs_up': False, 'grace': 0.2}\n"
        "threading.Thread(target=watch_server, args=(0,), kwargs=watch).start()\n"
        "print('watching', flush=True)\n"
        "threading.Event().wait()\n"
    )
    app = subprocess.Popen(
        [sys.executable, "-c", program], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert app.stdin is not None and app.stdout is not None
    assert app.stdout.readline() == "watching\n"
    app.stdin.close()  # the server is gone
    assert app.wait(timeout=30) == 75
    assert app.stdout.read() == "hangup\n"


def test_each_tab_tells_its_editor_the_browsers_address() -> None:
    """Others who have the canvas open see "browser from ADDRESS" (files/presence.py), whatever the
    address holds: it reaches the editor as written, never as shell syntax."""
    show = f"exec {sys.executable} -c 'import os; print(os.environ[\"CANVAS_TUI_REMOTE\"])'"
    address = "127.0.0.1'; echo planted; '"
    ran = subprocess.run(serve.tab_command(show, address), shell=True, capture_output=True, text=True)
    assert ran.stdout == f"{address}\n"
    assert serve.tab_command(show, "") == show
