"""The pages `canvas-tui serve` sends a browser: textual-serve's own page made to load nothing from
the internet, and the page a tab gets when every session is in use.

textual-serve's page links a web font from a font CDN; that link is removed and the same font
(Roboto Mono, shipped inside textual-serve) is served from the wheel instead. URLs in the page are
relative to where the browser found it, so an SSH tunnel on any local port works. A textual-serve
whose page no longer matches what is removed here is refused rather than served.
"""

from __future__ import annotations

import re
from importlib.resources import files

from canvas_tui.serve import ServeError as ServeError  # what page_template raises

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
FULL_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>canvas-tui: all sessions in use</title>
<style>body {{ background: #0c181f; color: #eee; font: 16px monospace; margin: 4em; }}</style></head>
<body><h1>All {limit} sessions are in use</h1>
<p>This canvas-tui server runs at most {limit} editors at once, and all are open.
Close a tab of this canvas (each open tab is one session), then reload this page.</p>
<p>Whoever started the server can allow more with <code>canvas-tui serve --max-sessions N</code>.</p>
</body></html>
"""


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
