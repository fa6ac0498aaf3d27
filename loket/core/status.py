"""The resident's status page: what the holder of a signed code may see, found through the code's scheme.

A code opens the page only through a resolver registered for its scheme (`RESOLVERS`): "T1" (the
compact code in the QR's URL) and "LKT1" (the plain code of older tickets) resolve to a ticket, as do a site's
"T2" and "LKT2" (issue 16: another site's genuine code raises OtherSiteCode, which the page shows as such). Online
booking plugs its own in (loket/core/booking_status.py: "B1" and "LKB1", a booking before check-in, its
ticket after), the way any other kind of code would:

    from loket.core import status
    status.register("B1", lambda loket, code: status.Status(data={...}, room=f"booking:{booking_id}"))

A resolver checks the code's signature itself and raises InvalidCode for anything it does not accept;
`data` is what the page shows (never a name or NIK), `room` the server-side name of the live updates
its page joins (never sent to the page). Nothing is found by a number: only a signed code opens a page.

The page (loket/status/static/status/status.js) renders the keys `ticket_data` returns; a resolver may
leave out what it has not (`steps` [], `ahead` None, …) and may give its own `headline` ({id, en}).
A booking already checked in can simply return `ticket_status(loket, <its ticket's compact code>)`.
Live updates: publish() tells room status:ticket:<id> of every public ticket event; a booking's own
events are told with socketio.emit("status.changed", {}, to=status_room(f"booking:{id}")).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.orm import Session

from .context import Context
from .disruptions import TITIP
from .errors import InvalidCode
from .messages import _
from .qr import SCHEME, SHORT_SCHEME, SITE_SCHEME, SITE_SHORT_SCHEME, code_in, scheme_of
from .roles import ROLE_LABELS, Role
from .settings import DAY_NAMES, WEEKDAYS, Hours
from .states import PENDING_BRING, PENDING_LABELS, STATE_LABELS, PendingReason, TicketState
from .store import Ticket
from .tickets.queue import busy_counters_by_role, estimate, recent_first_steps, waiting_by_role_and_service
from .tickets.records import ticket_by_code
from .tickets.views import TicketView, ticket_view

S = TicketState


@dataclass(frozen=True)
class Status:
    """What a code's page shows (`data`, public), and the live-update room its page joins (`room`, server-side)."""

    data: dict[str, Any]
    room: str


Resolver = Callable[[Context, str], Status]

#: scheme -> resolver; the status route and the page's live connection look codes up here only.
RESOLVERS: dict[str, Resolver] = {}


def register(scheme: str, resolver: Resolver) -> None:
    """Let codes of `scheme` open the status page (e.g. "LKB1" for bookings)."""
    RESOLVERS[scheme] = resolver


