"""Today's report reads its berkas's pended events through ix_events_ticket_kind (migration 0022), not every event.

`days.live_parts` asks for the `ticket.pended` events of today's berkas; without an index on events.ticket_id every
pended event there ever was is read, a cost that grows with the history (docs/performance.md "## Reports"). The
plans are the databases' own (EXPLAIN QUERY PLAN, EXPLAIN), no timing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event

from loket.core.reports import build_report
from loket.core.store import EventRecord, StepVisit, Ticket

INDEX = "ix_events_ticket_kind"


def _plan(store, sql: str, params) -> str:
    with store.engine.begin() as conn:
        if store.is_postgres:
            # Tiny tables are read whole most cheaply; with sequential scans priced out the planner shows which
            # index serves the events.
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            return "\n".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + sql, params))
        return "\n".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))


def _uses_index(store, plan: str) -> bool:
    if store.is_postgres:
        return INDEX in plan and "Seq Scan on events" not in plan
    return f"INDEX {INDEX}" in plan and "SCAN events" not in plan


def test_todays_pended_events_are_read_by_ticket(loket, clock):
    now = clock.now()
    with loket.store.transaction() as s:
        sop = next(s for s in loket.catalog if not s.draft)
        issued = now - timedelta(minutes=30)
        t = Ticket(
            service_day=clock.today(),
            prefix=sop.prefix,
            seq=1,
            number=f"{sop.prefix}-001",
            service_code=sop.code,
            steps=sop.snapshot(),
            state="pending",
            step_index=0,
            current_role=sop.steps[0].role.value,
            queue_key=issued.timestamp(),
            queued_at=issued,
            issued_at=issued,
            version=1,
        )
        s.add(t)
        s.flush()
        s.add(
            StepVisit(
                ticket_id=t.id,
                step_index=0,
                role=sop.steps[0].role.value,
                target_minutes=sop.steps[0].target_minutes,
                entered_at=issued,
                called_at=issued + timedelta(minutes=5),
                started_at=issued + timedelta(minutes=6),
                ended_at=issued + timedelta(minutes=10),
                outcome="pended",
            )
        )
        s.add(EventRecord(at=issued + timedelta(minutes=10), kind="ticket.pended", ticket_id=t.id, payload={}))
        # Older pended events of no berkas of today: the index on (kind, at) would read them too.
        s.add_all(
            EventRecord(at=datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=i), kind="ticket.pended", payload={})
            for i in range(20)
        )
    seen: list[tuple[str, object]] = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if "FROM events" in statement and "ticket_id" in statement:
            seen.append((statement, parameters))

    event.listen(loket.store.engine, "before_cursor_execute", remember)
    try:
        report = build_report(loket, clock.today())
    finally:
        event.remove(loket.store.engine, "before_cursor_execute", remember)
    assert report.total.issued == 1
    assert len(seen) == 1
    sql, params = seen[0]
    plan = _plan(loket.store, sql, params)
    assert _uses_index(loket.store, plan), (sql, plan)
