"""`canvas-tui serve`: the editor in a web browser, through Textualize's textual-serve, behind a token.

textual-serve runs one `canvas-tui PATH` process per browser tab and relays its terminal over a
websocket. This module wraps its aiohttp server so that it is safe to leave running:

- Every route lives under a random secret path segment (`/<token>/`, 32 bytes from `secrets`);
  any request without it, the page, the websocket, the static files, gets 403 before routing. The
  URL with the token is printed at start, as Jupyter does. Binding is to 127.0.0.1 unless asked.
- The command each tab runs is fixed here: this interpreter running canvas-tui on the one canvas
  named at start (an absolute path). Nothing the browser sends chooses another file or command.
- Nothing is fetched from the internet: textual-serve's page links a web font from a font CDN;
  that link is removed and the same font (Roboto Mono, shipped inside textual-serve) is served
  from the wheel instead. URLs in the page are relative to where the browser found it, so an
  SSH tunnel on any local port works.
- When a tab closes, or the server stops (Ctrl+C), each app still running gets SIGTERM, which the
  app answers as on a hang-up: it saves (or keeps its recovery file) and exits.

It imports textual-serve (aiohttp, jinja2, rich), never Textual: the app runs in child processes.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import ipaddress
import re
import secrets
import shlex
import signal
import socket
import sys
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import aiohttp_jinja2
import jinja2
from aiohttp import web
from aiohttp.typedefs import Handler
from aiohttp.web_runner import GracefulExit
from textual_serve.app_service import AppService
from textual_serve.server import Server

FONT_LINK = re.compile(r'\s*<link\s+rel="stylesheet"\s+href="https?://fonts\.googleapis\.com[^"]*"\s*/>')
FONT_FACE = """
      @font-face {
        font-family: "Roboto Mono";
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf") format("truetype");
      }
      @font-face {
        font-family: "Roboto Mono";
        font-style: italic;
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf") format("truetype");
      }
