"""store.Direct (issue 12): a hot statement run straight on the DB-API cursor (SQLite's, psycopg's) stores what
SQLAlchemy stores."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import bindparam, event, insert, select
from sqlalchemy.exc import IntegrityError

from loket.core.store import Direct, EventRecord, NumberSequence

KEYS = ("at", "kind", "ticket_id", "counter_id", "officer_id", "payload")
ROW = {
    "at": datetime(2026, 12, 1, 1, 2, 3, 456789, tzinfo=UTC),
    "kind": "ticket.issued",
    "ticket_id": None,
    "counter_id": None,
    "officer_id": None,
    "payload": {"number": "B-001", "nama": "Ā", "waiting": 3},
}


def test_a_direct_insert_stores_what_sqlalchemy_stores(store):
    direct = Direct(insert(EventRecord).returning(EventRecord.id), KEYS)
    with store.transaction() as s:
        conn = s.connection()
        first = conn.execute(insert(EventRecord).returning(EventRecord.id), ROW).scalar_one()
        second = direct.run(conn, ROW).fetchone()[0]
    assert second == first + 1
    with store.engine.connect() as conn:
        table = EventRecord.__table__
        raw = conn.exec_driver_sql(f"SELECT at, kind, payload FROM {table.name} ORDER BY id").all()
        assert raw[0] == raw[1], "the same text, date format and JSON on disk"
        read = conn.execute(select(EventRecord.at, EventRecord.payload).order_by(EventRecord.id)).all()
    assert read[0] == read[1] == (ROW["at"], ROW["payload"])


def test_a_direct_statement_raises_sqlalchemys_errors(store):
    direct = Direct(insert(NumberSequence).returning(NumberSequence.last_seq), ("service_day", "prefix", "last_seq"))
    row = {"service_day": date(2026, 12, 1), "prefix": "B", "last_seq": 1}
    with store.transaction() as s:
        assert direct.run(s.connection(), row).fetchone()[0] == 1
    with pytest.raises(IntegrityError), store.transaction() as s:  # what issuing.issue() catches for a retry
        direct.run(s.connection(), row)


def test_every_column_of_a_direct_insert_is_given(store):
    direct = Direct(insert(EventRecord), ("at", "kind"))  # payload has a default SQLAlchemy fills in per run
    with pytest.raises(ValueError, match="payload"), store.transaction() as s:
        direct.run(s.connection(), {"at": ROW["at"], "kind": "x"})


def test_a_direct_statement_runs_on_the_cursor_not_through_sqlalchemy(store):
    """Both backends: SQLAlchemy's execution (its events, its result) is what Direct leaves out."""
    seen: list[str] = []
    direct = Direct(select(EventRecord.id).where(EventRecord.kind == bindparam("kind")))

    def remember(conn, cursor, statement, *args):
        seen.append(statement)

    event.listen(store.engine, "before_cursor_execute", remember)
    try:
        with store.transaction() as s:
            conn = s.connection()
            assert direct.run(conn, {"kind": "none"}).fetchone() is None
            assert conn.execute(direct.statement, {"kind": "none"}).first() is None
    finally:
        event.remove(store.engine, "before_cursor_execute", remember)
    assert len([sql for sql in seen if "events" in sql]) == 1, seen
