"""What the outside sees of tickets: the public status, the staff view, work lists and the display's state."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loket.core.catalog import Catalog
from loket.core.context import Context
from loket.core.errors import InvalidCode, NotFound
from loket.core.events import Event
from loket.core.messages import _
from loket.core.qr import looks_like_code
from loket.core.roles import REGISTER_ROLES, ROLE_LABELS, Role
from loket.core.states import (
    FINAL,
    PENDING_LABELS,
    PRIORITY_LABELS,
    STATE_LABELS,
    PendingReason,
    Priority,
    TicketState,
)
from loket.core.store import Counter, EventRecord, Ticket, User

from .records import (
    ahead,
    calls_needed,
    no_show_from,
    ticket_by_code,
    ticket_by_id,
    ticket_by_number,
    waiting_by_service,
)

S = TicketState

#: The event kind that keeps a berkas's document checklist: which keys, by whom, when.
CHECKED = "ticket.documents_checked"


@dataclass(frozen=True)
class VisitView:
    """One stay of the berkas at one step: who worked it, where, and how long."""

    step_index: int
    role: str
    target_minutes: int | None
    officer: str | None
    counter: str | None
    entered_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    ended_at: datetime | None
    outcome: str | None
    note: str | None

    @property
    def service_seconds(self) -> float | None:
        """Seconds of work on the step (started to ended), once it ended."""
        if self.started_at and self.ended_at:
            return (self.ended_at - self.started_at).total_seconds()
        return None

    @property
    def wait_seconds(self) -> float | None:
        """Seconds waiting at the step (arrived to called, or to started when never called), once it ended."""
        end = self.called_at or self.started_at
        return (end - self.entered_at).total_seconds() if end else None

    @property
    def within_target(self) -> bool | None:
        """Whether the work kept to the SOP's target (None without both)."""
        secs = self.service_seconds
        if secs is None or self.target_minutes is None:
            return None
        return secs <= self.target_minutes * 60


