"""Benchmark: the morning rush of online booking (issue 13, "The morning rush"). Not a test.

5,000 distinct residents (valid synthetic NIKs) try to book one service's 400 seats (40 slots of 10)
within 60 seconds, through 500 concurrent clients (aiohttp), against Loket served as `make run` serves it
(gunicorn's gevent worker, 1 process, SQLite) and, with `--postgres URL`, also on PostgreSQL with Redis
(the limiter's storage) and 2 gevent processes. A resident reads the day's slots, picks one with free seats at
random and books it; on 409 "full" (penuh) they read the slots again and try once more (3 tries at most);
when no slot has a seat left they stop, told "penuh". One resident in 20 also tries a second booking with
the same NIK for another slot (it must be refused). All traffic goes to 127.0.0.1; every loop is bounded.

The per-address and per-device limits are lifted for the run (LOKET_BOOKING_RATE_LIMIT="",
LOKET_BOOKING_DEVICE_RATE_LIMIT="", LOKET_BOOKING_READ_RATE_LIMIT=""): every client here comes from
127.0.0.1, so the per-address limit would otherwise answer 429 to nearly everyone and measure the limiter.

It prints per server: bookings accepted (must equal the capacity, checked again in the database), active
bookings per NIK and service above one (0), server errors (5xx or a failed connection: 0), latency p50/p99
of the booking POST and of every request, and how many "penuh" answers (409 full) and residents left
without a seat.

    .venv/bin/python bench/booking_rush.py [--residents 5000] [--clients 500] [--seconds 60]
        [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/EMPTY_DATABASE] [--redis redis://127.0.0.1:6379/0]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from sqlalchemy import func, select, text  # noqa: E402

from bench.common import BIN, free_port, start_server  # noqa: E402
from loket.core.booking.config import BookingConfig, ServiceBooking, write_config  # noqa: E402
from loket.core.store import Booking, Store  # noqa: E402

SERVICE = "penerbitan-kia"
SLOTS, SEATS = 40, 10  # 06:00-16:00 in 15-minute slots, 10 seats each: 400
NO_LIMITS = {"LOKET_BOOKING_RATE_LIMIT": "", "LOKET_BOOKING_DEVICE_RATE_LIMIT": "", "LOKET_BOOKING_READ_RATE_LIMIT": ""}


def nik(n: int) -> str:
    """A valid synthetic NIK, distinct for n < 9999 * 28: region 3273 01, born 1-28 January 1990, serial."""
    day, serial = 1 + n // 9999, 1 + n % 9999
    return f"327301{day:02d}0190{serial:04d}"


def rush_day() -> date:
    """The day booked: two days ahead in the office's zone (booking open a week before, whatever the hour)."""
    return datetime.now(ZoneInfo("Asia/Jakarta")).date() + timedelta(days=2)


