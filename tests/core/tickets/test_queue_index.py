"""The queue's counts read only index entries (issue 12): a covering index, on SQLite and PostgreSQL.

A new ticket's place (issuing._PLACE) and the waiting per service and per role (the boards, the kiosk's
estimate) count today's queued tickets; without a covering index each count reads every waiting
ticket's row. The plans are the databases' own (EXPLAIN QUERY PLAN, EXPLAIN), no timing.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import event

from loket.core.tickets import issuing, queue, records

COVER = "ix_ticket_queue_cover"


def _plan(store, sql: str, params) -> str:
    with store.engine.begin() as conn:
        if store.is_postgres:
            # An empty table is read whole most cheaply; with sequential scans priced out the planner shows
            # whether the index alone can answer.
            conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            return "\n".join(row[0] for row in conn.exec_driver_sql("EXPLAIN " + sql, params))
        return "\n".join(row[3] for row in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))


def _uses_cover(store, plan: str) -> bool:
    if store.is_postgres:
        return f"Index Only Scan using {COVER}" in plan and "Seq Scan" not in plan
    return f"COVERING INDEX {COVER}" in plan and "SCAN tickets" not in plan


def test_a_new_tickets_place_counts_index_entries_only(store):
    compiled = issuing._PLACE.statement.compile(
        dialect=store.engine.dialect, compile_kwargs={"render_postcompile": True}
    )
    values = {
        "role": "pelayanan",
        "place": 1.0,
        "id": 7,
        "service": "pencetakan-ktp-el",
        "day_start": datetime(2026, 11, 23) if store.is_postgres else "2026-11-23 00:00:00.000000",
    }
    params = values if store.is_postgres else tuple(values[name] for name in compiled.positiontup or [])
    plan = _plan(store, str(compiled), params)
    assert _uses_cover(store, plan), plan


def test_the_waiting_counts_read_index_entries_only(loket):
    seen: list[tuple[str, object]] = []

    def remember(conn, cursor, statement, parameters, context, executemany):
        if "count(" in statement and "GROUP BY" in statement:
            seen.append((statement, parameters))

    event.listen(loket.store.engine, "before_cursor_execute", remember)
    try:
        with loket.store.read() as s:
            records.waiting_by_service(loket, s)
            queue.waiting_by_role_and_service(loket, s)
    finally:
        event.remove(loket.store.engine, "before_cursor_execute", remember)
    assert len(seen) == 2
    for sql, params in seen:
        plan = _plan(loket.store, sql, params)
        assert _uses_cover(loket.store, plan), (sql, plan)


def test_postgresql_keeps_a_bursts_new_tickets_visible_to_the_index_only_count(loket):
    """PostgreSQL: after `vacuum_every` tickets the table is vacuumed (store.Store.issued), so the place count reads no
    ticket row even for the tickets just issued (its Heap Fetches: 0); autovacuum would wait for 1,000 of them."""
    store = loket.store
    store.vacuum_every = 5
    for _ in range(5):
        issuing.issue(loket, "pencetakan-ktp-el")
    if not store.is_postgres:
        assert store._vacuum is None  # SQLite has no visibility map: nothing to do
        return
    store._vacuum.join(timeout=30)
    compiled = issuing._PLACE.statement.compile(
        dialect=store.engine.dialect, compile_kwargs={"render_postcompile": True}
    )
    values = {
        "role": "pelayanan",
        "place": 1e15,
        "id": 1_000_000,
        "service": "pencetakan-ktp-el",
        "day_start": datetime(2026, 11, 22),
    }
    with store.engine.begin() as conn:
        conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
        conn.exec_driver_sql("SET LOCAL enable_bitmapscan = off")
        plan = "\n".join(r[0] for r in conn.exec_driver_sql("EXPLAIN (ANALYZE) " + str(compiled), values))
    assert f"Index Only Scan using {COVER}" in plan and "Heap Fetches: 0" in plan, plan
    assert "rows=5 " in plan.split("Index Only Scan")[1], plan
