"""Who has a canvas open, by name: one small presence file per running instance, beside the canvas.

The lock (files/lock.py) knows one instance, the first; once it leaves, the next user would hear of
nobody while others still edit. So each instance also writes `.NAME.TOKEN.presence` when it opens
the canvas and removes it when it closes: who (the login name, or "browser from ADDRESS" for a tab
of `canvas-tui serve`), where (host, PID, process start time) and since when. After each save it
notes the file's signature as written, so an instance that reloads the canvas can say who saved.
A registration whose process no longer runs on this host is removed by whoever finds it.

Presence is a courtesy, never a guard: a name that cannot be written is skipped without a word, and
what a presence file says is only ever shown, never acted on. Anyone who can put files beside the
canvas can plant one, so the same rule holds as for the lock: only a regular file is read (never
through a symbolic link, never a named pipe), at most a few kilobytes of it, at most a bounded
number of them, and every string in it is cut short here and sanitised where it is shown.
No Textual here.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import getpass
import glob
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

from canvas_tui.files.atomic import atomic_write, read_file
from canvas_tui.files.lock import Instance, Liveness, is_running

PRESENCE_FORMAT = "canvas-tui-presence/1"
MAX_PRESENCE_BYTES = 8 * 1024
"""A presence file is a few hundred bytes; anything much larger is not one of ours."""
MAX_PRESENCES = 64
"""Presence files read per look: a folder stuffed with planted ones costs no more than this."""
MAX_NAME = 64
"""Characters kept of a name, a host or an address from a presence file."""
REMOTE_ENV = "CANVAS_TUI_REMOTE"
"""Set by `canvas-tui serve` for each tab's editor: the browser's address."""
SUFFIX = ".presence"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,64}")

Signature = tuple[int, int, int]
"""The canvas file as a save left it: modification time (ns), size, inode."""


def current_user() -> str:
    """The name the user is known by here: $USER, else the login name; "" when nothing says."""
    name = os.environ.get("USER", "")
    if not name:
        with contextlib.suppress(Exception):  # getpass raises OSError (or KeyError) without a name
            name = getpass.getuser()
    if not name:
        with contextlib.suppress(OSError):
            name = os.getlogin()
    return name


def current_via() -> str:
    """How this instance is used when not from a terminal: "browser from ADDRESS" in a serve tab."""
    remote = os.environ.get(REMOTE_ENV, "")
    return f"browser from {remote}" if remote else ""


def _short(value: object) -> str:
    return str(value)[:MAX_NAME]


@dataclass(frozen=True, slots=True)
class Presence:
    """One running instance with the canvas open, as its presence file says."""

    instance: Instance
    user: str
    via: str = ""  # "browser from ADDRESS" for a tab of `canvas-tui serve`
    saved: Signature | None = None  # the canvas as this instance's last save left it
    saved_at: str = ""  # when, ISO 8601

    @property
    def label(self) -> str:
        """A few words for the header: the user's name, or which browser (a serve tab runs as
        whoever started the server, so its login name would not tell the tabs apart)."""
        return self.via or self.user or f"PID {self.instance.pid}"

    def describe(self) -> str:
        """One line for the "already open" dialog."""
        instance = self.instance
        when = instance.since.replace("T", " ")[:16]
        return f"{self.label} (PID {instance.pid} on {instance.host}, since {when})"

    def to_json(self) -> dict[str, object]:
        saved = None if self.saved is None else {"signature": list(self.saved), "at": self.saved_at}
        return {
            "format": PRESENCE_FORMAT,
            "instance": self.instance.to_json(),
            "user": self.user,
            "via": self.via,
            "saved": saved,
        }

    @classmethod
    def from_json(cls, data: object) -> Presence | None:
        if not isinstance(data, dict) or data.get("format") != PRESENCE_FORMAT:
            return None
        instance = Instance.from_json(data.get("instance"))
        if instance is None:
            return None
        host, started, since = _short(instance.host), _short(instance.started), _short(instance.since)
        instance = Instance(host, instance.pid, started, instance.token, since)
        saved, saved_at = None, ""
        record = data.get("saved")
        if isinstance(record, dict):
            numbers = record.get("signature")
            if isinstance(numbers, list) and len(numbers) == 3 and all(type(n) is int for n in numbers):
                saved = (numbers[0], numbers[1], numbers[2])
                saved_at = _short(record.get("at", ""))
        return cls(instance, _short(data.get("user", "")), _short(data.get("via", "")), saved, saved_at)


def presence_path(canvas_path: Path, token: str) -> Path:
    path = Path(canvas_path).absolute()
    return path.with_name(f".{path.name}.{token}{SUFFIX}")


def register(canvas_path: Path, presence: Presence) -> bool:
    """Write (or rewrite) this instance's presence file; False when it could not be written."""
    path = presence_path(canvas_path, presence.instance.token)
    data = json.dumps(presence.to_json(), indent=1).encode()
    try:
        atomic_write(path, data, mode=0o644, follow_links=False)
    except OSError:
        return False  # a read-only folder, a full disk, a link planted under our name: no presence
    return True


def withdraw(canvas_path: Path, token: str) -> None:
    """Remove this instance's presence file; a link or anything else planted there stays."""
    _remove_regular(presence_path(canvas_path, token))


def _remove_regular(path: Path) -> None:
    with contextlib.suppress(OSError):
        if stat.S_ISREG(os.lstat(path).st_mode):
            path.unlink()


def others(canvas_path: Path, me: Instance, alive: Liveness = is_running) -> list[Presence]:
    """Every other instance with the canvas open, earliest first. Registrations of processes that
    no longer run on this host are removed; anything under a presence name that is not a regular
    file is skipped and left alone."""
    canvas = Path(canvas_path).absolute()
    prefix = f".{canvas.name}."
    try:
        names = sorted(canvas.parent.glob(f"{glob.escape(prefix)}*{SUFFIX}"))[:MAX_PRESENCES]
    except OSError:
        return []
    found: list[Presence] = []
    for path in names:
        token = path.name[len(prefix) : -len(SUFFIX)]
        if token == me.token or not _TOKEN.fullmatch(token):
            continue
        presence = _read(path)
        if presence is None or presence.instance.token != token:
            continue
        if not alive(presence.instance):
            _remove_regular(path)  # a crash or a kill -9 left it
            continue
        found.append(presence)
    found.sort(key=lambda presence: presence.instance.since)
    return found


def _read(path: Path) -> Presence | None:
    try:
        raw = read_file(path, limit=MAX_PRESENCE_BYTES, follow_links=False)
        return Presence.from_json(json.loads(raw.decode("utf-8")))
    except (OSError, ValueError, RecursionError):
        return None


def now() -> str:
    return dt.datetime.now().astimezone().isoformat(timespec="seconds")
