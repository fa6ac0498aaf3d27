"""Disruption mode (gangguan, issue 14): the office or one service is down, said everywhere at once.

The admin or the head of office (Kepala Dinas, otherwise read-only) switches the whole office or one
service into disruption with a reason (SIAK, network, power, other), a free note and an expected time
back, and ends it. In the same transaction as switching it on, every resident waiting today for that
service (or any, for the office) who left a number gets one message through the outbox: its
idempotency key names the disruption and the ticket, so never twice per ticket per disruption. Both
moves are written to the audit log (`disruption.started`, `disruption.ended`). The kiosk, the board and
the status pages show the disruptions in force (`current`); the reports list their minutes apart and
leave them out of SOP compliance (`intervals`, docs/reports.md).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from loket.core.messages import _, texts

from .context import Context
from .errors import Conflict, InvalidInput, NotAllowed, NotFound, problem
from .events import Event
from .outbox.moments import PENDING, status_link
from .outbox.texts import render
from .roles import Actor, Role
from .states import PendingReason, TicketState
from .store import Disruption, EventRecord, OutboxMessage, Ticket, User

OFFICE, SERVICE = "office", "service"
#: Why: the reasons an office names (the seed's conditions: SIAK, the network; and the power).
REASON_LABELS: dict[str, dict[str, str]] = {
    "siak": texts(_("Server SIAK tidak dapat diakses")),
    "network": texts(_("Jaringan terganggu")),
    "power": texts(_("Listrik padam")),
    "other": texts(_("Gangguan lain")),
}
REASONS = tuple(REASON_LABELS)
#: Who may switch a disruption on and off: the admin, and the head of office (read-only otherwise).
DISRUPTION_ROLES = (Role.ADMIN, Role.KEPALA)
#: What the kiosk may offer meanwhile: take a ticket anyway, book another day, or leave the berkas ("titip
#: berkas": a ticket of source TITIP, received at the front desk, then waiting at the back-office steps until
#: the service is back, without the resident; see `titip_fits`, tickets/flow.advance and `_release`).
OFFERS = ("ticket", "book", "titip")
DEFAULT_OFFERS = {"ticket": True, "book": True, "titip": False}
#: The source of a left berkas's ticket (Ticket.source): its waiting is not a resident's waiting (reports).
TITIP = "titip"
#: A resident waiting today in one of these states hears of a disruption of their service.
AFFECTED_STATES = (
    TicketState.WAITING.value,
    TicketState.CALLED.value,
    TicketState.SERVING.value,
    TicketState.IN_PROCESS.value,
    TicketState.PENDING.value,
)
NOTE_MAX = 300


def back_at(loket: Context, hhmm: str) -> datetime:
    """The next moment the office's clock shows HH:MM (today, or tomorrow when it has passed): the expected time
    back as the admin types it, in the office's time zone whatever the browser's is."""
    hour, minute = (int(p) for p in hhmm.split(":"))
    moment = datetime.combine(loket.clock.today(), time(hour, minute), loket.clock.tz).astimezone(UTC)
    return moment if moment > loket.clock.now() else moment + timedelta(days=1)


def stops_tickets(loket: Context, service_code: str) -> bool:
    """Whether a disruption in force of this service or of the office gives no ticket meanwhile (the office's
    choice when switching it on): the kiosk says so, and the server refuses (issuing.issue).

    Every ticket asks, so the disruptions in force are kept in the process (`Context.kept`): one switched on or off
    here applies at once, in another process within its `kept_seconds`."""
    return any(
        (scope == OFFICE or code == service_code) and not offers.get("ticket", DEFAULT_OFFERS["ticket"])
        for scope, code, offers in _kept_in_force(loket)
    )


def _kept_in_force(loket: Context) -> tuple[tuple[str, str | None, dict[str, Any]], ...]:
    def load() -> tuple[tuple[str, str | None, dict[str, Any]], ...]:
        with loket.store.read() as s:
            rows = s.execute(
                select(Disruption.scope, Disruption.service_code, Disruption.offers).where(
                    Disruption.ended_at.is_(None)
                )
            ).all()
        return tuple((scope, code, dict(offers or {})) for scope, code, offers in rows)

    return loket.kept("disruptions-in-force", Disruption, load)


def _in_force(service_code: str) -> Any:
    return select(Disruption).where(
        Disruption.ended_at.is_(None),
        or_(Disruption.scope == OFFICE, Disruption.service_code == service_code),
    )


def disrupted(s: Session, service_code: str) -> bool:
    """Whether a disruption of this service or of the whole office is in force."""
    return s.scalar(_in_force(service_code).with_only_columns(Disruption.id).limit(1)) is not None


def titip_fits(steps: list[dict[str, Any]]) -> bool:
    """Whether a berkas of these SOP steps can be left behind: the front desk receives it (the first step, at a
    counter), then only back-office steps follow (none needs the resident) up to the hand-over, if any. A service
    whose later steps need the resident (a photo, fingerprints) cannot be left."""
    if len(steps) < 2 or not steps[0].get("resident_present"):
        return False
    middle = steps[1:-1] if steps[-1].get("resident_present") else steps[1:]
    return bool(middle) and not any(step.get("resident_present") for step in middle)


def titip_offered(s: Session, service_code: str) -> bool:
    """Whether a disruption in force of this service or of the office offers "titip berkas" (the office's choice)."""
    return any(bool((d.offers or {}).get(TITIP, DEFAULT_OFFERS[TITIP])) for d in s.scalars(_in_force(service_code)))


def _who(s: Session, actor: Actor) -> User:
    user = s.get(User, actor.user_id)
    if user is None or not user.active:
        raise NotAllowed(_("Akun tidak aktif."))
    if actor.role not in DISRUPTION_ROLES or actor.role.value not in user.roles:
        raise NotAllowed(_("Hanya admin atau kepala kantor yang dapat mengubah status gangguan."))
    return user


def view(loket: Context, d: Disruption) -> dict[str, Any]:
    """What anyone may see of a disruption (no personal data: who switched it is for staff, `staff_view`)."""
    sop = loket.catalog.get(d.service_code) if d.service_code else None
    service = (
        sop.name.model_dump() if sop else ({"id": d.service_code, "en": d.service_code} if d.service_code else None)
    )
    return {
        "id": d.id,
        "scope": d.scope,
        "service_code": d.service_code,
        "service": service,
        "reason": d.reason,
        "reason_label": REASON_LABELS.get(d.reason, REASON_LABELS["other"]),
        "note": d.note or "",
        "expected_back": d.expected_back.isoformat() if d.expected_back else None,
        "offers": {k: bool((d.offers or {}).get(k, DEFAULT_OFFERS[k])) for k in OFFERS},
        "started_at": d.started_at.isoformat(),
        "ended_at": d.ended_at.isoformat() if d.ended_at else None,
    }


def _minutes(d: Disruption, now: datetime) -> float:
    return round(((d.ended_at or now) - d.started_at).total_seconds() / 60, 1)


def staff_view(loket: Context, d: Disruption, names: dict[int, str]) -> dict[str, Any]:
    return dict(
        view(loket, d),
        started_by=names.get(d.started_by) if d.started_by else None,
        ended_by=names.get(d.ended_by) if d.ended_by else None,
        minutes=_minutes(d, loket.clock.now()),
    )


def current(loket: Context) -> list[dict[str, Any]]:
    """The disruptions in force, the office's first, then by service and start."""
    with loket.store.read() as s:
        rows = s.scalars(select(Disruption).where(Disruption.ended_at.is_(None)).order_by(Disruption.id)).all()
        out = [view(loket, d) for d in rows]
    return sorted(out, key=lambda d: (d["scope"] != OFFICE, d["service_code"] or "", d["id"]))


def history(loket: Context, limit: int = 50) -> list[dict[str, Any]]:
    """Every disruption, newest first, with who switched it on and off and its minutes so far."""
    with loket.store.read() as s:
        rows = s.scalars(select(Disruption).order_by(Disruption.id.desc()).limit(max(1, min(limit, 500)))).all()
        names = {uid: name for uid, name in s.execute(select(User.id, User.full_name))}
        return [staff_view(loket, d, names) for d in rows]


def start(
    loket: Context,
    actor: Actor,
    scope: str,
    reason: str,
    *,
    service_code: str | None = None,
    note: str | None = None,
    expected_back: datetime | None = None,
    offers: dict[str, bool] | None = None,
) -> tuple[dict[str, Any], list[Event]]:
    """Switch the office or one service into disruption; the residents affected get one message each."""
    problems = []
    if scope not in (OFFICE, SERVICE):
        problems.append(problem("scope", _("Pilih kantor atau satu layanan.")))
    if scope == SERVICE and (not service_code or loket.catalog.get(service_code) is None):
        problems.append(problem("service_code", _("Layanan tidak dikenal.")))
    if reason not in REASONS:
        problems.append(problem("reason", _("Pilih penyebab gangguan.")))
    note = (note or "").strip() or None
    if note and len(note) > NOTE_MAX:
        problems.append(problem("note", _("Catatan terlalu panjang (paling banyak %(n)s huruf).", n=NOTE_MAX)))
    now = loket.clock.now()
    if expected_back is not None and (expected_back.tzinfo is None or expected_back <= now):
        problems.append(problem("expected_back", _("Perkiraan pulih harus sesudah saat ini.")))
    if problems:
        raise InvalidInput(problems)
    code = service_code if scope == SERVICE else None
    chosen = {k: bool((offers or {}).get(k, DEFAULT_OFFERS[k])) for k in OFFERS}
    with loket.store.transaction() as s:
        user = _who(s, actor)
        same = select(Disruption.id).where(Disruption.ended_at.is_(None), Disruption.scope == scope)
        if code is not None:
            same = same.where(Disruption.service_code == code)
        if s.scalar(same) is not None:
            raise Conflict(_("Gangguan ini sudah berlaku. Akhiri dulu sebelum mencatat yang baru."))
        d = Disruption(
            scope=scope,
            service_code=code,
            reason=reason,
            note=note,
            expected_back=expected_back,
            offers=chosen,
            started_at=now,
            started_by=user.id,
        )
        s.add(d)
        s.flush()
        shown = view(loket, d)
        told = _tell_residents(loket, s, d)
        summary = f"{scope}:{code or '-'} {reason}"
        s.add(
            EventRecord(
                at=now,
                kind="disruption.started",
                officer_id=user.id,
                payload={"summary": summary, "before": None, "after": shown, "messages": told},
            )
        )
    return shown, [Event("disruption.changed", {"disruptions": current(loket)}, officer_id=user.id)]


def end(
    loket: Context,
    actor: Actor,
    disruption_id: int,
    *,
    then: Callable[[Session, Disruption], list[Event]] | None = None,
) -> tuple[dict[str, Any], list[Event]]:
    """End a disruption in force; from now on nobody is told of it. `then` runs in the same transaction once it
    has ended, with its events published first: tickets/titip.end_disruption passes the release of the berkas
    left meanwhile (this module may not reach the tickets: they read the disruptions)."""
    now = loket.clock.now()
    with loket.store.transaction() as s:
        user = _who(s, actor)
        d = s.get(Disruption, disruption_id)
        if d is None:
            raise NotFound(_("Gangguan tidak ditemukan."))
        if d.ended_at is not None:
            raise Conflict(_("Gangguan ini sudah berakhir."))
        before = view(loket, d)
        d.ended_at, d.ended_by = now, user.id
        after = view(loket, d)
        s.add(
            EventRecord(
                at=now,
                kind="disruption.ended",
                officer_id=user.id,
                payload={
                    "summary": f"{d.scope}:{d.service_code or '-'} {d.reason}",
                    "before": before,
                    "after": dict(after, minutes=_minutes(d, now)),
                },
            )
        )
        s.flush()
        released = then(s, d) if then is not None else []
    return after, [*released, Event("disruption.changed", {"disruptions": current(loket)}, officer_id=user.id)]


def _expected_text(loket: Context, d: Disruption) -> dict[str, str]:
    if d.expected_back is None:
        return {"id": "belum diketahui", "en": "not known yet"}
    local = loket.clock.local(d.expected_back)
    when = local.strftime("%H:%M")
    if local.date() != loket.clock.today():
        when = local.strftime("%d-%m-%Y %H:%M")
    return {"id": f"sekitar pukul {when}", "en": f"around {when}"}


def _tell_residents(loket: Context, s: Session, d: Disruption) -> int:
    """One outbox message per affected ticket with a number, in this transaction; returns how many."""
    which = select(Ticket).where(
        Ticket.service_day == loket.clock.today(),
        Ticket.state.in_(AFFECTED_STATES),
        Ticket.phone.is_not(None),
    )
    if d.service_code is not None:
        which = which.where(Ticket.service_code == d.service_code)
    messages = loket.effective_settings.messages
    if not messages.enabled("disruption"):  # the office switched this message off
        return 0
    now = loket.clock.now()
    reason = REASON_LABELS[d.reason]
    back = _expected_text(loket, d)
    told = 0
    for ticket in s.scalars(which.order_by(Ticket.id)):
        sop = loket.catalog.get(ticket.service_code)
        name = sop.name.model_dump() if sop else {"id": ticket.service_code, "en": ticket.service_code}
        link = status_link(loket, ticket)
        text = render(
            messages.texts("disruption"),
            {
                "number": {"id": ticket.number, "en": ticket.number},
                "service": name,
                "reason": reason,
                "expected": back,
                "link": {"id": link, "en": link},
            },
        )
        s.add(
            OutboxMessage(
                # One disruption, one ticket: one message, whatever happens (a retry, a second click).
                idempotency_key=f"{loket.signer.office}:disruption{d.id}:t{ticket.id}:phone",
                ordering_key=f"ticket:{ticket.id}",
                moment="disruption",
                channel="phone",
                address=ticket.phone,
                text_id=text["id"],
                text_en=text["en"],
                state=PENDING,
                attempts=0,
                next_attempt_at=now,
                ticket_id=ticket.id,
                created_at=now,
                updated_at=now,
            )
        )
        told += 1
    return told


# ---- what the reports read ---------------------------------------------------------


def intervals(
    loket: Context, since: datetime, until: datetime, site: str | None = None
) -> dict[str | None, list[tuple[datetime, datetime]]]:
    """The disruptions overlapping since..until, by service code (None: the whole office), as (start, end)
    pairs; one still in force ends now. Read by the reports to leave those minutes out of compliance.

    `site`: only that site's disruptions (at the hub, a site's disruption touches that site's visits alone)."""
    now = loket.clock.now()
    out: dict[str | None, list[tuple[datetime, datetime]]] = {}
    query = select(Disruption.service_code, Disruption.started_at, Disruption.ended_at).where(
        Disruption.started_at < until, or_(Disruption.ended_at.is_(None), Disruption.ended_at > since)
    )
    if site is not None:
        query = query.where(Disruption.site == site)
    with loket.store.read() as s:
        rows = s.execute(query).all()
    for code, started, ended in rows:
        out.setdefault(code, []).append((started, ended or max(now, started)))
    return out


def merged_for(spans: dict[str | None, list[tuple[datetime, datetime]]], code: str) -> list[tuple[datetime, datetime]]:
    """The office's and this service's disruptions as disjoint intervals, in order (minutes never counted twice)."""
    out: list[tuple[datetime, datetime]] = []
    for a, b in sorted([*spans.get(None, []), *spans.get(code, [])]):
        if out and a <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], b))
        else:
            out.append((a, b))
    return out


