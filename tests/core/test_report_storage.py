"""PostgreSQL keeps the report summaries' durations uncompressed (migration 0022, and a schema made by create_all).

They hardly compress, and a year's report would otherwise have the server decompress every day's durations each
time (docs/performance.md "## Reports"). SQLite never compresses: nothing to check there.
"""

from __future__ import annotations

from sqlalchemy import create_engine, text

from loket.core.migrate import upgrade
from loket.core.store import Store

STORAGE = text(
    "SELECT attname, attstorage FROM pg_attribute WHERE attrelid = 'report_days'::regclass"
    " AND attname IN ('durations', 'open_durations', 'figures') ORDER BY attname"
)


def _storage(url: str) -> dict[str, str]:
    engine = create_engine(url)
    with engine.connect() as conn:
        found = {name: kind for name, kind in conn.execute(STORAGE)}
    engine.dispose()
    return found


def _fresh(url: str) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()


def test_migrations_store_durations_uncompressed(pg_database_url):
    _fresh(pg_database_url)
    upgrade(pg_database_url)
    assert _storage(pg_database_url) == {"durations": "e", "open_durations": "e", "figures": "x"}
    _fresh(pg_database_url)


def test_create_all_stores_durations_uncompressed(pg_database_url):
    _fresh(pg_database_url)
    store = Store(pg_database_url)
    store.create_all()
    store.dispose()
    assert _storage(pg_database_url) == {"durations": "e", "open_durations": "e", "figures": "x"}
    _fresh(pg_database_url)
