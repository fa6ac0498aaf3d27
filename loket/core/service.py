"""The operations on a berkas. Each runs in one transaction and returns its events."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .catalog import Catalog, Sop
from .clock import Clock
from .errors import IllegalTransition, InvalidCode, LoketError, NotAllowed, NotFound, ServiceUnavailable
from .events import Event
from .qr import CodeSigner, looks_like_code
from .roles import ROLE_LABELS, Role
from .settings import OfficeSettings, read_settings, write_settings
from .states import (
    FINAL,
    PENDING_LABELS,
    PRIORITY_LABELS,
    QUEUED,
    STATE_LABELS,
    PendingReason,
    Priority,
    TicketState,
    check_transition,
)
from .store import Counter, EventRecord, StepVisit, Store, Ticket, User, next_number

S = TicketState


@dataclass(frozen=True)
class Policy:
    """Office rules for the queue; set by configuration."""

    #: Fairness: a priority ticket is placed as if it had arrived this many
    #: minutes earlier. Priority residents go first, yet a regular ticket never
    #: waits more than this much longer than it would in plain arrival order.
    priority_head_start_minutes: int = 30
    #: How many calls a resident gets before the counter may mark a no-show.
    calls_before_no_show: int = 3


@dataclass(frozen=True)
class Actor:
    """Who acts: a logged-in officer, in one role, at a counter (None in the back office)."""

    user_id: int
    role: Role
    counter_id: int | None = None


@dataclass(frozen=True)
class VisitView:
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
        if self.started_at and self.ended_at:
            return (self.ended_at - self.started_at).total_seconds()
        return None

    @property
    def within_target(self) -> bool | None:
        secs = self.service_seconds
        if secs is None or self.target_minutes is None:
            return None
        return secs <= self.target_minutes * 60


@dataclass(frozen=True)
class TicketView:
    """A ticket as the outside sees it; public() strips everything but the public status."""

    id: int
    number: str
    service_day: Any
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
    visits: list[VisitView] = field(default_factory=list)
    as_of: datetime | None = None  # when this view was taken, for the step timer

    @property
    def step_elapsed_seconds(self) -> float | None:
        """Time in the current step: since work started, else since the berkas arrived at it."""
        open_visits = [v for v in self.visits if v.ended_at is None and v.step_index == self.step_index]
        if not open_visits or self.as_of is None:
            return None
        visit = open_visits[-1]
        return (self.as_of - (visit.started_at or visit.entered_at)).total_seconds()

    @property
    def overdue(self) -> bool:
        """The current step has run past its SOP target."""
        target = self.step.get("target_minutes")
        elapsed = self.step_elapsed_seconds
        return bool(target and elapsed is not None and elapsed > target * 60)

    @property
    def step(self) -> dict[str, Any]:
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
            priority_reason=self.priority,
            priority_label=PRIORITY_LABELS[Priority(self.priority)] if self.priority else None,
            current_role=self.current_role,
            current_role_label=ROLE_LABELS[Role(self.current_role)],
            counter=self.counter_name,
            counter_number=self.counter_number,
            call_count=self.call_count,
            calls_before_no_show=self.calls_before_no_show,
            state_note=self.state_note,
            missing=self.missing,
            step_detail=self.step,
            step_list=self.steps,
            gives_pickup_slip=self.gives_pickup_slip,
            applicant=self.applicant,
            step_elapsed_seconds=self.step_elapsed_seconds,
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
                    "service_seconds": v.service_seconds,
                    "within_target": v.within_target,
                }
                for v in self.visits
            ],
        )
        return data


@dataclass(frozen=True)
class Availability:
    """Whether the kiosk may issue a ticket for a service now, and if not, why in plain words."""

    ok: bool
    reason: str | None = None  # closed | outside_hours | quota_full
    message: dict[str, str] | None = None
    quota: int | None = None
    issued_today: int = 0

    @property
    def remaining(self) -> int | None:
        return None if self.quota is None else max(0, self.quota - self.issued_today)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "reason": self.reason,
            "message": self.message,
            "quota": self.quota,
            "issued_today": self.issued_today,
            "remaining": self.remaining,
        }


@dataclass(frozen=True)
class Outcome:
    ticket: TicketView | None
    events: list[Event]


#: Minutes a front-desk step takes when neither history nor the SOP says.
DEFAULT_DESK_MINUTES = 5


def _hall_facing(catalog: Catalog, role: str) -> bool:
    """Whether some SOP step of this role has the resident come to the counter."""
    return any(step.role.value == role and step.resident_present for sop in catalog for step in sop.steps)


class Loket:
    """The office's queue and berkas flow: every state change goes through here."""

    def __init__(
        self,
        store: Store,
        catalog: Catalog,
        signer: CodeSigner,
        clock: Clock | None = None,
        policy: Policy | None = None,
    ):
        self.store = store
        #: The SOPs shipped as files; the office's edits (table sop_documents) lie over them.
        self.shipped = catalog
        self._catalog = catalog
        self._catalog_version: int | None = None
        self._catalog_checked = float("-inf")
        #: Seconds between checks for SOP edits made by another process (several workers).
        self.catalog_check_seconds = 2.0
        self.catalog_problems: list[str] = []
        self.signer = signer
        self.clock = clock or Clock()
        self.policy = policy or Policy()

    @property
    def catalog(self) -> Catalog:
        """The SOPs in use. Edits made in this process apply at once; another process's within seconds."""
        now = time.monotonic()
        if now - self._catalog_checked >= self.catalog_check_seconds:
            self._catalog_checked = now
            self.refresh_catalog()
        return self._catalog

    def refresh_catalog(self, force: bool = False) -> Catalog:
        """Read the office's SOP documents if their version moved (or the table is not there yet)."""
        from sqlalchemy.exc import SQLAlchemyError

        from .admin import catalog_version, overlay, read_documents

        try:
            with self.store.read() as s:
                version = catalog_version(s)
                if not force and version == self._catalog_version:
                    return self._catalog
                documents = read_documents(s)
        except SQLAlchemyError:  # database not migrated yet (before `flask init-db`)
            return self._catalog
        catalog, problems = overlay(self.shipped, documents)
        self._catalog, self._catalog_version, self.catalog_problems = catalog, version, problems
        return catalog

    def install_catalog(self, catalog: Catalog) -> None:
        """Use a catalog just written by this process (the version is re-read on the next check)."""
        self._catalog = catalog
        self._catalog_version = None
        self._catalog_checked = time.monotonic()

    def reload_catalog(self, directory: str) -> Catalog:
        """Load the SOP folder again; on any error raise and keep the catalog in use."""
        from .catalog import load_catalog

        self.shipped = load_catalog(directory)
        return self.refresh_catalog(force=True)

    # ---- issuing -------------------------------------------------------

    def issue(self, service_code: str, priority: str | None = None, source: str = "kiosk") -> Outcome:
        """Give a resident a numbered ticket for a service."""
        with self.store.transaction() as s:
            ticket, events = self._issue(s, service_code, priority, source)
            return Outcome(self._view(s, ticket, with_ahead=True), events)

    def serve_walk_in(self, actor: Actor, service_code: str, priority: str | None = None) -> Outcome:
        """A resident without a ticket at the counter: issue one and start serving at once."""
        now = self.clock.now()
        with self.store.transaction() as s:
            user, counter = self._actor(s, actor, need_counter=True)
            ticket, events = self._issue(s, service_code, priority, "walk_in")
            self._require_step_role(ticket, actor)
            check_transition(S.WAITING, S.SERVING, "layani langsung")
            self._set_state(ticket, S.SERVING, now, keep_queue=True)
            ticket.counter = counter
            visit = self._open_visit(ticket, now)
            visit.started_at = now
            visit.officer = user
            visit.counter = counter
            events.append(self._event(s, "ticket.started", ticket, counter, user))
            return Outcome(self._view(s, ticket), events)

    def _issue(self, s: Session, service_code: str, priority: str | None, source: str) -> tuple[Ticket, list[Event]]:
        sop = self._sop(service_code)
        prio = Priority(priority).value if priority else None
        now = self.clock.now()
        day = self.clock.today()
        # The sequence row is locked first, so the quota count below cannot race
        # with another kiosk issuing for the same service (PostgreSQL row lock;
        # SQLite holds the database write lock already).
        seq = next_number(s, day, sop.prefix)
        verdict = self._availability(s, sop, read_settings(s))
        if not verdict.ok:
            raise ServiceUnavailable(f"{verdict.message['id']} ({verdict.message['en']})", code=verdict.reason)
        steps = sop.snapshot()
        ticket = Ticket(
            service_day=day,
            prefix=sop.prefix,
            seq=seq,
            number=f"{sop.prefix}-{seq:03d}",
            service_code=sop.code,
            steps=steps,
            priority=prio,
            source=source,
            state=S.WAITING.value,
            step_index=0,
            current_role=steps[0]["role"],
            queue_key=self._queue_key(now, prio),
            queued_at=now,
            issued_at=now,
            call_count=0,
        )
        ticket.visits.append(
            StepVisit(step_index=0, role=steps[0]["role"], target_minutes=steps[0]["target_minutes"], entered_at=now)
        )
        s.add(ticket)
        s.flush()
        return ticket, [self._event(s, "ticket.issued", ticket, None, None, waiting=self._waiting_for(s, ticket))]

    # ---- the counter ---------------------------------------------------

    def call_next(self, actor: Actor) -> Outcome:
        """Call the next resident for this counter and role: priority first, fairly."""
        now = self.clock.now()
        with self.store.transaction() as s:
            user, counter = self._actor(s, actor, need_counter=True)
            query = (
                select(Ticket)
                .where(
                    Ticket.state.in_([st.value for st in QUEUED]),
                    Ticket.current_role == actor.role.value,
                    Ticket.queued_at >= self.clock.day_start(self.clock.today()),
                )
                .where((Ticket.target_counter_id.is_(None)) | (Ticket.target_counter_id == counter.id))
                .order_by(Ticket.target_counter_id.is_(None), Ticket.queue_key, Ticket.id)
                .limit(1)
            )
            if counter.services:
                query = query.where(Ticket.service_code.in_(counter.services))
            if self.store.is_postgres:
                query = query.with_for_update(skip_locked=True)
            ticket = s.scalar(query)
            if ticket is None:
                return Outcome(None, [])
            check_transition(S(ticket.state), S.CALLED, "panggil")
            self._set_state(ticket, S.CALLED, now)
            ticket.counter = counter
            ticket.target_counter_id = None
            ticket.call_count = 1
            visit = self._open_visit(ticket, now)
            visit.called_at = now
            visit.counter = counter
            visit.officer = user
            return Outcome(self._view(s, ticket), [self._called(s, ticket, counter, user, recall=False)])

    def recall(self, actor: Actor, ticket_id: int) -> Outcome:
        """Call the same resident again (announced again on the display)."""
        with self.store.transaction() as s:
            user, counter = self._actor(s, actor, need_counter=True)
            ticket = self._ticket(s, ticket_id)
            self._require_step_role(ticket, actor)
            check_transition(S(ticket.state), S.CALLED, "panggil ulang")
            if ticket.counter_id != counter.id:
                raise NotAllowed("Tiket ini dipanggil di loket lain. (Called at another counter.)")
            ticket.call_count += 1
            return Outcome(self._view(s, ticket), [self._called(s, ticket, counter, user, recall=True)])

    def start(self, actor: Actor, ticket_id: int) -> Outcome:
        """Begin work on the current step (the resident arrived, or the berkas was picked up)."""
        now = self.clock.now()
        with self.store.transaction() as s:
            user, counter = self._actor(s, actor)
            ticket = self._ticket(s, ticket_id)
            self._require_step_role(ticket, actor)
            check_transition(S(ticket.state), S.SERVING, "mulai layani")
            self._set_state(ticket, S.SERVING, now, keep_queue=True)
            if counter is not None:
                ticket.counter = counter
            visit = self._open_visit(ticket, now)
            visit.started_at = now
            visit.officer = user
            if counter is not None:
                visit.counter = counter
            return Outcome(self._view(s, ticket), [self._event(s, "ticket.started", ticket, counter, user)])

    def advance(self, actor: Actor, ticket_id: int, note: str | None = None) -> Outcome:
        """Finish the current step and hand the berkas to the next one (or close it)."""
        now = self.clock.now()
        with self.store.transaction() as s:
            user, counter = self._actor(s, actor)
            ticket = self._ticket(s, ticket_id)
            self._require_step_role(ticket, actor)
            if S(ticket.state) is not S.SERVING:
                check_transition(S(ticket.state), S.DONE, "teruskan")  # raises with a clear message
            self._close_visit(ticket, now, "advanced", note)
            if ticket.step_index + 1 >= len(ticket.steps):
                check_transition(S.SERVING, S.DONE, "serahkan")
                self._set_state(ticket, S.DONE, now)
                ticket.closed_at = now
                return Outcome(self._view(s, ticket), [self._event(s, "ticket.done", ticket, counter, user)])
            ticket.step_index += 1
            ticket.current_role = ticket.step["role"]
            target = self._queue_state_for_step(ticket)
            check_transition(S.SERVING, target, "teruskan")
            self._set_state(ticket, target, now)
            ticket.counter = None
            ticket.call_count = 0
            self._enter_step(ticket, now)
            kind = "ticket.ready" if target is S.READY else "ticket.advanced"
            return Outcome(self._view(s, ticket), [self._event(s, kind, ticket, counter, user)])

    def hand_over(self, actor: Actor, ticket_id: int) -> Outcome:
        """The final step: the finished document goes to the resident; the berkas closes."""
        with self.store.read() as s:
            ticket = self._ticket(s, ticket_id)
            self._require_step_role(ticket, actor)
            if ticket.step_index != len(ticket.steps) - 1:
                raise NotAllowed("Berkas belum sampai tahap penyerahan. (Not at the hand-over step yet.)")
        return self.advance(actor, ticket_id)

    def pend(self, actor: Actor, ticket_id: int, reason: str, note: str | None = None) -> Outcome:
        """Put the berkas on hold (tertunda) with one of the SOP's reasons."""
        why = PendingReason(reason)
        now = self.clock.now()
        with self.store.transaction() as s:
            user, counter = self._actor(s, actor)
            ticket = self._ticket(s, ticket_id)
            self._require_step_role(ticket, actor)
            check_transition(S(ticket.state), S.PENDING, "tunda")
            self._close_visit(ticket, now, "pended", note)
            self._set_state(ticket, S.PENDING, now)
            ticket.pending_reason = why.value
            ticket.state_note = note
            return Outcome(
                self._view(s, ticket), [self._event(s, "ticket.pended", ticket, counter, user, reason=why.value)]
            )

    def return_for_documents(
        self, actor: Actor, ticket_id: int, missing: list[str], note: str | None = None
    ) -> Outcome:
        """Send the berkas back to the resident: documents are missing. It restarts at reception."""
        now = self.clock.now()
        with self.store.transaction() as s:
            user, counter = self._actor(s, actor)
            ticket = self._ticket(s, ticket_id)
            self._require_step_role(ticket, actor)
            sop = self.catalog.get(ticket.service_code)
            known = {r.key for r in sop.requirements} if sop else set()
            unknown = [m for m in missing if m not in known]
            if not missing or unknown:
                raise NotAllowed(
                    "Sebutkan dokumen yang kurang dari daftar persyaratan. "
                    "(Name the missing documents from the requirements list.)"
                )
            check_transition(S(ticket.state), S.RETURNED, "kembalikan")
            self._close_visit(ticket, now, "returned", note)
            self._set_state(ticket, S.RETURNED, now)
            ticket.missing = list(missing)
            ticket.state_note = note
            ticket.step_index = 0
            ticket.current_role = ticket.step["role"]
            ticket.counter = None
            return Outcome(
                self._view(s, ticket),
                [self._event(s, "ticket.returned", ticket, counter, user, missing=list(missing))],
            )

    def resume(self, actor: Actor, ticket_id: int) -> Outcome:
        """Bring a pending, returned or no-show berkas back into its step's queue."""
        now = self.clock.now()
        with self.store.transaction() as s:
            user, counter = self._actor(s, actor)
            ticket = self._ticket(s, ticket_id)
            self._require_step_role(ticket, actor)
            target = self._queue_state_for_step(ticket)
            if S(ticket.state) not in (S.PENDING, S.RETURNED, S.NO_SHOW):
                raise IllegalTransition(
                    f"Tidak bisa 'lanjutkan': status berkas '{STATE_LABELS[S(ticket.state)]['id']}'. "
                    "(Only a pending, returned or no-show berkas can be resumed.)"
                )
            check_transition(S(ticket.state), target, "lanjutkan")
            self._set_state(ticket, target, now)
            ticket.pending_reason = None
            ticket.state_note = None
            ticket.missing = None
            ticket.counter = None
            ticket.call_count = 0
            self._enter_step(ticket, now)
            return Outcome(self._view(s, ticket), [self._event(s, "ticket.resumed", ticket, counter, user)])

    def no_show(self, actor: Actor, ticket_id: int) -> Outcome:
        """The resident did not come after being called."""
        now = self.clock.now()
        with self.store.transaction() as s:
            user, counter = self._actor(s, actor)
            ticket = self._ticket(s, ticket_id)
            self._require_step_role(ticket, actor)
            check_transition(S(ticket.state), S.NO_SHOW, "tidak hadir")
            needed = self._calls_needed(s)
            if ticket.call_count < needed:
                raise NotAllowed(
                    f"Panggil {needed} kali sebelum menandai tidak hadir (baru {ticket.call_count} kali). "
                    f"(Call {needed} times before marking a no-show; called {ticket.call_count}.)"
                )
            self._close_visit(ticket, now, "no_show", None)
            self._set_state(ticket, S.NO_SHOW, now)
            return Outcome(self._view(s, ticket), [self._event(s, "ticket.no_show", ticket, counter, user)])

    def cancel(self, actor: Actor, ticket_id: int, note: str | None = None) -> Outcome:
        """Cancel the ticket (resident withdrew, duplicate, mistake)."""
        now = self.clock.now()
        with self.store.transaction() as s:
            user, counter = self._actor(s, actor)
            ticket = self._ticket(s, ticket_id)
            if actor.role is not Role.ADMIN:
                self._require_step_role(ticket, actor)
            check_transition(S(ticket.state), S.CANCELLED, "batalkan")
            self._close_visit(ticket, now, "cancelled", note)
            self._set_state(ticket, S.CANCELLED, now)
            ticket.state_note = note
            ticket.closed_at = now
            return Outcome(self._view(s, ticket), [self._event(s, "ticket.cancelled", ticket, counter, user)])

    def transfer(
        self, actor: Actor, ticket_id: int, counter_id: int | None = None, service_code: str | None = None
    ) -> Outcome:
        """Send a resident to another counter, or re-file the berkas under another service.

        To a counter: the ticket waits again at its current step and only that counter calls it.
        To a service (a wrong choice at the kiosk): the new SOP's steps replace the old ones,
        from reception; the resident keeps the number.
        """
        now = self.clock.now()
        with self.store.transaction() as s:
            user, counter = self._actor(s, actor)
            ticket = self._ticket(s, ticket_id)
            self._require_step_role(ticket, actor)
            if (counter_id is None) == (service_code is None):
                raise NotAllowed("Pilih loket atau layanan tujuan. (Choose a counter or a service.)")
            if service_code is not None:
                sop = self._sop(service_code)
                if ticket.step_index != 0:
                    raise NotAllowed(
                        "Layanan hanya dapat diganti di tahap penerimaan. (Change service only at reception.)"
                    )
                self._close_visit(ticket, now, "transferred", f"ke layanan {sop.code}")
                ticket.service_code = sop.code
                ticket.steps = sop.snapshot()
                ticket.current_role = ticket.step["role"]
                ticket.target_counter_id = None
            else:
                target = s.get(Counter, counter_id)
                if target is None or not target.active:
                    raise NotFound("Loket tujuan tidak ada. (No such counter.)")
                if ticket.current_role not in target.roles:
                    raise NotAllowed(
                        f"{target.name} tidak melayani tahap ini. (That counter does not serve this step.)"
                    )
                self._close_visit(ticket, now, "transferred", f"ke {target.name}")
                ticket.target_counter_id = target.id
            state = self._queue_state_for_step(ticket)
            check_transition(S(ticket.state), state, "alihkan")
            self._set_state(ticket, state, now, keep_queue=True)  # keeps its place in line
            ticket.counter = None
            ticket.call_count = 0
            self._enter_step(ticket, now)
            return Outcome(
                self._view(s, ticket),
                [
                    self._event(
                        s, "ticket.transferred", ticket, counter, user, to_counter=counter_id, to_service=service_code
                    )
                ],
            )

    def record_applicant(self, actor: Actor, ticket_id: int, name: str, nik: str) -> Outcome:
        """Staff write down who the berkas belongs to; shown to staff only, never on a public screen."""
        from .nik import parse_nik
        from .store import Applicant

        with self.store.transaction() as s:
            user, counter = self._actor(s, actor)
            ticket = self._ticket(s, ticket_id)
            self._require_step_role(ticket, actor)  # who may, before what was typed
            info = parse_nik(nik, self.clock.today())
            name = " ".join(name.split())
            if not 2 <= len(name) <= 120:
                raise LoketError("Isi nama pemohon (2 sampai 120 huruf). (Enter the applicant's name.)")
            if S(ticket.state) is not S.SERVING:
                raise IllegalTransition("Mulai layani berkas ini dahulu. (Start serving this berkas first.)")
            if ticket.applicant is None:
                ticket.applicant = Applicant(name=name, nik=info.nik, recorded_by=user.id, recorded_at=self.clock.now())
            else:
                ticket.applicant.name, ticket.applicant.nik = name, info.nik
                ticket.applicant.recorded_by, ticket.applicant.recorded_at = user.id, self.clock.now()
            # the event names the ticket only: personal data never travels in events
            return Outcome(self._view(s, ticket), [self._event(s, "applicant.recorded", ticket, counter, user)])

    def purge_personal_data(self, older_than_days: int) -> int:
        """Delete applicants' names and NIKs of berkas closed more than N days ago; return how many."""
        from sqlalchemy import delete

        from .store import Applicant

        cutoff = self.clock.now() - timedelta(days=older_than_days)
        with self.store.transaction() as s:
            closed = select(Ticket.id).where(Ticket.closed_at.is_not(None), Ticket.closed_at < cutoff)
            result = s.execute(delete(Applicant).where(Applicant.ticket_id.in_(closed)))
            return result.rowcount or 0

    # ---- stations ----------------------------------------------------------

    def open_station(self, actor: Actor) -> list[Event]:
        """An officer starts work at a counter: the live dashboard shows it open."""
        return self._station("counter.opened", actor)

    def close_station(self, actor: Actor) -> list[Event]:
        """An officer leaves a counter (logs out or switches): the dashboard shows it closed."""
        return self._station("counter.closed", actor)

    def _station(self, kind: str, actor: Actor) -> list[Event]:
        if actor.counter_id is None:
            return []
        with self.store.transaction() as s:
            counter = s.get(Counter, actor.counter_id)
            if counter is None:
                return []
            payload = {"counter": counter.name, "role": actor.role.value}
            s.add(
                EventRecord(
                    at=self.clock.now(), kind=kind, counter_id=counter.id, officer_id=actor.user_id, payload=payload
                )
            )
            return [Event(kind, payload, None, counter.id, actor.user_id)]

    # ---- printing --------------------------------------------------------

    def record_print(
        self,
        ticket_id: int,
        kind: str,
        ok: bool,
        printer: str,
        reason: str | None = None,
        kiosk: str | None = None,
        user_id: int | None = None,
    ) -> list[Event]:
        """Note a printed (or failed) ticket or slip; a failure becomes a staff alert."""
        with self.store.transaction() as s:
            ticket = self._ticket(s, ticket_id)
            payload = {
                "number": ticket.number,
                "kind": kind,
                "printer": printer,
                "kiosk": kiosk,
                "reason": reason,
            }
            name = "ticket.printed" if ok else "printer.failed"
            s.add(EventRecord(at=self.clock.now(), kind=name, ticket_id=ticket.id, officer_id=user_id, payload=payload))
            return [Event(name, payload, ticket.id, None, user_id)]

    def printer_alerts(self, limit: int = 20) -> list[dict[str, Any]]:
        """Today's printer failures not yet solved by a later successful print, newest first."""
        with self.store.read() as s:
            rows = s.scalars(
                select(EventRecord)
                .where(
                    EventRecord.kind.in_(["printer.failed", "ticket.printed"]),
                    EventRecord.at >= self.clock.day_start(self.clock.today()),
                )
                .order_by(EventRecord.id.desc())
            ).all()
            solved: set[tuple[int | None, str]] = set()
            alerts = []
            for r in rows:  # newest first: a success hides every older failure of that ticket and kind
                key = (r.ticket_id, r.payload.get("kind", "ticket"))
                if r.kind == "ticket.printed":
                    solved.add(key)
                elif key not in solved:
                    alerts.append(dict(r.payload, at=r.at.isoformat(), ticket_id=r.ticket_id))
            return alerts[:limit]

    # ---- office settings ---------------------------------------------------

    def settings(self) -> OfficeSettings:
        with self.store.read() as s:
            return read_settings(s)

    def update_settings(self, actor: Actor, changes: dict[str, Any]) -> Outcome:
        """Change office settings (admin only); every kiosk and display hears of it at once."""
        with self.store.transaction() as s:
            user, _ = self._actor(s, actor)
            if actor.role is not Role.ADMIN:
                raise NotAllowed("Hanya admin yang dapat mengubah pengaturan. (Only an admin may change settings.)")
            current = read_settings(s)
            merged = OfficeSettings.model_validate({**current.model_dump(mode="json"), **changes})
            unknown = set(merged.services) - {sop.code for sop in self.catalog}
            if unknown:
                raise NotFound(f"Layanan tidak dikenal (unknown service): {', '.join(sorted(unknown))}")
            before = write_settings(s, merged, self.clock.now(), user.id)
            after = merged.model_dump(mode="json")
            changed = sorted(k for k in after if after[k] != before.get(k))
            s.add(
                EventRecord(
                    at=self.clock.now(),
                    kind="settings.changed",
                    officer_id=user.id,
                    payload={"changed": changed, "before": before, "after": after},
                )
            )
            return Outcome(None, [Event("settings.changed", {"changed": changed}, officer_id=user.id)])

    def services_overview(self) -> list[dict[str, Any]]:
        """Per service, what a kiosk shows before a ticket: open or not, queue, estimated wait."""
        with self.store.read() as s:
            settings = read_settings(s)
            waiting = self._waiting_counts(s)
            out = []
            for sop in self.catalog:
                verdict = self._availability(s, sop, settings)
                ahead = self._role_queue(s, sop.steps[0].role.value)
                minutes, basis = self._estimate(s, sop, ahead)
                out.append(
                    {
                        "code": sop.code,
                        "waiting": waiting.get(sop.code, 0),
                        "ahead": ahead,
                        "estimate_minutes": minutes,
                        "estimate_basis": basis,
                        "availability": verdict.as_dict(),
                        "blanko": self._blanko(sop, settings),
                    }
                )
            return out

    def blanko_notice(self, service_code: str) -> dict[str, str] | None:
        """What to tell a resident about blank cards for this service, if anything."""
        sop = self._sop(service_code)
        blanko = self._blanko(sop, self.settings())
        return blanko["message"] if blanko and blanko["out"] else None

    # ---- reading -------------------------------------------------------

    def find(self, code_or_number: str) -> TicketView:
        """A ticket by its scanned QR payload (signature checked) or today's number."""
        text = code_or_number.strip()
        with self.store.read() as s:
            if looks_like_code(text):
                code = self.signer.verify(text)
                ticket = s.get(Ticket, code.ticket_id)
                if ticket is None or ticket.number != code.number or ticket.service_day != code.day:
                    raise InvalidCode("Kode tiket tidak dikenal. (Unknown ticket code.)")
            else:
                ticket = self._by_number(s, text)
            return self._view(s, ticket, with_ahead=True, with_visits=True)

    def find_by_code(self, code: str) -> TicketView:
        """A ticket by its signed code only (a bare number is refused)."""
        if not looks_like_code(code):
            raise InvalidCode("Kode tiket diperlukan. (A ticket code is required.)")
        return self.find(code)

    def get(self, ticket_id: int) -> TicketView:
        with self.store.read() as s:
            return self._view(s, self._ticket(s, ticket_id), with_ahead=True, with_visits=True)

    def public_status(self, number: str) -> dict[str, Any]:
        """Today's ticket by number, as a resident may see it."""
        with self.store.read() as s:
            return self._view(s, self._by_number(s, number), with_ahead=True).public()

    def waiting_counts(self) -> dict[str, int]:
        """How many residents wait in the hall now, per service."""
        with self.store.read() as s:
            return self._waiting_counts(s)

    def _waiting_counts(self, s: Session) -> dict[str, int]:
        rows = s.execute(
            select(Ticket.service_code, func.count())
            .where(
                Ticket.state.in_([st.value for st in QUEUED]),
                Ticket.queued_at >= self.clock.day_start(self.clock.today()),
            )
            .group_by(Ticket.service_code)
        ).all()
        return {code: n for code, n in rows}

    def work_list(self, role: Role, limit: int = 100) -> list[TicketView]:
        """Berkas waiting at, or being worked at, this role's step: overdue first, then oldest."""
        with self.store.read() as s:
            tickets = s.scalars(
                select(Ticket)
                .where(
                    Ticket.current_role == Role(role).value,
                    Ticket.state.in_([S.IN_PROCESS.value, S.SERVING.value, S.PENDING.value]),
                )
                .order_by(Ticket.queued_at, Ticket.id)
                .limit(limit)
            ).all()
            views = [self._view(s, t, with_visits=True) for t in tickets]
            return sorted(views, key=lambda v: not v.overdue)  # stable: oldest first within each

    def counter_tickets(self, counter_id: int) -> list[TicketView]:
        """Tickets called to or being served at this counter now."""
        with self.store.read() as s:
            tickets = s.scalars(
                select(Ticket)
                .where(Ticket.counter_id == counter_id, Ticket.state.in_([S.CALLED.value, S.SERVING.value]))
                .order_by(Ticket.id)
            ).all()
            return [self._view(s, t, with_visits=True) for t in tickets]

    def display_state(self, recent: int = 30) -> dict[str, Any]:
        """Everything a display needs on (re)connect: recent calls and each counter's number."""
        with self.store.read() as s:
            since = self.clock.day_start(self.clock.today())
            calls = s.scalars(
                select(EventRecord)
                .where(EventRecord.kind == "ticket.called", EventRecord.at >= since)
                .order_by(EventRecord.id.desc())
                .limit(recent)
            ).all()
            counters = []
            for counter in s.scalars(select(Counter).where(Counter.active).order_by(Counter.number)):
                if not any(_hall_facing(self.catalog, role) for role in counter.roles):
                    continue  # back-office rooms never call residents
                current = s.scalar(
                    select(Ticket)
                    .where(
                        Ticket.counter_id == counter.id,
                        Ticket.state.in_([S.CALLED.value, S.SERVING.value]),
                    )
                    .order_by(Ticket.id.desc())
                    .limit(1)
                )
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
                select(Ticket.number)
                .where(Ticket.state == S.READY.value)
                .order_by(Ticket.queued_at, Ticket.id)
                .limit(40)
            ).all()
            waiting = self._waiting_counts(s)
            groups: dict[str, int] = {}
            for sop in self.catalog:
                groups[sop.group] = groups.get(sop.group, 0) + waiting.get(sop.code, 0)
            settings = read_settings(s)
            return {
                "day": self.clock.today().isoformat(),
                "calls": [dict(e.payload, at=e.at.isoformat()) for e in calls],
                "counters": counters,
                "waiting": waiting,
                "waiting_groups": groups,
                "ready": list(ready),
                "office": {"name": settings.office_name, "running_text": settings.running_text},
            }

    # ---- internals -----------------------------------------------------

    def _sop(self, code: str) -> Sop:
        sop = self.catalog.get(code)
        if sop is None:
            raise NotFound(f"Layanan '{code}' tidak ada. (No such service.)")
        return sop

    def _availability(self, s: Session, sop: Sop, settings: OfficeSettings) -> Availability:
        name = sop.name
        rule = settings.rule(sop.code)
        issued = s.scalar(
            select(func.count()).where(Ticket.service_day == self.clock.today(), Ticket.service_code == sop.code)
        )
        if rule.closed:
            why = f" {rule.closed_reason}" if rule.closed_reason else ""
            return Availability(
                False,
                "closed",
                {
                    "id": f"Layanan {name.id} ditutup hari ini.{why}",
                    "en": f"{name.en} is closed today.{why}",
                },
                rule.quota,
                issued,
            )
        local = self.clock.local(self.clock.now())
        if settings.hours is not None:
            hours = settings.hours_on(local)
            if hours is None:
                return Availability(
                    False,
                    "outside_hours",
                    {
                        "id": "Hari ini tidak ada pelayanan. Silakan datang pada hari kerja.",
                        "en": "There is no service today. Please come on a working day.",
                    },
                    rule.quota,
                    issued,
                )
            if local.time() < hours.open:
                return Availability(
                    False,
                    "outside_hours",
                    {
                        "id": f"Pengambilan nomor antrean dibuka pukul {hours.open:%H:%M}.",
                        "en": f"Tickets are issued from {hours.open:%H:%M}.",
                    },
                    rule.quota,
                    issued,
                )
            if local.time() >= hours.close:
                return Availability(
                    False,
                    "outside_hours",
                    {
                        "id": f"Pengambilan nomor antrean hari ini sudah ditutup pukul {hours.close:%H:%M}. "
                        "Silakan datang kembali pada hari kerja berikutnya.",
                        "en": f"Ticket issuing closed at {hours.close:%H:%M} today. Please come back on the next "
                        "working day.",
                    },
                    rule.quota,
                    issued,
                )
        if rule.quota is not None and issued >= rule.quota:
            return Availability(
                False,
                "quota_full",
                {
                    "id": f"Kuota {name.id} hari ini ({rule.quota} nomor) sudah habis. Silakan datang kembali besok.",
                    "en": f"Today's quota for {name.en} ({rule.quota} tickets) is used up. Please come back tomorrow.",
                },
                rule.quota,
                issued,
            )
        return Availability(True, quota=rule.quota, issued_today=issued)

    @staticmethod
    def _blanko(sop: Sop, settings: OfficeSettings) -> dict[str, Any] | None:
        if not sop.uses_blanko or settings.blanko_stock is None:
            return None
        out = settings.blanko_stock == 0
        message = (
            {
                "id": "Blanko KTP-el sedang habis. Anda akan menerima Surat Keterangan (Suket) pengganti KTP-el "
                "yang berlaku sah.",
                "en": "KTP-el blank cards are out of stock. You will receive a valid certificate (Suket) instead.",
            }
            if out
            else {"id": "Blanko KTP-el tersedia.", "en": "KTP-el blank cards are available."}
        )
        return {"stock": settings.blanko_stock, "out": out, "message": message}

    def _role_queue(self, s: Session, role: str) -> int:
        return s.scalar(
            select(func.count()).where(
                Ticket.state.in_([st.value for st in QUEUED]),
                Ticket.current_role == role,
                Ticket.queued_at >= self.clock.day_start(self.clock.today()),
            )
        )

    def _estimate(self, s: Session, sop: Sop, ahead: int) -> tuple[int, str]:
        """Minutes a new ticket would wait: people ahead x recent real service time / counters at work.

        Service time is the mean of the last 30 finished first steps of this service in the
        past 14 days; with fewer than 3 of them, the SOP's own target for that step.
        """
        since = self.clock.now() - timedelta(days=14)
        recent = s.execute(
            select(StepVisit.started_at, StepVisit.ended_at)
            .join(Ticket, StepVisit.ticket_id == Ticket.id)
            .where(
                Ticket.service_code == sop.code,
                StepVisit.step_index == 0,
                StepVisit.outcome == "advanced",
                StepVisit.started_at.is_not(None),
                StepVisit.ended_at >= since,
            )
            .order_by(StepVisit.ended_at.desc())
            .limit(30)
        ).all()
        if len(recent) >= 3:
            per_person = sum((end - start).total_seconds() for start, end in recent) / len(recent) / 60
            basis = "history"
        else:
            # The first step's own target; never the whole SOP's total, which would count
            # the back-office steps as time at the front desk.
            per_person = float(sop.steps[0].target_minutes or DEFAULT_DESK_MINUTES)
            basis = "sop"
        role = sop.steps[0].role.value
        busy = s.scalar(
            select(func.count(func.distinct(StepVisit.counter_id))).where(
                StepVisit.role == role,
                StepVisit.counter_id.is_not(None),
                StepVisit.called_at >= self.clock.day_start(self.clock.today()),
            )
        )
        return math.ceil(ahead * per_person / max(1, busy or 0)), basis

    def _queue_key(self, when: datetime, priority: str | None) -> float:
        head_start = self.policy.priority_head_start_minutes * 60 if priority else 0
        return when.timestamp() - head_start

    def _actor(self, s: Session, actor: Actor, need_counter: bool = False) -> tuple[User, Counter | None]:
        user = s.get(User, actor.user_id)
        if user is None or not user.active:
            raise NotAllowed("Akun tidak aktif. (Account is not active.)")
        if actor.role.value not in user.roles:
            raise NotAllowed(
                f"Anda tidak memiliki peran {ROLE_LABELS[actor.role]['id']}. "
                f"(You do not hold the {ROLE_LABELS[actor.role]['en']} role.)"
            )
        counter = s.get(Counter, actor.counter_id) if actor.counter_id is not None else None
        if actor.counter_id is not None and (counter is None or not counter.active):
            raise NotFound("Loket tidak ada atau tidak aktif. (No such active counter.)")
        if counter is not None and actor.role.value not in counter.roles and actor.role is not Role.ADMIN:
            raise NotAllowed(
                f"{counter.name} tidak melayani peran {ROLE_LABELS[actor.role]['id']}. "
                "(This counter does not serve that role.)"
            )
        if need_counter and counter is None:
            raise NotAllowed("Pilih loket terlebih dahulu. (Choose a counter first.)")
        return user, counter

    def _ticket(self, s: Session, ticket_id: int) -> Ticket:
        ticket = s.get(Ticket, ticket_id)
        if ticket is None:
            raise NotFound("Tiket tidak ditemukan. (Ticket not found.)")
        return ticket

    def _by_number(self, s: Session, number: str) -> Ticket:
        norm = number.strip().upper().replace(" ", "")
        if len(norm) > 1 and norm[1] != "-":
            norm = f"{norm[0]}-{norm[1:]}"
        if len(norm) > 2 and norm[2:].isdigit():
            norm = f"{norm[:2]}{int(norm[2:]):03d}"
        ticket = s.scalar(select(Ticket).where(Ticket.service_day == self.clock.today(), Ticket.number == norm))
        if ticket is None:
            raise NotFound(f"Tiket {norm} tidak ada hari ini. (No ticket {norm} today.)")
        return ticket

    @staticmethod
    def _require_step_role(ticket: Ticket, actor: Actor) -> None:
        if S(ticket.state) in FINAL:
            return  # check_transition gives the clearer message
        if ticket.current_role != actor.role.value:
            need = ROLE_LABELS[Role(ticket.current_role)]
            raise NotAllowed(
                f"Tahap ini dikerjakan oleh {need['id']}, bukan peran Anda. (This step belongs to the {need['en']}.)"
            )

    def _queue_state_for_step(self, ticket: Ticket) -> TicketState:
        step = ticket.step
        if not step["resident_present"]:
            return S.IN_PROCESS
        is_last = ticket.step_index == len(ticket.steps) - 1
        return S.READY if is_last and ticket.step_index > 0 else S.WAITING

    def _set_state(self, ticket: Ticket, state: TicketState, now: datetime, keep_queue: bool = False) -> None:
        ticket.state = state.value
        if (state in QUEUED or state is S.IN_PROCESS) and not keep_queue:
            ticket.queued_at = now
            ticket.queue_key = self._queue_key(now, ticket.priority)

    def _open_visit(self, ticket: Ticket, now: datetime) -> StepVisit:
        visit = ticket.open_visit
        if visit is None or visit.step_index != ticket.step_index:
            visit = self._enter_step(ticket, now)
        return visit

    @staticmethod
    def _enter_step(ticket: Ticket, now: datetime) -> StepVisit:
        step = ticket.step
        visit = StepVisit(
            step_index=ticket.step_index, role=step["role"], target_minutes=step["target_minutes"], entered_at=now
        )
        ticket.visits.append(visit)
        return visit

    @staticmethod
    def _close_visit(ticket: Ticket, now: datetime, outcome: str, note: str | None) -> None:
        visit = ticket.open_visit
        if visit is not None:
            visit.ended_at = now
            visit.outcome = outcome
            visit.note = note

    def _waiting_for(self, s: Session, ticket: Ticket) -> int:
        return s.scalar(
            select(func.count()).where(
                Ticket.state.in_([st.value for st in QUEUED]),
                Ticket.service_code == ticket.service_code,
                Ticket.queued_at >= self.clock.day_start(self.clock.today()),
            )
        )

    def _ahead(self, s: Session, ticket: Ticket) -> int | None:
        if S(ticket.state) not in QUEUED:
            return None
        return s.scalar(
            select(func.count()).where(
                Ticket.state.in_([st.value for st in QUEUED]),
                Ticket.current_role == ticket.current_role,
                Ticket.queued_at >= self.clock.day_start(self.clock.today()),
                (Ticket.queue_key < ticket.queue_key)
                | ((Ticket.queue_key == ticket.queue_key) & (Ticket.id < ticket.id)),
            )
        )

    def _called(self, s: Session, ticket: Ticket, counter: Counter, user: User, recall: bool) -> Event:
        return self._event(
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

    def _event(
        self, s: Session, kind: str, ticket: Ticket, counter: Counter | None, user: User | None, **extra: Any
    ) -> Event:
        # Only numbers, services, counters and states: this payload reaches public screens.
        payload = {
            "number": ticket.number,
            "service": ticket.service_code,
            "state": ticket.state,
            "step": ticket.step_index + 1,
            "role": ticket.current_role,
            "counter": counter.name if counter else None,
            **extra,
        }
        s.add(
            EventRecord(
                at=self.clock.now(),
                kind=kind,
                ticket_id=ticket.id,
                counter_id=counter.id if counter else None,
                officer_id=user.id if user else None,
                payload=payload,
            )
        )
        return Event(kind, payload, ticket.id, counter.id if counter else None, user.id if user else None)

    def _calls_needed(self, s: Session) -> int:
        """Calls before a no-show: the office's setting, else the configured default."""
        return read_settings(s).calls_before_no_show or self.policy.calls_before_no_show

    def _view(self, s: Session, t: Ticket, with_ahead: bool = False, with_visits: bool = True) -> TicketView:
        sop = self.catalog.get(t.service_code)
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
            code=self.signer.sign(t.id, t.service_day, t.number),
            calls_before_no_show=self._calls_needed(s),
            as_of=self.clock.now(),
            applicant={"name": t.applicant.name, "nik": t.applicant.nik} if t.applicant else None,
            ahead=self._ahead(s, t) if with_ahead else None,
            visits=visits,
        )
