"""One way to wait in tests: poll a condition, with a bound and a description for the failure.

Tests never sleep for "long enough"; they wait until what they expect is true, and fail with the
description when it does not become true within the bound. Pilot tests use `wait_until` (it lets
the app's event loop run between polls); plain threads and processes use `wait_until_sync`.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable

DEFAULT_BOUND = 30.0
"""Seconds before giving up: generous, because a loaded CI machine is slow; never asserted on."""
POLL = 0.02


class WaitTimeout(AssertionError):
    """A condition did not become true within its bound."""


async def wait_until(
    condition: Callable[[], object], description: str, *, bound: float = DEFAULT_BOUND
) -> None:
    """Await until `condition()` is truthy, yielding to the event loop between polls."""
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            raise WaitTimeout(f"waited {bound:g} s for: {description}")
        await asyncio.sleep(POLL)


def wait_until_sync(
    condition: Callable[[], object], description: str, *, bound: float = DEFAULT_BOUND
) -> None:
    """Block until `condition()` is truthy (for threads and child processes)."""
    deadline = time.monotonic() + bound
    while not condition():
        if time.monotonic() > deadline:
            raise WaitTimeout(f"waited {bound:g} s for: {description}")
        time.sleep(POLL)


def in_time(call: Callable[[], object], seconds: float = 10.0) -> object:
    """Run `call` in a thread and fail, rather than hang the run, when it blocks; its result or the
    exception it raised."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(call())
        except BaseException as error:
            outcome.append(error)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still blocked after {seconds} s"
    return outcome[0]