def overlap_seconds(start: datetime, end: datetime, merged: list[tuple[datetime, datetime]]) -> float:
    """Seconds of start..end inside the merged (disjoint) intervals."""
    total = timedelta()
    for a, b in merged:
        lo, hi = max(start, a), min(end, b)
        if hi > lo:
            total += hi - lo
    return total.total_seconds()


def report_rows(loket: Context, start: date, end: date, site: str | None = None) -> list[dict[str, Any]]:
    """The disruptions of the service days start..end, with their minutes inside the period (`site`: of that site
    only; None: every site's, each with its `site`)."""
    since, until = loket.clock.day_start(start), loket.clock.day_start(end + timedelta(days=1))
    now = loket.clock.now()
    query = select(Disruption).where(
        Disruption.started_at < until, or_(Disruption.ended_at.is_(None), Disruption.ended_at > since)
    )
    if site is not None:
        query = query.where(Disruption.site == site)
    with loket.store.read() as s:
        rows = s.scalars(query.order_by(Disruption.started_at, Disruption.id)).all()
        out = []
        for d in rows:
            lo, hi = max(d.started_at, since), min(d.ended_at or max(now, d.started_at), until)
            if hi > lo or d.started_at == (d.ended_at or now):  # a disruption of no length still shows
                shown = dict(view(loket, d), site=d.site, minutes=round((hi - lo).total_seconds() / 60, 1))
                out.append(dict(shown, **_titip_counts(s, d, now)))
    return out


def _titip_counts(s: Session, d: Disruption, now: datetime) -> dict[str, int]:
    """The berkas left (titip) during a disruption, counted apart from the residents who waited: how many were
    left, how many the front desk received, and how many still wait for the service to come back. Their waiting
    is the berkas's, not a resident's: no resident stood in the hall for them (and no call was made)."""
    which = select(Ticket.state, Ticket.step_index, Ticket.pending_reason).where(
        Ticket.source == TITIP,
        Ticket.issued_at >= d.started_at,
        Ticket.issued_at < (d.ended_at or max(now, d.started_at) + timedelta(microseconds=1)),
    )
    if d.service_code is not None:
        which = which.where(Ticket.service_code == d.service_code)
    left = received = waiting = 0
    for state, step_index, reason in s.execute(which):
        left += 1
        received += step_index > 0
        waiting += state == TicketState.PENDING.value and reason == PendingReason.DISRUPTION.value
    return {"titip": left, "titip_received": received, "titip_waiting": waiting}
