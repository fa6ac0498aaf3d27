"""A booking on the resident's status page (/s/<its signed code>): the booking before check-in, its ticket after.

The booking QR carries `<public base>/s/B1.<short code>.<mac>` (a site's: `B2.<site>.<day>.<short code>.<signature>`);
the plain `LKB1:`/`LKB2:` payloads open the page too.
Only a signed code opens it: the 8-character short code a resident types does not (the page's live
connection resolves its code on every connect, unthrottled, so it must not answer guesses; the booking
page's own rate-limited lookup takes the typed code). Nothing here is personal: no NIK, no phone.

Importing this module registers its resolvers (loket.status does, at start-up).
"""

from __future__ import annotations

from typing import Any

from loket.core import status
from loket.core.booking import operations
from loket.core.booking.codes import SCHEME, SHORT_SCHEME, SITE_SCHEME, SITE_SHORT_SCHEME
from loket.core.booking.operations import BOOKED, CANCELLED, CHECKED_IN, NO_SHOW
from loket.core.context import Context
from loket.core.errors import InvalidCode
from loket.core.messages import _, texts
from loket.core.store import Booking, Ticket


def booking_status(ctx: Context, code: str) -> status.Status:
    """The status page of a booking, by its compact (B1., a site's B2.) or plain (LKB1:, LKB2:) signed code.
    Another site's genuine code whose booking is not here raises OtherSiteCode (the page says whose it is)."""
    try:
        claimed = operations.signer(ctx).claim(code)
    except InvalidCode:
        raise status.refused() from None
    with ctx.store.read() as s:
        booking = operations.booking_by_claim(ctx, s, claimed)
        if booking is None:
            raise status.refused()
        ticket = s.get(Ticket, booking.ticket_id) if booking.ticket_id is not None else None
        if booking.status == CHECKED_IN and ticket is not None:  # checked in: its ticket, live, in its place
            return status.ticket_status_of(ctx, s, ticket)
    return status.Status(booking_data(ctx, booking), room=f"booking:{booking.id}")


def booking_data(ctx: Context, booking: Booking) -> dict[str, Any]:
    """A booking as its holder sees it on the status page (the keys of `status.ticket_data`, and `booking`)."""
    view = operations.booking_view(ctx, booking)
    today = booking.day == ctx.clock.today()
    return {
        "kind": "booking",
        "number": booking.code,
        "service": booking.service_code,
        "service_name": view["service_name"],
        "priority": view["priority"],
        "day": view["day"],
        "today": today,
        "state": booking.status,
        "state_label": view["status_label"],
        "wait": None,
        "headline": check_in_text(view, today),
        "ahead": None,
        "estimate_minutes": None,
        "estimate_basis": None,
        "estimate_at": None,
        "counter": None,
        "counter_number": None,
        "step": 0,
        "steps": [],
        "pending": None,
        "missing": [],
        "pickup": None,
        "notice": ctx.effective_settings.running_text or None,
        "disruption": None,
        "booking": {
            "day": view["day"],
            "start": view["start"],
            "end": view["end"],
            "requirements": [
                {"key": r["key"], "text": r["text"], "note": r.get("note"), "optional": r["optional"]}
                for r in view["requirements"]
            ],
            "priority_label": view["priority_label"],
            "check_in": view["check_in"],
        },
        "as_of": ctx.clock.now().isoformat(),
    }


def check_in_text(view: dict[str, Any], today: bool) -> dict[str, str]:
    """The check-in window in plain words ({id, en}), as the booking stands now."""
    window = view["check_in"]
    opens, closes = window["opens"], window["closes"]
    state = view["status"]
    if state == CANCELLED:
        said = _("Booking ini sudah dibatalkan.")
    elif state == NO_SHOW:
        said = _(
            "Booking ini dilepas karena tidak check-in tepat waktu. Silakan ambil tiket biasa di kios atau pesan lagi."
        )
    elif state != BOOKED:
        said = _("Sudah check-in di kios.")
    elif window["state"] == "open":
        said = _("Silakan check-in sekarang di kios, paling lambat pukul %(closes)s: pindai QR ini.", closes=closes)
    elif window["state"] == "late" and window["walk_in"]:
        said = _("Waktu check-in sudah lewat (pukul %(closes)s). Silakan ambil tiket biasa di kios.", closes=closes)
    elif window["state"] == "late":
        said = _("Waktu check-in sudah lewat (pukul %(closes)s). Silakan tanyakan kepada petugas.", closes=closes)
    elif today:
        said = _(
            "Check-in di kios hari ini mulai pukul %(opens)s sampai %(closes)s: pindai QR ini.",
            opens=opens,
            closes=closes,
        )
    else:
        said = _(
            "Check-in di kios pada hari booking, mulai pukul %(opens)s sampai %(closes)s: pindai QR ini.",
            opens=opens,
            closes=closes,
        )
    return texts(said)


status.register(SHORT_SCHEME, booking_status)
status.register(SCHEME, booking_status)
status.register(SITE_SHORT_SCHEME, booking_status)
status.register(SITE_SCHEME, booking_status)

__all__ = ["booking_data", "booking_status", "check_in_text"]
