"""Benchmark: sites to hub on PostgreSQL logical replication (issue 16, docs/sites.md "Benchmark").

Stands up a hub and N sites (default 20), each its own PostgreSQL 15 server from tests/fixtures/pgcluster.py (initdb
in a temporary folder, its own port on 127.0.0.1): one server per site, as the offices run it, so each site's WAL is
its own and what its slot keeps during a cut is that site's alone (several databases in one server share one WAL:
each walsender would decode every database's changes, and a cut's cost could not be told apart). The first site is
migrated with Loket's migrations, the others get a copy of its schema (pg_dump | psql: the same schema, faster than
N alembic runs); then the real `init_hub`, `init_site` and `add_site` of loket/core/sites/replication.py.

Traffic: a busy office's berkas, written as the app writes them (the same tables and columns; one transaction per
action, each action with its event row): issue (ticket + first step visit + event), then per SOP step (3 steps):
call, start, finish (the visit ended, the next one opened), then hand-over, then a survey answer (no event). That is
11 transactions with an event, 3 step visits and one survey answer per berkas. Not through Flask: 20 offices' apps
would not fit on 2 cores beside 21 servers, and it is the replication that is measured. The rows lack what the app
also writes and never replicates (applicants, number_sequences, sessions): the WAL per day is a floor.

1. Lag: every site makes `--berkas-per-day` berkas per 8-hour day (default 300), time compressed `--compress` times
   (default 30: a site's day in 16 minutes), arrivals Poisson, each action after an exponential pause (mean 4 minutes
   of office time), for `--seconds` of wall time. The lag of a transaction: from its commit returning at the site
   (time.time()) to its event row being applied at the hub (clock_timestamp() in a replica trigger on the hub's
   events, a bench-only table; the same machine's clock). p50/p90/p99/max over every transaction.
2. A 1-hour cut: site 1's link (a pgcluster.Link proxy on the hub's subscription) is cut, an hour of a busy site's
   berkas (berkas-per-day / 8, with a CHECKPOINT per 5 minutes of office time, as checkpoint_timeout does, so its
   full-page images are in the WAL) is written as fast as it goes, the WAL kept by the hub's slot at the site is read,
   the link restored, and the time until the hub confirms the site's WAL position (the slot's confirmed_flush_lsn)
   and holds every row is measured. Then the same for a whole busy day (WAL per busy day; catching up a day's cut).
   The other sites are idle meanwhile.

Sites run full_page_writes = on (as production; pgcluster's default is off), fsync = off (the WAL's size is the
same; a real disk's commit is slower, which the lag does not include). Printed with the benchmark's own CPU time and
the servers' (utime+stime of each postmaster's process tree, /proc) beside wall time.

    .venv/bin/python bench/sites.py [--sites 20] [--berkas-per-day 300] [--compress 30] [--seconds 120]
"""

from __future__ import annotations

import argparse
import heapq
import json
import os
import random
import resource
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loket.core.migrate import upgrade
from loket.core.sites import replication
from loket.core.sites.ids import TAGGED_TABLES
from tests.fixtures.pgcluster import PG_BIN, Cluster, Link, wait_for

DAY_HOURS = 8
STEPS = [
    {"role": "pelayanan", "name": "Verifikasi berkas", "minutes": 10},
    {"role": "operator", "name": "Perekaman biometrik", "minutes": 15},
    {"role": "pelayanan", "name": "Penyerahan KTP-el", "minutes": 5},
]
ANSWERS = {f"u{i}": random.Random(i).randint(3, 4) for i in range(1, 10)}
#: Mean office-time pause between two actions of a berkas (waiting, then being served).
ACTION_MINUTES = 4.0
HUB_TRIGGER = """
CREATE TABLE public.bench_arrival (id bigint PRIMARY KEY, at double precision NOT NULL);
CREATE FUNCTION bench_arrived() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.bench_arrival VALUES (NEW.id, extract(epoch FROM clock_timestamp()));
  RETURN NULL;
END $$;
CREATE TRIGGER bench_arrival AFTER INSERT ON events FOR EACH ROW EXECUTE FUNCTION bench_arrived();
ALTER TABLE events ENABLE ALWAYS TRIGGER bench_arrival;
"""