@dataclass(frozen=True)
class TicketView:
    """A ticket as the outside sees it; public() strips everything but the public status."""

    id: int
    number: str
    service_day: date
    service_code: str
    service_name: dict[str, str]
    priority: str | None
    state: TicketState
    step_index: int
    steps: list[dict[str, Any]]
    current_role: str
    pending_reason: str | None
    state_note: str | None
    missing: list[str]
    counter_name: str | None
    counter_number: int | None
    call_count: int
    issued_at: datetime
    queued_at: datetime
    closed_at: datetime | None
    code: str
    applicant: dict[str, str] | None = None  # staff only: name, nik
    ahead: int | None = None
    calls_before_no_show: int = 1
    #: Called: the earliest moment the counter may mark the resident absent (first call + the office's minutes).
    no_show_from: datetime | None = None
    visits: list[VisitView] = field(default_factory=list)
    as_of: datetime | None = None  # when this view was taken, for the step timer
    #: The compact signed code of its status page (printed in the QR as <public base>/s/<status_code>).
    status_code: str = ""
    #: Where it was issued: "kiosk", "tablet", "counter", or "booking" (a booking's check-in).
    source: str = "kiosk"
    #: The last document checklist: {"have": [keys], "by": officer, "at": iso time}; None if never ticked.
    checked: dict[str, Any] | None = None

    @property
    def step_elapsed_seconds(self) -> float | None:
        """Time in the current step: since work started, else since the berkas arrived at it."""
        open_visits = [v for v in self.visits if v.ended_at is None and v.step_index == self.step_index]
        if not open_visits or self.as_of is None:
            return None
        visit = open_visits[-1]
        return (self.as_of - (visit.started_at or visit.entered_at)).total_seconds()

    @property
    def step_wait_seconds(self) -> float | None:
        """Waiting at the current step: from arriving at it until work started (or until now, not yet started).

        Waiting is the resident's (or the berkas's) time before an officer works on it: it never
        counts against the step's SOP target (a resident just called is not "over target").
        """
        open_visits = [v for v in self.visits if v.ended_at is None and v.step_index == self.step_index]
        if not open_visits or self.as_of is None:
            return None
        visit = open_visits[-1]
        return ((visit.started_at or self.as_of) - visit.entered_at).total_seconds()

    @property
    def step_service_seconds(self) -> float | None:
        """Service at the current step: since the officer pressed "Mulai Layani" (None before that).

        The clock starts at the start, not at the call: the data holds no moment the resident
        reached the counter other than the officer starting to serve them.
        """
        open_visits = [v for v in self.visits if v.ended_at is None and v.step_index == self.step_index]
        if not open_visits or self.as_of is None or open_visits[-1].started_at is None:
            return None
        return (self.as_of - open_visits[-1].started_at).total_seconds()

    @property
    def overdue(self) -> bool:
        """The work on the current step has run past its SOP target (waiting before the start does not count)."""
        target = self.step.get("target_minutes")
        service = self.step_service_seconds
        return bool(target and service is not None and service > target * 60)

    @property
    def late_at_step(self) -> bool:
        """The berkas has been at the current step (waiting and work together) longer than its SOP target.

        The head of office's view of a stuck berkas (the live hall); an officer's timer judges only
        the work (`overdue`).
        """
        target = self.step.get("target_minutes")
        elapsed = self.step_elapsed_seconds
        return bool(target and elapsed is not None and elapsed > target * 60)

    @property
    def step(self) -> dict[str, Any]:
        """The SOP step the berkas is at (as snapshotted when the ticket was issued)."""
        return self.steps[self.step_index]

    @property
    def gives_pickup_slip(self) -> bool:
        """True once the berkas has reached a step whose officer hands out a pickup slip."""
        return any(step.get("gives_pickup_slip") for step in self.steps[: self.step_index + 1])

    def public(self) -> dict[str, Any]:
        """What anybody holding the number may see: no personal data, no staff notes."""
        return {
            "number": self.number,
            "service": self.service_code,
            "service_name": self.service_name,
            "priority": self.priority is not None,
            "state": self.state.value,
            "state_label": STATE_LABELS[self.state],
            "pending_reason": self.pending_reason,
            "pending_label": PENDING_LABELS[PendingReason(self.pending_reason)] if self.pending_reason else None,
            "step": self.step_index + 1,
            "steps": len(self.steps),
            "step_label": self.step["action"],
            "counter": self.counter_name if self.state in (S.CALLED, S.SERVING) else None,
            "counter_number": self.counter_number if self.state in (S.CALLED, S.SERVING) else None,
            "ahead": self.ahead,
            "issued_at": self.issued_at.isoformat(),
        }

    def staff(self) -> dict[str, Any]:
        """The berkas for staff: the public status plus its steps and timed history."""
        data = self.public()
        data.update(
            id=self.id,
            code=self.code,
            status_code=self.status_code,
            source=self.source,
            priority_reason=self.priority,
            priority_label=PRIORITY_LABELS[Priority(self.priority)] if self.priority else None,
            current_role=self.current_role,
            current_role_label=ROLE_LABELS[Role(self.current_role)],
            counter=self.counter_name,
            counter_number=self.counter_number,
            call_count=self.call_count,
            calls_before_no_show=self.calls_before_no_show,
            no_show_from=self.no_show_from.isoformat() if self.no_show_from else None,
            state_note=self.state_note,
            missing=self.missing,
            checked=self.checked,
            step_detail=self.step,
            step_list=self.steps,
            gives_pickup_slip=self.gives_pickup_slip,
            applicant=self.applicant,
            step_elapsed_seconds=self.step_elapsed_seconds,
            step_wait_seconds=self.step_wait_seconds,
            step_service_seconds=self.step_service_seconds,
            step_target_minutes=self.step.get("target_minutes"),
            overdue=self.overdue,
            as_of=self.as_of.isoformat() if self.as_of else None,
            queued_at=self.queued_at.isoformat(),
            closed_at=self.closed_at.isoformat() if self.closed_at else None,
            visits=[
                {
                    "step": v.step_index + 1,
                    "role": v.role,
                    "role_label": ROLE_LABELS[Role(v.role)],
                    "target_minutes": v.target_minutes,
                    "officer": v.officer,
                    "counter": v.counter,
                    "entered_at": v.entered_at.isoformat(),
                    "called_at": v.called_at.isoformat() if v.called_at else None,
                    "started_at": v.started_at.isoformat() if v.started_at else None,
                    "ended_at": v.ended_at.isoformat() if v.ended_at else None,
                    "outcome": v.outcome,
                    "note": v.note,
                    "wait_seconds": v.wait_seconds,
                    "service_seconds": v.service_seconds,
                    "within_target": v.within_target,
                }
                for v in self.visits
            ],
        )
        return data


def sees_applicant(role: Role | None, view: TicketView, *, one_berkas: bool = True) -> bool:
    """Need to know (UU 27/2022): may an officer in `role` see this berkas's applicant (name, NIK)?

    Yes for the roles that keep or sign the buku harian (REGISTER_ROLES), which hold every name of
    the day anyway. Any other role (the operator, the scanning officer) sees the applicant of one
    berkas only while it is at that role's own step, and never through a list: a list (work list,
    the counter's tickets) is a bulk path. Nobody but a signed-in role sees it (`role` None).
    """
    if role is None:
        return False
    if role in REGISTER_ROLES:
        return True
    return one_berkas and view.current_role == role.value and view.state not in FINAL


