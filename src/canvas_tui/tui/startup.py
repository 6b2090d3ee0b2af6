"""The questions asked when a canvas opens: another instance has it open; a crash left edits behind."""

from __future__ import annotations

from typing import TYPE_CHECKING

from canvas_tui.model.merge import Choice
from canvas_tui.session import RecoveryOffer

if TYPE_CHECKING:
    from canvas_tui.tui.app import CanvasApp


def tell_read_only(app: CanvasApp) -> None:
    session = app.session
    app.notify(
        f"{session.path} {session.read_only_reason}: opened read-only. "
        "ctrl+s offers to save a copy elsewhere.",
        title="Read-only",
        severity="warning",
        timeout=10,
        markup=False,  # the reason can quote a lock file's host
    )


def tell_about_the_file(app: CanvasApp) -> None:
    """What the user should know as the canvas opens: new file, warnings (one notice), read-only."""
    session = app.session
    if not session.document.exists:
        app.notify(f"{session.path} will be written on the first save.", title="New canvas", markup=False)
    warnings = session.document.warnings
    if warnings:  # one notice for all of them, not a stack over half the canvas
        listed = "\n".join(f"• {warning}" for warning in warnings)
        title = "1 warning" if len(warnings) == 1 else f"{len(warnings)} warnings"
        app.notify(listed, title=title, severity="warning", timeout=8, markup=False)
    if session.read_only:
        tell_read_only(app)
    if app.notice:
        app.notify(app.notice, timeout=5)


def claim_and_recover(app: CanvasApp) -> None:
    """Take the lock (or ask what to do when another instance has it), then offer recoveries."""
    session = app.session
    was_read_only = session.read_only
    holder = session.claim().held_by
    if session.read_only and not was_read_only:  # the lock could not be written
        tell_read_only(app)
    if holder is None:
        offer_recovery(app, session.recovery_offers())
        tell_left_alone(app)
        return
    from canvas_tui.tui.screens.lock_screen import LockScreen

    def decide(choice: str | None) -> None:
        if choice == "quit":
            app.exit(0)
            return
        if choice != "anyway":
            session.open_read_only(f"is open in {holder.describe()}")
            tell_read_only(app)
        offer_recovery(app, session.recovery_offers())
        tell_left_alone(app)

    app.push_screen(LockScreen(session.path.name, holder.describe()), decide)


def tell_left_alone(app: CanvasApp) -> None:
    """Names beside the canvas that canvas-tui keeps for itself but found taken by something it
    does not touch (a link someone planted): said once, as the canvas opens."""
    refused = app.session.refused
    if refused:
        app.notify(
            "\n".join(f"{line}; left as it is" for line in refused),
            title="Not touched",
            severity="warning",
            timeout=15,
        )


def offer_recovery(app: CanvasApp, offers: list[RecoveryOffer]) -> None:
    """Offer each crashed instance's edits in turn; a block also changed on disk asks."""
    session = app.session
    if not offers:
        session.offers_done()
        return
    from canvas_tui.tui.screens.conflict_screen import ConflictScreen
    from canvas_tui.tui.screens.recovery_screen import RecoveryScreen

    offer, rest = offers[0], offers[1:]

    def restore(choices: dict[str, Choice] | None) -> None:
        session.restore(offer, choices or {})
        app.notify("Unsaved edits restored; save to keep them.", title="Restored", timeout=5)
        offer_recovery(app, rest)

    def decide(wanted: bool | None) -> None:
        if wanted and offer.merge.conflicts:
            app.push_screen(ConflictScreen(offer.merge, session.canvas.template), restore)
        elif wanted:
            restore({})
        else:
            kept = session.decline(offer)
            if kept is not None:
                app.notify(f"The discarded edits stay in {kept.name} for now.", timeout=5, markup=False)
            offer_recovery(app, rest)

    app.push_screen(RecoveryScreen(session.titles(offer.mine), offer.source.written_at), decide)