def refused() -> InvalidCode:
    """The one refusal for any code that opens nothing: forged, altered, foreign or unknown alike."""
    return InvalidCode(_("Kode tiket tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))


def resolve(loket: Context, text: str) -> Status:
    """The status a code (or a status URL carrying it) opens; InvalidCode for anything else."""
    code = code_in(text)
    if not code or len(code) > 300 or not code.isascii():
        raise refused()
    resolver = RESOLVERS.get(scheme_of(code) or "")
    if resolver is None:
        raise refused()
    return resolver(loket, code)


def ticket_status(loket: Context, code: str) -> Status:
    """The status page of a ticket, by its compact (T1, a site's T2) or plain (LKT1, LKT2) signed code. Another
    site's genuine code whose ticket is not here raises OtherSiteCode (the page says whose it is)."""
    with loket.store.read() as s:
        ticket = ticket_by_code(loket, s, code)
        if ticket is None:
            raise refused()
        return ticket_status_of(loket, s, ticket)


def ticket_status_of(loket: Context, s: Session, ticket: Ticket) -> Status:
    """The status page of a ticket already found (by its code, or a checked-in booking's)."""
    view = ticket_view(loket, s, ticket, with_ahead=True, with_visits=True)
    return Status(ticket_data(loket, s, view), room=f"ticket:{ticket.id}")


def ticket_data(loket: Context, s: Session, view: TicketView) -> dict[str, Any]:
    """A ticket as its holder sees it: number, service, place and estimate, the SOP's steps, what is needed."""
    state = view.state
    clock = loket.clock
    sop = loket.catalog.get(view.service_code)
    settings = loket.effective_settings
    minutes = basis = at = None
    if state is S.WAITING and view.ahead is not None and sop is not None:
        role = view.current_role
        in_queue = waiting_by_role_and_service(loket, s).get(role, {})
        recent = recent_first_steps(loket, s, list(in_queue))
        busy = busy_counters_by_role(loket, s).get(role, 0)
        minutes, basis = estimate(loket.catalog, in_queue, recent, busy, ahead=view.ahead)
        at = clock.local(clock.now() + timedelta(minutes=minutes)).strftime("%H:%M")
    finished: dict[int, str] = {}
    for visit in view.visits:  # the day each step was finished: a berkas often spans days
        if visit.outcome == "advanced" and visit.ended_at is not None:
            finished[visit.step_index] = clock.local(visit.ended_at).date().isoformat()
    steps = []
    for index, step in enumerate(view.steps):
        if state is S.DONE or index < view.step_index:
            mark = "done"
        elif index == view.step_index and state not in (S.CANCELLED, S.VOIDED):
            mark = "current"
        else:
            mark = "next"
        steps.append(
            {
                "label": step["action"],
                "role_label": ROLE_LABELS[Role(step["role"])],
                "status": mark,
                "done_on": finished.get(index) if mark == "done" else None,
                "in_hall": bool(step["resident_present"]),
            }
        )
    requirements = {r.key: r for r in sop.requirements} if sop else {}
    pending = None
    if state is S.PENDING and view.pending_reason:
        reason = PendingReason(view.pending_reason)
        pending = {"reason": reason.value, "label": PENDING_LABELS[reason], "bring": PENDING_BRING[reason]}
    missing = [
        {"key": key, "text": requirements[key].text.model_dump(), "optional": requirements[key].optional}
        if key in requirements
        else {"key": key, "text": {"id": key, "en": key}, "optional": False}
        for key in (view.missing if state is S.RETURNED else [])
    ]
    called = state in (S.CALLED, S.SERVING)
    # A left berkas (titip, disruption mode): "hand_in" until the front desk has received the documents, then
    # "left": it goes on without the resident, who is told when it is ready.
    titip = None
    if view.source == TITIP and state not in (S.CANCELLED, S.VOIDED):
        titip = "hand_in" if view.step_index == 0 and state in (S.IN_PROCESS, S.SERVING) else "left"
    wait = None  # while staff work on the berkas: may the resident go home ("away"), or must they stay ("stay")?
    if state is S.IN_PROCESS:
        before, after = view.steps[: view.step_index], view.steps[view.step_index + 1 :]
        if any(step.get("gives_pickup_slip") for step in before):
            wait = "away"  # a pickup slip was given: the document is collected on a later visit
        elif any(step["resident_present"] for step in after):
            wait = "stay"  # no slip, and a step ahead needs the resident: handed over the same visit
        if titip == "left":
            wait = "away"  # left behind: the resident is told when it is ready
    return {
        "kind": "ticket",
        "number": view.number,
        "service": view.service_code,
        "service_name": view.service_name,
        "priority": view.priority is not None,
        "day": view.service_day.isoformat(),
        # a returned berkas resumed on a later day waits today, under its first day's number
        "today": view.service_day == clock.today() or clock.local(view.queued_at).date() == clock.today(),
        "state": state.value,
        "state_label": STATE_LABELS[state],
        "wait": wait,
        "titip": titip,
        "ahead": view.ahead,
        "estimate_minutes": minutes,
        "estimate_basis": basis,
        "estimate_at": at,
        "counter": view.counter_name if called else None,
        "counter_number": view.counter_number if called else None,
        "step": view.step_index + 1,
        "steps": steps,
        "pending": pending,
        "missing": missing,
        "pickup": {"hours": pickup_hours(loket)} if state is S.READY else None,
        "notice": settings.running_text or None,
        # Disruption mode (SIAK or the network down for the whole office) is a later issue: its notice goes here.
        "disruption": None,
        "as_of": clock.now().isoformat(),
    }


def service_hours(loket: Context) -> list[dict[str, Any]] | None:
    """The office's (ticket issuing) hours per weekday ({day, open, close}; closed days left out), or None."""
    return hours_list(loket.effective_settings.hours)


def pickup_hours(loket: Context) -> list[dict[str, Any]] | None:
    """When finished documents are handed over ("Jam pengambilan dokumen", admin > settings), per weekday as
    `service_hours`; the office hours when the office set none of its own, None when it set neither."""
    return hours_list(loket.effective_settings.pickup_hours_in_force())


def hours_list(hours: dict[str, Hours | None] | None) -> list[dict[str, Any]] | None:
    """Hours per weekday as the page lists them, Monday first, days without hours left out."""
    if hours is None:
        return None
    out = []
    for day in WEEKDAYS:
        h = hours.get(day)
        if h is not None:
            idn, en = DAY_NAMES[day]
            out.append({"day": {"id": idn, "en": en}, "open": f"{h.open:%H:%M}", "close": f"{h.close:%H:%M}"})
    return out


register(SHORT_SCHEME, ticket_status)
register(SCHEME, ticket_status)
register(SITE_SHORT_SCHEME, ticket_status)
register(SITE_SCHEME, ticket_status)

__all__ = [
    "RESOLVERS",
    "Status",
    "Ticket",
    "pickup_hours",
    "refused",
    "register",
    "resolve",
    "ticket_status",
    "ticket_status_of",
]
