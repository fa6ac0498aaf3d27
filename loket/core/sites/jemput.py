"""Jemput bola (issue 16, docs/sites.md "Jemput bola"): a laptop site set up from the hub, out all day, handed in.

A morning at the hub, the laptop on the hub's LAN with PostgreSQL running (wal_level = logical): `prepare_laptop`
migrates the laptop's database, makes it a site (its number, its id range, its code on every row it makes), subscribes
it to the hub's rules, registers it at the hub (kind `jemput_bola`), subscribes the hub to it, and waits until both
first copies are done and the laptop has every rule the hub had (the officers' accounts, the SOPs, the register with
the others' public keys). The laptop then runs Loket with LOKET_SITE set on its own PostgreSQL, no network needed.

Back in the evening, on whatever address the laptop got: `hand_in` points the hub's subscription at that address
(ALTER SUBSCRIPTION ... CONNECTION), waits until the hub has confirmed everything the laptop's WAL holds up to now
(the laptop's current WAL position against its slot's confirmed_flush_lsn: the hub's apply worker confirms only
what it committed), checks that the hub holds as many of the laptop's rows as the laptop itself, and says what was
handed in, table by table.

No Flask here; `flask site jemput-bola` and `flask site hand-in` (loket/cli.py) are thin over these functions.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

import psycopg
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy import Connection, Engine, create_engine, text
from sqlalchemy.engine import URL

from ..messages import Message, _
from ..migrate import upgrade
from . import replication
from .ids import TAGGED_TABLES, id_range
from .replication import ReplicationError

KIND = "jemput_bola"

#: Each tagged table's name as an officer reads it in the hand-in's account.
TABLE_LABELS: dict[str, Message] = {
    "tickets": _("tiket"),
    "step_visits": _("kunjungan langkah"),
    "events": _("peristiwa"),
    "survey_responses": _("jawaban survei"),
    "booking_slots": _("slot janji temu"),
    "bookings": _("janji temu"),
    "counters": _("loket"),
    "disruptions": _("gangguan"),
}


def conninfo_url(conninfo: str) -> URL:
    """The SQLAlchemy URL of a libpq conninfo (no password: libpq reads ~/.pgpass, as the servers do)."""
    parts = {k: str(v) for k, v in conninfo_to_dict(replication.check_conninfo(conninfo)).items() if v is not None}
    known = {"host", "port", "dbname", "user"}
    return URL.create(
        "postgresql+psycopg",
        username=parts.get("user"),
        host=parts["host"],
        port=int(parts["port"]) if parts.get("port") else None,
        database=parts["dbname"],
        query={k: v for k, v in parts.items() if k not in known},
    )


def url_conninfo(url: URL) -> str:
    """A conninfo for another server to reach the database at `url` (its password left out: .pgpass)."""
    parts = {"host": url.host, "port": url.port, "dbname": url.database, "user": url.username}
    return " ".join(f"{k}={v}" for k, v in parts.items() if v is not None)


def engine_for(conninfo: str) -> Engine:
    """An engine on the database a conninfo names (the laptop's, from the hub)."""
    return create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(conninfo), pool_pre_ping=True)


def next_number(hub: Engine) -> int:
    """The first site number nobody has yet (the hub is 0; the hub's own rows' range is never a site's)."""
    with hub.connect() as conn:
        highest = conn.scalar(
            text("SELECT max(number) FROM sites WHERE number < :hub_rows"), {"hub_rows": replication.HUB_ROWS_NUMBER}
        )
    return (highest or 0) + 1


def _counts(conn: Connection, code: str) -> dict[str, int]:
    return {
        t: int(conn.scalar(text(f"SELECT count(*) FROM {t} WHERE site = :c"), {"c": code}) or 0) for t in TAGGED_TABLES
    }


