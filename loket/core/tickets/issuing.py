"""Issuing tickets: at the kiosk or at the counter (walk-in), within the office's hours, quotas and stock."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from loket.core.accounts import acting_at_counter
from loket.core.catalog import Sop
from loket.core.context import Context
from loket.core.errors import ServiceUnavailable
from loket.core.events import Event
from loket.core.messages import _, texts
from loket.core.roles import Actor
from loket.core.settings import OfficeSettings, office_settings, read_settings
from loket.core.states import Priority, TicketState, check_transition
from loket.core.store import StepVisit, Ticket, next_number

from .queue import estimate, waiting_for_role, waiting_for_service
from .records import open_visit, queue_key, record_event, require_step_role, service, set_state, waiting_by_service
from .views import Outcome, ticket_view

S = TicketState


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
        """Tickets left under today's quota (None: no quota)."""
        return None if self.quota is None else max(0, self.quota - self.issued_today)

    def as_dict(self) -> dict[str, Any]:
        """The verdict as JSON for the kiosk."""
        return {
            "ok": self.ok,
            "reason": self.reason,
            "message": self.message,
            "quota": self.quota,
            "issued_today": self.issued_today,
            "remaining": self.remaining,
        }


def issue(
    loket: Context,
    service_code: str,
    priority: str | None = None,
    source: str = "kiosk",
    *,
    issuer: str | None = None,
    key: str | None = None,
) -> Outcome:
    """Give a resident a numbered ticket for a service.

    With a `key` (the kiosk's Idempotency-Key, one per tap), a retry of the same tap by the same
    `issuer` today returns the ticket the first try made (Outcome.replayed, no events), also when
    both tries run at once: the unique key lets one of them in, the other reads its ticket.
    """
    if key is not None:
        replay = _ticket_for_key(loket, issuer, key)
        if replay is not None:
            return replay
    try:
        with loket.store.transaction() as s:
            ticket, events = new_ticket(loket, s, service_code, priority, source)
            ticket.issuer, ticket.idempotency_key = issuer, key
            if key is not None:
                s.flush()  # a concurrent try with the same key fails here, before the answer
            return Outcome(ticket_view(loket, s, ticket, with_ahead=True), events)
    except IntegrityError:
        replay = _ticket_for_key(loket, issuer, key) if key is not None else None
        if replay is None:
            raise
        return replay


def _ticket_for_key(loket: Context, issuer: str | None, key: str) -> Outcome | None:
    """Today's ticket already issued for this issuer's key, as a replayed outcome, or None."""
    with loket.store.read() as s:
        ticket = s.scalar(
            select(Ticket).where(
                Ticket.service_day == loket.clock.today(),
                Ticket.issuer == issuer,
                Ticket.idempotency_key == key,
            )
        )
        if ticket is None:
            return None
        return Outcome(ticket_view(loket, s, ticket, with_ahead=True), [], replayed=True)


def serve_walk_in(loket: Context, actor: Actor, service_code: str, priority: str | None = None) -> Outcome:
    """A resident without a ticket at the counter: issue one and start serving at once."""
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user, counter = acting_at_counter(s, actor)
        ticket, events = new_ticket(loket, s, service_code, priority, "walk_in")
        require_step_role(ticket, actor)
        check_transition(S.WAITING, S.SERVING, "layani langsung")
        set_state(loket, ticket, S.SERVING, now, keep_queue=True)
        ticket.counter = counter
        visit = open_visit(ticket, now)
        visit.started_at = now
        visit.officer = user
        visit.counter = counter
        events.append(record_event(loket, s, "ticket.started", ticket, counter, user))
        return Outcome(ticket_view(loket, s, ticket), events)


def new_ticket(
    loket: Context, s: Session, service_code: str, priority: str | None, source: str
) -> tuple[Ticket, list[Event]]:
    """Add today's next ticket of the service, if the service is available; in an open transaction."""
    sop = service(loket, service_code)
    prio = Priority(priority).value if priority else None
    now = loket.clock.now()
    day = loket.clock.today()
    # The sequence row is locked first, so the quota count below cannot race
    # with another kiosk issuing for the same service (PostgreSQL row lock;
    # SQLite holds the database write lock already).
    seq = next_number(s, day, sop.prefix)
    verdict = availability(loket, s, sop, read_settings(s))
    if not verdict.ok:
        label = verdict.message or texts(_("Layanan tidak tersedia."))
        raise ServiceUnavailable(label["id"], code=verdict.reason, label=label)
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
        queue_key=queue_key(loket, now, prio),
        queued_at=now,
        issued_at=now,
        call_count=0,
    )
    ticket.visits.append(
        StepVisit(step_index=0, role=steps[0]["role"], target_minutes=steps[0]["target_minutes"], entered_at=now)
    )
    s.add(ticket)
    s.flush()
    waiting = waiting_for_service(loket, s, ticket.service_code)
    return ticket, [record_event(loket, s, "ticket.issued", ticket, None, None, waiting=waiting)]


def availability(loket: Context, s: Session, sop: Sop, settings: OfficeSettings) -> Availability:
    """Whether the service issues tickets now: closed today, outside the hours, or its quota used up."""
    name = sop.name
    rule = settings.rule(sop.code)
    issued = (
        s.scalar(
            select(func.count()).where(
                Ticket.service_day == loket.clock.today(),
                Ticket.service_code == sop.code,
                Ticket.state != S.VOIDED.value,  # a voided ticket nobody held gives its place back
            )
        )
        or 0
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
    local = loket.clock.local(loket.clock.now())
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


def blanko(sop: Sop, settings: OfficeSettings) -> dict[str, Any] | None:
    """The KTP-el blank card stock as the kiosk tells it, for a service that uses the cards."""
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
        else texts(_("Blanko KTP-el tersedia."))
    )
    return {"stock": settings.blanko_stock, "out": out, "message": message}


def blanko_notice(loket: Context, service_code: str) -> dict[str, str] | None:
    """What to tell a resident about blank cards for this service, if anything."""
    sop = service(loket, service_code)
    stock = blanko(sop, office_settings(loket.store))
    return stock["message"] if stock and stock["out"] else None


def services_overview(loket: Context) -> list[dict[str, Any]]:
    """Per service, what a kiosk shows before a ticket: open or not, queue, estimated wait."""
    with loket.store.read() as s:
        settings = read_settings(s)
        waiting = waiting_by_service(loket, s)
        out = []
        for sop in loket.catalog:
            verdict = availability(loket, s, sop, settings)
            ahead = waiting_for_role(loket, s, sop.steps[0].role.value)
            minutes, basis = estimate(loket, s, sop, ahead)
            out.append(
                {
                    "code": sop.code,
                    "waiting": waiting.get(sop.code, 0),
                    "ahead": ahead,
                    "estimate_minutes": minutes,
                    "estimate_basis": basis,
                    "availability": verdict.as_dict(),
                    "blanko": blanko(sop, settings),
                }
            )
        return out
