"""The browser mode: `server` runs textual-serve (aiohttp) hardened, `guard` checks what a browser
sends before it reaches an app, `page` is what the browser is sent, and `tab` starts one editor per
browser tab and ends it with the server. Kept apart so a tab never imports the web server."""

from canvas_tui.errors import UserFacingError


class ServeError(UserFacingError):
    """Something about the serve set-up the user can fix (a port in use, a bad host)."""
