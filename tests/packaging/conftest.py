"""Packaging tests build and install the real wheel; they are slow (tens of seconds) but run in
`make test` all the same. `pytest -m "not slow"` leaves them out while iterating."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "slow: builds or installs packages; takes tens of seconds")
