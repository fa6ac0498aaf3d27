"""The pieces every ticket operation shares: finding a ticket, its state, its step visits, its events."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import ColumnElement, and_, func, insert, select
from sqlalchemy.orm import Session

from loket.core.catalog import Sop
from loket.core.context import Context
from loket.core.errors import NotAllowed, NotFound
from loket.core.events import Event
from loket.core.messages import _
from loket.core.outbox import moments, webhooks
from loket.core.qr import SITE_SHORT_SCHEME, OtherSiteCode, TicketCode, code_in, is_short
from loket.core.roles import ROLE_LABELS, Actor, Role
from loket.core.sites.ids import LAST_ID
from loket.core.states import FINAL, QUEUED, TicketState
from loket.core.store import Counter, Direct, EventRecord, StepVisit, Ticket, User

S = TicketState


def service(loket: Context, code: str) -> Sop:
    """The SOP of a service in use, or NotFound."""
    sop = loket.catalog.get(code)
    if sop is None:
        raise NotFound(_("Layanan tidak ada."))
    return sop


def ticket_by_id(s: Session, ticket_id: int) -> Ticket:
    """A ticket by its id, or NotFound."""
    ticket = s.get(Ticket, ticket_id)
    if ticket is None:
        raise NotFound(_("Tiket tidak ditemukan."))
    return ticket


def ticket_by_number(loket: Context, s: Session, number: str) -> Ticket:
    """Today's ticket by its number as people type it ("a12", "A-012"), or NotFound."""
    norm = number.strip().upper().replace(" ", "")
    if not norm.isascii() or len(norm) > 20:  # a number is "A-012": anything else is no ticket (nor a 500)
        raise NotFound(_("Tiket dengan nomor itu tidak ada hari ini."))
    if len(norm) > 1 and norm[1] != "-":
        norm = f"{norm[0]}-{norm[1:]}"
    if len(norm) > 2 and norm[2:].isascii() and norm[2:].isdigit():  # "²" is a digit, but int() refuses it
        norm = f"{norm[:2]}{int(norm[2:]):03d}"
    ticket = s.scalar(select(Ticket).where(Ticket.service_day == loket.clock.today(), Ticket.number == norm))
    if ticket is None:
        raise NotFound(_("Tiket dengan nomor itu tidak ada hari ini."))
    return ticket


def ticket_by_code(loket: Context, s: Session, text: str) -> Ticket | None:
    """The ticket a scanned or typed code names: a plain code (LKT1:/LKT2:...), a compact one (T1./T2....) or a
    status URL carrying either. A forged, altered or foreign code raises InvalidCode; a genuine code of another site
    whose row is not here (only the hub holds every site's) raises OtherSiteCode, saying what the code says; None: a
    code whose signature holds but whose ticket is not in this database (the caller says so in its own words)."""
    code = code_in(text)
    ours = ("", loket.signer.site)  # this server's rows: tagged with its site, or made before it became one
    if is_short(code) and not code.startswith(SITE_SHORT_SCHEME + "."):

        def lookup(ticket_id: int) -> tuple[Any, str] | None:
            row = s.get(Ticket, ticket_id) if ticket_id <= LAST_ID else None
            return (row.service_day, row.number) if row is not None and row.site in ours else None

        return s.get(Ticket, loket.signer.verify_short(code, lookup).ticket_id)
    claimed = loket.signer.verify(code)  # LKT1 (this office's HMAC), LKT2 and T2 (a site's Ed25519)
    found = s.get(Ticket, claimed.ticket_id) if claimed.ticket_id <= LAST_ID else None
    mine = not claimed.site or claimed.site == loket.signer.site
    if found is not None and (
        found.number != claimed.number
        or found.service_day != claimed.day
        or (found.site not in ours if mine else found.site != claimed.site)
    ):
        found = None
    if found is None and not mine:
        raise other_site_ticket(loket, claimed)
    return found


