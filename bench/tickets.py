"""Benchmark: issuing tickets under N concurrent kiosk clients (issue 12, "Tickets").

Starts Loket the way `make run` does (gunicorn's gevent worker, 1 worker, SQLite, file printer; with
`--gthread` also as it served before issue 12: gthread, 128 threads)
in a temporary folder, pairs a kiosk there (`flask --app loket.app pair-kiosk bench`) and lets N
concurrent clients issue tickets as that paired kiosk (header X-Loket-Kiosk-Token, a fresh
Idempotency-Key per tap) until a bounded count of tickets is issued or a time bound passes,
whichever comes first. All traffic goes to 127.0.0.1. It prints, per server:

- server CPU per ticket: utime+stime of the server's process tree (gunicorn master and workers,
  /proc/<pid>/stat) before and after the load, divided by the tickets issued; measured once the
  load ends ("load") and once the server is idle again ("settled": the print queue drained);
- tickets/s (wall time), latency p50/p90/p99/max of the successful requests;
- errors (a non-2xx answer or a failed connection) and duplicates (a number issued twice).

With `--peer mado` the same load generator drives MADO-queue (a public Flask + sqlite3 peer,
github.com/Memuro-Town/MADO-queue, measured at 0d7673a) in the same run: its ticket endpoint is POST /get_next_number
{"category": "D", "buttonText": "bench"}, the category it never prints (no printer), served by waitress as its own
entrypoint does (4 threads; a fresh numbers.db in a temporary folder, made by its init_db.py). Check it out at the
measured commit and install it outside the repository first (bench/display.py --modes mado uses the same):

    git clone https://github.com/Memuro-Town/MADO-queue /tmp/mado && git -C /tmp/mado checkout 0d7673a
    python3 -m venv /tmp/mado-venv && /tmp/mado-venv/bin/pip install flask flask-cors waitress

    .venv/bin/python bench/tickets.py [--clients 16] [--tickets 2000] [--seconds 120] [--peer mado]
        [--mado-dir /tmp/mado] [--mado-python /tmp/mado-venv/bin/python] [--network-printer] [--larger]

`--larger` adds a larger office as the README serves it: PostgreSQL (a database made afresh, `--postgres`),
Redis for Socket.IO (`--redis`) and two gevent processes on their own ports, half the clients on each (what
a proxy with sticky sessions does); PostgreSQL's and Redis's own CPU is printed beside it (every `postgres`
and `redis-server` process of the machine: other work on them is counted too).
It DROPS the database `--postgres` names (default loket_bench_tickets on 127.0.0.1:5432, user postgres,
through `psql`) and creates it again: never give it an office's database. Its Socket.IO messages go on a
Redis channel of its own (`bench-tickets-<random>`), never on a running office's (`loket` by default).

Columns: "CPU ms/t load" is the server's CPU per ticket when the last answer came, "settled" once the server
is idle again (the print queue drained: the printer's bytes counted), the figure docs/performance.md reads.
The ratio lines divide Loket's figure by the other server's (CPU above 1x: Loket costs more).

`--network-printer` adds a run where the paired kiosk's printer is a network printer played by a
TCP listener on loopback, with the time from the request's start to the printer's last byte.

The machine is shared and noisy: compare the servers of one run (the ratios printed), not runs.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import BIN, mado_server, start_server, worker_pids  # noqa: E402
from loket.hardware.printer.emulator import NetworkPrinterEmulator  # noqa: E402

CLOCK_TICK = os.sysconf("SC_CLK_TCK")
SERVICE = "pencetakan-ktp-el"
KIOSK = "bench"


# ---- the server's CPU time -------------------------------------------------------------


def cpu_seconds(pids: list[int]) -> float:
    """utime + stime of these processes (all their threads), in seconds."""
    total = 0
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except FileNotFoundError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) ": field 3 is fields[0]
        total += int(fields[11]) + int(fields[12])  # utime (14), stime (15)
    return total / CLOCK_TICK


def settle(pids: list[int], *, quiet: float = 0.5, longest: float = 30.0) -> float:
    """Wait until the server is idle (at most one tick of CPU over `quiet` seconds); its CPU time then."""
    end = time.monotonic() + longest
    last = cpu_seconds(pids)
    while time.monotonic() < end:
        time.sleep(quiet)
        now = cpu_seconds(pids)
        if now - last <= 1 / CLOCK_TICK:
            return now
        last = now
    return last


# ---- the load generator ----------------------------------------------------------------


@dataclass
class Target:
    """A server to drive: where, what to send, and how to read the number issued from its answer."""

    name: str
    port: int
    path: str
    body: dict
    headers: Callable[[], dict[str, str]]
    number: Callable[[dict], str]
    pids: list[int]


@dataclass
class Result:
    latencies: list[float] = field(default_factory=list)
    numbers: list[str] = field(default_factory=list)
    errors: Counter = field(default_factory=Counter)
    wall: float = 0.0
    cpu_load: float = 0.0
    cpu_settled: float = 0.0
    client_cpu: float = 0.0


def load(target: Target, clients: int, tickets: int, seconds: float) -> Result:
    """`clients` threads, each on its own keep-alive connection, until `tickets` are issued or `seconds` pass."""
    result = Result()
    lock = threading.Lock()
    left = [tickets]
    payload = json.dumps(target.body)
    start = threading.Barrier(clients + 1)

    def take() -> bool:
        with lock:
            if left[0] <= 0 or time.perf_counter() >= deadline:
                return False
            left[0] -= 1
            return True

    def client() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)
        latencies, numbers, errors = [], [], Counter()
        start.wait()
        while take():
            headers = {"Content-Type": "application/json", **target.headers()}
            t0 = time.perf_counter()
            try:
                conn.request("POST", target.path, payload, headers)
                resp = conn.getresponse()
                data = resp.read()
            except (OSError, http.client.HTTPException) as exc:
                errors[type(exc).__name__] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", target.port, timeout=30)
                continue
            elapsed = time.perf_counter() - t0
            if not 200 <= resp.status < 300:
                errors[f"HTTP {resp.status}"] += 1
                continue
            latencies.append(elapsed)
            numbers.append(target.number(json.loads(data)))
        conn.close()
        with lock:
            result.latencies.extend(latencies)
            result.numbers.extend(numbers)
            result.errors.update(errors)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    cpu0 = cpu_seconds(target.pids)
    me0 = resource.getrusage(resource.RUSAGE_SELF)
    deadline = time.perf_counter() + seconds  # read by take(), only after the barrier
    t0 = time.perf_counter()
    start.wait()
    for t in threads:
        t.join()
    result.wall = time.perf_counter() - t0
    me1 = resource.getrusage(resource.RUSAGE_SELF)
    result.client_cpu = (me1.ru_utime + me1.ru_stime) - (me0.ru_utime + me0.ru_stime)
    result.cpu_load = cpu_seconds(target.pids) - cpu0
    result.cpu_settled = settle(target.pids) - cpu0
    return result


# ---- the report ------------------------------------------------------------------------

COLUMNS = (
    f"{'server':<52} {'issued':>6} {'err':>4} {'dup':>4} {'wall s':>7} {'tick/s':>7} "
    f"{'CPU ms/t load':>13} {'settled':>8} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} {'max ms':>7}"
)


def row(name: str, r: Result) -> dict:
    n = len(r.latencies)
    q = statistics.quantiles(r.latencies, n=100, method="inclusive") if n >= 2 else [float("nan")] * 99
    dups = sum(c - 1 for c in Counter(r.numbers).values() if c > 1)
    figures = {
        "name": name,
        "issued": n,
        "errors": sum(r.errors.values()),
        "dups": dups,
        "wall": r.wall,
        "rate": n / r.wall if r.wall else 0.0,
        "cpu_load": r.cpu_load / n * 1000 if n else float("nan"),
        "cpu_settled": r.cpu_settled / n * 1000 if n else float("nan"),
        "p50": q[49] * 1000,
        "p90": q[89] * 1000,
        "p99": q[98] * 1000,
        "max": max(r.latencies, default=float("nan")) * 1000,
    }
    print(
        f"{name:<52} {n:>6} {figures['errors']:>4} {dups:>4} {r.wall:>7.1f} {figures['rate']:>7.1f} "
        f"{figures['cpu_load']:>13.2f} {figures['cpu_settled']:>8.2f} {figures['p50']:>7.1f} "
        f"{figures['p90']:>7.1f} {figures['p99']:>7.1f} {figures['max']:>7.1f}"
    )
    extra = (
        f"server CPU {r.cpu_load:.2f} s under load, {r.cpu_settled:.2f} s settled; "
        f"load generator CPU {r.client_cpu:.2f} s"
    )
    if r.errors:
        extra += "; errors: " + ", ".join(f"{k} x{v}" for k, v in r.errors.most_common())
    print(f"{'':<52} ({extra})")
    return figures


# ---- the servers -----------------------------------------------------------------------


def pair_kiosk(env: dict[str, str], name: str) -> str:
    """Pair a kiosk in the benchmark's own database with the shell command an admin uses; its code."""
    out = subprocess.run(
        [BIN / "flask", "--app", "loket.app", "pair-kiosk", name],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    return next(line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("code "))


def loket_target(name: str, proc: subprocess.Popen, port: int, code: str) -> Target:
    return Target(
        name=name,
        port=port,
        path="/api/tickets",
        body={"service": SERVICE},
        headers=lambda: {"X-Loket-Kiosk-Token": code, "Idempotency-Key": str(uuid.uuid4())},
        number=lambda answer: str(answer["number"]),
        pids=worker_pids(proc),
    )


def run_loket(args: argparse.Namespace, worker: str = "gevent") -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        extra = {"LOKET_PRINTER": f"file:{folder / 'tickets'}"}
        proc, port, env = start_server(folder, extra, threads=128, worker=worker)
        try:
            name = f"Loket, {'make run' if worker == 'gevent' else '128 threads'} (SQLite, {worker}, file printer)"
            target = loket_target(name, proc, port, pair_kiosk(env, KIOSK))
            return row(target.name, load(target, args.clients, args.tickets, args.seconds))
        finally:
            proc.terminate()
            proc.wait()


def process_cpu(pattern: list[str]) -> float:
    """CPU seconds of the processes `pgrep` finds with these arguments (the database's or Redis's servers)."""
    out = subprocess.run(["pgrep", *pattern], capture_output=True, text=True).stdout.split()
    return cpu_seconds([int(pid) for pid in out])


def run_larger(args: argparse.Namespace) -> dict:
    """A larger office as the README serves it: PostgreSQL, Redis, two gevent processes on their own ports.

    Half the clients on each process (what a proxy with sticky sessions does), one database made fresh
    for the run. The row's CPU is the two gunicorn process trees'; PostgreSQL's and Redis's servers'
    CPU in the same interval is printed beside it (theirs includes whatever else this machine runs).
    """
    url = args.postgres.rstrip("/")
    base, _, dbname = url.rpartition("/")
    admin = base.replace("postgresql+psycopg://", "postgresql://") + "/postgres"
    for sql in (f"DROP DATABASE IF EXISTS {dbname} WITH (FORCE)", f"CREATE DATABASE {dbname}"):
        subprocess.run(["psql", admin, "-qAtc", sql], check=True, capture_output=True)
    extra = {
        "DATABASE_URL": url,
        "SOCKETIO_MESSAGE_QUEUE": args.redis,
        "LOKET_SOCKETIO_CHANNEL": f"bench-tickets-{uuid.uuid4().hex[:8]}",  # not a running office's channel
    }
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        extra["LOKET_PRINTER"] = f"file:{folder / 'tickets'}"
        first, port1, env = start_server(folder, extra, worker="gevent")
        second, port2, _ = start_server(folder, extra, worker="gevent", init=False)
        try:
            code = pair_kiosk(env, KIOSK)
            name = "Loket, PostgreSQL + Redis, 2 gevent processes"
            targets = [loket_target(name, proc, port, code) for proc, port in ((first, port1), (second, port2))]
            halves: list[Result] = [Result(), Result()]
            db0, redis0 = process_cpu(["-u", "postgres", "postgres"]), process_cpu(["-x", "redis-server"])

            def half(i: int) -> None:
                share = args.clients // 2 + (i < args.clients % 2)
                halves[i] = load(targets[i], share, args.tickets // 2 + (i < args.tickets % 2), args.seconds)

            threads = [threading.Thread(target=half, args=(i,)) for i in (0, 1)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            db = process_cpu(["-u", "postgres", "postgres"]) - db0
            redis = process_cpu(["-x", "redis-server"]) - redis0
            both = Result(
                latencies=halves[0].latencies + halves[1].latencies,
                numbers=halves[0].numbers + halves[1].numbers,
                errors=halves[0].errors + halves[1].errors,
                wall=max(h.wall for h in halves),
                cpu_load=sum(h.cpu_load for h in halves),
                cpu_settled=sum(h.cpu_settled for h in halves),
                client_cpu=max(h.client_cpu for h in halves),  # one process: each half read the same counter
            )
            figures = row(name, both)
            n = len(both.latencies) or 1
            print(
                f"{'':<52} (PostgreSQL's server processes {db * 1000 / n:.2f} ms a ticket, "
                f"Redis {redis * 1000 / n:.2f} ms a ticket, in the same interval)"
            )
            return figures
        finally:
            for proc in (first, second):
                proc.terminate()
                proc.wait()


def run_mado(args: argparse.Namespace) -> dict:
    with mado_server(Path(args.mado_dir), Path(args.mado_python), "--peer mado") as (proc, port):
        target = Target(
            name="MADO-queue (Flask + sqlite3, waitress), no printing",
            port=port,
            path="/get_next_number",
            body={"category": "D", "buttonText": "bench"},  # D: counted, never printed
            headers=dict,
            number=lambda answer: str(answer["next_number"]),
            pids=worker_pids(proc),
        )
        return row(target.name, load(target, args.clients, args.tickets, args.seconds))


def run_network_printer(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp, NetworkPrinterEmulator() as printer:
        folder = Path(tmp)
        extra = {
            "LOKET_PRINTER": f"file:{folder / 'tickets'}",
            "LOKET_KIOSK_PRINTERS": f"{KIOSK}=network:{printer.address}",
        }
        proc, port, env = start_server(folder, extra, worker="gevent")
        try:
            code = pair_kiosk(env, KIOSK)  # the paired kiosk's own printer prints its tickets
            # request start -> the printer's last byte: one client, so each job is timed alone
            to_last_byte = []
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for _ in range(200):
                seen = len(printer.jobs)
                headers = {"Content-Type": "application/json", "X-Loket-Kiosk-Token": code}
                headers["Idempotency-Key"] = str(uuid.uuid4())
                t0 = time.perf_counter()
                conn.request("POST", "/api/tickets", json.dumps({"service": SERVICE}), headers)
                conn.getresponse().read()
                while len(printer.jobs) == seen:  # the emulator records a job when the connection closes
                    time.sleep(0.0002)
                to_last_byte.append(printer.last_byte_at - t0)
            q = statistics.quantiles(to_last_byte, n=100)
            print(
                f"network printer on loopback: request -> last byte at the printer: p50 {q[49] * 1000:.1f} ms, "
                f"p99 {q[98] * 1000:.1f} ms ({len(to_last_byte)} tickets, one client)"
            )
            target = loket_target("Loket, network printer on loopback", proc, port, code)
            row(target.name, load(target, args.clients, args.tickets, args.seconds))
        finally:
            proc.terminate()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=16, help="concurrent clients (default 16)")
    parser.add_argument("--tickets", type=int, default=2000, help="tickets to issue per server (default 2000)")
    parser.add_argument("--seconds", type=float, default=120, help="time bound per server (default 120)")
    parser.add_argument("--peer", choices=["mado"], help="also drive this peer's server in the same run")
    parser.add_argument("--gthread", action="store_true", help="also serve Loket with gthread (128 threads)")
    parser.add_argument("--mado-dir", default="/tmp/mado", help="MADO-queue's checkout (outside the repository)")
    parser.add_argument("--mado-python", default="/tmp/mado-venv/bin/python", help="its venv's python")
    parser.add_argument("--network-printer", action="store_true", help="also a run with a network printer")
    parser.add_argument(
        "--larger", action="store_true",
        help="also a larger office: PostgreSQL + Redis, two gevent processes (the README's setup)",
    )  # fmt: skip
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/loket_bench_tickets",
        help="--larger: the database to make afresh (DROPPED first, never an office's; default %(default)s)",
    )  # fmt: skip
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/0", help="--larger: Redis for Socket.IO")
    args = parser.parse_args()

    print(
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; machine: {os.cpu_count()} cores; "
        f"{args.clients} concurrent clients; up to {args.tickets} tickets or {args.seconds:.0f} s per server"
    )
    print(COLUMNS)
    figures = [run_loket(args)]
    if args.gthread:
        threaded = run_loket(args, worker="gthread")
    larger = run_larger(args) if args.larger else None
    if args.peer == "mado":
        figures.append(run_mado(args))
    if args.network_printer:
        run_network_printer(args)
    if args.gthread:
        ours = figures[0]
        print(
            f"Loket gevent / gthread: CPU per ticket (settled) {ours['cpu_settled'] / threaded['cpu_settled']:.2f}x, "
            f"tickets/s {ours['rate'] / threaded['rate']:.2f}x, p99 {ours['p99'] / threaded['p99']:.2f}x"
        )
    if len(figures) == 2:
        ours, peer = figures
        print(
            f"Loket / MADO-queue: CPU per ticket (settled) {ours['cpu_settled'] / peer['cpu_settled']:.1f}x, "
            f"tickets/s {ours['rate'] / peer['rate']:.2f}x, p99 {ours['p99'] / peer['p99']:.2f}x"
        )

    if larger and len(figures) == 2:
        peer = figures[1]
        print(
            f"Loket PostgreSQL + Redis (2 processes) / MADO-queue: CPU per ticket (settled) "
            f"{larger['cpu_settled'] / peer['cpu_settled']:.1f}x, tickets/s {larger['rate'] / peer['rate']:.2f}x, "
            f"p99 {larger['p99'] / peer['p99']:.2f}x"
        )


if __name__ == "__main__":
    main()
