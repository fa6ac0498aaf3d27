"""Two sites and a hub for the roll-up tests (issue 16): each site a Loket on its own database that works with its own
domain code, its rows tagged with its code and numbered in its own id range (what `flask site init` makes of a site:
the column default and the sequences); the hub a third database that holds copies of both sites' rows, as logical
replication delivers them (whole rows, ids and tags kept), with its unique constraints widened by site (`flask hub
init`).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, Table, insert, select, text
from sqlalchemy.engine import Engine

from loket.core.accounts import create_counter, create_user
from loket.core.booking import operations as booking
from loket.core.booking.config import BookingConfig, ServiceBooking, write_config
from loket.core.clock import FrozenClock
from loket.core.context import Policy
from loket.core.qr import CodeSigner
from loket.core.roles import Actor, Role
from loket.core.service import Loket
from loket.core.sites.ids import SITE_ID_RANGE, TAGGED_TABLES
from loket.core.store import Disruption, Site, StepVisit, Store, Ticket
from loket.core.survey import ELEMENT_KEYS, submit_response
from loket.core.tickets import flow, issuing, queue
from tests.core.test_report_days import TODAY, write_history
from tests.fixtures.database import copy_sqlite

KIA = "penerbitan-kia"
KTP = "pencetakan-ktp-el"
TUESDAY = TODAY + timedelta(days=1)
RULE = {
    "hours": {"tue": {"open": "08:00", "close": "10:00"}},
    "slot_minutes": 30,
    "seats_per_slot": 4,
    "priority_percent": 0,
    "opens_days_before": 2,
}
#: (table, column) pointing at a tagged row's id (as migration 0016).
POINTERS = [
    ("tickets", "counter_id"),
    ("tickets", "target_counter_id"),
    ("step_visits", "ticket_id"),
    ("step_visits", "counter_id"),
    ("events", "ticket_id"),
    ("events", "counter_id"),
    ("bookings", "slot_id"),
    ("bookings", "ticket_id"),
]
#: The order rows are copied in (each after the rows it points at).
COPY_ORDER = (
    "counters",
    "tickets",
    "step_visits",
    "events",
    "survey_responses",
    "booking_slots",
    "bookings",
    "disruptions",
)
ALL_FOUR = dict.fromkeys(ELEMENT_KEYS, 4)


@dataclass
class SiteDb:
    code: str
    number: int
    name: str
    loket: Loket
    path: Path


def _config(loket: Loket) -> None:
    with loket.store.transaction() as s:
        write_config(s, BookingConfig(enabled=True, services={KIA: ServiceBooking(**RULE)}), loket.clock.now(), None)


def make_site(tmp: Path, template: Path, catalog, code: str, number: int, name: str, seed: int) -> SiteDb:
    """A site's own database and Loket: varied history (as tests/core/test_report_days.py writes it), then today's
    work through the domain (tickets served and waiting, survey answers, bookings for tomorrow), a disruption on a
    past day; then its rows are tagged and renumbered into its range, as a site's database is."""
    path = tmp / f"site-{code}.db"
    store = Store(copy_sqlite(template, path))
    clock = FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC))
    loket = Loket(store, catalog, CodeSigner("test-secret", "test-office"), clock, Policy())
    clock.advance(hours=2.5)  # 10:30 in Jakarta, today
    write_history(loket, clock.now(), per_day=8, seed=seed)
    # Today through the domain code, as a site's desks do.
    desk_user = create_user(store, clock, "pelayanan", "Petugas Pelayanan", "password123", [Role.PELAYANAN])
    operator = create_user(store, clock, "operator", "Petugas Operator", "password123", [Role.OPERATOR])
    desk_counter = create_counter(store, "Loket Depan", 7, [Role.PELAYANAN])
    room = create_counter(store, "Ruang Operator", 9, [Role.OPERATOR])
    desk = Actor(desk_user.id, Role.PELAYANAN, desk_counter.id)
    op = Actor(operator.id, Role.OPERATOR, room.id)
    for _ in range(number + 1):  # site 1 serves two berkas, site 2 three
        ticket = issuing.issue(loket, KTP).ticket
        queue.call_next(loket, desk)
        flow.start(loket, desk, ticket.id)
        flow.advance(loket, desk, ticket.id)
        flow.start(loket, op, ticket.id)
        flow.advance(loket, op, ticket.id)
        queue.call_next(loket, desk)
        flow.start(loket, desk, ticket.id)
        done = flow.hand_over(loket, desk, ticket.id).ticket
        submit_response(loket, done.number, {**ALL_FOUR, "waktu": 2 + number % 2})
    for _ in range(3 * number):  # waiting now: 3 at site 1, 6 at site 2
        issuing.issue(loket, KIA if _ % 2 else KTP)
    _config(loket)
    for n in range(number + 2):
        booking.book(loket, KIA, TUESDAY, time(8, 30 * (n % 2)), f"327301010190{number * 100 + n + 1:04d}")
    with store.transaction() as s:
        # An outage on a past day at this site only: site 2's SIAK is down all of 10 November's opening hours.
        start = datetime(2026, 11, 10, 0, 0, tzinfo=UTC) + timedelta(hours=2 * number)
        hours = 9 if number == 2 else 1
        s.add(
            Disruption(
                scope="office", reason="siak", started_at=start, ended_at=start + timedelta(hours=hours), offers={}
            )
        )
        # A resident who took a number on 10 November and left before the call: never called, on a past day, they
        # wait in the hall's figures until the last thing that happened at this site that day (its own horizon).
        sop = loket.catalog.get(KTP)
        issued = datetime(2026, 11, 10, 1, 0, tzinfo=UTC) + timedelta(minutes=7 * number)
        ticket = Ticket(
            service_day=date(2026, 11, 10),
            prefix="Z",
            seq=1,
            number="Z-001",
            service_code=KTP,
            steps=sop.snapshot(),
            state="waiting",
            step_index=0,
            current_role=sop.steps[0].role.value,
            queue_key=issued.timestamp(),
            queued_at=issued,
            issued_at=issued,
            version=1,
        )
        s.add(ticket)
        s.flush()
        s.add(
            StepVisit(
                ticket_id=ticket.id,
                step_index=0,
                role=sop.steps[0].role.value,
                target_minutes=sop.steps[0].target_minutes,
                entered_at=issued,
            )
        )
    store.dispose()
    _tag_and_renumber(path, code, number)
    return SiteDb(code, number, name, loket, path)