def other_site_ticket(loket: Context, claimed: TicketCode) -> OtherSiteCode:
    """The answer to another site's genuine ticket code whose berkas is not here: what the code says."""
    name = loket.signer.site_name(claimed.site)
    return OtherSiteCode(
        _(
            "Tiket dari %(site)s: nomor %(number)s, tanggal %(day)s. Tiketnya sah, tetapi berkasnya dilayani di sana.",
            site=name,
            number=claimed.number,
            day=f"{claimed.day:%d-%m-%Y}",
        ),
        kind="ticket",
        site=claimed.site,
        site_name=name,
        day=claimed.day,
        number=claimed.number,
    )


def require_step_role(ticket: Ticket, actor: Actor) -> None:
    """Refuse an actor whose role does not work the berkas's current step."""
    if S(ticket.state) in FINAL:
        return  # check_transition gives the clearer message
    if ticket.current_role != actor.role.value:
        need = ROLE_LABELS[Role(ticket.current_role)]
        raise NotAllowed(_("Tahap ini dikerjakan oleh %(role)s, bukan peran Anda.", role=need))


def queue_key(loket: Context, when: datetime, priority: str | None) -> float:
    """The ticket's place in line: its arrival, moved earlier by the priority head start."""
    head_start = loket.policy.priority_head_start_minutes * 60 if priority else 0
    return when.timestamp() - head_start


def queued_today(loket: Context) -> ColumnElement[bool]:
    """The condition for tickets standing in the hall's queue today."""
    return and_(
        Ticket.state.in_([st.value for st in QUEUED]),
        Ticket.queued_at >= loket.clock.day_start(loket.clock.today()),
    )


def ahead(loket: Context, s: Session, ticket: Ticket) -> int | None:
    """How many wait before this ticket for its step's role (None when it is not in the queue)."""
    if S(ticket.state) not in QUEUED:
        return None
    return (
        s.scalar(
            select(func.count()).where(
                queued_today(loket),
                Ticket.current_role == ticket.current_role,
                (Ticket.queue_key < ticket.queue_key)
                | ((Ticket.queue_key == ticket.queue_key) & (Ticket.id < ticket.id)),
            )
        )
        or 0
    )


def waiting_by_service(loket: Context, s: Session) -> dict[str, int]:
    """How many residents wait in the hall now, per service code."""
    rows = s.execute(
        select(Ticket.service_code, func.count()).where(queued_today(loket)).group_by(Ticket.service_code)
    ).all()
    return {code: n for code, n in rows}


def queue_state_for_step(ticket: Ticket) -> TicketState:
    """Where the berkas waits at its current step: the hall queue, pickup, or a back-office list."""
    step = ticket.step
    if not step["resident_present"]:
        return S.IN_PROCESS
    is_last = ticket.step_index == len(ticket.steps) - 1
    return S.READY if is_last and ticket.step_index > 0 else S.WAITING


def set_state(loket: Context, ticket: Ticket, state: TicketState, now: datetime, keep_queue: bool = False) -> None:
    """Move the ticket to a state; entering a queue puts it at the back unless keep_queue."""
    ticket.state = state.value
    if (state in QUEUED or state is S.IN_PROCESS) and not keep_queue:
        ticket.queued_at = now
        ticket.queue_key = queue_key(loket, now, ticket.priority)


def enter_step(ticket: Ticket, now: datetime) -> StepVisit:
    """Open a visit of the ticket's current step (the berkas arrives at it)."""
    step = ticket.step
    visit = StepVisit(
        step_index=ticket.step_index, role=step["role"], target_minutes=step["target_minutes"], entered_at=now
    )
    ticket.visits.append(visit)
    return visit


def open_visit(ticket: Ticket, now: datetime) -> StepVisit:
    """The open visit of the current step, opened now if there is none."""
    visit = ticket.open_visit
    if visit is None or visit.step_index != ticket.step_index:
        visit = enter_step(ticket, now)
    return visit


def close_visit(ticket: Ticket, now: datetime, outcome: str, note: str | None) -> None:
    """End the open visit with its outcome (advanced, pended, returned, ...)."""
    visit = ticket.open_visit
    if visit is not None:
        visit.ended_at = now
        visit.outcome = outcome
        visit.note = note