@dataclass(frozen=True)
class Prepared:
    """What `prepare_laptop` did: the laptop's number and id range, the rules it received, how long the first sync
    took, and what the laptop runs with afterwards."""

    code: str
    number: int
    first_id: int
    last_id: int
    rules: dict[str, int]
    synced_seconds: float
    public_key: str | None

    def lines(self) -> list[Message]:
        out = [
            _(
                "Situs jemput bola '%(code)s' siap: nomor %(number)s, id %(first)s..%(last)s.",
                code=self.code,
                number=self.number,
                first=self.first_id,
                last=self.last_id,
            ),
            _(
                "Aturan hub diterima laptop dalam %(seconds)s detik: %(users)s akun petugas, %(sops)s SOP,"
                " %(sites)s situs dalam daftar.",
                seconds=f"{self.synced_seconds:.1f}",
                users=self.rules["users"],
                sops=self.rules["sop_documents"],
                sites=self.rules["sites"],
            ),
            _(
                "Di laptop jalankan Loket dengan LOKET_SITE=%(code)s dan DATABASE_URL ke PostgreSQL laptop itu;"
                " sekembalinya: flask site hand-in %(code)s --laptop '<conninfo>'.",
                code=self.code,
            ),
        ]
        if self.public_key is None:
            # Hook for the sites' keys (loket/core/sites/keys.py): the laptop makes its key at its first start.
            out.append(
                _(
                    "Belum ada kunci publik: di laptop jalankan 'flask site key show', lalu di hub"
                    " 'flask site key set %(code)s <kunci>'.",
                    code=self.code,
                )
            )
        return out


def prepare_laptop(
    hub: Engine,
    code: str,
    name: str,
    laptop_conninfo: str,
    hub_conninfo: str,
    now: datetime,
    *,
    number: int | None = None,
    public_key: str | None = None,
    timeout: float = 120.0,
) -> Prepared:
    """At the hub: make the database at `laptop_conninfo` jemput bola site `code` and wait for the first sync.

    `hub_conninfo` is how the laptop reaches the hub (its rules); `number` defaults to the first free one;
    `public_key` (the laptop's Ed25519 key, base64url) goes into the register when given. Safe to run again for the
    same laptop (a second trip): what exists is kept."""
    replication.check_code(code)
    replication.check_conninfo(laptop_conninfo)
    replication.check_conninfo(hub_conninfo)
    with hub.connect() as conn:
        registered = conn.execute(text("SELECT number, kind FROM sites WHERE code = :c"), {"c": code}).first()
        if conn.scalar(text("SELECT count(*) FROM sites WHERE number = :n"), {"n": replication.HUB_NUMBER}) == 0:
            raise ReplicationError(_("Basis data ini belum menjadi hub: jalankan dulu 'flask hub init'."))
    if registered is not None:
        if registered[1] != KIND:
            raise ReplicationError(
                _("Situs '%(code)s' terdaftar sebagai %(kind)s, bukan jemput bola.", code=code, kind=registered[1])
            )
        if number is not None and number != registered[0]:
            raise ReplicationError(
                _("Situs '%(code)s' sudah terdaftar dengan nomor %(number)s.", code=code, number=registered[0])
            )
        number = registered[0]
    elif number is None:
        number = next_number(hub)
    assert number is not None
    # The laptop's schema comes from Loket's own migrations, as `flask init-db` makes it.
    upgrade(conninfo_url(laptop_conninfo).render_as_string(hide_password=False))
    laptop = engine_for(laptop_conninfo)
    try:
        start = time.monotonic()
        replication.init_site(laptop, code, number, hub_conninfo)
        replication.add_site(hub, code, number, name, KIND, laptop_conninfo, now)
        # A second trip: the hub's subscription made on an earlier morning is pointed at today's address.
        point_hub_at(hub, code, laptop_conninfo)
        if public_key is not None:
            with hub.begin() as conn:
                conn.execute(text("UPDATE sites SET public_key = :k WHERE code = :c"), {"k": public_key, "c": code})
        replication.wait_synced(laptop, [replication.rules_subscription_name(code)], timeout)
        replication.wait_synced(hub, [replication.subscription_name(code)], timeout)
        # Everything the hub committed so far (its register's row for this laptop included) is at the laptop, and
        # everything the laptop had is at the hub.
        replication.wait_caught_up(hub, replication.rules_subscription_name(code), timeout)
        replication.wait_caught_up(laptop, replication.subscription_name(code), timeout)
        synced = time.monotonic() - start
        with laptop.connect() as conn:
            rules = {
                t: int(conn.scalar(text(f"SELECT count(*) FROM {t}")) or 0) for t in ("users", "sop_documents", "sites")
            }
            key = conn.scalar(text("SELECT public_key FROM sites WHERE code = :c"), {"c": code})
    finally:
        laptop.dispose()
    first, last = id_range(number)
    return Prepared(code, number, first, last, rules, synced, key)


