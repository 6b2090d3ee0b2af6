"""Stateful property test: whatever the order of edits, saves, teammates, crashes and second
instances, every edit is on disk, in an editor, in a recovery file, or put to the user as a conflict;
an edit leaves only when someone who saw it replaced it, or when the user chose so.

Blocks hold several lines, and an edit replaces one line of a block or adds one, with a line never
written before, so "where is it now" has one answer; both sides edit different lines of one block
(merged line by line) or the same lines (a conflict of just those lines). Statuses and the marked
questions change on both sides too. `live` holds, per key, the lines, statuses and marks nobody has
knowingly replaced; the invariant says each is somewhere. A status or a set of marks is followed only
while it is new for the block: set back to an earlier value, it looks like no change to any
three-way merge (as in git), so another side's change over it is no loss.

What is not covered, on purpose: a crash in the half second between a keystroke and the recovery
write loses that half second (the rule `a_crashes` lets the recovery write happen first);
docs/safety.md says so.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule
from tests.budget import examples

from canvas_tui.files import recovery
from canvas_tui.files.lock import Instance
from canvas_tui.model import BlockValue, Canvas, Snapshot, Status
from canvas_tui.model.line_merge import LineConflict, merge_lines
from canvas_tui.model.merge import Choice, Conflict, pick
from canvas_tui.session import Session
from canvas_tui.storage import CanvasFile

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "churn-early-warning.toml"
KEYS = ["product", "background", "lifetime", "security"]
BLOCKS = [key for key in KEYS if key != "product"]
CHOICES: list[Choice] = ["mine", "theirs", "both"]
KINDS = ["line", "add", "status", "answered"]
"""What an edit of a block changes: one line, a new line after one, the status, a question's mark."""

Token = tuple[str, object]
"""One thing someone wrote: ("line", text), ("status", value), ("answered", numbers), ("field", value)."""


def lines_of(text: str) -> set[Token]:
    """The lines this test wrote (markers and blank lines are the tools' own)."""
    return {("line", line) for line in text.split("\n") if " edit " in line or line.startswith("base ")}


def tokens(value: object) -> set[Token]:
    if not isinstance(value, BlockValue):
        return {("field", str(value))}
    return lines_of(value.text) | {("status", value.status.value), ("answered", value.answered)}


def value_of(snapshot: Snapshot, key: str) -> object:
    return snapshot.fields[key] if key in snapshot.fields else snapshot.blocks[key]


def edited_text(text: str, kind: str, where: int, new: str) -> str:
    lines = text.split("\n")
    where %= len(lines)
    if kind == "line" and lines[where]:
        lines[where] = new
    else:
        lines.insert(where + 1 if lines[where] else where, new)
    return "\n".join(lines)


def apply_edit(canvas: Canvas | Session, key: str, kind: str, where: int, new: str) -> None:
    """One person's edit: through an editor's session or straight into a canvas (a teammate)."""
    target = canvas.canvas if isinstance(canvas, Session) else canvas
    if key in target.fields:
        if isinstance(canvas, Session):
            canvas.set_fields({key: new})
        else:
            canvas.set_field(key, new)
        return
    block = target.blocks[key]
    if kind == "status":
        statuses = [status for status in Status if status is not block.status]
        canvas.set_status(key, statuses[where % len(statuses)])
    elif kind == "answered":
        canvas.set_answered(key, tuple(set(block.answered) ^ {where % 3 + 1}))
    else:
        canvas.set_text(key, edited_text(block.text, kind, where, new))