"""
# The page's script reads the websocket URL from the terminal element once the page has loaded; this
# runs before that and makes it absolute from wherever the browser reached the page.
WEBSOCKET_FROM_LOCATION = """
    <script>
      (() => {
        const terminal = document.getElementById("terminal");
        const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
        terminal.dataset.sessionWebsocketUrl =
          scheme + "//" + window.location.host + terminal.dataset.sessionWebsocketUrl;
      })();
    </script>
  </body>"""
EXTERNAL = re.compile(r"""(?:href|src)\s*=\s*["']?(?:https?:)?//|url\(\s*["']?(?:https?:)?//|@import""", re.I)


class ServeError(Exception):
    """Something about the serve set-up the user can fix (a port in use, a bad host)."""


def page_template() -> str:
    """textual-serve's page with nothing loaded from the internet (see the module docstring)."""
    original = (files("textual_serve") / "templates" / "app_index.html").read_text(encoding="utf-8")
    page, links = FONT_LINK.subn("", original)
    page = page.replace("<style>", "<style>" + FONT_FACE, 1)
    page = page.replace("  </body>", WEBSOCKET_FROM_LOCATION, 1)
    external = EXTERNAL.search(page)
    if links != 1 or external is not None or "sessionWebsocketUrl =" not in page:
        # A new textual-serve changed its page: refuse rather than serve something that phones out.
        raise ServeError(
            "textual-serve's page template is not the one canvas-tui knows how to serve offline "
            f"(font links removed: {links}, external reference: {external.group() if external else 'none'})"
        )
    return page


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def app_command(canvas: Path) -> str:
    """The shell command each browser tab runs: this canvas-tui on this one canvas (exec'd, so that
    signals reach the app itself, not a shell)."""
    return f"exec {shlex.quote(sys.executable)} -m canvas_tui {shlex.quote(str(canvas))}"


class _ServedApp(AppService):
    """One browser tab's app process; stopping it is a SIGTERM first, so the app saves."""

    async def stop(self) -> None:
        process = self._process
        if process is not None and process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGTERM)
        await super().stop()


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

    def __init__(self, canvas: Path, *, host: str, port: int, token: str | None = None) -> None:
        self.canvas = canvas
        self.address = ServeAddress(host, port, token or secrets.token_urlsafe(32))
        self.prefix = f"/{self.address.token}"
        self.template = page_template()
        self.services: set[_ServedApp] = set()
        self.sockets: set[web.WebSocketResponse] = set()
        super().__init__(app_command(canvas), host=host, port=port, title=f"canvas-tui · {canvas.name}")

    @web.middleware
    async def require_token(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        segment = request.path.split("/", 2)[1] if request.path.count("/") >= 1 else ""
        if not hmac.compare_digest(segment.encode(), self.address.token.encode()):
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

    @aiohttp_jinja2.template("app_index.html")
    async def handle_index(self, request: web.Request) -> dict[str, Any]:
        try:
            font_size = int(request.query.get("fontsize", "16"))
        except ValueError:
            font_size = 16
        return {
            "font_size": font_size,
            "app_websocket_url": f"{self.prefix}/ws",  # made absolute by the page, from its location
            "config": {"static": {"url": f"{self.prefix}/static/"}},
            "application": {"name": self.title},
        }

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        """One tab: start canvas-tui, relay its terminal, stop it (SIGTERM) when the tab goes."""
        websocket = web.WebSocketResponse(heartbeat=15)

        def size(name: str, default: int) -> int:
            try:
                return max(1, min(int(request.query.get(name, default)), 1000))
            except ValueError:
                return default

        async def close() -> None:
            await websocket.close()

        service: _ServedApp | None = None
        try:
            await websocket.prepare(request)
            self.sockets.add(websocket)
            service = _ServedApp(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=False,
            )
            self.services.add(service)
            await service.start(size("width", 80), size("height", 24))
            await self._process_messages(websocket, service)
        except asyncio.CancelledError:
            await websocket.close()
        finally:
            if service is not None:
                await service.stop()
                self.services.discard(service)
            self.sockets.discard(websocket)
        return websocket

    async def on_shutdown(self, app: web.Application) -> None:
        """Ctrl+C: every app still open gets SIGTERM (and saves), then the tabs are closed."""
        await asyncio.gather(*(service.stop() for service in list(self.services)), return_exceptions=True)
        for websocket in list(self.sockets):
            await websocket.close()

    def serve(self, debug: bool = False) -> None:
        """Run until Ctrl+C (or SIGTERM)."""
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, self.request_exit)
        try:
            app = loop.run_until_complete(self._make_app())
            runner = web.AppRunner(app, handle_signals=False)
            loop.run_until_complete(runner.setup())
            site = web.TCPSite(runner, self.address.host, self.address.port, shutdown_timeout=10)
            try:
                loop.run_until_complete(site.start())
            except OSError as error:
                loop.run_until_complete(runner.cleanup())
                raise ServeError(
                    f"cannot listen on {self.address.host}:{self.address.port}: {error.strerror or error}"
                ) from None
            self.announce()
            with contextlib.suppress(GracefulExit, KeyboardInterrupt):
                loop.run_forever()
            print("canvas-tui: stopping; open sessions save first", file=sys.stderr, flush=True)
            loop.run_until_complete(runner.cleanup())
        finally:
            loop.close()

    def announce(self) -> None:
        address = self.address
        print(f"Serving {self.canvas} with canvas-tui in the browser.", flush=True)
        print(f"Open: {address.url}", flush=True)
        print(
            "Anyone with this URL can edit the canvas: share it only with people you trust. "
            "Press Ctrl+C to stop.",
            flush=True,
        )
        if not is_loopback(address.host):
            print(
                f"canvas-tui: warning: listening on {address.host}, not only on this machine; the token "
                "is the only protection, and it travels unencrypted (plain HTTP) on the network",
                file=sys.stderr,
                flush=True,
            )

    def request_exit(self) -> None:
        raise GracefulExit()


def serve(canvas: Path, *, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Serve `canvas` until Ctrl+C."""
    TokenServer(canvas, host=host, port=port, token=token).serve()
