"""What the user is told after the session compared the canvas with its file on disk."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from canvas_tui.session import DiskOutcome, DiskReport, Session


@dataclass(frozen=True, slots=True)
class Message:
    title: str
    text: str
    severity: Literal["information", "warning", "error"] = "information"
    timeout: float = 5


MAX_TITLES = 5
"""Blocks named in one notice; more are counted."""


def _listed(titles: list[str]) -> str:
    if len(titles) > MAX_TITLES:
        return ", ".join(titles[:MAX_TITLES]) + f" and {len(titles) - MAX_TITLES} more"
    return ", ".join(titles)


def _undo_hint(session: Session, replaced: list[str]) -> str:
    """Where an open editor's text changed under the user: its ctrl+z brings that text back.

    Said the same whether a teammate's version replaced mine or a merge added their lines to mine:
    the editor cannot tell which of its lines were mine, and "replaced" after a clean merge alarms.
    """
    if not replaced:
        return ""
    titles = _listed(session.titles(list(dict.fromkeys(replaced))))
    return (
        f"\nThe text open in your editor ({titles}) changed with it; ctrl+z there brings back what it showed."
    )


def disk_message(session: Session, report: DiskReport, replaced: list[str] | None = None) -> Message | None:
    """The notification for `report`, or None when there is nothing to say. `replaced`: blocks
    whose open editor showed text that the disk's values replaced."""
    name = session.path.name
    if report.outcome is DiskOutcome.GONE and report.first:
        return Message(
            "File gone", f"{name} was deleted or moved. Press ctrl+s to save it again here.", "warning", 15
        )
    if report.outcome is DiskOutcome.UNREADABLE:
        return Message(
            "Changed on disk",
            f"{report.error}. canvas-tui will not save over it until it reads again.",
            "error",
            15,
        )
    hint = _undo_hint(session, replaced or [])
    # The saver's name comes from a presence file beside the canvas: app.notify shows it as written.
    by = f" by {report.who}" if report.who else ""
    if report.outcome is DiskOutcome.RELOADED:
        what = f"\nChanged{by}: {_listed(session.titles(report.changed))}." if report.changed else ""
        return Message("Reloaded", f"{name} changed on disk; reloaded.{what}{hint}", timeout=8 if hint else 5)
    if report.outcome is DiskOutcome.MERGED and report.taken:
        return Message(
            "Changed on disk",
            f"Merged from disk{by}: {_listed(session.titles(report.taken))}.{hint}",
            timeout=10 if hint else 6,
        )
    return None
