"""The hall right now: who waits, which counters are open or idle, overdue berkas, and today's figures."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import select

from loket.core.context import Context
from loket.core.roles import ROLE_LABELS, STEP_ROLES, Role
from loket.core.states import QUEUED, STATE_LABELS, TicketState
from loket.core.store import Counter, EventRecord, Ticket, User
from loket.core.tickets.views import work_list

from .compute import _service_label, _service_order
from .days import build_report


def live_dashboard(loket: Context, site: str | None = None) -> dict[str, Any]:
    """The hall now: who waits for which service, which counters are open or idle, overdue berkas.

    `site`: that site's hall only; None: every site's together (at the hub, issue 16; each ticket and counter with
    its `site`)."""
    now = loket.clock.now()
    today = loket.clock.today()
    since = loket.clock.day_start(today)

    def of(column: Any) -> list[Any]:
        return [] if site is None else [column == site]

    with loket.store.read() as s:
        waiting_rows = s.execute(
            select(
                Ticket.id,
                Ticket.number,
                Ticket.service_code,
                Ticket.state,
                Ticket.priority,
                Ticket.queued_at,
                Ticket.site,
            )
            .where(Ticket.state.in_([st.value for st in QUEUED]), Ticket.queued_at >= since, *of(Ticket.site))
            .order_by(Ticket.queue_key, Ticket.id)
        ).all()
        stations = s.execute(
            select(EventRecord.kind, EventRecord.counter_id, EventRecord.officer_id, EventRecord.at)
            .where(
                EventRecord.kind.in_(["counter.opened", "counter.closed"]),
                EventRecord.at >= since,
                *of(EventRecord.site),
            )
            .order_by(EventRecord.id)
        ).all()
        at_counters = s.execute(
            select(Ticket.counter_id, Ticket.number, Ticket.state, Ticket.service_code).where(
                Ticket.counter_id.is_not(None),
                Ticket.state.in_([TicketState.CALLED.value, TicketState.SERVING.value]),
                *of(Ticket.site),
            )
        ).all()
        all_counters = s.execute(
            select(Counter.id, Counter.name, Counter.number, Counter.roles, Counter.site)
            .where(Counter.active, *of(Counter.site))
            .order_by(Counter.number, Counter.site)
        ).all()
        # The overdue berkas below come from the work lists, which see every site: keep this site's.
        site_of = (
            None
            if site is None
            else set(s.scalars(select(Ticket.id).where(Ticket.site == site, Ticket.service_day >= today)))
        )
        users = {uid: name for uid, name in s.execute(select(User.id, User.full_name).where(User.active))}

    # Open: an officer's last counter.opened event today is not followed by counter.closed. An
    # officer sits at one counter: opening another (a new log-in elsewhere) leaves the first.
    # A deactivated officer sits nowhere.
    open_since: dict[tuple[int, int | None], datetime] = {}
    for kind, counter_id, officer_id, at in stations:
        if kind == "counter.opened":
            for key in [k for k in open_since if k[1] == officer_id and officer_id is not None]:
                del open_since[key]
            open_since[(counter_id, officer_id)] = at
        else:
            open_since.pop((counter_id, officer_id), None)
    open_since = {k: at for k, at in open_since.items() if k[1] is None or k[1] in users}
    busy: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for counter_id, number, state, service in at_counters:
        busy[counter_id].append({"number": number, "state": state, "service": service})
    counters = []
    for cid, name, number, roles, counter_site in all_counters:
        officers = sorted(
            (
                {"id": oid, "name": users.get(oid, f"#{oid}"), "since": at.isoformat()}
                for (c, oid), at in open_since.items()
                if c == cid
            ),
            key=lambda o: o["since"],
        )
        is_open = bool(officers)
        counters.append(
            {
                "id": cid,
                "site": counter_site,
                "name": name,
                "number": number,
                "roles": list(roles or []),
                "open": is_open,
                "idle": is_open and not busy.get(cid),
                "officers": officers,
                "tickets": busy.get(cid, []),
            }
        )

    services: dict[str, dict[str, Any]] = {}
    waiting = []
    for tid, number, code, state, priority, queued_at, ticket_site in waiting_rows:
        entry = services.setdefault(
            code, {"code": code, "name": _service_label(loket, code), "waiting": 0, "longest_seconds": 0.0}
        )
        seconds = (now - queued_at).total_seconds()
        entry["waiting"] += 1
        entry["longest_seconds"] = max(entry["longest_seconds"], seconds)
        waiting.append(
            {
                "id": tid,
                "site": ticket_site,
                "number": number,
                "service": code,
                "service_name": entry["name"],
                "state": state,
                "state_label": STATE_LABELS[TicketState(state)],
                "priority": priority is not None,
                "since": queued_at.isoformat(),
                "waiting_seconds": seconds,
            }
        )

    overdue: list[dict[str, Any]] = []
    seen: set[int] = set()
    for role in STEP_ROLES:
        for view in work_list(loket, role):
            # late at its step (waiting and work together): where a berkas is stuck; wait and service apart below
            if view.late_at_step and view.id not in seen and (site_of is None or view.id in site_of):
                seen.add(view.id)
                overdue.append(
                    {
                        "id": view.id,
                        "number": view.number,
                        "service": view.service_code,
                        "service_name": view.service_name,
                        "state": view.state.value,
                        "state_label": STATE_LABELS[view.state],
                        "step": view.step_index + 1,
                        "role": view.current_role,
                        "role_label": ROLE_LABELS[Role(view.current_role)],
                        "target_minutes": view.step.get("target_minutes"),
                        "elapsed_seconds": view.step_elapsed_seconds,
                        "wait_seconds": view.step_wait_seconds,
                        "service_seconds": view.step_service_seconds,
                        "counter": view.counter_name,
                    }
                )
    overdue.sort(key=lambda o: -(o["elapsed_seconds"] or 0))
    today_report = build_report(loket, today, today, site)  # today's live part: as build_report_full
    return {
        "as_of": now.isoformat(),
        "site": site,
        "day": today.isoformat(),
        "services": sorted(services.values(), key=lambda e: _service_order(loket, e["code"])),
        "waiting": waiting,
        "waiting_total": len(waiting),
        "counters": counters,
        "counters_open": sum(1 for c in counters if c["open"]),
        "counters_idle": sum(1 for c in counters if c["idle"]),
        "overdue": overdue,
        "today": {
            "issued": today_report.total.issued,
            "served": today_report.total.served,
            "no_shows": today_report.total.no_shows,
            "wait": today_report.total.wait.as_dict(),
            "steps": today_report.total.steps.as_dict(),
        },
    }


__all__ = ["live_dashboard"]
