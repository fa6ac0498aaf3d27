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


def estimate(loket: Context, s: Session, sop: Sop, ahead: int) -> tuple[int, str]:
    """Minutes a new ticket would wait: people ahead x recent real service time / counters at work.

    Service time is the mean of the last 30 finished first steps of this service in the
    past 14 days; with fewer than 3 of them, the SOP's own target for that step.
    """
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
        per_person = sum((end - start).total_seconds() for start, end in recent) / len(recent) / 60
        basis = "history"
    else:
        per_person = float(sop.steps[0].target_minutes or DEFAULT_DESK_MINUTES)
        basis = "sop"
    role = sop.steps[0].role.value
    busy = s.scalar(
        select(func.count(func.distinct(StepVisit.counter_id))).where(
            StepVisit.role == role,
            StepVisit.counter_id.is_not(None),
            StepVisit.called_at >= loket.clock.day_start(loket.clock.today()),
        )
    )
    return math.ceil(ahead * per_person / max(1, busy or 0)), basis


def services_overview(loket: Context) -> list[dict[str, Any]]:
    """Per service, what a kiosk shows before a ticket, each service queried on its own."""
    with loket.store.read() as s:
        settings = loket.settings
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