def point_hub_at(hub: Engine, code: str, laptop_conninfo: str) -> None:
    """At the hub: receive site `code` from `laptop_conninfo` from now on (the register's conninfo, the subscription's
    connection; the subscription enabled). ALTER SUBSCRIPTION ... CONNECTION restarts its worker there."""
    sub = replication.subscription_name(code)
    with replication._autocommit(hub) as conn:
        if not conn.execute(
            text("UPDATE sites SET conninfo = :i, active = true WHERE code = :c"), {"i": laptop_conninfo, "c": code}
        ).rowcount:
            raise ReplicationError(_("Situs '%(code)s' tidak terdaftar.", code=code))
        current = conn.scalar(text("SELECT subconninfo FROM pg_subscription WHERE subname = :s"), {"s": sub})
        if current is None:
            raise ReplicationError(_("Hub tidak berlangganan ke situs '%(code)s': tambahkan lagi situsnya.", code=code))
        if current != laptop_conninfo:
            conn.execute(text(f"ALTER SUBSCRIPTION {sub} CONNECTION {replication._literal(laptop_conninfo)}"))
        conn.execute(text(f"ALTER SUBSCRIPTION {sub} ENABLE"))


@dataclass(frozen=True)
class HandIn:
    """What the laptop handed in: per table, the rows that reached the hub during the hand-in (`new`), and how many
    of the laptop's rows the hub holds now (`at_hub`, equal to `at_laptop`)."""

    code: str
    new: dict[str, int]
    at_hub: dict[str, int]
    at_laptop: dict[str, int]
    target_lsn: str
    seconds: float
    retained_bytes: int | None

    def lines(self) -> list[Message]:
        out = [
            _(
                "Situs '%(code)s' sudah menyerahkan semuanya ke hub (WAL laptop sampai %(lsn)s, %(seconds)s detik).",
                code=self.code,
                lsn=self.target_lsn,
                seconds=f"{self.seconds:.1f}",
            )
        ]
        for table in TAGGED_TABLES:
            out.append(
                _(
                    "  %(table)s: %(new)s baru diterima, di hub %(hub)s dari %(laptop)s",
                    table=TABLE_LABELS[table],
                    new=self.new[table],
                    hub=self.at_hub[table],
                    laptop=self.at_laptop[table],
                )
            )
        return out


def hand_in(hub: Engine, code: str, laptop_conninfo: str, *, timeout: float = 600.0, poll: float = 0.2) -> HandIn:
    """At the hub: the laptop of site `code` is back, reachable at `laptop_conninfo` (perhaps a new address).

    Points the hub's subscription there, waits until the hub has confirmed everything in the laptop's WAL up to now,
    and returns what was handed in. Raises ReplicationError if the laptop's slot lost WAL (away longer than
    max_slot_wal_keep_size allowed: `flask site resync` copies it afresh) or the rows do not add up, and
    TimeoutError past `timeout`."""
    replication.check_conninfo(laptop_conninfo)
    sub = replication.subscription_name(code)
    with hub.connect() as conn:
        before = _counts(conn, code)
    point_hub_at(hub, code, laptop_conninfo)
    laptop = engine_for(laptop_conninfo)
    try:
        with laptop.connect() as conn:
            retained, wal_status, _behind = replication.slot_retention(conn, sub)
        if wal_status is None:
            raise ReplicationError(_("Laptop tidak memiliki slot replikasi '%(slot)s': bukan situs ini?", slot=sub))
        if wal_status == "lost":
            raise ReplicationError(
                _(
                    "Slot '%(slot)s' di laptop kehilangan WAL (terlalu lama terputus):"
                    " salin ulang situsnya dengan 'flask site resync %(code)s'.",
                    slot=sub,
                    code=code,
                )
            )
        # Counted before the WAL position is read: every row counted was committed before it.
        with laptop.connect() as conn:
            at_laptop = _counts(conn, code)
        target = replication.current_lsn(laptop)
        start = time.monotonic()
        while not replication.caught_up(laptop, sub, target):
            if time.monotonic() - start > timeout:
                raise TimeoutError(f"the hub did not confirm {target} of site {code} within {timeout} s")
            time.sleep(poll)
        seconds = time.monotonic() - start
    finally:
        laptop.dispose()
    with hub.connect() as conn:
        at_hub = _counts(conn, code)
    # Rows the laptop made after `target` may be at the hub already: then the hub holds more, never fewer.
    short = [t for t in TAGGED_TABLES if at_hub[t] < at_laptop[t]]
    if short:
        raise ReplicationError(
            _(
                "Hub memuat lebih sedikit baris situs '%(code)s' daripada laptop: %(tables)s.",
                code=code,
                tables=", ".join(f"{t} {at_hub[t]}/{at_laptop[t]}" for t in short),
            )
        )
    new = {t: at_hub[t] - before[t] for t in TAGGED_TABLES}
    return HandIn(code, new, at_hub, at_laptop, target, seconds, retained)
