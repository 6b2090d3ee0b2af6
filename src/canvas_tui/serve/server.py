"""`canvas-tui serve`: the editor in a web browser, through Textualize's textual-serve, behind a token.

textual-serve runs one `canvas-tui PATH` process per browser tab and relays its terminal over a
websocket. This module wraps its aiohttp server so that it is safe to leave running:

- What a browser sends is checked before it reaches an app (serve/guard.py): every route lives
  under a random secret path segment (`/<token>/`, 32 bytes from `secrets`); the websocket takes a
  browser only from the server's own page; at most `max_sessions` tabs run at once (one more gets
  a page, or for a bare websocket a 503, saying so); sizes are clamped and a message that is not
  what textual-serve's page sends ends that tab with one line on stderr. The URL with the token is
  printed at start, as Jupyter does. Binding is to 127.0.0.1 unless asked.
- The command each tab runs is fixed here: this interpreter running canvas-tui on the one canvas
  named at start (an absolute path). Nothing the browser sends chooses another file or command.
- Nothing is fetched from the internet: the page is textual-serve's without its font link, the
  font served from the wheel instead (serve/page.py).
- When a tab closes, or the server stops (Ctrl+C, SIGTERM, SIGHUP), each app still running gets
  SIGTERM, which the app answers as on a hang-up: it saves (or keeps its recovery file) and exits.
  Its output is read and dropped meanwhile, so an app blocked writing to a tab that never read can
  still do so; one that has not ended STOP_GRACE seconds later is killed (a lock left by a dead
  process is stale, and the next editor takes it over). When the server itself dies, the tabs' apps
  notice and end on their own (cli/serve_tab.py).

textual-serve has no public hook for the app processes, so `_ServedApp` uses three attributes of
its AppService (`_process`, `_task`, `_download_manager`). `check_textual_serve` refuses to start
when they are missing, and warns on a version nobody checked them against.

It imports textual-serve (aiohttp, jinja2, rich), never Textual: the app runs in child processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import shlex
import signal
import socket
import sys
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import WSCloseCode, WSMsgType, hdrs, web
from aiohttp.typedefs import Handler
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager
from textual_serve.server import Server

from canvas_tui.files.presence import REMOTE_ENV
from canvas_tui.serve import ServeError as ServeError  # what `canvas-tui serve` reports
from canvas_tui.serve.guard import (
    DEFAULT_MAX_SESSIONS,
    MAX_MESSAGE,
    clamp_size,
    has_token,
    is_loopback,
    read_message,
    same_origin,
)
from canvas_tui.serve.page import FULL_PAGE, page_template

STOP_GRACE = 10.0
"""Seconds an app has, after SIGTERM, to save and exit before it is killed. Saving takes tens of
milliseconds; this is for a loaded machine."""
TESTED_TEXTUAL_SERVE = ("1.1",)
"""textual-serve releases (major.minor) whose AppService internals `_ServedApp` was checked against."""


def say(line: str) -> None:
    """One line on the server's stderr, for whoever runs it."""
    print(f"canvas-tui: {line}", file=sys.stderr, flush=True)


def textual_serve_version() -> str:
    return version("textual-serve")


def check_textual_serve() -> None:
    """Refuse to serve with a textual-serve whose AppService no longer has what `_ServedApp` uses:
    without `_process` a tab's app could be neither stopped nor killed, and would keep the lock."""
    probe = AppService(
        "true", write_bytes=_nothing, write_str=_nothing, close=_nothing, download_manager=DownloadManager()
    )
    used = ("_process", "_task", "_download_manager", "run", "start", "send_meta", "on_data", "on_meta")
    missing = [name for name in used if not hasattr(probe, name)]
    installed = textual_serve_version()
    if missing:
        raise ServeError(
            f"textual-serve {installed} is not one canvas-tui can stop tabs with "
            f"(missing: {', '.join(missing)}); install textual-serve {TESTED_TEXTUAL_SERVE[-1]}"
        )
    if ".".join(installed.split(".")[:2]) not in TESTED_TEXTUAL_SERVE:
        say(
            f"warning: textual-serve {installed} is newer than canvas-tui was checked with "
            f"({', '.join(TESTED_TEXTUAL_SERVE)}); if tabs misbehave, install textual-serve "
            f"{TESTED_TEXTUAL_SERVE[-1]}"
        )