def _tag_and_renumber(path: Path, code: str, number: int) -> None:
    """What `flask site init` gives a site's rows: its code in `site`, ids in its range (site k from k * 10**12)."""
    offset = number * SITE_ID_RANGE
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        for table in TAGGED_TABLES:
            conn.execute(f"UPDATE {table} SET site = ?, id = id + ?", (code, offset))
        for table, column in POINTERS:
            conn.execute(f"UPDATE {table} SET {column} = {column} + ? WHERE {column} IS NOT NULL", (offset,))
        conn.execute("UPDATE outbox_messages SET ticket_id = ticket_id + ? WHERE ticket_id IS NOT NULL", (offset,))
        conn.execute("UPDATE outbox_messages SET booking_id = booking_id + ? WHERE booking_id IS NOT NULL", (offset,))
        conn.execute("UPDATE applicants SET ticket_id = ticket_id + ?", (offset,))
        conn.execute("DELETE FROM report_days")
        conn.commit()
    finally:
        conn.close()


def widen_hub(engine: Engine) -> None:
    """The hub's unique constraints include `site` (what `flask hub init` does): two sites each have an A-001."""
    widened = {
        "tickets": [("uq_ticket_day_number", ["site", "service_day", "number"])],
        "booking_slots": [("uq_booking_slot_service_start", ["site", "service_code", "starts_at"])],
    }
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            for table, constraints in widened.items():
                for name, columns in constraints:
                    conn.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))
                    conn.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE ({', '.join(columns)})"))
            conn.execute(text("ALTER TABLE counters DROP CONSTRAINT IF EXISTS counters_name_key"))
            conn.execute(text("ALTER TABLE counters ADD CONSTRAINT counters_name_key UNIQUE (site, name)"))
        return
    from alembic.migration import MigrationContext
    from alembic.operations import Operations

    convention = {"uq": "uq_%(table_name)s_%(column_0_name)s"}  # names SQLite's unnamed UNIQUE (name) to drop it
    with engine.begin() as conn:
        ops = Operations(MigrationContext.configure(conn))
        for table, constraints in widened.items():
            with ops.batch_alter_table(table, recreate="always") as batch:
                for name, columns in constraints:
                    batch.drop_constraint(name, type_="unique")
                    batch.create_unique_constraint(name, columns)
        with ops.batch_alter_table("counters", recreate="always", naming_convention=convention) as batch:
            batch.drop_constraint("uq_counters_name", type_="unique")
            batch.create_unique_constraint("uq_counters_site_name", ["site", "name"])


def register_sites(hub: Loket, sites: list[SiteDb]) -> None:
    with hub.store.transaction() as s:
        for site in sites:
            s.add(
                Site(
                    code=site.code,
                    number=site.number,
                    name=site.name,
                    kind="kecamatan",
                    active=True,
                    created_at=hub.clock.now(),
                )
            )
    _config(hub)


def copy_users(site: SiteDb, hub: Loket) -> None:
    """The staff accounts are the hub's (replicated down to every site): the same ids at both sites."""
    _copy(site, hub, "users", None)


def copy_rows(site: SiteDb, hub: Loket, keep: Any = None) -> None:
    """The site's rows the hub does not hold yet (what replication delivers); `keep(table, row)` holds some back."""
    for table in COPY_ORDER:
        _copy(site, hub, table, keep)


def _copy(site: SiteDb, hub: Loket, table_name: str, keep: Any) -> None:
    source = Store(f"sqlite:///{site.path}")
    try:
        meta = MetaData()
        table = Table(table_name, meta, autoload_with=source.engine)
        with source.engine.connect() as conn:
            rows = [dict(r._mapping) for r in conn.execute(select(table))]
    finally:
        source.dispose()
    target = Table(table_name, MetaData(), autoload_with=hub.store.engine)
    pk = [c.name for c in target.primary_key.columns]
    with hub.store.engine.begin() as conn:
        have = {tuple(r) for r in conn.execute(select(*[target.c[k] for k in pk]))}
        fresh = [r for r in rows if tuple(r[k] for k in pk) not in have and (keep is None or keep(table_name, r))]
        if fresh:
            conn.execute(insert(target), fresh)
