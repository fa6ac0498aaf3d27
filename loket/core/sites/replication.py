"""Sites and hub on PostgreSQL 15's own logical replication (issue 16, docs/sites.md).

Up: each site publishes `loket_site` (its tagged tables, without the residents' personal columns, without TRUNCATE);
the hub subscribes to it once per site, `loket_site_<code>`, with its replication slot at the site, so a cut link
leaves the site's changes in the site's WAL until the hub catches up. Down: the hub publishes `loket_rules` (the
tables and settings rows it owns) and every site subscribes to it, `loket_rules_<code>`. Neither side writes the
other's rows, so nothing ever conflicts; ids never collide because every site numbers its tagged rows in a range of
its own (`ids.py`), and every row says where it was made (its `site` column, defaulted to the site's code here).

Everything here runs DDL on the server through SQLAlchemy engines on PostgreSQL; CREATE/DROP SUBSCRIPTION cannot run
in a transaction block, so those run on autocommit connections. PostgreSQL 15 lets only a superuser create a
subscription: the `flask hub`/`flask site` commands run with a superuser's DATABASE_URL. A conninfo never carries a
password (it is stored in `sites` and replicated to every site): the server reads it from its own ~/.pgpass.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import psycopg
from psycopg.conninfo import conninfo_to_dict
from sqlalchemy import Connection, Engine, text

from ..errors import Conflict, LoketError
from ..messages import _
from .ids import MAX_SITE, TAGGED_TABLES, id_range
from .rules import HUB_TABLES, hub_settings_filter, rules_publication_sql, rules_tables

#: The site's publication of its tagged tables, and the hub's of its rules.
SITE_PUBLICATION = "loket_site"
RULES_PUBLICATION = "loket_rules"

#: The residents' personal data in tagged tables (UU 27/2022): never published, so it stays at the site where it was
#: given. The hub's copies of these rows have NULL there.
PERSONAL_COLUMNS: dict[str, tuple[str, ...]] = {
    "tickets": ("phone", "email"),
    "bookings": ("nik", "phone", "email"),
}

#: The hub's own tagged rows (its audit log in `events`, a counter someone makes there) number in the last range,
#: which no site is given: range 0 belongs to the history of the office that was a single office before the sites.
HUB_ROWS_NUMBER = MAX_SITE
HUB_NUMBER = 0
KINDS = ("office", "kecamatan", "mpp", "jemput_bola")

#: The hub's unique constraints and indexes on tagged tables widened with `site` (two sites' ticket A-001 of one day,
#: their "Loket 1", their booking codes). Found by what they are, so a later one is widened too.
_CODE = re.compile(r"^[a-z][a-z0-9_]{0,19}$")


class ReplicationError(LoketError):
    """The database refuses a step of setting up the sites (wrong settings, a site not yet initialised)."""

    code = "replication"


def subscription_name(code: str) -> str:
    """The hub's subscription to a site's rows, and its slot at the site."""
    return f"loket_site_{check_code(code)}"


def rules_subscription_name(code: str) -> str:
    """A site's subscription to the hub's rules, and its slot at the hub."""
    return f"loket_rules_{check_code(code)}"


def check_code(code: str) -> str:
    """A site's code: lower-case letters, digits and _, up to 20, starting with a letter (it names slots)."""
    if not _CODE.match(code or ""):
        raise ReplicationError(
            _(
                "Kode situs '%(code)s' tidak sah: huruf kecil, angka dan _, paling banyak 20, diawali huruf.",
                code=code,
            )
        )
    return code


def check_conninfo(conninfo: str) -> str:
    """A libpq connection string without a password (it is stored and replicated: the password is in .pgpass)."""
    try:
        parts = conninfo_to_dict(conninfo)
    except Exception as exc:  # psycopg.ProgrammingError: the text is not a conninfo
        raise ReplicationError(_("Conninfo tidak sah: %(error)s", error=str(exc))) from None
    if "password" in parts:
        raise ReplicationError(_("Conninfo tidak boleh memuat kata sandi: simpan di .pgpass server PostgreSQL."))
    if "host" not in parts or "dbname" not in parts:
        raise ReplicationError(_("Conninfo harus menyebut host dan dbname."))
    return conninfo


def _literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _autocommit(engine: Engine) -> Connection:
    return engine.connect().execution_options(isolation_level="AUTOCOMMIT")


