"""The browser mode: `server` runs textual-serve (aiohttp) hardened, `guard` checks what a browser
sends before it reaches an app, `page` is what the browser is sent. Each tab's editor starts through
canvas_tui.cli.serve_tab, which ends it with the server: a command-line entry, so it never imports
the web server."""

from canvas_tui.errors import UserFacingError


class ServeError(UserFacingError):
    """Something about the serve set-up the user can fix (a port in use, a bad host)."""
