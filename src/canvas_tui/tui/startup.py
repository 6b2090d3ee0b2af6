"""The questions asked when a canvas opens: another instance has it open; a crash left edits behind."""

from __future__ import annotations

from canvas_tui.files.lock import Instance
from canvas_tui.session import RecoveryOffer, Session
from canvas_tui.tui.host import Host


def tell_read_only(session: Session, host: Host) -> None:
    host.notify(
        f"{session.path} {session.read_only_reason}: opened read-only. "
        "ctrl+s offers to save a copy elsewhere.",
        title="Read-only",
        severity="warning",
        timeout=10,
        markup=False,  # the reason can quote a lock file's host
    )


def tell_about_the_file(session: Session, host: Host, notice: str = "") -> None:
    """What the user should know as the canvas opens: new file, warnings (one notice), read-only,
    and the command line's `notice`."""
    if not session.document.exists:
        host.notify(f"{session.path} will be written on the first save.", title="New canvas", markup=False)
    warnings = session.document.warnings
    if warnings:  # one notice for all of them, not a stack over half the canvas
        listed = "\n".join(f"• {warning}" for warning in warnings)
        title = "1 warning" if len(warnings) == 1 else f"{len(warnings)} warnings"
        host.notify(listed, title=title, severity="warning", timeout=8, markup=False)
    if session.read_only:
        tell_read_only(session, host)
    if notice:
        host.notify(notice, timeout=5)


def claim_and_recover(session: Session, host: Host) -> None:
    """Take the lock now; then, in a worker, ask what to do when another instance has it, and
    offer what crashed instances left behind."""
    was_read_only = session.read_only
    holder = session.claim().held_by
    if session.read_only and not was_read_only:  # the lock could not be written
        tell_read_only(session, host)
    host.run_worker(_questions(session, host, already_open(session, holder)), group="dialogs")


def already_open(session: Session, holder: Instance | None) -> list[str]:
    """Everyone else who has the canvas open, one line each (who, where, since when): every registered
    instance, and the lock's holder where it has no presence file (an older canvas-tui, another
    host's). The first holder may have left while others still edit: they count all the same."""
    present = session.others()
    people = [presence.describe() for presence in present]
    if holder is not None and holder.token not in {presence.instance.token for presence in present}:
        people.insert(0, holder.describe())
    return people


async def _questions(session: Session, host: Host, people: list[str]) -> None:
    if people:
        from canvas_tui.tui.screens.lock_screen import LockScreen

        dialog = LockScreen(session.path.name, people)
        choice = await host.push_screen(dialog, wait_for_dismiss=True)
        if choice == "quit":
            host.exit(0)
            return
        if choice != "anyway":
            session.open_read_only("is open by " + "; ".join(people))
            tell_read_only(session, host)
    await offer_recovery(session, host, session.recovery_offers())
    tell_left_alone(session, host)


def tell_left_alone(session: Session, host: Host) -> None:
    """Names beside the canvas that canvas-tui keeps for itself but found taken by something it
    does not touch (a link someone planted): said once, as the canvas opens."""
    refused = session.refused
    if refused:
        host.notify(
            "\n".join(f"{line}; left as it is" for line in refused),
            title="Not touched",
            severity="warning",
            timeout=15,
        )


async def offer_recovery(session: Session, host: Host, offers: list[RecoveryOffer]) -> None:
    """Offer each crashed instance's edits in turn; a block also changed on disk asks."""
    from canvas_tui.tui.screens.conflict_screen import ConflictScreen
    from canvas_tui.tui.screens.recovery_screen import RecoveryScreen

    for offer in offers:
        dialog = RecoveryScreen(session.titles(offer.mine), offer.source.written_at)
        wanted = await host.push_screen(dialog, wait_for_dismiss=True)
        if wanted:
            choices = {}
            if offer.merge.conflicts:
                conflicts = ConflictScreen(offer.merge, session.canvas.template)
                choices = await host.push_screen(conflicts, wait_for_dismiss=True) or {}
            session.restore(offer, choices)
            host.notify("Unsaved edits restored; save to keep them.", title="Restored", timeout=5)
        else:
            kept = session.decline(offer)
            if kept is not None:
                host.notify(f"The discarded edits stay in {kept.name} for now.", timeout=5, markup=False)
    session.offers_done()
