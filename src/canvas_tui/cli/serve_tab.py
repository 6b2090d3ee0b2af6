"""One browser tab of `canvas-tui serve`: the editor, made to end when its server goes.

`canvas-tui serve` runs `python -m canvas_tui.cli.serve_tab SERVER_PID CANVAS` for each tab. A server
that stops normally sends each editor SIGTERM; one that is killed (kill -9, the OOM killer, a crash)
cannot, and the editor would run on with nobody to see it, holding the canvas's lock. So, before
the editor starts:

- On Linux the kernel is asked to send it SIGHUP when the server dies (PR_SET_PDEATHSIG). The
  editor answers SIGHUP as it does a dropped SSH connection: it saves (or keeps its recovery file),
  lets go of the lock and exits.
- A thread watches stdin, the pipe from the server: it hangs up when the server is gone, on any
  system. Then the editor gets SIGHUP (unless the kernel sent it already), and if it has not ended
  GRACE seconds later it is ended here; the lock it leaves names a dead process, and the next editor
  takes it over.
- It leaves the server's session: a Ctrl+C typed in the server's terminal reaches only the server,
  which stops each tab with SIGTERM, so the tabs save instead of quitting on the spot.

No Textual here: the editor starts through the command line as usual.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import sys
import threading
import time

from canvas_tui.cli import main as cli_main

GRACE = 10.0
"""Seconds the editor has, once the server is gone, to save and exit before it is ended."""
PR_SET_PDEATHSIG = 1
EXIT_SERVER_GONE = 75


def ask_kernel_for_hangup() -> bool:
    """SIGHUP to this process when its parent, the server, dies (Linux); False where unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return int(libc.prctl(PR_SET_PDEATHSIG, int(signal.SIGHUP), 0, 0, 0)) == 0
    except (OSError, AttributeError):
        return False


def watch_server(fd: int, *, kernel_hangs_up: bool, grace: float = GRACE) -> None:
    """Wait for the server's end of `fd` to close; then hang up on this process, and end it if it
    has not ended `grace` seconds later."""
    poller = select.poll()
    poller.register(fd, 0)  # POLLHUP and POLLERR are always reported; the editor reads the data
    gone = select.POLLHUP | select.POLLERR | select.POLLNVAL
    while not any(events & gone for _, events in poller.poll()):
        pass
    if not kernel_hangs_up:
        os.kill(os.getpid(), signal.SIGHUP)
    time.sleep(grace)
    os._exit(EXIT_SERVER_GONE)


def main(argv: list[str]) -> int:
    server_pid, canvas = int(argv[0]), argv[1]
    with contextlib.suppress(OSError):
        os.setsid()
    kernel_hangs_up = ask_kernel_for_hangup()
    if os.getppid() != server_pid:
        return EXIT_SERVER_GONE  # the server died before the kernel could be asked
    if hasattr(select, "poll"):
        threading.Thread(
            target=watch_server,
            args=(sys.stdin.fileno(),),
            kwargs={"kernel_hangs_up": kernel_hangs_up},
            name="canvas-tui-server-watch",
            daemon=True,
        ).start()
    return cli_main(["--wire", "plain", canvas])  # the browser's terminal: see tui/wire/


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
