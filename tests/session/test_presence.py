"""Presence: every running instance says beside the canvas who has it open, by name; the others list
it, drop what dead processes on this host left, and never read anything but a small regular file."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from tests.waiting import in_time

from canvas_tui.files import presence
from canvas_tui.files.lock import Instance
from canvas_tui.files.presence import MAX_PRESENCE_BYTES, Presence, presence_path
from canvas_tui.session import Session
from canvas_tui.storage import CanvasFile


def open_as(path: Path, user: str, *, via: str = "") -> Session:
    """An instance as `user` would open the canvas (all in this process: each has its own token)."""
    session = Session(CanvasFile.load(path), me=Instance.current(), user=user, via=via)
    session.claim()
    return session


def dead_instance(host: str | None = None) -> Instance:
    child = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True)
    return Instance(host or socket.gethostname(), int(child.stdout), "", "gone0001", "2026-01-01T09:00:00")


def names(session: Session) -> list[str]:
    return sorted(other.label for other in session.others())


def test_each_instance_registers_and_lists_the_others_by_name(example: Path) -> None:
    alice, bob, carol = open_as(example, "alice"), open_as(example, "bob"), open_as(example, "carol")
    assert names(alice) == ["bob", "carol"]
    assert names(bob) == ["alice", "carol"]
    line = next(other for other in alice.others() if other.user == "bob").describe()
    assert line.startswith(f"bob (PID {os.getpid()} on {socket.gethostname()}, since ")
    mode = os.stat(presence_path(example, alice.me.token)).st_mode & 0o777
    assert mode == 0o644
    bob.close()
    assert names(alice) == ["carol"]
    assert not presence_path(example, bob.me.token).exists()
    carol.close()
    alice.close()
    assert not [p for p in example.parent.iterdir() if p.name.endswith(".presence")]


def test_a_browser_tab_is_named_by_its_address(example: Path) -> None:
    alice = open_as(example, "alice")
    open_as(example, "alice", via="browser from 127.0.0.1")
    assert names(alice) == ["browser from 127.0.0.1"]


def test_the_next_user_still_hears_of_the_others_after_the_first_holder_leaves(example: Path) -> None:
    first = open_as(example, "alice")
    assert first.holds_lock
    second = open_as(example, "bob")  # "Open anyway"
    first.close()
    third = open_as(example, "carol")
    assert third.holds_lock, "the lock was free again"
    assert names(third) == ["bob"], "yet bob still has it open"
    second.close()
    third.close()


def test_registrations_of_dead_processes_on_this_host_are_dropped(example: Path) -> None:
    alice = open_as(example, "alice")
    dead = Presence(dead_instance(), "mallory")
    presence.register(example, dead)
    elsewhere = dataclass_token(dead_instance("another-host"), "far00001")  # cannot be checked: counts
    presence.register(example, Presence(elsewhere, "dave"))
    assert names(alice) == ["dave"]
    assert not presence_path(example, dead.instance.token).exists(), "what a crash left is removed"
    assert presence_path(example, "far00001").exists()


def dataclass_token(instance: Instance, token: str) -> Instance:
    return Instance(instance.host, instance.pid, instance.started, token, instance.since)


@pytest.mark.parametrize("kind", ["link to a presence file", "link to /dev/zero", "fifo", "folder", "large"])
def test_planted_presence_names_are_ignored_and_left_alone(example: Path, tmp_path: Path, kind: str) -> None:
    alice = open_as(example, "alice")
    planted = presence_path(example, "planted1")
    real = tmp_path / "elsewhere.json"
    other = dataclass_token(Instance.current(), "planted1")
    real.write_text(json.dumps(Presence(other, "mallory").to_json()), encoding="utf-8")
    if kind == "link to a presence file":
        planted.symlink_to(real)
    elif kind == "link to /dev/zero":
        planted.symlink_to("/dev/zero")
    elif kind == "fifo":
        os.mkfifo(planted)
    elif kind == "folder":
        planted.mkdir()
    else:
        planted.write_text(" " * MAX_PRESENCE_BYTES + real.read_text(encoding="utf-8"), encoding="utf-8")
    assert in_time(lambda: names(alice)) == [], "never followed, opened blocking, or read unbounded"
    assert os.path.lexists(planted), "not ours to remove"


def test_a_presence_file_that_is_not_one_is_ignored(example: Path) -> None:
    alice = open_as(example, "alice")
    presence_path(example, "junk0001").write_text("[[[[", encoding="utf-8")
    presence_path(example, "deep0001").write_text("[" * 100_000, encoding="utf-8")
    wrong = Presence(dataclass_token(Instance.current(), "someone"), "eve")  # its name says another token
    presence_path(example, "liar0001").write_text(json.dumps(wrong.to_json()), encoding="utf-8")
    assert names(alice) == []


def test_long_names_are_cut_short(example: Path) -> None:
    alice = open_as(example, "alice")
    presence.register(example, Presence(dataclass_token(Instance.current(), "long0001"), "x" * 5000))
    (other,) = alice.others()
    assert other.user == "x" * presence.MAX_NAME


def test_the_user_name_comes_from_user_then_the_login(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("USER", "alice")
    assert presence.current_user() == "alice"
    monkeypatch.delenv("USER")
    monkeypatch.setenv("LOGNAME", "bob")
    assert presence.current_user() == "bob"
    monkeypatch.setenv(presence.REMOTE_ENV, "10.0.0.7")
    assert presence.current_via() == "browser from 10.0.0.7"