def _require_logical(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        raise ReplicationError(_("Beberapa situs memerlukan PostgreSQL (bukan SQLite)."))
    level = conn.scalar(text("SHOW wal_level"))
    if level != "logical":
        raise ReplicationError(
            _("PostgreSQL harus berjalan dengan wal_level = logical (sekarang: %(level)s).", level=level)
        )


def _exists(conn: Connection, catalog: str, column: str, name: str) -> bool:
    return bool(conn.scalar(text(f"SELECT count(*) FROM {catalog} WHERE {column} = :n"), {"n": name}))


# ---- the site ---------------------------------------------------------------------------------------------------


def _published_columns(conn: Connection, table: str) -> list[str]:
    columns = conn.scalars(
        text(
            "SELECT attname FROM pg_attribute WHERE attrelid = CAST(:t AS regclass) AND attnum > 0"
            " AND NOT attisdropped ORDER BY attnum"
        ),
        {"t": table},
    ).all()
    hidden = PERSONAL_COLUMNS.get(table, ())
    return [c for c in columns if c not in hidden]


def site_publication_sql(conn: Connection) -> str:
    """The tables and columns of `loket_site`: every tagged table, every column but the personal ones."""
    lists = {table: ", ".join(f'"{column}"' for column in _published_columns(conn, table)) for table in TAGGED_TABLES}
    return ", ".join(f"{table} ({columns})" for table, columns in lists.items())


def move_sequences(conn: Connection, number: int) -> dict[str, int]:
    """Put each tagged table's sequence into site `number`'s range, never below an id it already gave in that range.

    Ids below the range (a single office's, range 0) stay as they are. Returns the next id per table."""
    first, last = id_range(number)
    nexts = {}
    for table in TAGGED_TABLES:
        sequence = conn.scalar(text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": table})
        highest = conn.scalar(text(f"SELECT max(id) FROM {table} WHERE id BETWEEN :a AND :b"), {"a": first, "b": last})
        beyond = conn.scalar(text(f"SELECT count(*) FROM {table} WHERE id > :b"), {"b": last})
        if beyond:
            raise ReplicationError(
                _(
                    "Tabel %(table)s sudah memuat id di atas rentang situs nomor %(number)s: nomor situs salah?",
                    table=table,
                    number=number,
                )
            )
        restart = max(first, (highest or 0) + 1)
        conn.execute(
            text(
                f"ALTER SEQUENCE {sequence} AS bigint MINVALUE {first} MAXVALUE {last} START WITH {first}"
                f" RESTART WITH {restart} NO CYCLE"
            )
        )
        nexts[table] = restart
    return nexts


def tag_rows(conn: Connection, code: str) -> dict[str, int]:
    """Every insert from now on is tagged with `code` (the column's default); rows made before are tagged now."""
    tagged = {}
    for table in TAGGED_TABLES:
        conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN site SET DEFAULT {_literal(code)}"))
        tagged[table] = conn.execute(text(f"UPDATE {table} SET site = :c WHERE site = ''"), {"c": code}).rowcount
    return tagged


@dataclass(frozen=True)
class SiteInit:
    code: str
    number: int
    next_ids: dict[str, int]
    tagged: dict[str, int]
    subscribed: bool


def init_site(
    engine: Engine, code: str, number: int, hub_conninfo: str | None, *, replace_rules: bool = False
) -> SiteInit:
    """Make this database site `code` (number `number`): its ids in its range, its rows tagged, its publication, its
    subscription to the hub's rules. Safe to run again (after an upgrade: the publication follows new columns).

    A site that already holds rows of the hub's tables (an office that was a single office, whose accounts and SOPs
    were first loaded into the hub) must say `replace_rules`: those rows are deleted here and come back from the hub,
    the same rows with the same ids, by the subscription's first copy."""
    check_code(code)
    if not 1 <= number <= MAX_SITE - 1:
        raise ReplicationError(_("Nomor situs harus 1..%(max)s.", max=MAX_SITE - 1))
    if hub_conninfo is not None:
        check_conninfo(hub_conninfo)
    with engine.begin() as conn:
        _require_logical(conn)
        next_ids = move_sequences(conn, number)
        tagged = tag_rows(conn, code)
        tables = site_publication_sql(conn)
        if _exists(conn, "pg_publication", "pubname", SITE_PUBLICATION):
            conn.execute(text(f"ALTER PUBLICATION {SITE_PUBLICATION} SET TABLE {tables}"))
        else:
            conn.execute(
                text(
                    f"CREATE PUBLICATION {SITE_PUBLICATION} FOR TABLE {tables}"
                    " WITH (publish = 'insert, update, delete')"
                )
            )
    subscribed = False
    if hub_conninfo is not None:
        subscribed = _subscribe_rules(engine, code, hub_conninfo, replace_rules)
    return SiteInit(code, number, next_ids, tagged, subscribed)


def _subscribe_rules(engine: Engine, code: str, hub_conninfo: str, replace_rules: bool) -> bool:
    name = rules_subscription_name(code)
    with _autocommit(engine) as conn:
        if _exists(conn, "pg_subscription", "subname", name):
            return False
        held = {t: conn.scalar(text(f"SELECT count(*) FROM {t}")) for t in HUB_TABLES if t != "settings"}
        held["settings"] = conn.scalar(text(f"SELECT count(*) FROM settings WHERE {hub_settings_filter}"))
        if any(held.values()):
            if not replace_rules:
                raise ReplicationError(
                    _(
                        "Situs ini sudah memuat data milik hub (%(tables)s). Muat dulu ke hub, lalu ulangi"
                        " dengan --replace-rules (docs/sites.md).",
                        tables=", ".join(f"{t}: {n}" for t, n in held.items() if n),
                    )
                )
            # The rows come back from the hub with the same ids; meanwhile no foreign key is checked (as the apply
            # worker does it), so the tagged rows that name an officer keep their officer_id.
            with engine.begin() as tx:
                tx.execute(text("SET LOCAL session_replication_role = replica"))
                for table in HUB_TABLES:
                    where = f" WHERE {hub_settings_filter}" if table == "settings" else ""
                    tx.execute(text(f"DELETE FROM {table}{where}"))
        conn.execute(
            text(
                f"CREATE SUBSCRIPTION {name} CONNECTION {_literal(hub_conninfo)} PUBLICATION {RULES_PUBLICATION}"
                f" WITH (copy_data = true, slot_name = {_literal(name)})"
            )
        )
    return True


# ---- the hub ----------------------------------------------------------------------------------------------------


def _unique_constraints(conn: Connection, table: str) -> list[tuple[str, list[str]]]:
    rows = conn.execute(
        text(
            "SELECT c.conname, array_agg(a.attname ORDER BY k.ord) FROM pg_constraint c"
            " CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)"
            " JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum"
            " WHERE c.conrelid = CAST(:t AS regclass) AND c.contype = 'u' GROUP BY c.conname"
        ),
        {"t": table},
    ).all()
    return [(name, list(columns)) for name, columns in rows]


def _unique_indexes(conn: Connection, table: str) -> list[tuple[str, str]]:
    """Unique indexes that back no constraint (a partial one: one active booking per NIK and service)."""
    rows = conn.execute(
        text(
            "SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid"
            " WHERE x.indrelid = CAST(:t AS regclass) AND x.indisunique AND NOT x.indisprimary"
            " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"
        ),
        {"t": table},
    ).all()
    return [(name, definition) for name, definition in rows]


def widen_unique(conn: Connection) -> list[str]:
    """At the hub: every unique constraint and unique index on a tagged table holds per site. Returns what changed."""
    widened = []
    for table in TAGGED_TABLES:
        for name, columns in _unique_constraints(conn, table):
            if "site" in columns:
                continue
            conn.execute(text(f"ALTER TABLE {table} DROP CONSTRAINT {name}"))
            conn.execute(text(f"ALTER TABLE {table} ADD CONSTRAINT {name} UNIQUE (site, {', '.join(columns)})"))
            widened.append(name)
        for name, definition in _unique_indexes(conn, table):
            head, _sep, rest = definition.partition(" USING btree (")
            if not rest or rest.startswith("site,"):
                continue
            conn.execute(text(f"DROP INDEX {name}"))
            conn.execute(text(f"{head} USING btree (site, {rest}"))
            widened.append(name)
    return widened


@dataclass(frozen=True)
class HubInit:
    code: str
    widened: list[str]


def init_hub(engine: Engine, code: str, name: str, now: datetime) -> HubInit:
    """Make this database the hub: unique per site, its own tagged rows in a range no site has, its publication of
    the rules, and itself in the sites' register (number 0). Safe to run again."""
    check_code(code)
    with engine.begin() as conn:
        _require_logical(conn)
        widened = widen_unique(conn)
        move_sequences(conn, HUB_ROWS_NUMBER)
        for table in TAGGED_TABLES:
            conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN site SET DEFAULT {_literal(code)}"))
        tables = rules_tables()
        if _exists(conn, "pg_publication", "pubname", RULES_PUBLICATION):
            conn.execute(text(f"ALTER PUBLICATION {RULES_PUBLICATION} SET TABLE {tables}"))
        else:
            conn.execute(text(rules_publication_sql(RULES_PUBLICATION)))
        other = conn.scalar(text("SELECT code FROM sites WHERE number = :n"), {"n": HUB_NUMBER})
        if other is not None and other != code:
            raise Conflict(_("Hub sudah terdaftar dengan kode '%(code)s'.", code=other))
        if other is None:
            conn.execute(
                text(
                    "INSERT INTO sites (code, number, name, kind, conninfo, active, created_at)"
                    " VALUES (:code, :number, :name, 'office', NULL, true, :now)"
                ),
                {"code": code, "number": HUB_NUMBER, "name": name, "now": now},
            )
    return HubInit(code, widened)


def add_site(engine: Engine, code: str, number: int, name: str, kind: str, conninfo: str, now: datetime) -> None:
    """At the hub: register site `code` and subscribe to its rows (the first copy brings everything it has).

    The site must have run `flask site init` first: its publication is what the subscription asks for."""
    check_code(code)
    check_conninfo(conninfo)
    if kind not in KINDS:
        raise ReplicationError(
            _("Jenis situs '%(kind)s' tidak dikenal (%(kinds)s).", kind=kind, kinds=", ".join(KINDS))
        )
    if not 1 <= number <= MAX_SITE - 1:
        raise ReplicationError(_("Nomor situs harus 1..%(max)s.", max=MAX_SITE - 1))
    with engine.begin() as conn:
        _require_logical(conn)
        taken = conn.execute(
            text("SELECT code, number FROM sites WHERE code = :c OR number = :n"), {"c": code, "n": number}
        ).all()
        if any(row != (code, number) for row in taken):
            raise Conflict(
                _("Kode atau nomor situs sudah dipakai: %(taken)s.", taken=", ".join(f"{c} ({n})" for c, n in taken))
            )
        if not taken:
            conn.execute(
                text(
                    "INSERT INTO sites (code, number, name, kind, conninfo, active, created_at)"
                    " VALUES (:code, :number, :name, :kind, :conninfo, true, :now)"
                ),
                {"code": code, "number": number, "name": name, "kind": kind, "conninfo": conninfo, "now": now},
            )
    try:
        add_site_subscription(engine, code, conninfo)
    except Exception:
        if not taken:  # registered just now: a site the hub cannot subscribe to is not registered
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM sites WHERE code = :c"), {"c": code})
        raise


def add_site_subscription(engine: Engine, code: str, conninfo: str) -> None:
    """At the hub: the subscription to a registered site's publication, its slot at the site, the first copy."""
    sub = subscription_name(code)
    with _autocommit(engine) as conn:
        if _exists(conn, "pg_subscription", "subname", sub):
            return
        conn.execute(
            text(
                f"CREATE SUBSCRIPTION {sub} CONNECTION {_literal(conninfo)} PUBLICATION {SITE_PUBLICATION}"
                f" WITH (copy_data = true, slot_name = {_literal(sub)})"
            )
        )
        tables = conn.scalar(
            text(
                "SELECT count(*) FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid"
                " WHERE s.subname = :s"
            ),
            {"s": sub},
        )
        if not tables:
            conn.execute(text(f"DROP SUBSCRIPTION {sub}"))
            raise ReplicationError(
                _(
                    "Situs '%(code)s' belum menerbitkan datanya: jalankan dulu 'flask site init' di situs itu.",
                    code=code,
                )
            )


def set_site_active(engine: Engine, code: str, active: bool) -> None:
    """At the hub: stop (or resume) receiving a site's rows; its slot at the site keeps WAL meanwhile."""
    sub = subscription_name(code)
    with _autocommit(engine) as conn:
        if not conn.execute(text("UPDATE sites SET active = :a WHERE code = :c"), {"a": active, "c": code}).rowcount:
            raise ReplicationError(_("Situs '%(code)s' tidak terdaftar.", code=code))
        if _exists(conn, "pg_subscription", "subname", sub):
            conn.execute(text(f"ALTER SUBSCRIPTION {sub} {'ENABLE' if active else 'DISABLE'}"))
            if active:
                # The error counts start again from the moment the link is enabled (docs/sites.md, "Status"); a
                # superuser's step, as this command is (the function is not granted to anyone else by default).
                conn.execute(
                    text("SELECT pg_stat_reset_subscription_stats(oid) FROM pg_subscription WHERE subname = :s"),
                    {"s": sub},
                )


def remove_site(engine: Engine, code: str, *, keep_slot: bool = False) -> None:
    """At the hub: drop the subscription to a site (and its slot at the site, unless `keep_slot`: a site out of reach,
    whose slot an admin then drops there with pg_drop_replication_slot) and mark the site inactive. Its rows stay."""
    sub = subscription_name(code)
    with _autocommit(engine) as conn:
        if _exists(conn, "pg_subscription", "subname", sub):
            if keep_slot:
                conn.execute(text(f"ALTER SUBSCRIPTION {sub} DISABLE"))
                conn.execute(text(f"ALTER SUBSCRIPTION {sub} SET (slot_name = NONE)"))
            conn.execute(text(f"DROP SUBSCRIPTION {sub}"))
        conn.execute(text("UPDATE sites SET active = false, conninfo = NULL WHERE code = :c"), {"c": code})


def resync_site(engine: Engine, code: str) -> None:
    """At the hub: copy a site afresh, after its slot was lost (a cut longer than its max_slot_wal_keep_size).

    Drops the subscription (and the lost slot at the site), deletes the hub's copy of the site's rows, and subscribes
    again with a full first copy. The site must be reachable; it lost nothing and need not stop."""
    sub = subscription_name(code)
    with _autocommit(engine) as conn:
        conninfo = conn.scalar(text("SELECT conninfo FROM sites WHERE code = :c"), {"c": code})
        if conninfo is None:
            raise ReplicationError(_("Situs '%(code)s' tidak terdaftar.", code=code))
        if _exists(conn, "pg_subscription", "subname", sub):
            conn.execute(text(f"DROP SUBSCRIPTION {sub}"))  # and its slot at the site, lost or not
    with engine.begin() as tx:
        tx.execute(text("SET LOCAL session_replication_role = replica"))
        for table in TAGGED_TABLES:
            tx.execute(text(f"DELETE FROM {table} WHERE site = :c"), {"c": code})
    add_site_subscription(engine, code, conninfo)


# ---- status -----------------------------------------------------------------------------------------------------


#: A link's errors: the first copy of some table keeps failing (its table sync worker), or applying the other side's
#: changes keeps failing (its apply worker). PostgreSQL keeps the error's text only in the subscriber's server log.
COPY_ERROR, APPLY_ERROR = "copy", "apply"


@dataclass(frozen=True)
class LinkStatus:
    """One site's link as the hub sees it (or, at a site, its link to the hub's rules).

    state: 'up' (a worker is receiving), 'syncing' (the first copy is still running), 'error' (the first copy or the
    apply keeps failing: `error` says which, `error_tables` the tables whose copy is not done), 'down' (no worker: the
    link is cut or the other side refuses; PostgreSQL retries by itself), 'disabled', 'missing' (no subscription).
    `lag_seconds`: how long since the other side's last message arrived (None when nothing ever arrived). A healthy
    idle link stays under about 30 s (the publisher's keep-alive comes every wal_sender_timeout/2; measured: it climbs
    to 25-30 s and drops to 0); past wal_receiver_timeout (60 s) without a message the subscriber drops the link.
    Filled in when the publisher was asked (`hub_status(ask_sites=True)`, `site_status`): `retained_bytes`, the WAL the
    slot keeps at the publisher; `behind_bytes`, the WAL written there the subscriber has not confirmed (0: caught up).
    """

    code: str
    name: str
    subscription: str
    state: str
    active: bool
    received_lsn: str | None = None
    latest_end_lsn: str | None = None
    latest_end_time: datetime | None = None
    last_msg_receipt_time: datetime | None = None
    lag_seconds: float | None = None
    tables_syncing: int = 0
    retained_bytes: int | None = None
    slot_wal_status: str | None = None
    behind_bytes: int | None = None
    #: When the other side sent its last message (with `last_msg_receipt_time`: the transfer time).
    last_msg_send_time: datetime | None = None
    #: COPY_ERROR, APPLY_ERROR or None; the tables whose first copy is not done (with COPY_ERROR: the stuck ones).
    error: str | None = None
    error_tables: tuple[str, ...] = ()
    #: pg_stat_subscription_stats: the errors since the subscription was made or its counts were reset.
    apply_errors: int = 0
    sync_errors: int = 0
    #: False when the errors could not be judged from this one reading (no earlier reading of this process to compare
    #: with, and some apply error counted): read again after `recheck_after` seconds (`flask site status` does).
    settled: bool = True
    recheck_after: float = 0.0


@dataclass(frozen=True)
class _Sample:
    at: float
    apply: int
    sync: int
    reset: datetime | None


class ErrorWatch:
    """Whether a subscription's errors are happening now, from its error counts read over time.

    PostgreSQL 15 counts a subscription's errors (`pg_stat_subscription_stats`: `apply_error_count`,
    `sync_error_count`) but keeps no time of the last one, and the counts never go down by themselves: a link that
    failed yesterday and works today still counts yesterday's errors. A failing worker is restarted every
    `wal_retrieve_retry_interval` (5 s by default) and fails again, so its count keeps growing; a recovered one's
    stops. So this keeps, per subscription, the readings of the last `window` seconds and compares this reading with
    the latest one at least `min_gap` old (3 retry intervals and a second: a failing worker fails about 3 times in it):

    * copy error: some table's first copy is not done and `sync_error_count` grew (with no earlier reading: it is
      above 0, not settled). A table whose copy finishes is no longer stuck: the error goes at once.
    * apply error: `apply_error_count` grew by 2 or more (one error is what a cut line makes when it drops an open
      stream; a persistent failure makes one every retry). It goes once no error came for `min_gap` seconds.

    With no reading old enough to compare (the first of a process, or the last older than `window`), a copy error is
    said when copy errors are counted at all, and an apply error is not; the answer is then not `settled`.

    Readings are kept in this process (the hub's web process: the list of sites reloads every 15 s); a reading that
    makes the counts go down (reset, or a new subscription after `resync`: another oid) starts afresh."""

    def __init__(self, window: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.window = window
        self.clock = clock
        self._samples: dict[tuple[str, int], list[_Sample]] = {}
        self._apply: dict[tuple[str, int], bool] = {}
        self._lock = threading.Lock()

    def min_gap(self, retry_seconds: float) -> float:
        return 3 * retry_seconds + 1

    def judge(
        self, key: tuple[str, int], apply: int, sync: int, reset: datetime | None, stuck: bool, retry_seconds: float
    ) -> tuple[str | None, bool]:
        """(COPY_ERROR | APPLY_ERROR | None, settled) for this reading of one subscription's counts."""
        gap = self.min_gap(retry_seconds)
        window = self.window if self.window is not None else max(60.0, 4 * gap)
        now = self.clock()
        with self._lock:
            samples = [x for x in self._samples.get(key, []) if now - x.at <= window]
            if samples and (apply < samples[-1].apply or sync < samples[-1].sync or reset != samples[-1].reset):
                samples = []  # reset, or another subscription
            if not samples:
                self._apply.pop(key, None)
            reference = next((x for x in reversed(samples) if now - x.at >= gap), None)
            earlier = bool(samples)
            if not samples or now - samples[-1].at >= 1.0:
                samples.append(_Sample(now, apply, sync, reset))
            self._samples[key] = samples
            if reference is not None:
                copy = stuck and sync > reference.sync
                failing = apply - reference.apply >= 2
                self._apply[key] = failing
                settled = True
            else:
                copy = stuck and sync > 0
                failing = self._apply.get(key, False) if earlier else False
                # A copy that failed before may be running fine now (the grant given): only growth tells.
                settled = (apply == 0 or key in self._apply) and not copy
        if copy:
            return COPY_ERROR, settled
        return (APPLY_ERROR if failing else None), settled


#: The readings of this process (the hub's web process, a `flask site status`).
WATCH = ErrorWatch()


def _retry_seconds(conn: Connection) -> float:
    ms = conn.scalar(text("SELECT setting FROM pg_settings WHERE name = 'wal_retrieve_retry_interval'"))
    return int(ms or 5000) / 1000


def _link(
    conn: Connection,
    code: str,
    name: str,
    sub: str,
    active: bool,
    now: datetime,
    watch: ErrorWatch | None = None,
    retry: float = 5.0,
) -> LinkStatus:
    # Readable by Loket's ordinary role: pg_subscription's columns but subconninfo, pg_subscription_rel,
    # pg_stat_subscription and pg_stat_subscription_stats are granted to everyone.
    row = conn.execute(
        text(
            "SELECT s.subenabled, st.pid, st.received_lsn::text, st.latest_end_lsn::text, st.latest_end_time,"
            " st.last_msg_receipt_time, st.last_msg_send_time,"
            " ARRAY(SELECT r.srrelid::regclass::text FROM pg_subscription_rel r"
            "       WHERE r.srsubid = s.oid AND r.srsubstate <> 'r' ORDER BY 1),"
            " s.oid, coalesce(ss.apply_error_count, 0), coalesce(ss.sync_error_count, 0), ss.stats_reset"
            " FROM pg_subscription s LEFT JOIN pg_stat_subscription st ON st.subid = s.oid AND st.relid IS NULL"
            " LEFT JOIN pg_stat_subscription_stats ss ON ss.subid = s.oid"
            " WHERE s.subname = :s"
        ),
        {"s": sub},
    ).first()
    if row is None:
        return LinkStatus(code, name, sub, "missing", active)
    enabled, pid, received, latest, latest_time, receipt, sent, pending, oid, applies, syncs, reset = row
    pending = tuple(t.removeprefix("public.") for t in pending or ())
    error, settled = None, True
    if enabled:
        key = (conn.engine.url.render_as_string(hide_password=True), int(oid))
        error, settled = (watch or WATCH).judge(key, int(applies), int(syncs), reset, bool(pending), retry)
    if not enabled:
        state = "disabled"
    elif error:
        state = "error"
    elif pid is None:
        state = "down"
    elif pending:
        state = "syncing"
    else:
        state = "up"
    lag = (now - receipt).total_seconds() if receipt is not None else None
    return LinkStatus(
        code,
        name,
        sub,
        state,
        active,
        received,
        latest,
        latest_time,
        receipt,
        lag,
        len(pending),
        last_msg_send_time=sent,
        error=error,
        error_tables=pending if error == COPY_ERROR else (),
        apply_errors=int(applies),
        sync_errors=int(syncs),
        settled=settled,
        recheck_after=0.0 if settled else (watch or WATCH).min_gap(retry),
    )


def hub_status(
    engine: Engine, now: datetime | None = None, *, ask_sites: bool = False, watch: ErrorWatch | None = None
) -> list[LinkStatus]:
    """At the hub: every site's link (the hub's own row excluded), by number.

    `watch`: where the error counts read before are kept (this process's `WATCH` by default; see `ErrorWatch`).

    `ask_sites`: also ask each site whose link is up, syncing or failing (its conninfo, a short timeout) how much WAL
    its slot for the hub keeps; a site out of reach (or whose link is down: no 2 s wait per cut site) leaves
    `retained_bytes` None. The Loket process then needs the sites' passwords in its own ~/.pgpass."""
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        sites = conn.execute(
            text("SELECT code, name, active, conninfo FROM sites WHERE number <> :hub ORDER BY number"),
            {"hub": HUB_NUMBER},
        ).all()
        retry = _retry_seconds(conn)
        links = [
            _link(conn, code, name, subscription_name(code), active, now, watch, retry)
            for code, name, active, _c in sites
        ]
    if ask_sites:
        conninfos = {code: conninfo for code, _n, _a, conninfo in sites}
        asked = []
        for link in links:
            if conninfos[link.code] and link.state in ("up", "syncing", "error"):
                retained, wal_status, behind = _ask_site(conninfos[link.code], link)
                link = replace(link, retained_bytes=retained, slot_wal_status=wal_status, behind_bytes=behind)
            asked.append(link)
        links = asked
    return links


def _ask_site(conninfo: str, link: LinkStatus, timeout: int = 2) -> tuple[int | None, str | None, int | None]:
    try:
        with psycopg.connect(conninfo, connect_timeout=timeout, autocommit=True) as site:
            row = site.execute(_SLOT_QUERY.replace(":s", "%s"), (link.subscription,)).fetchone()
    except psycopg.Error:
        return None, None, None
    return (None, None, None) if row is None else (row[0], row[1], row[2])


def site_status(
    engine: Engine, code: str, now: datetime | None = None, *, watch: ErrorWatch | None = None
) -> LinkStatus:
    """At a site: its link to the hub's rules, and the WAL its slot for the hub keeps here."""
    now = now or datetime.now(UTC)
    with engine.connect() as conn:
        link = _link(conn, code, code, rules_subscription_name(code), True, now, watch, _retry_seconds(conn))
        retained, wal_status, behind = slot_retention(conn, subscription_name(code))
    return replace(link, retained_bytes=retained, slot_wal_status=wal_status, behind_bytes=behind)


_SLOT_QUERY = (
    "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)::bigint, wal_status,"
    " pg_wal_lsn_diff(pg_current_wal_lsn(), confirmed_flush_lsn)::bigint"
    " FROM pg_replication_slots WHERE slot_name = :s"
)


def slot_retention(conn: Connection, slot: str) -> tuple[int | None, str | None, int | None]:
    """At the publisher: the WAL a slot keeps (bytes from its restart_lsn to now), its wal_status ('reserved',
    'extended', 'unreserved': past max_slot_wal_keep_size, 'lost': the subscriber must be re-synced), and the bytes
    written since what its subscriber confirmed."""
    row = conn.execute(text(_SLOT_QUERY), {"s": slot}).first()
    return (None, None, None) if row is None else (row[0], row[1], row[2])


def current_lsn(engine: Engine) -> str:
    """At a publisher: where its WAL is now (what a subscriber has to reach to have everything committed so far).

    The insert position, not the write position: with synchronous_commit off a commit may not be written yet."""
    with engine.connect() as conn:
        return str(conn.scalar(text("SELECT pg_current_wal_insert_lsn()::text")))


def caught_up(engine: Engine, slot: str, lsn: str) -> bool:
    """At a publisher: has the subscriber of `slot` confirmed everything up to `lsn`?"""
    with engine.connect() as conn:
        return bool(
            conn.scalar(
                text("SELECT confirmed_flush_lsn >= CAST(:l AS pg_lsn) FROM pg_replication_slots WHERE slot_name = :s"),
                {"l": lsn, "s": slot},
            )
        )


def wait_caught_up(engine: Engine, slot: str, timeout: float = 60.0, poll: float = 0.1) -> float:
    """At a publisher: wait until the subscriber of `slot` has everything committed here so far; the seconds it took.

    Raises TimeoutError past `timeout`."""
    target = current_lsn(engine)
    start = time.monotonic()
    while not caught_up(engine, slot, target):
        if time.monotonic() - start > timeout:
            raise TimeoutError(f"slot {slot} did not reach {target} within {timeout} s")
        time.sleep(poll)
    return time.monotonic() - start


def wait_synced(engine: Engine, subscriptions: Iterable[str], timeout: float = 60.0, poll: float = 0.1) -> None:
    """At a subscriber: wait until the first copy of every table of these subscriptions is done."""
    names = list(subscriptions)
    start = time.monotonic()
    while True:
        with engine.connect() as conn:
            pending = conn.scalar(
                text(
                    "SELECT count(*) FROM pg_subscription s LEFT JOIN pg_subscription_rel r ON r.srsubid = s.oid"
                    " WHERE s.subname = ANY(:n) AND (r.srsubstate IS NULL OR r.srsubstate <> 'r')"
                ),
                {"n": names},
            )
            found = conn.scalar(text("SELECT count(*) FROM pg_subscription WHERE subname = ANY(:n)"), {"n": names})
        if not pending and found == len(names):
            return
        if time.monotonic() - start > timeout:
            failing = _copy_failures(engine, names)
            if failing:  # a first copy that keeps failing, not a slow one: say which tables, and the usual causes
                raise ReplicationError(
                    _(
                        "Salinan pertama gagal (%(count)s galat); tabel yang belum tersalin: %(tables)s. Sebab umum:"
                        " peran replikasi tanpa GRANT SELECT atas tabel di sisi pengirim, pg_hba.conf, atau tabel yang"
                        " tidak ada di sisi penerima; pesannya ada di log PostgreSQL penerima.",
                        tables=", ".join(failing[0]),
                        count=failing[1],
                    )
                )
            raise TimeoutError(f"subscriptions {names} not synced within {timeout} s")
        time.sleep(poll)


def _copy_failures(engine: Engine, names: list[str]) -> tuple[list[str], int] | None:
    """The tables whose first copy is not done (the failing ones, and any still copying: PostgreSQL 15 counts copy
    errors per subscription, not per table) and the copy errors counted, if these subscriptions counted any."""
    with engine.connect() as conn:
        errors = int(
            conn.scalar(
                text(
                    "SELECT coalesce(sum(ss.sync_error_count), 0) FROM pg_subscription s"
                    " JOIN pg_stat_subscription_stats ss ON ss.subid = s.oid WHERE s.subname = ANY(:n)"
                ),
                {"n": names},
            )
            or 0
        )
        if not errors:
            return None
        tables = conn.scalars(
            text(
                "SELECT DISTINCT r.srrelid::regclass::text FROM pg_subscription s"
                " JOIN pg_subscription_rel r ON r.srsubid = s.oid WHERE s.subname = ANY(:n) AND r.srsubstate <> 'r'"
                " ORDER BY 1"
            ),
            {"n": names},
        ).all()
    return (list(tables), errors) if tables else None
