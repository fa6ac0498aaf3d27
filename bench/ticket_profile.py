"""Where a ticket's CPU goes: the kiosk's POST /api/tickets, in-process, with its print, profiled.

Issue 12 asks for the profile of the ticket request before and after. This drives the real app (a
fresh SQLite database, a file printer, a paired kiosk, one Idempotency-Key per tap) through Flask's
test client, so no HTTP server or load generator shares the figures:

- CPU per ticket of the whole process (the request thread and the printer's worker thread) and of
  the request thread alone, without the profiler;
- the floor: a trivial JSON POST through the same app (Flask, its extensions, the test client);
- with `--profile`, cProfile on the request thread's CPU time (time.thread_time), the functions
  with the most cumulative time, filtered to the app and the libraries it calls.

    .venv/bin/python bench/ticket_profile.py [--tickets 500] [--waiting 2000] [--profile] [--top 40]
        [--database postgresql+psycopg://postgres@127.0.0.1:5432/loket_bench_profile]

`--waiting N` issues N tickets first (unmeasured), so the measured ones join a queue of N waiting
residents: the place count of a new ticket reads the whole queue, so its cost shows only with a long one.

The figures are CPU time, steadier than wall time on a shared machine; compare runs of one machine.
"""

from __future__ import annotations

import argparse
import cProfile
import itertools
import pstats
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flask import jsonify  # noqa: E402

from loket.app import create_app  # noqa: E402
from loket.core import admin as ops  # noqa: E402
from loket.core.migrate import upgrade  # noqa: E402
from loket.core.roles import CommandLine  # noqa: E402
from loket.extensions import csrf  # noqa: E402

SERVICE = "pencetakan-ktp-el"
SHOWN = "loket/|flask_limiter/_ext|flask/app|escpos|sqlalchemy/engine/base|sqlalchemy/orm/session|json|pydantic"


def build(folder: Path, database: str | None = None):
    url = database or f"sqlite:///{folder / 'loket.db'}"
    upgrade(url)
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench", "PRINTER": f"file:{folder / 'tickets'}", "TICKET_RATE_LIMIT": ""},
        instance_path=str(folder / "instance"),
    )

    @app.post("/bench/ping")
    def ping():
        return jsonify(ok=True)

    csrf.exempt(ping)
    loket = app.extensions["loket"]
    device = ops.save_device(loket, CommandLine("bench"), {"kind": "kiosk", "name": "bench"})[0]
    token = ops.pair_device(loket, CommandLine("bench"), device["id"])[0]
    return app, token


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tickets", type=int, default=500, help="tickets per measurement (default 500)")
    parser.add_argument("--profile", action="store_true", help="also print the request thread's profile")
    parser.add_argument("--top", type=int, default=40, help="functions shown in the profile")
    parser.add_argument("--waiting", type=int, default=0, help="tickets issued (unmeasured) before, still waiting")
    parser.add_argument(
        "--database", help="a PostgreSQL URL to use instead of a fresh SQLite file (made afresh: dropped first!)"
    )
    args = parser.parse_args()
    if args.database:
        base, _, name = args.database.rstrip("/").rpartition("/")
        admin = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
        for sql in (f"DROP DATABASE IF EXISTS {name} WITH (FORCE)", f"CREATE DATABASE {name}"):
            subprocess.run(["psql", admin, "-qAtc", sql], check=True, capture_output=True)
    count = max(1, min(args.tickets, 5000))
    waiting = max(0, min(args.waiting, 20000))

    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        app, token = build(Path(tmp), args.database)
        client = app.test_client()
        queues = app.extensions["print_queues"]
        keys = itertools.count()
        headers = {"X-Loket-Kiosk-Token": token}

        def ticket() -> None:
            answer = client.post(
                "/api/tickets",
                json={"service": SERVICE, "kiosk": "bench"},
                headers={**headers, "Idempotency-Key": f"bench-{next(keys):08d}"},
            )
            if answer.status_code != 201:
                raise SystemExit(f"ticket refused: {answer.status_code} {answer.get_data(as_text=True)[:200]}")

        def ping() -> None:
            client.post("/bench/ping", json={"service": SERVICE}, headers=headers)

        for _ in range(30):  # warm: compiled statements, kept settings, printer thread
            ticket()
            ping()
        for _ in range(waiting):  # the queue the measured tickets join
            ticket()
        queues.wait_idle()

        process, thread = time.process_time(), time.thread_time()
        for _ in range(count):
            ping()
        floor = (time.thread_time() - thread) / count * 1000

        process, thread, wall = time.process_time(), time.thread_time(), time.perf_counter()
        for _ in range(count):
            ticket()
        request = (time.thread_time() - thread) / count * 1000
        queues.wait_idle()
        whole = (time.process_time() - process) / count * 1000
        elapsed = (time.perf_counter() - wall) / count * 1000

        print(
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; {count} tickets, in-process (test client),"
            f" joining {waiting + 30} waiting"
        )
        print(f"CPU per ticket, whole process (request + printer thread): {whole:6.2f} ms  (wall {elapsed:.2f} ms)")
        print(f"CPU per ticket, request thread only:                       {request:6.2f} ms")
        print(f"CPU per trivial JSON POST through the same app (floor):   {floor:6.2f} ms")

        if args.profile:
            profiler = cProfile.Profile(time.thread_time)
            profiler.enable()
            for _ in range(count):
                ticket()
            profiler.disable()
            queues.wait_idle()
            print(f"\nProfile of the request thread (CPU seconds over {count} tickets, profiler overhead included):")
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(SHOWN, args.top)
        time.sleep(1)  # the boards' coalesced push (0.3 s after the last ticket) reads the database once more
        app.extensions["loket"].store.dispose()


if __name__ == "__main__":
    main()