def for_officer(view: TicketView, role: Role | None, *, one_berkas: bool = True) -> dict[str, Any]:
    """The berkas as an officer in `role` sees it: the staff view, the applicant only on a need to know."""
    data = view.staff()
    if data["applicant"] is not None and not sees_applicant(role, view, one_berkas=one_berkas):
        data["applicant"] = None
        data["applicant_hidden"] = True  # recorded, but not for this role here
    return data


@dataclass(frozen=True)
class Outcome:
    """What an operation on a ticket returns: the ticket after it (if any) and the events to publish."""

    ticket: TicketView | None
    events: list[Event]
    #: The same request was answered before (a kiosk's retry with its Idempotency-Key): nothing changed.
    replayed: bool = False


def ticket_view(
    loket: Context,
    s: Session,
    t: Ticket,
    with_ahead: bool = False,
    with_visits: bool = True,
    with_checked: bool = True,
) -> TicketView:
    """The view of a ticket row, in an open session."""
    sop = loket.catalog.get(t.service_code)
    name = sop.name.model_dump() if sop else {"id": t.service_code, "en": t.service_code}
    visits: list[VisitView] = []
    if with_visits:
        for v in t.visits:
            visits.append(
                VisitView(
                    v.step_index,
                    v.role,
                    v.target_minutes,
                    v.officer.full_name if v.officer else None,
                    v.counter.name if v.counter else None,
                    v.entered_at,
                    v.called_at,
                    v.started_at,
                    v.ended_at,
                    v.outcome,
                    v.note,
                )
            )
    return TicketView(
        id=t.id,
        number=t.number,
        service_day=t.service_day,
        service_code=t.service_code,
        service_name=name,
        priority=t.priority,
        state=S(t.state),
        step_index=t.step_index,
        steps=t.steps,
        current_role=t.current_role,
        pending_reason=t.pending_reason,
        state_note=t.state_note,
        missing=list(t.missing or []),
        counter_name=t.counter.name if t.counter else None,
        counter_number=t.counter.number if t.counter else None,
        call_count=t.call_count,
        issued_at=t.issued_at,
        queued_at=t.queued_at,
        closed_at=t.closed_at,
        # a row of another site (at the hub): its codes are that site's to sign, none is made here
        code=loket.signer.sign(t.id, t.service_day, t.number) if _signed_here(loket, t) else "",
        status_code=loket.signer.short(t.id, t.service_day, t.number) if _signed_here(loket, t) else "",
        source=t.source,
        calls_before_no_show=calls_needed(loket),
        no_show_from=no_show_from(loket, t) if S(t.state) is S.CALLED else None,
        as_of=loket.clock.now(),
        applicant={"name": t.applicant.name, "nik": t.applicant.nik} if t.applicant else None,
        ahead=ahead(loket, s, t) if with_ahead else None,
        visits=visits,
        checked=last_checklist(s, t.id) if with_visits and with_checked else None,
    )


def _signed_here(loket: Context, t: Ticket) -> bool:
    """Whether this server signs the ticket's codes: its own rows (a single office's, this site's), not another
    site's at the hub. A row whose `site` is not loaded is one this process just made: its own (no extra read)."""
    site = t.__dict__.get("site")
    return site is None or site in ("", loket.signer.site)


