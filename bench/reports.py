"""How long a report takes over a day, a month and a year of a busy office.

Writes synthetic history straight into a fresh database (tickets with their SOP steps, one visit
per step with plausible times, some pendings and no-shows), then times core.reports.build_report
and the live dashboard.

    .venv/bin/python bench/reports.py                    # SQLite, 365 days x 300 tickets
    .venv/bin/python bench/reports.py --days 30 --per-day 500
    .venv/bin/python bench/reports.py --database postgresql+psycopg://postgres@127.0.0.1/loket_bench
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from loket.core.catalog import load_catalog
from loket.core.clock import FrozenClock
from loket.core.qr import CodeSigner
from loket.core.reports import build_report, live_dashboard
from loket.core.service import Loket
from loket.core.store import EventRecord, StepVisit, Store, Ticket

ROOT = Path(__file__).resolve().parent.parent


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


def timed(fn, repeat: int = 3) -> float:
    runs = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - t0)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--per-day", type=int, default=300)
    parser.add_argument("--database", default=None, help="a SQLAlchemy URL (default: a temporary SQLite file)")
    args = parser.parse_args()

    catalog = load_catalog(ROOT / "loket" / "sops")
    with tempfile.TemporaryDirectory() as folder:
        url = args.database or f"sqlite:///{Path(folder) / 'bench.db'}"
        store = Store(url)
        store.drop_all()
        store.create_all()
        last_day = date(2026, 11, 23)
        clock = FrozenClock(datetime(2026, 11, 23, 9, 0, tzinfo=UTC))
        loket = Loket(store, catalog, CodeSigner("bench", "bench"), clock)
        t0 = time.perf_counter()
        n = fill(store, catalog, args.days, args.per_day, last_day)
        print(f"database: {store.engine.dialect.name}; wrote {n} tickets in {time.perf_counter() - t0:.1f} s")
        for label, days in (("1 day", 1), ("30 days", 30), (f"{args.days} days", args.days)):
            if days > args.days:
                continue
            start = last_day - timedelta(days=days - 1)
            seconds = timed(lambda start=start: build_report(loket, start, last_day))
            report = build_report(loket, start, last_day)
            print(f"report over {label:>9}: {report.total.issued:>7} berkas, median of 3 runs {seconds * 1000:8.0f} ms")
        print(f"live dashboard: {timed(lambda: live_dashboard(loket)) * 1000:.0f} ms")
        print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")
        store.drop_all()
        store.dispose()


if __name__ == "__main__":
    main()
