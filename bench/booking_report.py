"""Benchmark: the booking report (core/reports/booking.py) over a year of a busy office's online booking. Not a test.

A year (365 days to the frozen today, 2026-11-30): 10 services bookable Monday to Friday 08:00-14:00 in 15-minute
slots of 2 online seats (4 seats, half kept for walk-ins): 261 working days x 24 slots x 10 services = 62,640 slots,
of which 85 % were booked at least once (a slot row); 1 or 2 bookings each (and 1 cancelled in 10), states
checked_in 70 % / no_show 30 %; 300 tickets a working day (a third "booking", the rest kiosk or counter walk-ins).
Rows are written in bulk (not through the operations: only the report is measured).

It prints the rows made and the report's CPU time (time.process_time of this process: on PostgreSQL the
server's own work is not in it) and wall time, median of --repeat runs, for SQLite and (--postgres URL of an
EMPTY database, migrated here) PostgreSQL.

    .venv/bin/python bench/booking_report.py [--sqlite /tmp/booking-year.db] [--postgres URL] [--repeat 5]
"""

from __future__ import annotations

import argparse
import random
import statistics
import string
import sys
import time as clock_time
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from loket.core.booking.config import BookingConfig, ServiceBooking, write_config  # noqa: E402
from loket.core.catalog import load_catalog  # noqa: E402
from loket.core.clock import FrozenClock  # noqa: E402
from loket.core.context import Policy  # noqa: E402
from loket.core.migrate import upgrade  # noqa: E402
from loket.core.qr import CodeSigner  # noqa: E402
from loket.core.reports.booking import booking_report  # noqa: E402
from loket.core.service import Loket  # noqa: E402
from loket.core.store import Booking, BookingSlot, Store, Ticket  # noqa: E402

TODAY = date(2026, 11, 30)
START = TODAY - timedelta(days=364)
HOURS = {"open": "08:00", "close": "14:00"}
RULE = ServiceBooking(hours={d: HOURS for d in ("mon", "tue", "wed", "thu", "fri")}, slot_minutes=15, seats_per_slot=4)


def fill(loket: Loket, services: list[str]) -> dict[str, int]:
    rng = random.Random(13)
    tz = loket.clock.tz
    with loket.store.transaction() as s:
        write_config(s, BookingConfig(enabled=True, services=dict.fromkeys(services, RULE)), loket.clock.now(), None)
    slot_id = booking_id = ticket_id = 0
    counts = {"slots": 0, "bookings": 0, "tickets": 0}
    day = START
    while day <= TODAY:
        if day.weekday() >= 5:
            day += timedelta(days=1)
            continue
        slots, bookings, tickets = [], [], []
        for code in services:
            for start in RULE.slot_starts(day):
                if rng.random() > 0.85:
                    continue
                slot_id += 1
                at = datetime.combine(day, start, tz).astimezone(UTC)
                states = ["checked_in" if rng.random() < 0.7 else "no_show" for _ in range(rng.choice((1, 2)))]
                if rng.random() < 0.1:
                    states.append("cancelled")
                slots.append(
                    {
                        "id": slot_id,
                        "service_code": code,
                        "day": day,
                        "starts_at": at,
                        "capacity": RULE.online_seats,
                        "priority_seats": RULE.priority_seats,
                        "taken": sum(st == "checked_in" for st in states),
                        "regular_taken": 0,
                    }
                )
                for state in states:
                    booking_id += 1
                    bookings.append(
                        {
                            "id": booking_id,
                            "code": "".join(rng.choices(string.ascii_uppercase, k=8)) + f"{booking_id % 10000:04d}",
                            "service_code": code,
                            "slot_id": slot_id,
                            "day": day,
                            "starts_at": at,
                            "ends_at": at + timedelta(minutes=15),
                            "release_at": at + timedelta(minutes=15),
                            "nik": None,
                            "phone": None,
                            "priority": "lansia" if rng.random() < 0.1 else None,
                            "status": state,
                            "issuer": None,
                            "created_at": at - timedelta(days=1),
                            "cancelled_at": None,
                            "checked_in_at": None,
                            "released_at": None,
                            "ticket_id": None,
                            "purged_at": None,
                        }
                    )
        opens = datetime.combine(day, time(8), tz).astimezone(UTC)
        for n in range(300):
            ticket_id += 1
            issued = opens + timedelta(seconds=n * 72)
            tickets.append(
                {
                    "id": ticket_id,
                    "service_day": day,
                    "prefix": "A",
                    "seq": n + 1,
                    "number": f"A-{n + 1:03d}",
                    "service_code": rng.choice(services),
                    "steps": [],
                    "priority": None,
                    "source": "booking" if n % 3 == 0 else rng.choice(("kiosk", "kiosk", "walk_in")),
                    "state": "done",
                    "step_index": 0,
                    "current_role": "pelayanan",
                    "queue_key": float(n),
                    "queued_at": issued,
                    "call_count": 0,
                    "issued_at": issued,
                    "closed_at": issued,
                    "version": 1,
                }
            )
        with loket.store.transaction() as s:
            s.execute(insert(BookingSlot), slots)
            s.execute(insert(Booking), bookings)
            s.execute(insert(Ticket), tickets)
        counts["slots"] += len(slots)
        counts["bookings"] += len(bookings)
        counts["tickets"] += len(tickets)
        day += timedelta(days=1)
    return counts


def measure(url: str, repeat: int, *, migrate: bool) -> None:
    if migrate:
        upgrade(url)
    store = Store(url)
    catalog = load_catalog(ROOT / "loket" / "sops")
    clock = FrozenClock(datetime.combine(TODAY, time(7), UTC))
    loket = Loket(store, catalog, CodeSigner("bench", "bench"), clock, Policy())
    with store.read() as s:
        have = s.scalar(select(func.count()).select_from(Booking))
    if not have:
        services = [sop.code for sop in catalog][:10]
        print("filled", fill(loket, services))
    cpu, wall = [], []
    for _ in range(repeat):
        c0, w0 = clock_time.process_time(), clock_time.perf_counter()
        report = booking_report(loket, START, TODAY)
        cpu.append(clock_time.process_time() - c0)
        wall.append(clock_time.perf_counter() - w0)
    total = report.total.as_dict()
    print(
        f"{store.engine.dialect.name}: a year ({START} .. {TODAY}): bookings {total['made']}, "
        f"seats offered {total['seats']['capacity']} (from rules {total['seats']['from_rules']}), "
        f"tickets {total['tickets']['issued']}; CPU median {statistics.median(cpu) * 1000:.0f} ms "
        f"(min {min(cpu) * 1000:.0f}), wall median {statistics.median(wall) * 1000:.0f} ms over {repeat} runs"
    )
    store.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sqlite", default="/tmp/booking-year.db")
    parser.add_argument("--postgres")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    fresh = not Path(args.sqlite).exists()
    measure(f"sqlite:///{args.sqlite}", args.repeat, migrate=fresh)
    if args.postgres:
        measure(args.postgres, args.repeat, migrate=True)


if __name__ == "__main__":
    main()
