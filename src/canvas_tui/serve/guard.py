"""What `canvas-tui serve` lets through, decided before anything reaches a tab's app: the token,
the page a websocket comes from, how many tabs run at once, and every message a tab sends.

- Every route lives under a random secret path segment (`/<token>/`); a request without it gets
  403 before routing (has_token, compared in constant time).
- The websocket takes a browser only from the server's own page: an `Origin` header naming another
  site gets 403 (same_origin; a page elsewhere cannot drive a tab even if it learnt the token).
  Clients that send no `Origin` (scripts, not browsers, which always send one) are let in: they
  need the token anyway.
- At most DEFAULT_MAX_SESSIONS tabs run at once unless the user says otherwise: each is a process
  of about 45 MB.
- Sizes are clamped to MAX_COLUMNS x MAX_ROWS (a resize to 100000 x 100000 would otherwise make the
  app allocate gigabytes), and a message that is not what textual-serve's page sends is refused
  (read_message says why, and the server ends that tab).
- A host other than this machine's loopback is worth a warning (is_loopback): the token is then
  the only protection, and it travels unencrypted.

Pure checks on strings and numbers: no aiohttp, no Textual.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
from typing import Any
from urllib.parse import urlsplit

MAX_COLUMNS = 500
MAX_ROWS = 200
"""The largest terminal a tab may ask for: a 4K screen at a 7-pixel font is about 550 x 150 cells.
Beyond this the app's screen buffers grow with width x height for nothing anyone can read."""
DEFAULT_MAX_SESSIONS = 8
"""Tabs (app processes) running at once; each costs about 45 MB."""
MAX_MESSAGE = 1 << 20
"""The largest websocket message from a tab (a paste arrives as one): 1 MiB."""


def has_token(path: str, token: str) -> bool:
    """Whether a request's path starts with the secret segment (`/<token>/...`)."""
    segment = path.split("/", 2)[1] if path.count("/") >= 1 else ""
    return hmac.compare_digest(segment.encode(), token.encode())


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def clamp_size(width: int, height: int) -> tuple[int, int]:
    """A terminal size the app can afford (see MAX_COLUMNS)."""
    return max(1, min(width, MAX_COLUMNS)), max(1, min(height, MAX_ROWS))


def same_origin(origin: str, host: str) -> bool:
    """Whether a browser's `Origin` header names the site it asked (`Host`): the page it runs is ours."""
    parts = urlsplit(origin)
    return parts.scheme in ("http", "https") and bool(host) and parts.netloc.lower() == host.lower()


Message = tuple[str, Any]


def read_message(text: str) -> Message | str:
    """A tab's message as (type, argument), or why it is not one textual-serve's page sends.

    The page sends ["stdin", text], ["resize", {"width": w, "height": h}], ["ping", text], ["blur"] and
    ["focus"]; other types are ignored (a later page may add some), other shapes are refused."""
    try:
        envelope = json.loads(text)
    except ValueError:
        return "not JSON"
    if not isinstance(envelope, list) or not envelope or not isinstance(envelope[0], str):
        return "not a [type, ...] list"
    kind = envelope[0]
    argument = envelope[1] if len(envelope) > 1 else None
    if kind in ("stdin", "ping") and not isinstance(argument, str):
        return f"{kind} without text"
    if kind == "resize":
        size = argument if isinstance(argument, dict) else {}
        width, height = size.get("width"), size.get("height")
        if type(width) is not int or type(height) is not int:  # bool is an int too, and no size
            return "resize without whole-number width and height"
        return kind, clamp_size(width, height)
    return kind, argument