def configure(url: str) -> None:
    rule = ServiceBooking(
        hours={d: {"open": "06:00", "close": "16:00"} for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
        slot_minutes=15,
        seats_per_slot=SEATS,
        walk_in_percent=0,
        priority_percent=0,
        days_ahead=7,
        opens_days_before=7,
    )
    store = Store(url)
    with store.transaction() as s:
        write_config(s, BookingConfig(enabled=True, services={SERVICE: rule}), datetime.now().astimezone(), None)
    store.dispose()


@dataclass
class Tally:
    accepted: int = 0
    full: int = 0  # 409 "full" answers (penuh)
    refused_same_nik: int = 0
    second_accepted: int = 0
    left_without_seat: int = 0
    errors: int = 0  # 5xx answers
    no_answer: int = 0  # no answer within the client's 30 s, or a failed connection
    other: dict[int, int] = field(default_factory=dict)
    post_latency: list[float] = field(default_factory=list)
    all_latency: list[float] = field(default_factory=list)


async def resident(session: aiohttp.ClientSession, base: str, n: int, day: str, tally: Tally, rng: random.Random):
    async def call(method: str, path: str, body: dict | None = None) -> tuple[int, dict]:
        started = time.perf_counter()
        try:
            async with session.request(method, base + path, json=body) as r:
                data = await r.json(content_type=None)
                status = r.status
        except (TimeoutError, aiohttp.ClientError, ValueError):
            tally.no_answer += 1
            return 0, {}
        elapsed = time.perf_counter() - started
        tally.all_latency.append(elapsed)
        if method == "POST":
            tally.post_latency.append(elapsed)
        if status >= 500:
            tally.errors += 1
        return status, data

    booked_start = None
    for _try in range(3):
        status, data = await call("GET", f"/api/booking/services/{SERVICE}/days/{day}")
        free = [s for s in data.get("slots", []) if s["free"] > 0] if status == 200 else []
        if not free:
            tally.left_without_seat += 1
            return
        slot = rng.choice(free)
        body = {"service": SERVICE, "day": day, "start": slot["start"], "nik": nik(n)}
        status, data = await call("POST", "/api/booking", body)
        if status == 201:
            tally.accepted += 1
            booked_start = slot["start"]
            break
        if status == 409 and data.get("error") == "full":
            tally.full += 1
            continue
        tally.other[status] = tally.other.get(status, 0) + 1
        return
    else:
        tally.left_without_seat += 1
        return
    if n % 20 == 0:  # one in 20 tries a second booking with the same NIK (must be refused)
        other = "06:00" if booked_start != "06:00" else "06:15"
        second = {"service": SERVICE, "day": day, "start": other, "nik": nik(n)}
        status, data = await call("POST", "/api/booking", second)
        if status == 409 and data.get("error") == "already_booked":
            tally.refused_same_nik += 1
        elif status == 201:
            tally.second_accepted += 1


async def rush(base: str, residents: int, clients: int, seconds: float) -> tuple[Tally, float]:
    tally, day = Tally(), rush_day().isoformat()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(residents):
        queue.put_nowait(n)
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(limit=clients)
    timeout = aiohttp.ClientTimeout(total=30)

    async def client(i: int) -> None:
        rng = random.Random(i)
        while time.monotonic() < deadline:
            try:
                n = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await resident(session, base, n, day, tally, rng)

    started = time.monotonic()
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await asyncio.gather(*(client(i) for i in range(clients)))
    return tally, time.monotonic() - started


def pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))] * 1000


def in_database(url: str) -> tuple[int, int]:
    """(active bookings, NIK+service pairs holding more than one active booking) as stored."""
    store = Store(url)
    with store.read() as s:
        active = s.scalar(select(func.count()).select_from(Booking).where(Booking.status == "booked"))
        doubles = s.scalar(
            select(func.count()).select_from(
                select(Booking.nik)
                .where(Booking.status == "booked")
                .group_by(Booking.nik, Booking.service_code)
                .having(func.count() > 1)
                .subquery()
            )
        )
    store.dispose()
    return int(active or 0), int(doubles or 0)


def report(name: str, url: str, tally: Tally, wall: float, residents: int, clients: int) -> None:
    active, doubles = in_database(url)
    print(f"\n== {name}: {residents} residents, {clients} concurrent clients, {SLOTS * SEATS} seats, {wall:.1f} s")
    print(f"accepted (201)            {tally.accepted}   in the database: {active}   capacity: {SLOTS * SEATS}")
    print(
        f"double bookings per NIK   {doubles}   (second try with the same NIK: {tally.refused_same_nik} refused,"
        f" {tally.second_accepted} accepted)"
    )
    print(f"server errors (5xx)       {tally.errors}   no answer in 30 s: {tally.no_answer}")
    print(f"other answers             {tally.other or '-'}")
    print(f"'penuh' answers (409 full) {tally.full}   residents left without a seat: {tally.left_without_seat}")
    print(
        f"booking POST  p50 {pct(tally.post_latency, 0.5):.0f} ms  p99 {pct(tally.post_latency, 0.99):.0f} ms"
        f"  max {pct(tally.post_latency, 1):.0f} ms  ({len(tally.post_latency)} requests)"
    )
    print(
        f"every request p50 {pct(tally.all_latency, 0.5):.0f} ms  p99 {pct(tally.all_latency, 0.99):.0f} ms"
        f"  ({len(tally.all_latency)} requests, {len(tally.all_latency) / wall:.0f}/s)"
    )


