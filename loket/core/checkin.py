"""Check-in at the kiosk: a booking's QR or typed code becomes a ticket, placed in line at its slot's start, or
at the resident's arrival when that is earlier (a booked resident is never behind someone who came after them).

One transaction issues the ticket and marks the booking checked in; whoever loses a race for the same
booking (a second scan, a double tap, two kiosks at once) rolls back and answers the winner's ticket.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from loket.core.booking.operations import (
    BOOKED,
    CANCELLED,
    CHECKED_IN,
    NO_SHOW,
    CheckInWindow,
    check_in_window,
    end_for_walk_in,
    find_booking,
    seats_changed,
    walk_in_note,
)
from loket.core.booking.operations import mark_checked_in as _mark
from loket.core.context import Context
from loket.core.errors import LoketError
from loket.core.messages import Message, _
from loket.core.roles import BOOKING_DESK_ROLES, Role
from loket.core.states import TicketState
from loket.core.store import Booking, Ticket
from loket.core.tickets import issuing
from loket.core.tickets.records import ticket_by_id
from loket.core.tickets.views import Outcome, sees_applicant, ticket_view

SOURCE = issuing.CHECK_IN_SOURCE


class CheckInRefused(LoketError):
    """The booking cannot check in now: too early, too late, or no longer booked. `details` says when its
    window opens and closes, its slot, and whether the kiosk may give a walk-in ticket instead."""

    status = 409
    code = "booking_not_active"

    def __init__(self, message: Message, *, code: str, details: dict[str, Any]):
        super().__init__(message, code=code)
        self.details = details


@dataclass(frozen=True)
class CheckedIn:
    """A check-in's ticket (`outcome.replayed`: the booking had checked in before) and the booking."""

    outcome: Outcome
    booking: Booking


class _Lost(Exception):
    """Another check-in of the same booking won: roll this one back."""


def check_in(ctx: Context, typed: str, *, issuer: str | None = None, key: str | None = None) -> CheckedIn:
    """Check a booking in by its QR payload or short code: its ticket now, or why not (CheckInRefused)."""
    found = find_booking(ctx, typed)
    if found.status == CHECKED_IN:
        return _replay(ctx, found)
    window = check_in_window(ctx, found)
    if window.state != "open":
        raise _refusal(ctx, found, window)
    now = ctx.clock.now()
    try:
        with ctx.store.transaction() as s:
            view, events = issuing.new_ticket(
                ctx,
                s,
                found.service_code,
                found.priority,
                SOURCE,
                issuer=issuer,
                key=key,
                # Its place in line: the slot's start for a resident who checks in late (inside the window),
                # its arrival for one who comes early: never behind a walk-in who came after them.
                queued_as=min(now, found.starts_at),
                quota=False,
                phone=found.phone,  # the number given at booking: the ticket's messages go there
                email=found.email,  # and the e-mail address, if one was given
            )
            if not _mark(s, found.id, view.id, now):
                raise _Lost
    except (_Lost, IntegrityError):
        # A concurrent scan checked it in first (or this kiosk's retry of the same tap): its ticket, or,
        # when the booking went another way meanwhile (cancelled, released), why not.
        again = find_booking(ctx, found.code)
        if again.status == CHECKED_IN:
            return _replay(ctx, again)
        if again.status == BOOKED:
            raise  # still booked: no race lost, some other fault
        raise _refusal(ctx, again, check_in_window(ctx, again)) from None
    found.status, found.ticket_id, found.checked_in_at = CHECKED_IN, view.id, now
    return CheckedIn(Outcome(view, events), found)


def _replay(ctx: Context, booking: Booking) -> CheckedIn:
    """The ticket a booking checked in with, answered again: today's only (a used booking is not a new one)."""
    with ctx.store.read() as s:
        ticket = s.get(Ticket, booking.ticket_id) if booking.ticket_id is not None else None
        if ticket is None or ticket.service_day != ctx.clock.today():
            raise _refusal(ctx, booking, check_in_window(ctx, booking))
        if ticket.state != TicketState.WAITING.value or ticket.step_index != 0:
            # Called, served, finished: the booking was used. Not "check-in berhasil" again (issue 13's walk).
            raise _refusal(ctx, booking, check_in_window(ctx, booking), used=ticket.number)
        return CheckedIn(Outcome(ticket_view(ctx, s, ticket, with_ahead=True), [], replayed=True), booking)