def cpu_of_tree(cluster: Cluster) -> float:
    """utime+stime (s) of a server's postmaster, its live children and its reaped ones."""
    pid = int((cluster.data / "postmaster.pid").read_text().split()[0])
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        ppid = int(fields[1])
        if int(entry) == pid:
            total += sum(int(x) for x in fields[11:15])  # utime, stime, cutime, cstime
        elif ppid == pid:
            total += int(fields[11]) + int(fields[12])
    return total / tick


def own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


@dataclass
class Clock:
    """Wall time, CPU time of this process and of the servers, between two points."""

    clusters: list[Cluster]
    wall: float = field(default_factory=time.monotonic)
    mine: float = field(default_factory=own_cpu)
    servers: float = 0.0

    def __post_init__(self) -> None:
        self.servers = sum(cpu_of_tree(c) for c in self.clusters)

    def since(self) -> str:
        servers = sum(cpu_of_tree(c) for c in self.clusters) - self.servers
        return (
            f"wall {time.monotonic() - self.wall:.1f} s, CPU: bench {own_cpu() - self.mine:.1f} s,"
            f" servers {servers:.1f} s"
        )


class Site:
    """One site's connection and the berkas it has open."""

    def __init__(self, code: str, cluster: Cluster):
        self.code = code
        self.cluster = cluster
        self.conn = psycopg.connect(cluster.conninfo(), autocommit=False)
        self.seq = 0
        self.commits: dict[int, float] = {}  # event id -> commit time (epoch)

    def _event(self, cur, kind: str, ticket: int, payload: dict) -> int:
        cur.execute(
            "INSERT INTO events (at, kind, ticket_id, payload) VALUES (now(), %s, %s, %s) RETURNING id",
            (kind, ticket, json.dumps(payload)),
        )
        return cur.fetchone()[0]

    def _commit(self, event: int | None) -> None:
        self.conn.commit()
        if event is not None:
            self.commits[event] = time.time()

    def issue(self, day: date) -> dict:
        self.seq += 1
        number = f"A-{self.seq:03d}"
        with self.conn.cursor() as cur:
            cur.execute(
                "INSERT INTO tickets (service_day, prefix, seq, number, service_code, steps, source, issuer,"
                ' state, step_index, "current_role", queue_key, queued_at, call_count, surveyed, issued_at, version)'
                " VALUES (%s, 'A', %s, %s, 'pencetakan-ktp-el', %s, 'kiosk', 'kiosk:bench', 'waiting', 0,"
                " 'pelayanan', extract(epoch FROM now()), now(), 0, false, now(), 1) RETURNING id",
                (day, self.seq, number, json.dumps(STEPS)),
            )
            ticket = cur.fetchone()[0]
            visit = self._visit(cur, ticket, 0)
            event = self._event(cur, "issued", ticket, {"number": number, "service": "pencetakan-ktp-el"})
        self._commit(event)
        return {"ticket": ticket, "number": number, "step": 0, "visit": visit, "phase": "call"}

    def _visit(self, cur, ticket: int, step: int) -> int:
        cur.execute(
            "INSERT INTO step_visits (ticket_id, step_index, role, target_minutes, entered_at)"
            " VALUES (%s, %s, %s, %s, now()) RETURNING id",
            (ticket, step, STEPS[step]["role"], STEPS[step]["minutes"]),
        )
        return cur.fetchone()[0]

    def act(self, berkas: dict, day: date) -> bool:
        """The berkas's next action; False when it is finished."""
        t, v, phase = berkas["ticket"], berkas["visit"], berkas["phase"]
        payload = {"number": berkas["number"], "counter": "Loket 1"}
        with self.conn.cursor() as cur:
            if phase == "call":
                cur.execute(
                    "UPDATE tickets SET state = 'called', call_count = call_count + 1, version = version + 1"
                    " WHERE id = %s",
                    (t,),
                )
                cur.execute("UPDATE step_visits SET called_at = now() WHERE id = %s", (v,))
                event, berkas["phase"] = self._event(cur, "called", t, payload), "start"
            elif phase == "start":
                cur.execute("UPDATE tickets SET state = 'serving', version = version + 1 WHERE id = %s", (t,))
                cur.execute("UPDATE step_visits SET started_at = now() WHERE id = %s", (v,))
                event, berkas["phase"] = self._event(cur, "started", t, payload), "finish"
            elif phase == "finish":
                cur.execute("UPDATE step_visits SET ended_at = now(), outcome = 'done' WHERE id = %s", (v,))
                step = berkas["step"] + 1
                if step < len(STEPS):
                    berkas["visit"], berkas["step"], berkas["phase"] = self._visit(cur, t, step), step, "call"
                    cur.execute(
                        "UPDATE tickets SET state = 'waiting', step_index = %s, \"current_role\" = %s,"
                        " queued_at = now(), version = version + 1 WHERE id = %s",
                        (step, STEPS[step]["role"], t),
                    )
                    event = self._event(cur, "advanced", t, payload)
                else:
                    cur.execute(
                        "UPDATE tickets SET state = 'done', closed_at = now(), version = version + 1 WHERE id = %s",
                        (t,),
                    )
                    event, berkas["phase"] = self._event(cur, "handed_over", t, payload), "survey"
            else:
                cur.execute(
                    "INSERT INTO survey_responses (service_day, service_code, answers, source)"
                    " VALUES (%s, 'pencetakan-ktp-el', %s, 'tablet')",
                    (day, json.dumps(ANSWERS)),
                )
                cur.execute("UPDATE tickets SET surveyed = true, version = version + 1 WHERE id = %s", (t,))
                self._commit(None)
                return False
        self._commit(event)
        return True

    def whole_berkas(self, day: date) -> None:
        berkas = self.issue(day)
        while self.act(berkas, day):
            pass

    def lsn(self) -> str:
        with self.conn.cursor() as cur:
            cur.execute("SELECT pg_current_wal_insert_lsn()::text")
            value = cur.fetchone()[0]
        self.conn.commit()
        return value

    def sql(self, statement: str) -> None:
        with self.conn.cursor() as cur:
            cur.execute(statement)
        self.conn.commit()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def clone_schema(source: Cluster, target: Cluster) -> None:
    dump = subprocess.run(
        [str(PG_BIN / "pg_dump"), "-h", "127.0.0.1", "-p", str(source.port), "-U", "postgres", "loket"],
        capture_output=True,
        check=True,
    )
    subprocess.run(
        [str(PG_BIN / "psql"), "-h", "127.0.0.1", "-p", str(target.port), "-U", "postgres", "-q", "-v",
         "ON_ERROR_STOP=1", "loket"],
        input=dump.stdout,
        capture_output=True,
        check=True,
    )  # fmt: skip


