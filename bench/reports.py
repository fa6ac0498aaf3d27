"""How long a report takes over a day, a month and a year of a busy office: the full computation
from raw rows (`build_report_full`, the old way and the reference) beside the per-day summaries
(`build_report`), cold (no summaries yet: this run makes them) and warm.

Writes synthetic history straight into a fresh database (tickets with their SOP steps, one visit
per step with plausible times, some pendings and no-shows), then runs each report in a fresh child
process and prints wall time, CPU time and the peak RSS growth during the report, with ratios, and
whether both gave the same report.

    .venv/bin/python bench/reports.py                    # SQLite, 365 days x 300 tickets
    .venv/bin/python bench/reports.py --days 30 --per-day 500
    .venv/bin/python bench/reports.py --reuse --database sqlite:////tmp/loket-bench/year.db   # fill once
    .venv/bin/python bench/reports.py --database postgresql+psycopg://postgres@127.0.0.1/loket_bench

`--database` names a scratch database, never an office's: without `--reuse` its Loket tables are DROPPED, refilled and
dropped again at the end; with `--reuse` a database that has tickets is measured as it is (its report summaries
are deleted and made again) and kept. A SQLite file's folder, and a PostgreSQL database, must exist already.
`--days` is both how many days a new database is filled with and the longest period measured (today, yesterday,
30 days, 365 days: those of at most `--days` days). The history ends on a fixed day, 2026-11-23 ("today").
The MiB column is the child's peak RSS since its exec (`VmHWM`; Linux carries `ru_maxrss` over from the parent, so a
run that had just filled the database used to show the filling's memory on the small reports) minus its RSS just
before the reports.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, func, inspect, select

from loket.core.catalog import load_catalog
from loket.core.clock import FrozenClock
from loket.core.qr import CodeSigner
from loket.core.reports import build_report, build_report_full, live_dashboard
from loket.core.service import Loket
from loket.core.store import EventRecord, ReportDay, StepVisit, Store, Ticket

ROOT = Path(__file__).resolve().parent.parent
LAST_DAY = date(2026, 11, 23)
CLOCK = FrozenClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))  # 16:00 in Jakarta: today's hall is closing


def fill(store: Store, catalog, days: int, per_day: int, last_day: date, seed: int = 7) -> int:
    rng = random.Random(seed)
    sops = [s for s in catalog if not s.draft]
    count = 0
    for d in range(days):
        day = last_day - timedelta(days=days - 1 - d)
        opening = datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)  # 08:00 WIB
        tickets, visits, events = [], [], []
        with store.transaction() as s:
            seqs: dict[str, int] = {}
            for _i in range(per_day):
                sop = rng.choice(sops)
                seqs[sop.prefix] = seqs.get(sop.prefix, 0) + 1
                issued = opening + timedelta(seconds=rng.randint(0, 6 * 3600))
                fate = rng.random()
                state = "done" if fate > 0.08 else "no_show"
                t = Ticket(
                    service_day=day,
                    prefix=sop.prefix,
                    seq=seqs[sop.prefix],
                    number=f"{sop.prefix}-{seqs[sop.prefix]:03d}",
                    service_code=sop.code,
                    steps=sop.snapshot(),
                    state=state,
                    step_index=0,
                    current_role=sop.steps[0].role.value,
                    queue_key=issued.timestamp(),
                    queued_at=issued,
                    issued_at=issued,
                    version=1,
                )
                tickets.append(t)
                moment = issued
                for index, step in enumerate(sop.steps):
                    wait = rng.expovariate(1 / 900)
                    called = moment + timedelta(seconds=wait)
                    started = called + timedelta(seconds=rng.randint(20, 120))
                    target = (step.target_minutes or 5) * 60
                    ended = started + timedelta(seconds=rng.gauss(target * 0.9, target * 0.4) % (3 * target) + 30)
                    outcome = "advanced"
                    if state == "no_show" and index == 0:
                        outcome, started, ended = "no_show", None, called + timedelta(minutes=5)
                    elif rng.random() < 0.03:
                        outcome = "pended"
                    visits.append(
                        (
                            t,
                            StepVisit(
                                step_index=index,
                                role=step.role.value,
                                target_minutes=step.target_minutes,
                                entered_at=moment,
                                called_at=called,
                                started_at=started,
                                ended_at=ended,
                                outcome=outcome,
                            ),
                        )
                    )
                    if outcome == "pended":
                        events.append((t, ended, {"reason": rng.choice(["not_in_siak", "network_down", "other"])}))
                    moment = ended
                    if outcome == "no_show":
                        break
                t.closed_at = moment
                count += 1
            s.add_all(tickets)
            s.flush()
            for t, v in visits:
                v.ticket_id = t.id
            s.add_all(v for _, v in visits)
            s.add_all(
                EventRecord(at=at, kind="ticket.pended", ticket_id=t.id, payload=payload) for t, at, payload in events
            )
    return count


PERIODS = (("today", 0, 0), ("yesterday", 1, 1), ("30 days", 29, 0), ("365 days", 364, 0))


def _rss_kib() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * resource.getpagesize() // 1024


def _peak_kib() -> int:
    """This process's peak RSS since its exec (VmHWM: `ru_maxrss` would carry the parent's peak over an exec)."""
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))


def measure(url: str, which: str, start: date, end: date, repeat: int) -> None:
    """In a fresh child process: run one report `repeat` times; print wall, CPU and peak RSS growth as JSON."""
    catalog = load_catalog(ROOT / "loket" / "sops")
    store = Store(url)
    loket = Loket(store, catalog, CodeSigner("bench", "bench"), CLOCK)
    fn = {"full": build_report_full, "fast": build_report}[which]
    fn(loket, LAST_DAY - timedelta(days=400))  # imports, connections and caches warm, on an empty day
    before = _rss_kib()
    walls, cpus = [], []
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        report = fn(loket, start, end)
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
    peak = _peak_kib()
    print(
        json.dumps(
            {
                "wall": statistics.median(walls),
                "cpu": statistics.median(cpus),
                "extra_mib": (peak - before) / 1024,
                "issued": report.total.issued,
                "digest": hashlib.sha256(
                    json.dumps(report.as_dict(), sort_keys=True, default=str).encode()
                ).hexdigest(),
            }
        )
    )
    store.dispose()


def child(url: str, which: str, start: date, end: date, repeat: int) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            __file__,
            "--measure",
            which,
            "--database",
            url,
            "--start",
            start.isoformat(),
            "--end",
            end.isoformat(),
            "--repeat",
            str(repeat),
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def forget_summaries(store: Store) -> None:
    with store.transaction() as s:
        s.execute(delete(ReportDay))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=365, help="days filled, and the longest period measured")
    parser.add_argument("--per-day", type=int, default=300, help="tickets a day when filling")
    parser.add_argument(
        "--database", default=None,
        help="a scratch database's SQLAlchemy URL, its tables DROPPED unless --reuse (default: temporary SQLite)",
    )  # fmt: skip
    parser.add_argument("--repeat", type=int, default=3, help="runs per warm measurement (median)")
    parser.add_argument("--reuse", action="store_true", help="keep the database's history if it has one (and keep it)")
    parser.add_argument("--measure", choices=["full", "fast"], help=argparse.SUPPRESS)
    parser.add_argument("--start", help=argparse.SUPPRESS)
    parser.add_argument("--end", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        measure(args.database, args.measure, date.fromisoformat(args.start), date.fromisoformat(args.end), args.repeat)
        return

    catalog = load_catalog(ROOT / "loket" / "sops")
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'bench.db'}"
        store = Store(url)
        with store.read() as s:
            kept = args.reuse and inspect(store.engine).has_table("tickets") and s.scalar(select(func.count(Ticket.id)))
        if kept:
            store.create_all()
            print(f"database: {store.engine.dialect.name}; {kept} tickets kept from an earlier run")
        else:
            store.drop_all()
            store.create_all()
            t0 = time.perf_counter()
            n = fill(store, catalog, args.days, args.per_day, LAST_DAY)
            print(f"database: {store.engine.dialect.name}; wrote {n} tickets in {time.perf_counter() - t0:.1f} s")
        loket = Loket(store, catalog, CodeSigner("bench", "bench"), CLOCK)
        print("each figure from a fresh process; extra memory = peak RSS during the reports - RSS before them")
        print(
            f"{'period':>10} {'berkas':>7} | {'full: wall':>10} {'cpu':>7} {'MiB':>6} |"
            f" {'summaries':>9} {'wall':>8} {'cpu':>7} {'MiB':>6} | {'wall ratio':>10} {'cpu ratio':>9} same"
        )
        for label, back, forward_back in PERIODS:
            if back >= args.days:
                continue
            start, end = LAST_DAY - timedelta(days=back), LAST_DAY - timedelta(days=forward_back)
            full = child(url, "full", start, end, args.repeat if back == 0 or label == "yesterday" else 1)
            forget_summaries(store)
            rows = [("cold", child(url, "fast", start, end, 1)), ("warm", child(url, "fast", start, end, args.repeat))]
            for state, fast in rows:
                print(
                    f"{label:>10} {full['issued']:>7} | {full['wall'] * 1000:8.0f}ms {full['cpu'] * 1000:5.0f}ms"
                    f" {full['extra_mib']:6.1f} | {state:>9} {fast['wall'] * 1000:6.1f}ms {fast['cpu'] * 1000:5.0f}ms"
                    f" {fast['extra_mib']:6.1f} | {full['wall'] / fast['wall']:9.1f}x {full['cpu'] / fast['cpu']:8.1f}x"
                    f" {'yes' if fast['digest'] == full['digest'] else 'NO'}"
                )
        with store.read() as s:
            size = s.scalar(select(func.sum(func.length(ReportDay.figures) + func.length(ReportDay.durations))))
        print(f"summaries stored: {(size or 0) / 2**20:.1f} MiB")
        print(f"live dashboard (today, from the raw rows): {timed(lambda: live_dashboard(loket)) * 1000:.0f} ms")
        if not args.reuse:
            store.drop_all()
        store.dispose()


def timed(fn, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


if __name__ == "__main__":
    main()