def last_checklist(s: Session, ticket_id: int) -> dict[str, Any] | None:
    """The documents last ticked for this berkas, with who ticked them and when."""
    row = s.execute(
        select(EventRecord.payload, EventRecord.at, User.full_name)
        .outerjoin(User, User.id == EventRecord.officer_id)
        .where(EventRecord.ticket_id == ticket_id, EventRecord.kind == CHECKED)
        .order_by(EventRecord.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return None
    return {"have": list(row.payload.get("have", [])), "by": row.full_name, "at": row.at.isoformat()}


def find(loket: Context, code_or_number: str) -> TicketView:
    """A ticket by its scanned QR payload (a status URL or a plain code; signature checked) or today's number."""
    text = code_or_number.strip()
    with loket.store.read() as s:
        if looks_like_code(text):
            found = ticket_by_code(loket, s, text)
            if found is None:
                raise InvalidCode(_("Kode tiket tidak dikenal."))
            ticket = found
        else:
            ticket = ticket_by_number(loket, s, text)
        return ticket_view(loket, s, ticket, with_ahead=True, with_visits=True)


def find_by_code(loket: Context, code: str) -> TicketView:
    """A ticket by its signed code only (a bare number is refused)."""
    if not looks_like_code(code):
        raise InvalidCode(_("Kode tiket diperlukan."))
    return find(loket, code)


def get(loket: Context, ticket_id: int) -> TicketView:
    """A ticket by its id, with its place in line and its history."""
    with loket.store.read() as s:
        return ticket_view(loket, s, ticket_by_id(s, ticket_id), with_ahead=True, with_visits=True)


def public_status(loket: Context, number: str, code: str | None) -> dict[str, Any]:
    """Today's ticket by number, as a resident may see it: only with the ticket's own signed code (its QR's
    compact or plain code, or the status URL), so nobody reads others' tickets by counting numbers.
    `code=None` only for a caller that vouched (a staff session). A missing, forged or another ticket's
    code gets the same NotFound as an unknown number."""
    with loket.store.read() as s:
        ticket = ticket_by_number(loket, s, number)
        if code is not None:
            try:
                holder = ticket_by_code(loket, s, code) if code.strip() else None
            except InvalidCode:
                holder = None
            if holder is None or holder.id != ticket.id:
                raise NotFound(_("Tiket dengan nomor itu tidak ada hari ini."))
        return ticket_view(loket, s, ticket, with_ahead=True).public()


def work_list(loket: Context, role: Role | str, limit: int = 100) -> list[TicketView]:
    """Berkas waiting at, or being worked at, this role's step: overdue first, then oldest."""
    with loket.store.read() as s:
        tickets = s.scalars(
            select(Ticket)
            .where(
                Ticket.current_role == Role(role).value,
                Ticket.state.in_([S.IN_PROCESS.value, S.SERVING.value, S.PENDING.value]),
            )
            .order_by(Ticket.queued_at, Ticket.id)
            .limit(limit)
        ).all()
        views = [ticket_view(loket, s, t, with_checked=False) for t in tickets]
        return sorted(views, key=lambda v: not v.overdue)  # stable: oldest first within each


def counter_tickets(loket: Context, counter_id: int) -> list[TicketView]:
    """Tickets called to or being served at this counter now."""
    with loket.store.read() as s:
        tickets = s.scalars(
            select(Ticket)
            .where(Ticket.counter_id == counter_id, Ticket.state.in_([S.CALLED.value, S.SERVING.value]))
            .order_by(Ticket.id)
        ).all()
        return [ticket_view(loket, s, t, with_checked=False) for t in tickets]


def hall_facing(catalog: Catalog, role: str) -> bool:
    """Whether some SOP step of this role has the resident come to the counter."""
    return any(step.role.value == role and step.resident_present for sop in catalog for step in sop.steps)


def display_state(loket: Context, recent: int = 30) -> dict[str, Any]:
    """Everything a display needs on (re)connect: recent calls, each counter's number and the figures."""
    with loket.store.read() as s:
        since = loket.clock.day_start(loket.clock.today())
        calls = s.scalars(
            select(EventRecord)
            .where(EventRecord.kind == "ticket.called", EventRecord.at >= since)
            .order_by(EventRecord.id.desc())
            .limit(recent)
        ).all()
        settings = loket.effective_settings
        return {
            "day": loket.clock.today().isoformat(),
            "calls": [dict(e.payload, at=e.at.isoformat(), event=e.id) for e in calls],
            **_board_figures(loket, s),
            "office": {"name": settings.office_name, "running_text": settings.running_text},
        }


def board_figures(loket: Context) -> dict[str, Any]:
    """What a board shows that any ticket event can change: counters, waiting and ready numbers.

    `seq` is the last event in the log these figures include: of two sets, the higher is the newer,
    whichever process read them and whichever arrived first.
    """
    with loket.store.read() as s:
        return _board_figures(loket, s)


def _board_figures(loket: Context, s: Session) -> dict[str, Any]:
    seq = s.scalar(select(func.max(EventRecord.id))) or 0
    # each counter's latest called or served ticket, in one query (not one per counter: this runs after every change)
    at_counter: dict[int | None, Ticket] = {}
    for ticket in s.scalars(
        select(Ticket)
        .where(Ticket.counter_id.is_not(None), Ticket.state.in_([S.CALLED.value, S.SERVING.value]))
        .order_by(Ticket.id.desc())
    ):
        at_counter.setdefault(ticket.counter_id, ticket)
    counters = []
    for counter in s.scalars(select(Counter).where(Counter.active).order_by(Counter.number)):
        if not any(hall_facing(loket.catalog, role) for role in counter.roles):
            continue  # back-office rooms never call residents
        current = at_counter.get(counter.id)
        if current is not None and not current.step["resident_present"]:
            current = None  # a back-office step: nobody in the hall is sent there
        counters.append(
            {
                "counter": counter.name,
                "counter_number": counter.number,
                "zone": counter.zone,
                "number": current.number if current else None,
            }
        )
    ready = s.scalars(
        select(Ticket.number).where(Ticket.state == S.READY.value).order_by(Ticket.queued_at, Ticket.id).limit(40)
    ).all()
    waiting = waiting_by_service(loket, s)
    groups: dict[str, int] = {}
    for sop in loket.catalog:
        groups[sop.group] = groups.get(sop.group, 0) + waiting.get(sop.code, 0)
    return {"seq": seq, "counters": counters, "waiting": waiting, "waiting_groups": groups, "ready": list(ready)}
