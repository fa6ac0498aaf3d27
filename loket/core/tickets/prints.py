"""What was printed for a ticket, and the printer failures staff still have to solve."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from loket.core.context import Context
from loket.core.events import Event
from loket.core.outbox.webhooks import FAILING, RECOVERED
from loket.core.store import EventRecord

from .records import INSERT_EVENT, ticket_by_id


def record_print(
    loket: Context,
    ticket_id: int,
    kind: str,
    ok: bool,
    printer: str,
    reason: str | None = None,
    kiosk: str | None = None,
    user_id: int | None = None,
    *,
    number: str | None = None,
) -> list[Event]:
    """Note a printed (or failed) ticket or slip; a failure becomes a staff alert.

    `number`: the ticket's number when the caller knows it (then the ticket is not read again).
    """
    with loket.store.transaction() as s:
        if number is None:
            number = ticket_by_id(s, ticket_id).number
        payload = {
            "number": number,
            "kind": kind,
            "printer": printer,
            "kiosk": kiosk,
            "reason": reason,
        }
        name = "ticket.printed" if ok else "printer.failed"
        row = {"at": loket.clock.now(), "kind": name, "ticket_id": ticket_id, "officer_id": user_id, "payload": payload}
        s.connection().execute(INSERT_EVENT, row)  # one statement, no ORM object: every ticket's print is noted
        return [Event(name, payload, ticket_id, None, user_id)]


@dataclass(frozen=True)
class PrintNote:
    """A print to note (`record_prints`): what `record_print` takes, and when it was printed."""

    ticket_id: int
    number: str
    kind: str
    ok: bool
    printer: str
    reason: str | None
    kiosk: str | None
    at: datetime
    user_id: int | None = None


def record_prints(loket: Context, notes: Sequence[PrintNote]) -> list[Event]:
    """Note several prints as `record_print` notes one, in one transaction (a printer's queue after a burst)."""
    rows, events = [], []
    for note in notes:
        payload = {
            "number": note.number,
            "kind": note.kind,
            "printer": note.printer,
            "kiosk": note.kiosk,
            "reason": note.reason,
        }
        name = "ticket.printed" if note.ok else "printer.failed"
        rows.append(
            {"at": note.at, "kind": name, "ticket_id": note.ticket_id, "officer_id": note.user_id, "payload": payload}
        )
        events.append(Event(name, payload, note.ticket_id, None, note.user_id))
    if rows:
        with loket.store.transaction() as s:
            s.connection().execute(INSERT_EVENT, rows)
    return events


def printer_alerts(loket: Context, limit: int = 20) -> list[dict[str, Any]]:
    """Today's printer failures not yet solved by a later successful print, newest first."""
    with loket.store.read() as s:
        rows = s.scalars(
            select(EventRecord)
            .where(
                EventRecord.kind.in_(["printer.failed", "ticket.printed"]),
                EventRecord.at >= loket.clock.day_start(loket.clock.today()),
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


#: Why a staff alert was raised: staff go and look at the kiosk or the hall (message_failed: the outbox gave a
#: message to a resident up, loket/core/outbox/worker.py; help: a resident pressed "Bantuan" on a kiosk).
ALERT_REASONS = ("unpaired_burst", "kiosk_burst", "pin_lockout", "message_failed", "help")


def record_alert(loket: Context, reason: str, payload: dict[str, Any]) -> list[Event]:
    """Note something at a public kiosk staff must look at (a burst of tickets, a PIN lockout); a staff alert."""
    data = {"reason": reason, **payload}
    with loket.store.transaction() as s:
        s.add(EventRecord(at=loket.clock.now(), kind="kiosk.alert", payload=data))
    return [Event("kiosk.alert", dict(data, at=loket.clock.now().isoformat()))]


def kiosk_alerts(loket: Context, limit: int = 20) -> list[dict[str, Any]]:
    """Today's kiosk alerts, newest first; a webhook subscription's failing alert is gone once a delivery to it got
    through again (its "webhook.recovered" record, outbox/webhooks.record_outcome)."""
    with loket.store.read() as s:
        rows = s.scalars(
            select(EventRecord)
            .where(
                EventRecord.kind.in_(["kiosk.alert", RECOVERED]),
                EventRecord.at >= loket.clock.day_start(loket.clock.today()),
            )
            .order_by(EventRecord.id.desc())
        ).all()
        recovered: set[Any] = set()
        alerts = []
        for r in rows:  # newest first: a recovery hides that subscription's older alerts
            sub = (r.payload or {}).get("subscription_id")
            if r.kind == RECOVERED:
                recovered.add(sub)
            elif not (r.payload.get("reason") == FAILING and sub in recovered):
                alerts.append(dict(r.payload, at=r.at.isoformat(), id=r.id))
        return alerts[:limit]


def last_print(loket: Context, ticket_id: int, kind: str = "ticket") -> dict[str, Any] | None:
    """How the ticket's last print went ({"ok", "printer", "reason"}), or None when none is recorded yet."""
    with loket.store.read() as s:
        rows = s.scalars(
            select(EventRecord)
            .where(EventRecord.ticket_id == ticket_id, EventRecord.kind.in_(["ticket.printed", "printer.failed"]))
            .order_by(EventRecord.id.desc())
        ).all()
        for r in rows:
            if r.payload.get("kind", "ticket") == kind:
                return {
                    "ok": r.kind == "ticket.printed",
                    "printer": r.payload.get("printer"),
                    "reason": r.payload.get("reason"),
                }
        return None
