"""The hall's queue: calling the next resident, calling again, counting who waits, estimating the wait."""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loket.core.accounts import acting_at_counter
from loket.core.catalog import Catalog, Sop
from loket.core.context import Context
from loket.core.errors import InvalidInput, NotAllowed, problem
from loket.core.events import Event
from loket.core.messages import _
from loket.core.roles import Actor
from loket.core.settings import has_control_character
from loket.core.states import PRIORITY_LABELS, Priority, TicketState, check_transition
from loket.core.store import Counter, EventRecord, StepVisit, Ticket, User

from .records import (
    open_visit,
    queued_today,
    record_event,
    require_step_role,
    set_state,
    ticket_by_id,
    waiting_by_service,
)
from .views import Outcome, ticket_view

S = TicketState

#: Minutes a front-desk step takes when neither history nor the SOP says.
DEFAULT_DESK_MINUTES = 5


def call_next(loket: Context, actor: Actor) -> Outcome:
    """Call the next resident for this counter and role: priority first, fairly."""
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user, counter = acting_at_counter(s, actor)
        query = (
            select(Ticket)
            .where(queued_today(loket), Ticket.current_role == actor.role.value)
            .where((Ticket.target_counter_id.is_(None)) | (Ticket.target_counter_id == counter.id))
            .order_by(Ticket.target_counter_id.is_(None), Ticket.queue_key, Ticket.id)
            .limit(1)
        )
        if counter.services:
            query = query.where(Ticket.service_code.in_(counter.services))
        if loket.store.is_postgres:
            query = query.with_for_update(skip_locked=True)
        ticket = s.scalar(query)
        if ticket is None:
            return Outcome(None, [])
        check_transition(S(ticket.state), S.CALLED, "panggil")
        set_state(loket, ticket, S.CALLED, now)
        ticket.counter = counter
        ticket.target_counter_id = None
        ticket.call_count = 1
        visit = open_visit(ticket, now)
        visit.called_at = now
        visit.counter = counter
        visit.officer = user
        return Outcome(ticket_view(loket, s, ticket), [called_event(loket, s, ticket, counter, user, recall=False)])


def recall(loket: Context, actor: Actor, ticket_id: int) -> Outcome:
    """Call the same resident again (announced again on the display)."""
    with loket.store.transaction() as s:
        user, counter = acting_at_counter(s, actor)
        ticket = ticket_by_id(s, ticket_id)
        require_step_role(ticket, actor)
        check_transition(S(ticket.state), S.CALLED, "panggil ulang")
        if ticket.counter_id != counter.id:
            raise NotAllowed(_("Tiket ini dipanggil di loket lain."))
        ticket.call_count += 1
        return Outcome(ticket_view(loket, s, ticket), [called_event(loket, s, ticket, counter, user, recall=True)])


def called_event(loket: Context, s: Session, ticket: Ticket, counter: Counter, user: User, recall: bool) -> Event:
    """The event that makes the display announce a call."""
    return record_event(
        loket,
        s,
        "ticket.called",
        ticket,
        counter,
        user,
        counter_number=counter.number,
        recall=recall,
        call_count=ticket.call_count,
        zone=counter.zone,
    )


def waiting_counts(loket: Context) -> dict[str, int]:
    """How many residents wait in the hall now, per service."""
    with loket.store.read() as s:
        return waiting_by_service(loket, s)


def waiting_by_role(loket: Context, s: Session) -> dict[str, int]:
    """How many wait in the hall now, per role of the counter they wait for."""
    rows = s.execute(
        select(Ticket.current_role, func.count()).where(queued_today(loket)).group_by(Ticket.current_role)
    ).all()
    return {role: n for role, n in rows}


def busy_counters_by_role(loket: Context, s: Session) -> dict[str, int]:
    """Per role, how many counters have called someone for it today (the counters at work)."""
    rows = s.execute(
        select(StepVisit.role, func.count(func.distinct(StepVisit.counter_id)))
        .where(
            StepVisit.counter_id.is_not(None),
            StepVisit.called_at >= loket.clock.day_start(loket.clock.today()),
        )
        .group_by(StepVisit.role)
    ).all()
    return {role: n for role, n in rows}


#: How many finished first steps, within how many days, make a service's real service time.
RECENT_VISITS = 30
RECENT_DAYS = 14


#: A service's recent first steps: (started, ended), the latest first.
Recent = list[tuple[datetime, datetime]]