def run_sqlite(args) -> None:
    with tempfile.TemporaryDirectory() as folder:
        proc, port, env = start_server(Path(folder), NO_LIMITS, worker="gevent")
        try:
            configure(env["DATABASE_URL"])
            time.sleep(2.5)  # the server reads the office's settings again within 2 s
            tally, wall = asyncio.run(rush(f"http://127.0.0.1:{port}", args.residents, args.clients, args.seconds))
            name = "SQLite, 1 gevent process (make run)"
            report(name, env["DATABASE_URL"], tally, wall, args.residents, args.clients)
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def wait_for(base: str) -> None:
    """Until the server answers (at most 15 s)."""
    for _ in range(150):
        try:
            with urllib.request.urlopen(base + "/api/booking/services", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{base} did not start")


def run_postgres(args) -> None:
    url = args.postgres
    store = Store(url)
    with store.engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    store.dispose()
    env = dict(os.environ, **NO_LIMITS, DATABASE_URL=url, SECRET_KEY="bench", LOKET_RATELIMIT_STORAGE_URI=args.redis,
               SOCKETIO_MESSAGE_QUEUE=args.redis)  # fmt: skip
    subprocess.run([BIN / "flask", "--app", "loket.app", "init-db"], cwd=ROOT, env=env, check=True, capture_output=True)
    port, second_port = free_port(), free_port()
    command = [
        *(BIN / "gunicorn", "--worker-class", "gevent", "--worker-connections", "4000", "--workers", "1"),
        *("--no-control-socket", "--graceful-timeout", "2", "--log-level", "warning", "loket.wsgi:app"),
    ]
    proc, second = (
        subprocess.Popen([*command, "--bind", f"127.0.0.1:{p}"], cwd=ROOT, env=env) for p in (port, second_port)
    )
    try:
        for p in (port, second_port):
            wait_for(f"http://127.0.0.1:{p}")
        configure(url)
        time.sleep(2.5)  # the servers read the office's settings again within 2 s
        bases = [f"http://127.0.0.1:{port}", f"http://127.0.0.1:{second_port}"]

        async def both() -> tuple[Tally, float]:
            half = args.residents // 2
            results = await asyncio.gather(
                rush(bases[0], half, args.clients // 2, args.seconds),
                rush_offset(bases[1], half, args.residents - half, args.clients // 2, args.seconds),
            )
            merged = Tally()
            for t, _wall in results:
                for name in ("accepted", "full", "refused_same_nik", "second_accepted", "left_without_seat",
                             "errors", "no_answer"):  # fmt: skip
                    setattr(merged, name, getattr(merged, name) + getattr(t, name))
                merged.post_latency += t.post_latency
                merged.all_latency += t.all_latency
                for k, v in t.other.items():
                    merged.other[k] = merged.other.get(k, 0) + v
            return merged, max(w for _t, w in results)

        time.sleep(1)
        tally, wall = asyncio.run(both())
        report("PostgreSQL + Redis, 2 gevent processes", url, tally, wall, args.residents, args.clients)
    finally:
        for p in (proc, second):
            p.terminate()
            p.wait(timeout=10)


async def rush_offset(base: str, first: int, count: int, clients: int, seconds: float) -> tuple[Tally, float]:
    """`rush` for residents first..first+count (the second process's half: distinct NIKs)."""
    tally, day = Tally(), rush_day().isoformat()
    queue: asyncio.Queue[int] = asyncio.Queue()
    for n in range(first, first + count):
        queue.put_nowait(n)
    deadline = time.monotonic() + seconds
    started = time.monotonic()
    async with aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(limit=clients), timeout=aiohttp.ClientTimeout(total=30)
    ) as session:

        async def client(i: int) -> None:
            rng = random.Random(10_000 + i)
            while time.monotonic() < deadline:
                try:
                    n = queue.get_nowait()
                except asyncio.QueueEmpty:
                    return
                await resident(session, base, n, day, tally, rng)

        await asyncio.gather(*(client(i) for i in range(clients)))
    return tally, time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--residents", type=int, default=5000)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--postgres", help="an empty PostgreSQL database's URL (its schema is dropped)")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0")
    parser.add_argument("--skip-sqlite", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
        run_sqlite(args)
    if args.postgres:
        run_postgres(args)


if __name__ == "__main__":
    main()