def _refusal(ctx: Context, booking: Booking, window: CheckInWindow, used: str | None = None) -> CheckInRefused:
    """Why this booking cannot check in now, in plain words, with its times for the kiosk's screen."""
    local = ctx.clock.local
    start, end = f"{local(booking.starts_at):%H:%M}", f"{local(booking.ends_at):%H:%M}"
    opens, closes = f"{local(window.opens_at):%H:%M}", f"{local(window.closes_at):%H:%M}"
    day = booking.day.strftime("%d-%m-%Y")
    today = booking.day == ctx.clock.today()
    code = {"early": "checkin_early", "late": "checkin_late"}.get(window.state, "booking_not_active")
    if used is not None:
        code = "booking_used"
        message = _(
            "Booking ini sudah dipakai untuk check-in dengan nomor antrean %(number)s. "
            "Silakan tanyakan ke petugas bila Anda memerlukan bantuan.",
            number=used,
        )
    elif window.state == "early" and today:
        message = _(
            "Booking Anda untuk pukul %(start)s. Check-in untuk booking Anda dibuka pukul %(opens)s.",
            start=start,
            opens=opens,
        )
    elif window.state == "early":
        message = _(
            "Booking Anda untuk tanggal %(day)s pukul %(start)s. Check-in dibuka pada tanggal itu pukul %(opens)s.",
            day=day,
            start=start,
            opens=opens,
        )
    elif window.state == "late" and today:
        message = _(
            "Booking Anda untuk pukul %(start)s. Batas check-in sudah lewat (pukul %(closes)s).",
            start=start,
            closes=closes,
        )
    elif window.state == "late":
        message = _("Booking Anda untuk tanggal %(day)s sudah lewat.", day=day)
    elif booking.status == CANCELLED:
        message = _("Booking ini sudah dibatalkan.")
    elif booking.status == NO_SHOW:
        message = _("Booking ini sudah dilepas karena tidak check-in sampai pukul %(closes)s.", closes=closes)
    else:
        message = _("Booking ini sudah dipakai untuk check-in.")
    details = {
        "booking": {
            "code": booking.code,
            "service": booking.service_code,
            "priority": booking.priority,
            "status": booking.status,
            "day": booking.day.isoformat(),
            "today": today,
            "start": start,
            "end": end,
        },
        "window": {"opens": opens, "closes": closes, "state": window.state},
        # Outside its window (or no longer booked) the resident may still queue as anyone else, if the office
        # says so; never for a booking already used for a ticket (that ticket is theirs).
        "walk_in": window.walk_in and booking.status in (BOOKED, CANCELLED, NO_SHOW),
        # What that regular ticket does to the booking, said before the tap (walk_in_instead).
        "walk_in_note": walk_in_note(ctx, booking),
    }
    return CheckInRefused(message, code=code, details=details)


@dataclass(frozen=True)
class WalkedIn:
    """A regular ticket taken instead of a refused check-in, and the booking as it is now (`ended`: this
    ticket cancelled it)."""

    outcome: Outcome
    booking: Booking
    ended: bool


def walk_in_instead(ctx: Context, typed: str, *, issuer: str | None = None, key: str | None = None) -> WalkedIn:
    """The kiosk's "Ambil nomor antrean biasa" after a refused check-in: a regular ticket of the booking's
    service (quota and walk-in share as for any walk-in). A booking of today still booked is cancelled in the
    same transaction (its seat given back, no no-show); another day's stays valid. Inside the window this is
    the check-in itself; where the office allows no regular ticket, the refusal."""
    found = find_booking(ctx, typed)
    if found.status == CHECKED_IN:
        done = _replay(ctx, found)
        return WalkedIn(done.outcome, done.booking, False)
    window = check_in_window(ctx, found)
    if window.state == "open":
        done = check_in(ctx, typed, issuer=issuer, key=key)
        return WalkedIn(done.outcome, done.booking, False)
    if not window.walk_in:
        raise _refusal(ctx, found, window)
    now, ended = ctx.clock.now(), False
    try:
        with ctx.store.transaction() as s:
            if found.status == BOOKED and found.day == ctx.clock.today():
                ended = end_for_walk_in(s, found, now)
            view, events = issuing.new_ticket(
                ctx, s, found.service_code, found.priority, "kiosk", issuer=issuer, key=key
            )
    except IntegrityError:
        # This tap's retry: the first try's ticket (and its cancellation, committed with it).
        replay = issuing.ticket_for_key(ctx, issuer, key) if key is not None else None
        if replay is None:
            raise
        return WalkedIn(replay, find_booking(ctx, found.code), False)
    if ended:
        seats_changed()
        found.status, found.cancelled_at = CANCELLED, now
    return WalkedIn(Outcome(view, events), found, ended)


def ticket_booking(ctx: Context, ticket_id: int, role: Role | None) -> dict[str, Any] | None:
    """The online booking a ticket was checked in with, for the desk's badge; None for any other ticket.

    Its slot for every officer. The NIK given at booking (issue 13: "shown only to the front desk") only to
    the front desk (BOOKING_DESK_ROLES), and only where this role may see the berkas's applicant
    (`sees_applicant`, UU 27/2022); `nik_hidden` says it is kept from this role. After the purge it is gone
    for everybody (`nik` None, `purged` true). NotFound for an unknown ticket.
    """
    with ctx.store.read() as s:
        ticket = ticket_by_id(s, ticket_id)
        if ticket.source != SOURCE:
            return None
        booking = s.scalar(select(Booking).where(Booking.ticket_id == ticket.id))
        if booking is None:
            return None
        local = ctx.clock.local
        answer: dict[str, Any] = {
            "day": booking.day.isoformat(),
            "start": f"{local(booking.starts_at):%H:%M}",
            "end": f"{local(booking.ends_at):%H:%M}",
            "purged": booking.purged_at is not None,
            "nik": None,
            "nik_hidden": True,
        }
        view = ticket_view(ctx, s, ticket, with_visits=False)
        if role in BOOKING_DESK_ROLES and sees_applicant(role, view):
            answer.update(nik=booking.nik, nik_hidden=False)
        return answer
