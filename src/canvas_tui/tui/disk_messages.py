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


def disk_message(session: Session, report: DiskReport) -> Message | None:
    """The notification for `report`, or None when there is nothing to say."""
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
    if report.outcome is DiskOutcome.RELOADED:
        return Message("Reloaded", f"{name} changed on disk; reloaded.", timeout=4)
    if report.outcome is DiskOutcome.MERGED and report.taken:
        return Message(
            "Changed on disk", "Merged from disk: " + ", ".join(session.titles(report.taken)), timeout=6
        )
    return None