async def _nothing(*_: object) -> None:
    return None


def app_command(canvas: Path) -> str:
    """The shell command each browser tab runs: this canvas-tui on this one canvas, through
    cli.serve_tab, which ends the editor when this server goes (exec'd, so that signals reach the app
    itself, not a shell)."""
    python = shlex.quote(sys.executable)
    return f"exec {python} -m canvas_tui.cli.serve_tab {os.getpid()} {shlex.quote(str(canvas))}"


def tab_command(command: str, remote: str) -> str:
    """`command` for one tab, telling its editor the browser's address: the others who have the
    canvas open see "browser from ADDRESS" (every tab runs as the server's user)."""
    if not remote:
        return command
    return f"export {REMOTE_ENV}={shlex.quote(remote)}; {command}"


class _ServedApp(AppService):
    """One browser tab's app process.

    Stopping it is SIGTERM (the app saves and lets go of the lock), then SIGKILL after a grace
    period. From the moment it starts, nothing waits on the tab any more: what the app still writes
    is read and dropped, so that an app blocked writing to a tab that never read gets going again,
    answers SIGTERM and saves."""

    grace = STOP_GRACE

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stopping = False
        self.tab_gone = False
        self.writing = False
        self.stopped: asyncio.Future[None] | None = None

    async def set_terminal_size(self, width: int, height: int) -> None:
        await super().set_terminal_size(*clamp_size(width, height))

    async def start(self, width: int, height: int) -> None:
        await super().start(*clamp_size(width, height))

    async def on_data(self, payload: bytes) -> None:
        if self.stopping or self.tab_gone:
            return
        self.writing = True
        try:
            await self.remote_write_bytes(payload)
        except ConnectionError:
            self.tab_gone = True  # keep reading the app's output, or it would block on a full pipe
        finally:
            self.writing = False

    async def on_meta(self, data: bytes) -> None:
        if self.stopping or self.tab_gone:
            return
        try:
            await super().on_meta(data)
        except ConnectionError:
            self.tab_gone = True

    async def stop(self) -> None:
        # The tab closing and the server stopping may both ask at once: one stop, awaited by both
        # (and carried through even when the one who asked first is cancelled).
        if self.stopped is None:
            self.stopped = asyncio.ensure_future(self._stop())
        await asyncio.shield(self.stopped)

    async def _stop(self) -> None:
        self.stopping = True
        process = self._process
        reader, self._task = self._task, None
        try:
            with contextlib.suppress(Exception):
                await self._download_manager.cancel_app_downloads(app_service_id=self.app_service_id)
            if reader is not None and self.writing:
                reader.cancel()  # waiting on a tab that does not read; `drain` reads from now on
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await reader
            if process is not None:
                await self.end(process, reader if reader is not None and not reader.done() else None)
        finally:
            if process is not None and process.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    process.kill()  # stop() itself was cancelled or failed: never leave the app behind
            if reader is not None and not reader.done():
                reader.cancel()

    async def end(self, process: asyncio.subprocess.Process, reader: asyncio.Task[None] | None) -> None:
        """SIGTERM, then SIGKILL after the grace period; `reader` (still reading the app's output,
        and dropping it) or else `drain` empties the pipes meanwhile."""
        output = reader if reader is not None else asyncio.create_task(self.drain(process))
        try:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), self.grace)
            except TimeoutError:
                say(
                    f"a tab's editor (PID {process.pid}) did not stop within {self.grace:g} s of "
                    "SIGTERM; killed it (its recovery file, if any, is kept for the next start)"
                )
                with contextlib.suppress(ProcessLookupError):
                    process.kill()
                await asyncio.wait_for(process.wait(), self.grace)
            await asyncio.wait_for(output, self.grace)
        finally:
            if not output.done():
                output.cancel()
            if process.stdin is not None:
                process.stdin.close()

    @staticmethod
    async def drain(process: asyncio.subprocess.Process) -> None:
        """Read and drop what the app still writes, until it exits."""

        async def empty(stream: asyncio.StreamReader | None) -> None:
            while stream is not None and await stream.read(1 << 16):
                pass

        await asyncio.gather(empty(process.stdout), empty(process.stderr))