def calls_needed(loket: Context) -> int:
    """Calls before a no-show: the office's setting, else the environment's default."""
    return loket.effective_settings.calls_before_no_show


def no_show_from(loket: Context, ticket: Ticket) -> datetime | None:
    """The earliest moment the counter may mark the called resident absent: the first call of this step's
    visit plus the office's minimum minutes (None: not called at this step)."""
    visit = ticket.open_visit
    if visit is None or visit.called_at is None or visit.step_index != ticket.step_index:
        return None
    return visit.called_at + timedelta(minutes=loket.effective_settings.no_show_min_minutes)


#: A berkas placed "at the front" of its step's queue (a resumed pended berkas, a returned resident back with
#: the slip) takes the queue key of an arrival this long before now: ahead of everyone who arrived today, even
#: with the priority head start (minutes), and in the order they were put at the front among themselves.
FRONT_OF_QUEUE = timedelta(days=1)


def pended_at_counter(ticket: Ticket) -> int | None:
    """The counter of the step visit that ended with the berkas pended (the latest one), if it was at one."""
    for visit in reversed(ticket.visits):
        if visit.outcome == "pended":
            return visit.counter_id
    return None


def put_at_front(ticket: Ticket, now: datetime) -> None:
    """Place a ticket that just entered its step's queue at the front of it (see FRONT_OF_QUEUE)."""
    ticket.queued_at = now
    ticket.queue_key = (now - FRONT_OF_QUEUE).timestamp()


#: An event row written at once (a ticket just written, a print noted): built once.
INSERT_EVENT = insert(EventRecord)
#: A new ticket's event, with its id (on SQLite straight on the cursor: the kiosk's hot path, issue 12).
_INSERT_EVENT_ID = Direct(
    insert(EventRecord).returning(EventRecord.id), ("at", "kind", "ticket_id", "counter_id", "officer_id", "payload")
)


class EventSubject(Protocol):
    """What an event tells of its ticket: a ticket row, or the view of a ticket just written."""

    @property
    def id(self) -> int: ...
    @property
    def number(self) -> str: ...
    @property
    def service_code(self) -> str: ...
    @property
    def state(self) -> str: ...
    @property
    def step_index(self) -> int: ...
    @property
    def current_role(self) -> str: ...


def record_event(
    loket: Context,
    s: Session,
    kind: str,
    ticket: EventSubject,
    counter: Counter | None,
    user: User | None,
    **extra: Any,
) -> Event:
    """Write the event to the log and return it for publishing (of a ticket row, or of a new ticket's view)."""
    # Only numbers, services, counters and states: this payload reaches public screens.
    payload = {
        "number": ticket.number,
        "service": ticket.service_code,
        "state": str(ticket.state),
        "step": ticket.step_index + 1,
        "role": ticket.current_role,
        "counter": counter.name if counter else None,
        **extra,
    }
    row = {
        "at": loket.clock.now(),
        "kind": kind,
        "ticket_id": ticket.id,
        "counter_id": counter.id if counter else None,
        "officer_id": user.id if user else None,
        "payload": payload,
    }
    if isinstance(ticket, Ticket):
        record = EventRecord(**row)
        s.add(record)
        s.flush()  # its id now (the INSERT it would make at commit anyway): a board tells calls apart by it
        event_id: int | None = record.id
        # The resident's message, if the event makes one, in this same transaction: never lost, never twice.
        moments.on_event(loket, s, kind, ticket, counter, event_id, extra)
    else:  # the view of a ticket just written (issuing.new_ticket): its row is there, write the event now
        event_id = _INSERT_EVENT_ID.run(s.connection(), row).fetchone()[0]
    # Other systems' webhooks (a hub, a dashboard), in this same transaction: never lost either.
    webhooks.on_ticket_event(loket, s, kind, ticket, counter, event_id, extra)
    return Event(kind, payload, ticket.id, counter.id if counter else None, user.id if user else None, event_id)