def counts(conn_info: str, code: str) -> dict[str, int]:
    with psycopg.connect(conn_info) as conn:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t} WHERE site = %s", (code,)).fetchone()[0] for t in TAGGED_TABLES
        }


def run_lag(sites: list[Site], args, hub: Cluster, clusters: list[Cluster]) -> None:
    rng = random.Random(16)
    day = date.today()
    per_second = args.berkas_per_day / (DAY_HOURS * 3600) * args.compress  # berkas/s per site
    pause = ACTION_MINUTES * 60 / args.compress
    now = time.monotonic()
    agenda: list[tuple[float, int, int, dict | None]] = []  # (due, tie, site index, berkas or None = new arrival)
    tie = 0
    for i in range(len(sites)):
        tie += 1
        heapq.heappush(agenda, (now + rng.expovariate(per_second), tie, i, None))
    end = now + args.seconds
    clock = Clock(clusters)
    actions = berkas_done = 0
    while agenda:
        due, _tie, i, berkas = heapq.heappop(agenda)
        if due > end:
            break  # the berkas still open stay open (a day's end at the office)
        if (wait := due - time.monotonic()) > 0:
            time.sleep(wait)
        site = sites[i]
        if berkas is None:
            berkas = site.issue(day)
            tie += 1
            heapq.heappush(agenda, (due + rng.expovariate(per_second), tie, i, None))
            more = True
        else:
            more = site.act(berkas, day)
        actions += 1
        if more:
            tie += 1
            heapq.heappush(agenda, (time.monotonic() + rng.expovariate(1 / pause), tie, i, berkas))
        else:
            berkas_done += 1
    traffic = clock.since()
    for site in sites:
        replication.wait_caught_up(_engine(site.cluster), replication.subscription_name(site.code), args.patience)
    commits = {eid: t for site in sites for eid, t in site.commits.items()}
    with psycopg.connect(hub.conninfo()) as conn:
        arrivals = dict(
            conn.execute("SELECT id, at FROM bench_arrival WHERE id = ANY(%s)", (list(commits),)).fetchall()
        )
    lags = [(arrivals[e] - t) * 1000 for e, t in commits.items() if e in arrivals]
    missing = len(commits) - len(lags)
    wall = time.monotonic() - now
    print(
        f"lag: {len(sites)} sites, {args.berkas_per_day} berkas/day each compressed x{args.compress}"
        f" ({per_second * len(sites):.2f} berkas/s, {actions / wall:.0f} transactions/s in all),"
        f" {berkas_done} berkas finished, {actions} transactions; {traffic}"
    )
    print(
        f"  commit at a site -> applied at the hub, ms: p50 {percentile(lags, 50):.1f}  p90 {percentile(lags, 90):.1f}"
        f"  p99 {percentile(lags, 99):.1f}  max {max(lags):.1f}  (n={len(lags)}, missing {missing})"
    )


