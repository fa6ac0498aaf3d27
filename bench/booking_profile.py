"""Where a booking's CPU goes: the resident's POST /api/booking, in-process, on SQLite or PostgreSQL, profiled.

Drives the real app through Flask's test client (no HTTP server, no load generator sharing the CPU):
a fresh database, a frozen clock (Monday 08:00 in Jakarta, booking Tuesday's slots), one service with
1000 online seats per slot, the rate limits off, each booking its own NIK. With --challenge the office's
proof-of-work is on: the challenges are fetched and solved before the measurement (the resident's
phone does that), so the figure is the server's verification and the spend of the solution.

- CPU per booking of the request thread (time.thread_time), without the profiler;
- the floor: a trivial JSON POST through the same app;
- with --profile, cProfile on the request thread's CPU time, the most cumulative functions.

    .venv/bin/python bench/booking_profile.py [--pg] [--challenge] [--bookings 500] [--profile] [--top 40]

CPU time is steadier than wall time on a shared machine; compare runs of one machine.
"""

from __future__ import annotations

import argparse
import base64
import cProfile
import hashlib
import itertools
import json
import os
import pstats
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import jsonify  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from loket.app import create_app  # noqa: E402
from loket.core.booking.config import BookingConfig, ServiceBooking, write_config  # noqa: E402
from loket.core.clock import FrozenClock  # noqa: E402
from loket.core.migrate import upgrade  # noqa: E402
from loket.extensions import csrf  # noqa: E402

SERVICE = "penerbitan-kia"
TUESDAY = "2026-11-24"
STARTS = [f"{h:02d}:{m:02d}" for h in range(8, 14) for m in (0, 15, 30, 45)]
SHOWN = "loket/|flask_limiter/_ext|flask/app|altcha|sqlalchemy/engine/base|sqlalchemy/orm/session|json|pydantic"
PG_ADMIN_URL = os.environ.get("LOKET_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


def niks():
    """Valid synthetic NIKs (Kota Bandung, born 1 January 1960..1999), all distinct."""
    for year in range(60, 100):
        for n in range(1, 10000):
            yield f"3273010101{year:02d}{n:04d}"


def solve(challenge: dict) -> str:
    for number in range(challenge["maxnumber"] + 1):
        if hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest() == challenge["challenge"]:
            fields = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
            return base64.b64encode(json.dumps({**fields, "number": number}).encode()).decode()
    raise SystemExit("unsolvable challenge")


def build(folder: Path, url: str, challenge: bool):
    upgrade(url)
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "PRINTER": f"file:{folder / 'tickets'}",
            "BOOKING_RATE_LIMIT": "",
            "BOOKING_DEVICE_RATE_LIMIT": "",
            "BOOKING_READ_RATE_LIMIT": "",
        },
        clock=FrozenClock(datetime(2026, 11, 23, 1, 0, tzinfo=UTC)),
        instance_path=str(folder / "instance"),
    )

    @app.post("/bench/ping")
    def ping():
        return jsonify(ok=True)

    csrf.exempt(ping)
    loket = app.extensions["loket"]
    rule = ServiceBooking(seats_per_slot=1000, walk_in_percent=0, priority_percent=0)
    config = BookingConfig(enabled=True, challenge=challenge, challenge_max_number=1000, services={SERVICE: rule})
    with loket.store.transaction() as s:
        write_config(s, config, loket.clock.now(), None)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bookings", type=int, default=500, help="bookings per measurement (default 500)")
    parser.add_argument("--pg", action="store_true", help=f"on a new PostgreSQL database (beside {PG_ADMIN_URL})")
    parser.add_argument("--challenge", action="store_true", help="with the office's proof-of-work on")
    parser.add_argument("--profile", action="store_true", help="also print the request thread's profile")
    parser.add_argument("--top", type=int, default=40, help="functions shown in the profile")
    parser.add_argument("--dump", help="also save the profile (pstats) to this file")
    args = parser.parse_args()
    count = max(1, min(args.bookings, 5000))

    admin, name = None, None
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        if args.pg:
            admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
            name = f"loket_bench_{uuid.uuid4().hex[:10]}"
            with admin.connect() as conn:
                conn.execute(text(f'CREATE DATABASE "{name}"'))
            url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
        else:
            url = f"sqlite:///{Path(tmp) / 'loket.db'}"
        try:
            run(build(Path(tmp), url, args.challenge), args, count)
        finally:
            if admin is not None:
                with admin.connect() as conn:
                    conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                admin.dispose()


def run(app, args, count: int) -> None:
    client = app.test_client()
    people = niks()
    slots = itertools.cycle(STARTS)

    def solutions(n: int) -> list[str | None]:
        if not args.challenge:
            return [None] * n
        return [solve(client.get("/api/booking/challenge").get_json()["challenge"]) for _ in range(n)]

    def booking(solution: str | None) -> None:
        body = {"service": SERVICE, "day": TUESDAY, "start": next(slots), "nik": next(people)}
        if solution:
            body["challenge"] = solution
        answer = client.post("/api/booking", json=body)
        if answer.status_code != 201:
            raise SystemExit(f"booking refused: {answer.status_code} {answer.get_data(as_text=True)[:200]}")

    def ping() -> None:
        client.post("/bench/ping", json={"service": SERVICE, "nik": "3273010101900001"})

    for solution in solutions(30):  # warm: compiled statements, kept settings
        booking(solution)
        ping()

    thread = time.thread_time()
    for _ in range(count):
        ping()
    floor = (time.thread_time() - thread) / count * 1000

    ready = solutions(count)
    thread, wall = time.thread_time(), time.perf_counter()
    for solution in ready:
        booking(solution)
    request = (time.thread_time() - thread) / count * 1000
    elapsed = (time.perf_counter() - wall) / count * 1000

    backend = "PostgreSQL" if args.pg else "SQLite"
    mode = "challenge on" if args.challenge else "challenge off"
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {count} bookings, {backend}, {mode}, test client")
    print(f"CPU per booking, request thread:                   {request:6.2f} ms  (wall {elapsed:.2f} ms)")
    print(f"CPU per trivial JSON POST through the same app:    {floor:6.2f} ms")

    if args.profile:
        ready = solutions(count)
        profiler = cProfile.Profile(time.thread_time)
        profiler.enable()
        for solution in ready:
            booking(solution)
        profiler.disable()
        print(f"\nProfile of the request thread (CPU seconds over {count} bookings, profiler overhead included):")
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(SHOWN, args.top)
        if args.dump:
            profiler.dump_stats(args.dump)
    app.extensions["loket"].store.dispose()


if __name__ == "__main__":
    main()