@dataclass
class ServeAddress:
    host: str
    port: int
    token: str

    @property
    def url(self) -> str:
        host = self.host
        if host in ("0.0.0.0", "::", ""):
            host = socket.gethostname()
        elif ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}/{self.token}/"


class TokenServer(Server):
    """textual-serve's Server with every route under /<token>/ and a 403 for everything else."""

    def __init__(
        self,
        canvas: Path,
        *,
        host: str,
        port: int,
        token: str | None = None,
        max_sessions: int = DEFAULT_MAX_SESSIONS,
    ) -> None:
        check_textual_serve()
        self.canvas = canvas
        self.address = ServeAddress(host, port, token or secrets.token_urlsafe(32))
        self.prefix = f"/{self.address.token}"
        self.template = page_template()
        self.max_sessions = max_sessions
        self.grace = STOP_GRACE
        self.services: set[_ServedApp] = set()
        self.sockets: set[web.WebSocketResponse] = set()
        super().__init__(app_command(canvas), host=host, port=port, title=f"canvas-tui · {canvas.name}")

    @property
    def full(self) -> bool:
        return len(self.services) >= self.max_sessions

    @web.middleware
    async def require_token(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if not has_token(request.path, self.address.token):
            raise web.HTTPForbidden(text="403: this canvas-tui server needs the URL it printed at start.\n")
        return await handler(request)

    async def _make_app(self) -> web.Application:
        app = web.Application(middlewares=[self.require_token])
        aiohttp_jinja2.setup(app, loader=jinja2.DictLoader({"app_index.html": self.template}))
        prefix = self.prefix
        app.add_routes(
            [
                web.get(prefix, self.handle_bare_token),
                web.get(f"{prefix}/", self.handle_index, name="index"),
                web.get(f"{prefix}/ws", self.handle_websocket, name="websocket"),
                web.get(prefix + "/download/{key}", self.handle_download, name="download"),
                web.static(f"{prefix}/static", self.statics_path, name="static"),
            ]
        )
        app.on_shutdown.append(self.on_shutdown)
        return app

    async def handle_bare_token(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPFound(f"{self.prefix}/")

    async def handle_index(self, request: web.Request) -> web.StreamResponse:
        if self.full:
            return web.Response(
                status=503, text=FULL_PAGE.format(limit=self.max_sessions), content_type="text/html"
            )
        try:
            font_size = max(6, min(int(request.query.get("fontsize", "16")), 72))
        except ValueError:
            font_size = 16
        context = {
            "font_size": font_size,
            "app_websocket_url": f"{self.prefix}/ws",  # made absolute by the page, from its location
            "config": {"static": {"url": f"{self.prefix}/static/"}},
            "application": {"name": self.title},
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: start canvas-tui, relay its terminal, stop it (SIGTERM) when the tab goes."""
        origin = request.headers.get(hdrs.ORIGIN)
        if origin is not None and not same_origin(origin, request.host):
            raise web.HTTPForbidden(text="403: this canvas-tui server takes tabs only from its own page.\n")
        if self.full:
            say(f"all {self.max_sessions} sessions are in use; turned a new tab away (--max-sessions)")
            raise web.HTTPServiceUnavailable(text=f"All {self.max_sessions} sessions are in use.\n")
        websocket = web.WebSocketResponse(heartbeat=15, max_msg_size=MAX_MESSAGE)

        async def close() -> None:
            await websocket.close()

        service = _ServedApp(
            tab_command(self.command, request.remote or ""),
            write_bytes=websocket.send_bytes,
            write_str=websocket.send_str,
            close=close,
            download_manager=self.download_manager,
            debug=False,
        )
        service.grace = self.grace
        self.services.add(service)  # the session counts from here, before anything is awaited
        try:
            await websocket.prepare(request)
            self.sockets.add(websocket)
            await service.start(_query_int(request, "width", 80), _query_int(request, "height", 24))
            await self.relay(websocket, service)
        except web.HTTPException:
            raise  # a request that was no websocket handshake: aiohttp answers it
        except (asyncio.CancelledError, ConnectionError):
            await self.close_socket(websocket)  # the server stops, or the tab went mid-message
        except Exception as error:
            say(f"a tab's connection failed: {type(error).__name__}: {error}")
        finally:
            try:
                await service.stop()
            except Exception as error:  # stop() has killed the app whatever failed; say what did
                say(f"stopping a tab's editor: {type(error).__name__}: {error}")
            finally:
                self.services.discard(service)
                self.sockets.discard(websocket)
        return websocket

    async def relay(self, websocket: web.WebSocketResponse, service: _ServedApp) -> None:
        """Pass a tab's keys, sizes and focus to its app until the tab goes or sends nonsense."""
        async for message in websocket:
            if message.type == WSMsgType.TEXT:
                read = read_message(message.data)
            elif message.type == WSMsgType.ERROR:
                read = f"a broken message ({type(websocket.exception()).__name__})"
            else:
                read = "a binary message"
            if isinstance(read, str):
                say(f"closed a tab that sent {read}, not what canvas-tui's page sends")
                await self.close_socket(websocket, WSCloseCode.UNSUPPORTED_DATA)
                return
            kind, argument = read
            if kind == "stdin":
                await service.send_bytes(argument.encode("utf-8", "replace"))
            elif kind == "resize":
                await service.set_terminal_size(*argument)
            elif kind == "ping":
                await websocket.send_json(["pong", argument])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    @staticmethod
    async def close_socket(websocket: web.WebSocketResponse, code: int = WSCloseCode.OK) -> None:
        """Close a tab's connection, without waiting long on one that does not read."""
        with contextlib.suppress(Exception):
            await asyncio.wait_for(websocket.close(code=code), 5)

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C: every app still open gets SIGTERM (and saves), then the tabs are closed."""
        await asyncio.gather(*(service.stop() for service in list(self.services)), return_exceptions=True)
        await asyncio.gather(*(self.close_socket(websocket) for websocket in list(self.sockets)))

    async def listen(self) -> web.AppRunner:
        """Start listening; the caller cleans the runner up (which stops every tab)."""
        app = await self._make_app()
        runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=self.grace + 5)
        await runner.setup()
        site = web.TCPSite(runner, self.address.host, self.address.port)
        try:
            await site.start()
        except OSError as error:
            await runner.cleanup()
            raise ServeError(
                f"cannot listen on {self.address.host}:{self.address.port}: {error.strerror or error}"
            ) from None
        return runner

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C (or SIGTERM, or SIGHUP: the terminal it ran in closed)."""
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        stopping = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
        for signum in stopping:
            loop.add_signal_handler(signum, self.request_exit)
        try:
            runner = loop.run_until_complete(self.listen())
            self.announce()
            with contextlib.suppress(GracefulExit, KeyboardInterrupt):
                loop.run_forever()
            say("stopping; open sessions save first")
            for signum in stopping:  # a second Ctrl+C must not cut the saving short with a traceback
                loop.add_signal_handler(signum, say, "still stopping: open sessions are saving")
            loop.run_until_complete(runner.cleanup())
            loop.run_until_complete(self.finish(loop))
        finally:
            loop.close()

    @staticmethod
    async def finish(loop: asyncio.AbstractEventLoop) -> None:
        """Let what is still pending end inside the loop, so nothing complains after it closed."""
        pending = [task for task in asyncio.all_tasks(loop) if task is not asyncio.current_task()]
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        await loop.shutdown_asyncgens()
        await loop.shutdown_default_executor()

    def announce(self) -> None:
        address = self.address
        print(f"Serving {self.canvas} with canvas-tui in the browser.", flush=True)
        print(f"Open: {address.url}", flush=True)
        print(
            "Anyone with this URL can edit the canvas: share it only with people you trust. "
            f"At most {self.max_sessions} tabs at once. Press Ctrl+C to stop.",
            flush=True,
        )
        if not is_loopback(address.host):
            say(
                f"warning: listening on {address.host}, not only on this machine; the token "
                "is the only protection, and it travels unencrypted (plain HTTP) on the network"
            )

    def request_exit(self) -> None:
        raise GracefulExit()


def _query_int(request: web.Request, name: str, default: int) -> int:
    try:
        return int(request.query.get(name, default))
    except ValueError:
        return default


def serve(
    canvas: Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    token: str | None = None,
    max_sessions: int = DEFAULT_MAX_SESSIONS,
) -> None:
    """Serve `canvas` until Ctrl+C."""
    TokenServer(canvas, host=host, port=port, token=token, max_sessions=max_sessions).serve()