class NoEditLost(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="canvas-tui-stateful-"))
        self.path = self.folder / "canvas.toml"
        shutil.copyfile(EXAMPLE, self.path)
        self.running: set[str] = set()
        self.counter = 0
        self.live: dict[str, set[Token]] = {}
        self.seen: dict[str, set[Token]] = {}  # every token each key has held
        self.a: Session | None = None
        self.b: Session | None = None

    def teardown(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    # -- helpers --------------------------------------------------------------------------------

    def alive(self, instance: Instance) -> bool:
        return instance.token in self.running

    def new_value(self, who: str) -> str:
        self.counter += 1
        return f"{who} edit {self.counter}"

    def start(self, name: str) -> Session:
        self.counter += 1
        me = Instance("here", self.counter, "", f"{name}-{self.counter}", "2026-12-01T10:00:00")
        self.running.add(me.token)
        session = Session(CanvasFile.load(self.path), me=me, alive=self.alive)
        session.claim()
        return session

    def edit(self, who: Canvas | Session, key: str, kind: str, where: int, value: str) -> None:
        """The editor saw what it replaced: that leaves `live`, what it wrote joins."""
        state = who.canvas.state if isinstance(who, Session) else who.state
        before = tokens(value_of(state(), key))
        apply_edit(who, key, kind, where, value)
        after = tokens(value_of(state(), key))
        self.live[key] -= before - after
        self.follow(key, after - before)

    def follow(self, key: str, written: set[Token]) -> None:
        """Lines are new by construction; a status or marks only the first time the block has them."""
        self.live[key] |= {token for token in written if token[0] == "line" or token not in self.seen[key]}
        self.seen[key] |= written

    def settle(self, session: Session, choices: list[Choice]) -> None:
        """The user answers every open conflict; what they chose against leaves `live`."""
        pending = session._pending
        assert pending is not None
        picked = {c.key: choices[i % len(choices)] for i, c in enumerate(pending.merge.conflicts)}
        session.settle(picked)
        self.chose(session, pending.merge.conflicts, picked)

    def chose(self, session: Session, conflicts: tuple[Conflict, ...], picked: dict[str, Choice]) -> None:
        """What the user chose against leaves `live`: only what both sides changed was put to them
        (the clashing lines, a status, the marks), so everything else either side wrote must stay."""
        for conflict in conflicts:
            key, mine, theirs = conflict.key, conflict.mine, conflict.theirs
            choice = picked.get(key, "mine")
            if not isinstance(mine, BlockValue) or not isinstance(theirs, BlockValue):
                self.live[key] -= tokens(theirs if choice != "theirs" else mine)
                continue
            base = conflict.base if isinstance(conflict.base, BlockValue) else None
            for region in merge_lines(base.text if base else "", mine.text, theirs.text).regions:
                if isinstance(region, LineConflict) and choice != "both":
                    kept, dropped = (
                        (region.theirs, region.ours) if choice == "theirs" else (region.ours, region.theirs)
                    )
                    self.live[key] -= lines_of(dropped) - lines_of(kept)
            for part in ("status", "answered"):
                b, m, t = (None if v is None else getattr(v, part) for v in (base, mine, theirs))
                if pick(b, m, t)[1] != "clash":
                    continue
                against = {"mine": [t], "theirs": [m], "both": [t] if part == "status" else [m, t]}[choice]
                for value in against:
                    self.live[key].discard((part, value.value if isinstance(value, Status) else value))
            if choice == "both":
                self.follow(key, {("answered", session.canvas.blocks[key].answered)})

    def save(self, session: Session, choices: list[Choice]) -> None:
        """ctrl+s: the session reconciles with the disk first; the user answers any conflict."""
        for _ in range(3):
            step = session.save_reconciling(explicit=True)
            assert step.error is None, step.error
            if step.saved:
                return
            if session._pending is not None:
                self.settle(session, choices)
        raise AssertionError("a save did not get through after three rounds")

    # -- rules ----------------------------------------------------------------------------------

    @initialize()
    def open_first(self) -> None:
        document = CanvasFile.load(self.path)
        for key in BLOCKS:  # paragraphs to edit one by one
            document.canvas.set_text(key, "\n".join(f"base {n} of {key}" for n in range(1, 4)))
        document.save()
        state = document.canvas.state()
        self.live = {key: tokens(value_of(state, key)) for key in KEYS}
        self.seen = {key: set(held) for key, held in self.live.items()}
        self.a = self.start("a")

    @precondition(lambda self: self.a is not None and self.a._pending is None)
    @rule(key=st.sampled_from(KEYS), kind=st.sampled_from(KINDS), where=st.integers(0, 5))
    def a_edits(self, key: str, kind: str, where: int) -> None:
        assert self.a is not None
        self.edit(self.a, key, kind, where, self.new_value("a"))

    @precondition(lambda self: self.a is not None)
    @rule(choices=st.lists(st.sampled_from(CHOICES), min_size=1, max_size=4))
    def a_saves(self, choices: list[Choice]) -> None:
        assert self.a is not None
        self.save(self.a, choices)

    @precondition(lambda self: self.a is not None and self.a._pending is None)
    @rule()
    def a_checks_the_disk(self) -> None:
        assert self.a is not None
        self.a.reconcile()  # a conflict stays open until a rule answers it

    @precondition(lambda self: self.a is not None and self.a._pending is not None)
    @rule(choices=st.lists(st.sampled_from(CHOICES), min_size=1, max_size=4))
    def a_answers_the_conflict(self, choices: list[Choice]) -> None:
        assert self.a is not None
        self.settle(self.a, choices)

    @precondition(lambda self: self.a is not None)
    @rule()
    def a_writes_its_recovery_file(self) -> None:
        assert self.a is not None
        record = self.a.take_recovery()
        if record is not None:
            assert self.a.write_recovery(record)

    @precondition(lambda self: self.a is not None)
    @rule()
    def a_crashes(self) -> None:
        """kill -9, after the recovery timer had its turn (the half second before it is not covered)."""
        assert self.a is not None
        self.a_writes_its_recovery_file()
        self.running.discard(self.a.me.token)  # nothing is tidied up
        self.a = None

    @precondition(lambda self: self.a is None)
    @rule(restore=st.booleans(), choices=st.lists(st.sampled_from(CHOICES), min_size=1, max_size=4))
    def a_restarts(self, restore: bool, choices: list[Choice]) -> None:
        self.a = self.start("a")
        for offer in self.a.recovery_offers():
            before = offer.source.mine
            if restore:
                picked = {c.key: choices[i % len(choices)] for i, c in enumerate(offer.merge.conflicts)}
                self.a.restore(offer, picked)
                self.chose(self.a, offer.merge.conflicts, picked)
            else:
                self.a.decline(offer)
                for key in KEYS:  # the user threw these away
                    if key in offer.mine:
                        self.live[key] -= tokens(value_of(before, key))
        self.a.offers_done()

    @rule(key=st.sampled_from(KEYS), kind=st.sampled_from(KINDS), where=st.integers(0, 5))
    def teammate_edits_the_file(self, key: str, kind: str, where: int) -> None:
        document = CanvasFile.load(self.path)
        self.edit(document.canvas, key, kind, where, self.new_value("teammate"))
        document.save()
        info = self.path.stat()  # another program, a moment later: a different mtime
        os.utime(self.path, ns=(info.st_atime_ns, info.st_mtime_ns + 1_000_000))

    @precondition(lambda self: self.a is not None and self.b is None)
    @rule()
    def second_instance_opens_anyway(self) -> None:
        assert self.a is not None
        a_recovery = self.a.recovery_path
        before = a_recovery.read_bytes() if a_recovery.exists() else None
        self.b = self.start("b")
        assert not self.b.holds_lock, "the first instance holds the lock"
        assert self.b.recovery_offers() == [] or all(
            o.source.path != a_recovery for o in self.b.recovery_offers()
        )
        after = a_recovery.read_bytes() if a_recovery.exists() else None
        assert after == before, "a second instance never touches the first one's recovery file"

    @precondition(lambda self: self.b is not None and self.b._pending is None)
    @rule(key=st.sampled_from(KEYS), kind=st.sampled_from(KINDS), where=st.integers(0, 5))
    def second_instance_edits(self, key: str, kind: str, where: int) -> None:
        assert self.b is not None
        self.edit(self.b, key, kind, where, self.new_value("b"))

    @precondition(lambda self: self.b is not None)
    @rule(choices=st.lists(st.sampled_from(CHOICES), min_size=1, max_size=4))
    def second_instance_saves_and_quits(self, choices: list[Choice]) -> None:
        assert self.b is not None
        self.save(self.b, choices)
        self.b.close()
        self.running.discard(self.b.me.token)
        self.b = None

    # -- the invariant --------------------------------------------------------------------------

    @invariant()
    def every_live_edit_is_somewhere(self) -> None:
        places: dict[str, set[Token]] = {key: set() for key in KEYS}
        snapshots = [CanvasFile.load(self.path).canvas.state()]
        snapshots += [s.canvas.state() for s in (self.a, self.b) if s is not None]
        snapshots += [found.mine for p in recovery.recovery_files(self.path) if (found := recovery.read(p))]
        for snapshot in snapshots:
            for key in KEYS:
                places[key] |= tokens(value_of(snapshot, key))
        for session in (self.a, self.b):
            if session is not None and session._pending is not None:
                for conflict in session._pending.merge.conflicts:
                    places[conflict.key] |= tokens(conflict.mine) | tokens(conflict.theirs)
        for key in KEYS:
            lost = self.live[key] - places[key]
            assert not lost, f"{key}: {sorted(lost)} is nowhere (disk, editors, recovery files, questions)"


NoEditLost.TestCase.settings = settings(
    max_examples=int(os.environ.get("CANVAS_TUI_STATEFUL_EXAMPLES", examples(150))),
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
test_no_edit_is_lost = NoEditLost.TestCase