def recent_first_steps(loket: Context, s: Session, codes: Collection[str]) -> dict[str, Recent]:
    """Per service, its last 30 finished first steps of the past 14 days as (started, ended), latest first.

    One query for all services: a window numbers each service's visits from the latest, and only
    the first 30 of each come back (at most 30 rows per service, whatever the history).
    """
    since = loket.clock.now() - timedelta(days=RECENT_DAYS)
    place = (
        func.row_number()
        .over(partition_by=Ticket.service_code, order_by=(StepVisit.ended_at.desc(), StepVisit.id.desc()))
        .label("place")
    )
    finished = (
        select(Ticket.service_code, StepVisit.started_at, StepVisit.ended_at, place)
        .join(Ticket, StepVisit.ticket_id == Ticket.id)
        .where(
            Ticket.service_code.in_(list(codes)),
            StepVisit.step_index == 0,
            StepVisit.outcome == "advanced",
            StepVisit.started_at.is_not(None),
            StepVisit.ended_at >= since,
        )
        .subquery()
    )
    rows = s.execute(
        select(finished.c.service_code, finished.c.started_at, finished.c.ended_at)
        .where(finished.c.place <= RECENT_VISITS)
        .order_by(finished.c.service_code, finished.c.place)
    ).all()
    out: dict[str, Recent] = {}
    for code, started, ended in rows:
        out.setdefault(code, []).append((started, ended))
    return out


def waiting_by_role_and_service(loket: Context, s: Session) -> dict[str, dict[str, int]]:
    """Who waits in the hall now: per role of the counter they wait for, how many of each service."""
    rows = s.execute(
        select(Ticket.current_role, Ticket.service_code, func.count())
        .where(queued_today(loket))
        .group_by(Ticket.current_role, Ticket.service_code)
    ).all()
    out: dict[str, dict[str, int]] = {}
    for role, code, n in rows:
        out.setdefault(role, {})[code] = n
    return out


def service_minutes(sop: Sop | None, recent: Sequence[tuple[datetime, datetime]]) -> tuple[float, str]:
    """Minutes one resident of this service takes at its first desk, and where the figure comes from.

    The mean of `recent`, the last 30 finished first steps of this service in the past 14 days
    (recent_first_steps); with fewer than 3 of them, the SOP's own target for that step ("sop").
    """
    if len(recent) >= 3:
        return sum((end - start).total_seconds() for start, end in recent) / len(recent) / 60, "history"
    # The first step's own target; never the whole SOP's total, which would count
    # the back-office steps as time at the front desk.
    target = sop.steps[0].target_minutes if sop is not None and sop.steps else None
    return float(target or DEFAULT_DESK_MINUTES), "sop"


def estimate(
    catalog: Catalog,
    queue: Mapping[str, int],
    recent: Mapping[str, Sequence[tuple[datetime, datetime]]],
    busy: int,
    ahead: int | None = None,
) -> tuple[int, str]:
    """Minutes a resident waits in one queue: the people ahead x their mean service time / counters at work.

    A queue (the counters of one role) serves several services: `queue` is who waits in it now, per
    service code (waiting_by_role_and_service). Each person ahead takes their own service's time
    (service_minutes), not the time of the service the resident is about to choose, so every service
    sharing a queue shows the same wait for the same people ahead (issue 15: 2, 3, 5 and 10 minutes
    on four tiles with one person ahead). `ahead` defaults to everyone in the queue (a new ticket's
    place); a waiting ticket passes its own place. `busy` is how many counters of the role called
    someone today (busy_counters_by_role). Basis "history" when every person's service time comes
    from real service times, else "sop".
    """
    people = sum(queue.values())
    ahead = people if ahead is None else ahead
    if people <= 0 or ahead <= 0:
        return 0, "history"
    total, basis = 0.0, "history"
    for code, n in sorted(queue.items()):
        minutes, origin = service_minutes(catalog.get(code), recent.get(code, ()))
        total += n * minutes
        if origin != "history":
            basis = "sop"
    per_person = total / people
    # Rounded first: 3 x 2.0 must not become 7 through a float's last digit.
    return math.ceil(round(ahead * per_person / max(1, busy), 6)), basis


def open_station(loket: Context, actor: Actor) -> list[Event]:
    """An officer starts work at a counter: the live dashboard shows it open."""
    return _station(loket, "counter.opened", actor)


def close_station(loket: Context, actor: Actor) -> list[Event]:
    """An officer leaves a counter (logs out or switches): the dashboard shows it closed."""
    return _station(loket, "counter.closed", actor)


def _station(loket: Context, kind: str, actor: Actor) -> list[Event]:
    """Log a counter opening or closing."""
    if actor.counter_id is None:
        return []
    with loket.store.transaction() as s:
        counter = s.get(Counter, actor.counter_id)
        if counter is None:
            return []
        payload = {"counter": counter.name, "role": actor.role.value}
        s.add(
            EventRecord(
                at=loket.clock.now(), kind=kind, counter_id=counter.id, officer_id=actor.user_id, payload=payload
            )
        )
        return [Event(kind, payload, None, counter.id, actor.user_id)]


# ---- calling one number out of turn, and the queue a counter sees -------------------------