_engines: dict[int, object] = {}


def _engine(cluster: Cluster):
    from sqlalchemy import create_engine

    if cluster.port not in _engines:
        _engines[cluster.port] = create_engine(cluster.url())
    return _engines[cluster.port]


def run_cut(site: Site, link: Link, berkas: int, label: str, checkpoints: int) -> dict[str, int]:
    engine = _engine(site.cluster)
    slot = replication.subscription_name(site.code)
    replication.wait_caught_up(engine, slot, 120)
    link.cut()
    with engine.connect() as conn:
        before, _status, _behind = replication.slot_retention(conn, slot)
    clock = Clock([site.cluster])
    every = max(1, berkas // checkpoints)
    for n in range(berkas):
        site.whole_berkas(date.today())
        if (n + 1) % every == 0:
            site.sql("CHECKPOINT")
    made = clock.since()
    with engine.connect() as conn:
        kept, status, _behind = replication.slot_retention(conn, slot)
    target = site.lsn()
    at_site = counts(site.cluster.conninfo(), site.code)
    clock = Clock([site.cluster])
    start = time.monotonic()
    connections = link.connections
    connected: list[float] = []

    def done() -> bool:
        if not connected and link.connections > connections:
            connected.append(time.monotonic() - start)
        return replication.caught_up(engine, slot, target)

    link.restore()
    wait_for(done, 600, 0.02, "catch-up")
    caught = time.monotonic() - start
    print(
        f"cut of {label}: {berkas} berkas ({berkas * 11} transactions) made while cut ({made});"
        f" WAL kept by the hub's slot: {(kept or 0) / 2**20:.1f} MiB (before the cut {(before or 0) / 2**20:.2f}"
        f" MiB; {((kept or 0) - (before or 0)) / berkas / 1024:.1f} KiB per berkas; wal_status {status})"
    )
    print(
        f"  restored -> the hub's worker connects again after {connected[0] if connected else float('nan'):.2f} s"
        f" (its retry interval), the hub confirms the site's WAL position after {caught:.2f} s ({clock.since()})"
    )
    return at_site


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sites", type=int, default=20)
    parser.add_argument("--berkas-per-day", type=int, default=300)
    parser.add_argument("--compress", type=float, default=30.0)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--patience", type=float, default=300.0, help="seconds to wait for the hub, at most")
    parser.add_argument("--no-day-cut", action="store_true", help="skip the whole day's cut")
    args = parser.parse_args()
    print(f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC, nproc {os.cpu_count()}, load average {os.getloadavg()}")
    hub = Cluster("bench-hub")
    site_clusters = [Cluster(f"bench-s{i}", full_page_writes="on") for i in range(1, args.sites + 1)]
    clusters = [hub, *site_clusters]
    link: Link | None = None
    sites: list[Site] = []
    started = time.monotonic()
    try:
        clock = Clock([])
        for cluster in clusters:
            cluster.start()
        upgrade(hub.url())
        clone_schema(hub, site_clusters[0])
        for cluster in site_clusters[1:]:
            clone_schema(hub, cluster)
        print(f"{len(clusters)} servers started and migrated: {clock.since()}")
        clock = Clock(clusters)
        hub_engine = _engine(hub)
        replication.init_hub(hub_engine, "hub", "Dinas Dukcapil (bench)", datetime.now(UTC))
        with hub_engine.begin() as conn:
            conn.exec_driver_sql(HUB_TRIGGER)
        link = Link(site_clusters[0].port)
        codes = [f"s{i}" for i in range(1, args.sites + 1)]
        for number, (code, cluster) in enumerate(zip(codes, site_clusters, strict=True), start=1):
            replication.init_site(_engine(cluster), code, number, hub.conninfo())
            address = cluster.conninfo(link.port if number == 1 else None)
            replication.add_site(hub_engine, code, number, code, "kecamatan", address, datetime.now(UTC))
        replication.wait_synced(hub_engine, [replication.subscription_name(c) for c in codes], 600)
        for code, cluster in zip(codes, site_clusters, strict=True):
            replication.wait_synced(_engine(cluster), [replication.rules_subscription_name(code)], 600)
        print(f"hub and {args.sites} sites subscribed both ways, first copies done: {clock.since()}")
        sites = [Site(code, cluster) for code, cluster in zip(codes, site_clusters, strict=True)]

        run_lag(sites, args, hub, clusters)

        hour = max(1, round(args.berkas_per_day / DAY_HOURS))
        cuts = [("1 hour", hour, 12)] + ([] if args.no_day_cut else [("a busy day", args.berkas_per_day, 96)])
        for label, berkas, checkpoints in cuts:
            at_site = run_cut(sites[0], link, berkas, label, checkpoints)
            at_hub = counts(hub.conninfo(), sites[0].code)
            print(f"  rows of site s1: at the site {sum(at_site.values())}, at the hub {sum(at_hub.values())}"
                  f" ({'equal' if at_site == at_hub else 'DIFFERENT'})")  # fmt: skip
        print(f"total wall {time.monotonic() - started:.0f} s; load average now {os.getloadavg()}")
    except BaseException:
        for cluster in clusters:
            tail = "\n".join(cluster.log().splitlines()[-15:])
            print(f"--- {cluster.name} log:\n{tail}", file=sys.stderr)
        raise
    finally:
        if link is not None:
            link.cut()
        for site in sites:
            site.conn.close()
        for engine in _engines.values():
            engine.dispose()  # type: ignore[attr-defined]
        for cluster in clusters:
            try:
                cluster.stop()
            except RuntimeError as exc:
                print(f"stopping {cluster.name}: {exc}", file=sys.stderr)


if __name__ == "__main__":
    main()
