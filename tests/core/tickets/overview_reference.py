"""The kiosk's services overview as it was computed before issue 12: service by service, four queries each.

Kept as the definition the grouped queries of issuing.services_overview must agree with
(test_services_overview.py) and as the baseline of bench/services_overview.py.
"""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from loket.core.catalog import Sop
from loket.core.context import Context
from loket.core.store import StepVisit, Ticket
from loket.core.tickets.issuing import availability, blanko
from loket.core.tickets.queue import DEFAULT_DESK_MINUTES
from loket.core.tickets.records import queued_today, waiting_by_service


def waiting_for_role(loket: Context, s: Session, role: str) -> int:
    """How many wait in the hall now for a counter of this role."""
    return s.scalar(select(func.count()).where(queued_today(loket), Ticket.current_role == role)) or 0


def service_minutes(loket: Context, s: Session, sop: Sop) -> tuple[float, str]:
    """One resident's time at this service's first desk: the mean of its last 30 finished first steps of the
    past 14 days; with fewer than 3 of them, the SOP's own target for that step."""
    since = loket.clock.now() - timedelta(days=14)
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
        return sum((end - start).total_seconds() for start, end in recent) / len(recent) / 60, "history"
    return float(sop.steps[0].target_minutes or DEFAULT_DESK_MINUTES), "sop"


def estimate(loket: Context, s: Session, sop: Sop) -> tuple[int, str]:
    """Minutes a new ticket would wait: each person ahead in the queue (the counters of the first step's role)
    at their own service's time, over the counters at work."""
    role = sop.steps[0].role.value
    total, basis, people = 0.0, "history", 0
    for other in loket.catalog:
        n = s.scalar(
            select(func.count()).where(
                queued_today(loket), Ticket.current_role == role, Ticket.service_code == other.code
            )
        )
        if not n:
            continue
        minutes, origin = service_minutes(loket, s, other)
        total, people = total + n * minutes, people + n
        basis = basis if origin == "history" else "sop"
    if not people:
        return 0, "history"
    busy = s.scalar(
        select(func.count(func.distinct(StepVisit.counter_id))).where(
            StepVisit.role == role,
            StepVisit.counter_id.is_not(None),
            StepVisit.called_at >= loket.clock.day_start(loket.clock.today()),
        )
    )
    return math.ceil(round(total / max(1, busy or 0), 6)), basis


def services_overview(loket: Context) -> list[dict[str, Any]]:
    """Per service, what a kiosk shows before a ticket, each service queried on its own."""
    with loket.store.read() as s:
        settings = loket.settings
        waiting = waiting_by_service(loket, s)
        out = []
        for sop in loket.catalog:
            verdict = availability(loket, s, sop, settings)
            ahead = waiting_for_role(loket, s, sop.steps[0].role.value)
            minutes, basis = estimate(loket, s, sop)
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