#: The event that logs why an officer called a number out of turn (who, reason, note): kept in the
#: event log and the buku harian, never published (the board announces the call itself).
CALLED_BY_NUMBER = "ticket.called_by_number"

#: Why an officer calls a specific number instead of the next one: a short list the desk offers.
CALL_REASONS: dict[str, dict[str, str]] = {
    "came_back": {"id": "Kembali membawa dokumen yang kurang", "en": "Came back with the missing documents"},
    "missed_call": {"id": "Terlewat saat dipanggil", "en": "Missed an earlier call"},
    "special_need": {"id": "Kebutuhan khusus (prioritas)", "en": "Special need (priority)"},
    "sent_here": {"id": "Diarahkan dari loket atau petugas lain", "en": "Sent by another counter or officer"},
    "other": {"id": "Lainnya (tulis catatan)", "en": "Other (write a note)"},
}

MAX_CALL_NOTE = 200


def call_number(loket: Context, actor: Actor, ticket_id: int, reason: str, note: str | None = None) -> Outcome:
    """Call this waiting resident now, out of turn: announced on the board like any call, logged with a reason.

    The reason is one of CALL_REASONS ("other" needs a note); the event log keeps who called
    whom, why and when (CALLED_BY_NUMBER), and the buku harian shows it.
    """
    note = " ".join((note or "").split()) or None
    if reason not in CALL_REASONS:
        why = _("Pilih alasan memanggil nomor ini.")
        raise InvalidInput([problem("reason", why)], why)
    if note is not None and (len(note) > MAX_CALL_NOTE or has_control_character(note)):
        why = _("Catatan terlalu panjang (paling banyak %(n)s huruf).", n=MAX_CALL_NOTE)
        raise InvalidInput([problem("note", why)], why)
    if reason == "other" and note is None:
        why = _("Tulis catatan untuk alasan 'Lainnya'.")
        raise InvalidInput([problem("note", why)], why)
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user, counter = acting_at_counter(s, actor)
        ticket = ticket_by_id(s, ticket_id)
        require_step_role(ticket, actor)
        if S(ticket.state) not in (S.WAITING, S.READY) or ticket.queued_at < loket.clock.day_start(loket.clock.today()):
            raise NotAllowed(_("Nomor ini tidak sedang menunggu dipanggil."))
        if ticket.target_counter_id not in (None, counter.id):
            raise NotAllowed(_("Nomor ini diarahkan ke loket lain."))
        if counter.services and ticket.service_code not in counter.services:
            raise NotAllowed(_("%(counter)s tidak melayani layanan ini.", counter=counter.name))
        check_transition(S(ticket.state), S.CALLED, _("panggil"))
        set_state(loket, ticket, S.CALLED, now)
        ticket.counter = counter
        ticket.target_counter_id = None
        ticket.call_count = 1
        visit = open_visit(ticket, now)
        visit.called_at = now
        visit.counter = counter
        visit.officer = user
        # the log's own record (not published: the note is the officer's words, never for a public screen)
        record_event(loket, s, CALLED_BY_NUMBER, ticket, counter, user, reason=reason, note=note)
        return Outcome(ticket_view(loket, s, ticket), [called_event(loket, s, ticket, counter, user, recall=False)])


def counter_queue(loket: Context, actor: Actor, limit: int = 50) -> tuple[int, list[dict[str, object]]]:
    """Who waits for this counter and role, in the order call_next takes them: (how many, the first `limit`).

    Numbers, services, when they queued and a priority mark only: no names (a list is a bulk path).
    """
    if actor.counter_id is None:
        return 0, []
    with loket.store.read() as s:
        counter = s.get(Counter, actor.counter_id)
        if counter is None:
            return 0, []
        where = [
            queued_today(loket),
            Ticket.current_role == actor.role.value,
            (Ticket.target_counter_id.is_(None)) | (Ticket.target_counter_id == counter.id),
        ]
        if counter.services:
            where.append(Ticket.service_code.in_(counter.services))
        total = s.scalar(select(func.count()).select_from(Ticket).where(*where)) or 0
        tickets = s.scalars(
            select(Ticket)
            .where(*where)
            .order_by(Ticket.target_counter_id.is_(None), Ticket.queue_key, Ticket.id)
            .limit(limit)
        ).all()
        out: list[dict[str, object]] = []
        for t in tickets:
            sop = loket.catalog.get(t.service_code)
            out.append(
                {
                    "id": t.id,
                    "number": t.number,
                    "service": t.service_code,
                    "service_name": sop.name.model_dump() if sop else {"id": t.service_code, "en": t.service_code},
                    "state": t.state,
                    "priority": t.priority is not None,
                    "priority_label": PRIORITY_LABELS[Priority(t.priority)] if t.priority else None,
                    "queued_at": t.queued_at.isoformat(),
                    "for_this_counter": t.target_counter_id == counter.id,
                }
            )
        return total, out
