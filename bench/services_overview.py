"""The kiosk's GET /api/services: CPU per call, grouped queries (now) beside per-service queries (before).

Every kiosk asks for the services overview every 30 s and ~1.5 s after each burst of tickets
(issue 12). This drives the real app through Flask's test client (no HTTP server, no load
generator beside it) on a database with a morning's queue and two weeks of history:

- history: `--days` past days, each with `--per-day` tickets served at the front desk (their first
  step finished, a few minutes each), spread over the 13 services;
- today: 3 front-desk counters at work and `--waiting` tickets in the hall (some with priority).

Then, in alternating rounds, GET /api/services with the grouped overview (issuing.services_overview)
and with the per-service reference (tests/core/tickets/overview_reference.py, the code before the
change) in its place; the request thread's CPU (time.thread_time) and wall time per call, and the
SQL statements per call. The two answers are checked equal first.

    .venv/bin/python bench/services_overview.py [--calls 300] [--waiting 200] [--days 15] [--per-day 60]
        [--url postgresql+psycopg://postgres@127.0.0.1:5432/EMPTY_DATABASE]

The figures are CPU time, steadier than wall time on a shared machine; compare runs of one machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import event  # noqa: E402

from loket.app import create_app  # noqa: E402
from loket.core.accounts import create_counter, create_user  # noqa: E402
from loket.core.clock import FrozenClock  # noqa: E402
from loket.core.migrate import upgrade  # noqa: E402
from loket.core.roles import Actor, Role  # noqa: E402
from loket.core.tickets import flow, issuing, queue  # noqa: E402
from tests.core.tickets.overview_reference import services_overview as reference  # noqa: E402

PRIORITIES = (None, None, None, None, "lansia", None, None, "disabilitas", None, "ibu_hamil")


def build(folder: Path, url: str | None, days: int, per_day: int, waiting: int):
    url = url or f"sqlite:///{folder / 'loket.db'}"
    upgrade(url)
    # 10:00 in Jakarta on a Monday; history is made by moving this clock through the past days.
    clock = FrozenClock(datetime(2026, 11, 23, 3, 0, tzinfo=UTC))
    clock.advance(days=-days)
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench", "PRINTER": f"file:{folder / 'tickets'}"},
        clock=clock,
        instance_path=str(folder / "instance"),
    )
    loket = app.extensions["loket"]
    codes = [sop.code for sop in loket.catalog]
    desks = []
    for i in range(3):
        user = create_user(loket.store, clock, f"desk{i}", f"Desk {i}", "password123", [Role.PELAYANAN])
        desks.append(Actor(user.id, Role.PELAYANAN, create_counter(loket.store, f"Loket {i}", i + 1, ["pelayanan"]).id))
    n = 0
    for _ in range(days):
        for _ in range(per_day):
            issuing.issue(loket, codes[n % len(codes)])
            desk = desks[n % len(desks)]
            ticket = queue.call_next(loket, desk).ticket
            flow.start(loket, desk, ticket.id)
            clock.advance(minutes=2 + n % 7)
            flow.advance(loket, desk, ticket.id)
            n += 1
        clock.advance(days=1, minutes=-sum(2 + k % 7 for k in range(n - per_day, n)))
    for i in range(waiting + len(desks)):
        issuing.issue(loket, codes[(i * 5) % len(codes)], PRIORITIES[i % len(PRIORITIES)])
        clock.advance(seconds=20)
    for desk in desks:  # three counters at work
        queue.call_next(loket, desk)
    return app, loket


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--calls", type=int, default=300, help="GETs per variant (default 300)")
    parser.add_argument("--waiting", type=int, default=200, help="tickets waiting today (default 200)")
    parser.add_argument("--days", type=int, default=15, help="days of history (default 15)")
    parser.add_argument("--per-day", type=int, default=60, help="first steps served per day of history (default 60)")
    parser.add_argument("--url", help="an empty database to use instead of a temporary SQLite file")
    args = parser.parse_args()
    calls = max(10, min(args.calls, 5000))
    rounds = 10

    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        started = time.perf_counter()
        app, loket = build(Path(tmp), args.url, min(args.days, 60), min(args.per_day, 500), min(args.waiting, 2000))
        built = time.perf_counter() - started
        client = app.test_client()
        grouped = issuing.services_overview
        assert grouped(loket) == reference(loket), "the grouped overview differs from the reference"

        statements = [0]

        @event.listens_for(loket.store.engine, "before_cursor_execute")
        def count(*_):
            statements[0] += 1

        def get() -> None:
            answer = client.get("/api/services")
            if answer.status_code != 200:
                raise SystemExit(f"GET /api/services: {answer.status_code} {answer.get_data(as_text=True)[:200]}")

        results: dict[str, dict[str, list[float]]] = {
            name: {"cpu": [], "wall": [], "sql": []} for name in ("before", "after")
        }
        variants = {"before": reference, "after": grouped}
        for overview in variants.values():  # warm: compiled statements, caches
            issuing.services_overview = overview
            for _ in range(10):
                get()
        per_round = max(1, calls // rounds)
        for r in range(rounds):  # alternate, so that a noisy neighbour hits both alike
            for name in ("before", "after") if r % 2 == 0 else ("after", "before"):
                issuing.services_overview = variants[name]
                statements[0] = 0
                cpu, wall = time.thread_time(), time.perf_counter()
                for _ in range(per_round):
                    get()
                results[name]["cpu"].append((time.thread_time() - cpu) / per_round * 1000)
                results[name]["wall"].append((time.perf_counter() - wall) / per_round * 1000)
                results[name]["sql"].append(statements[0] / per_round)
        issuing.services_overview = grouped

        backend = "PostgreSQL" if loket.store.is_postgres else "SQLite"
        print(
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {backend}; {args.waiting} waiting, "
            f"{args.days} days x {args.per_day} first steps of history (built in {built:.0f} s); "
            f"{rounds} alternating rounds x {per_round} GET /api/services, in-process (test client)"
        )
        print(f"{'':8} {'CPU ms/call (median of rounds, min-max)':>42} {'wall ms/call':>14} {'SQL/call':>9}")
        for name in ("before", "after"):
            cpu, wall = results[name]["cpu"], results[name]["wall"]
            print(
                f"{name:8} {statistics.median(cpu):19.2f} ({min(cpu):6.2f}-{max(cpu):6.2f})"
                f"{'':9} {statistics.median(wall):14.2f} {statistics.median(results[name]['sql']):9.0f}"
            )
        ratio = statistics.median(results["before"]["cpu"]) / statistics.median(results["after"]["cpu"])
        print(f"CPU ratio before/after: {ratio:.1f}x")
        loket.store.dispose()


if __name__ == "__main__":
    main()
