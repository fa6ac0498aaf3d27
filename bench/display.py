"""Benchmark: from a counter's call request to every connected board showing the call, old and new side by side.

For each number of boards it runs, in one go:
- old:   the code before boards had deltas (git revision --baseline, served from a copy of that tree) as
         it was served then: gunicorn gthread, a thread per open page (threads = boards + 64); each board
         behaves as that page did: it shows ticket.called and asks for the whole state (display.sync)
         250 ms after every ticket event;
- new:   this tree as `make run` serves it (gunicorn gevent worker, one process); each board behaves as
         the page does now: it applies display.delta, checks the version, asks for the state on a gap;
- redis: the same on two gevent processes sharing Redis (SOCKETIO_MESSAGE_QUEUE), half the boards on
         each, the calls made on the first (--redis);
- before: the boards as in "new", served from another revision's tree (--before REV) the same way: this
         change against the code before it, side by side;
- mado:  the peer MADO-queue (Flask + sqlite3 under waitress, outside the repository: --mado-dir,
         --mado-python), whose display page asks GET /display_data every 3 s: as many pollers as boards,
         each every 3 s from a random phase, over at most --mado-connections keep-alive connections
         (waitress's own default limit is 100); a call is its processing page's POST /start_processing,
         and a poller has it when a /display_data answer lists it. Measured only: none of its code is in Loket.
A counter officer then calls tickets one after another over HTTP. For each call and board it records
the time from the start of the call request to the moment the board has the call; a board that has
not had it 5 s after the request, or never connected, counts as lost. It prints p50/p99/max, lost
calls, the server's memory (RSS of gunicorn's master and workers) once the boards are connected, and
the server's and this client's CPU time during the calls (the client's share says how much of the
latency may be the load generator's own), and the server's RSS before any board connected (idle: after
one request) with the cost per board it implies. The last, unnamed column holds notes: the server's share of
a core over the calls' wall time, the machine's 1-minute load average as the run started, and any boards not
connected, calls not made, gaps healed or polls failed. The default modes are old and new; mado needs
MADO-queue checked out as bench/tickets.py's docstring says.

The boards are lean Socket.IO clients on raw WebSockets (Engine.IO 4: open, "40"+auth, ping "2" ->
"3", events "42[...]") in one asyncio loop, so a thousand fit one client process on 2 cores; they
decode only what the page would act on.

    .venv/bin/python bench/display.py [--boards 100 500 1000] [--calls 20] [--redis]
        [--modes old new redis before mado] [--before REV] [--mado-dir /tmp/mado] [--mado-python PY]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import contextlib
import random

from bench.common import ROOT, mado_server, rss_mib, start_server, worker_pids

#: The last commit before the boards' deltas and the gevent worker (issue 12).
BASELINE = "365ec12"
#: The last commit before the boards' process left OpenCV, openpyxl and Alembic to their first use (mode before).
BEFORE = "4ec5551"
REDIS_URL = os.environ.get("LOKET_BENCH_REDIS", "redis://127.0.0.1:6379/0")
CALL_DEADLINE = 5.0  # seconds after a call's request; a board without the call then has lost it
CONNECT_SECONDS = 90.0  # all boards of one run connect within this, or the rest count as lost
CALLS_SECONDS = 150.0  # the calls of one run are made within this; calls not made by then count as lost
TICK = os.sysconf("SC_CLK_TCK")
MADO_POLL_SECONDS = 3.0  # MADO-queue's display.html: setInterval(updateDisplay, 3000)


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except FileNotFoundError:
            pass
    return total / TICK


@dataclass
class Hall:
    """What the boards of one run have received: the call number -> the times the boards got it."""

    boards: int = 0
    received: dict[str, list[float]] = field(default_factory=dict)
    waiting: dict[str, asyncio.Event] = field(default_factory=dict)
    syncs: int = 0

    def got(self, number: str, at: float) -> None:
        times = self.received.setdefault(number, [])
        times.append(at)
        if len(times) >= self.boards and number in self.waiting:
            self.waiting[number].set()


class Board:
    """One display page. old=True: the page before deltas; else the page now."""

    def __init__(self, hall: Hall, old: bool):
        self.hall = hall
        self.old = old
        self.connected = asyncio.Event()
        self.v: int | None = None
        self.syncing = False
        self.pending: list[str] = []  # calls in deltas kept while the state is on its way
        self.sync_timer: asyncio.TimerHandle | None = None
        self.ws: aiohttp.ClientWebSocketResponse | None = None
        self.sends: set[asyncio.Future] = set()

    async def run(self, session: aiohttp.ClientSession, base: str) -> None:
        url = base.replace("http", "ws", 1) + "/socket.io/?EIO=4&transport=websocket"
        auth = {"channel": "display" if self.old else "board"}
        async with session.ws_connect(url, max_msg_size=0) as ws:
            self.ws = ws
            async for message in ws:
                data = message.data
                if not isinstance(data, str):
                    continue
                if data == "2":
                    await ws.send_str("3")
                elif data.startswith("0"):
                    await ws.send_str("40" + json.dumps(auth))
                elif data.startswith("40"):
                    self.connected.set()
                elif data.startswith("42"):
                    self.on_event(data)

    def on_event(self, data: str) -> None:
        now = time.perf_counter()
        if self.old:
            if data.startswith('42["ticket.'):
                if data.startswith('42["ticket.called"'):
                    self.hall.got(json.loads(data[2:])[1]["number"], now)
                # the old page: the whole state again 250 ms after any ticket event (debounced)
                if self.sync_timer:
                    self.sync_timer.cancel()
                self.sync_timer = asyncio.get_running_loop().call_later(0.25, self.sync)
            return  # display.state: the old page redraws from it; nothing to measure
        name, payload = json.loads(data[2:])
        if name == "display.state":
            self.v = payload["v"]
            self.syncing = False
            for number in self.pending:
                self.hall.got(number, now)  # shown once the state came
            self.pending = []
        elif name == "display.delta":
            number = payload.get("call", {}).get("number")
            if self.syncing or self.v is None:
                if number:
                    self.pending.append(number)
            elif payload["v"] > self.v + 1:  # a delta was lost: ask for the whole state
                self.hall.syncs += 1
                if number:
                    self.pending.append(number)
                self.sync()
            elif payload["v"] == self.v + 1:
                self.v = payload["v"]
                if number:
                    self.hall.got(number, now)

    def sync(self) -> None:
        self.sync_timer = None
        if self.ws is not None and not self.ws.closed:
            self.syncing = not self.old
            send = asyncio.ensure_future(self.ws.send_str('42["display.sync"]'))
            self.sends.add(send)
            send.add_done_callback(self.sends.discard)


async def officer_at_counter(session: aiohttp.ClientSession, base: str) -> dict:
    async def csrf() -> dict:
        async with session.get(f"{base}/api/csrf") as r:
            return {"X-CSRFToken": (await r.json())["csrf_token"]}

    login = {"username": "pelayanan", "password": "loket123"}
    async with session.post(f"{base}/api/login", json=login, headers=await csrf()) as r:
        r.raise_for_status()
    headers = await csrf()
    async with session.get(f"{base}/api/counters") as r:
        counter = next(c["id"] for c in (await r.json())["counters"] if c["name"] == "Loket 1")
    async with session.post(
        f"{base}/api/session", json={"role": "pelayanan", "counter_id": counter}, headers=headers
    ) as r:
        r.raise_for_status()
    return headers


async def measure(
    bases: list[str], boards: int, calls: int, gap: float, old: bool, pids: list[int], master_pids: set[int]
) -> dict:
    hall = Hall(boards=boards)
    masters = {pid for pid in pids if pid in master_pids}
    rss_idle = rss_mib(pids)  # the server as started (one request served), before any board
    rss_idle_worker = max(rss_mib([pid]) for pid in pids if pid not in masters)
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=30)
    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        clients = [Board(hall, old) for _ in range(boards)]
        tasks = [asyncio.ensure_future(c.run(session, bases[i % len(bases)])) for i, c in enumerate(clients)]
        started = time.monotonic()
        done = asyncio.gather(*(c.connected.wait() for c in clients))
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(done, CONNECT_SECONDS)
        connected = sum(c.connected.is_set() for c in clients)
        connect_seconds = time.monotonic() - started
        hall.boards = connected
        await asyncio.sleep(1)  # the states sent on connect are out of the way
        rss = rss_mib(pids)
        rss_worker = max(rss_mib([pid]) for pid in pids if pid not in masters)  # the largest worker process

        base = bases[0]
        jar = aiohttp.CookieJar(unsafe=True)  # cookies from 127.0.0.1 too
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30), cookie_jar=jar) as officer:
            latencies: list[float] = []
            lost = (boards - connected) * calls
            failed_requests = 0
            server_cpu, client_cpu = cpu_seconds(pids), time.process_time()
            calls_started = time.monotonic()
            calls_end = calls_started + CALLS_SECONDS
            made = 0
            try:
                headers = await officer_at_counter(officer, base)
                for _ in range(calls):
                    async with officer.post(f"{base}/api/tickets", json={"service": "pencetakan-ktp-el"}) as r:
                        r.raise_for_status()
                await asyncio.sleep(1)
            except (aiohttp.ClientError, TimeoutError):
                calls_end = 0  # the server cannot even take the officer's log-in or the tickets: no call is made
            for _ in range(calls):
                if time.monotonic() > calls_end:
                    break  # an overloaded server: the calls not made are lost too
                made += 1
                start = time.perf_counter()
                try:
                    async with officer.post(
                        f"{base}/api/counter/call-next", json={}, headers=headers, timeout=aiohttp.ClientTimeout(10)
                    ) as r:
                        number = (await r.json())["ticket"]["number"]
                except (aiohttp.ClientError, TimeoutError, KeyError, TypeError):
                    failed_requests += 1
                    lost += connected
                    continue
                hall.waiting[number] = event = asyncio.Event()
                if len(hall.received.get(number, [])) >= connected:
                    event.set()
                remaining = CALL_DEADLINE - (time.perf_counter() - start)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), max(remaining, 0.01))
                got = [t - start for t in hall.received.get(number, []) if t - start <= CALL_DEADLINE]
                lost += connected - len(got)
                latencies += got
                await asyncio.sleep(gap)  # calls in a hall come seconds apart; the default is a busy hall
            lost += (calls - made) * connected
            server_cpu = cpu_seconds(pids) - server_cpu
            calls_seconds = time.monotonic() - calls_started
            client_cpu = time.process_time() - client_cpu
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "connected": connected,
        "connect_s": connect_seconds,
        "latencies": latencies,
        "lost": lost,
        "failed_requests": failed_requests,
        "rss": rss,
        "rss_worker": rss_worker,
        "rss_idle": rss_idle,
        "rss_idle_worker": rss_idle_worker,
        "server_cpu": server_cpu,
        "client_cpu": client_cpu,
        "syncs": hall.syncs,
        "made": made,
        "calls_s": calls_seconds,
    }


class Poller:
    """One MADO-queue display page: GET /display_data every 3 s; it has a call once an answer lists it."""

    def __init__(self, hall: Hall):
        self.hall = hall
        self.seen: set[str] = set()
        self.answered = asyncio.Event()
        self.errors = 0

    async def run(self, session: aiohttp.ClientSession, base: str) -> None:
        await asyncio.sleep(random.uniform(0, MADO_POLL_SECONDS))  # pages opened at different moments
        loop = asyncio.get_running_loop()
        next_at = loop.time()
        while True:
            try:
                async with session.get(f"{base}/display_data") as r:
                    data = await r.json()
                now = time.perf_counter()
                self.answered.set()
                for call in data["calling"]:
                    number = str(call["number"])
                    if number not in self.seen:
                        self.seen.add(number)
                        self.hall.got(number, now)
            except (aiohttp.ClientError, TimeoutError, ValueError, KeyError):
                self.errors += 1
            # the page's setInterval: every 3 s from the last tick, whatever the answer's delay
            next_at += MADO_POLL_SECONDS
            await asyncio.sleep(max(0.0, next_at - loop.time()))


async def measure_mado(base: str, pollers: int, calls: int, gap: float, pid: int, connections: int) -> dict:
    hall = Hall(boards=pollers)
    rss_idle = rss_mib([pid])
    timeout = aiohttp.ClientTimeout(total=30)
    connector = aiohttp.TCPConnector(limit=connections)  # waitress keeps at most 100 connections by default
    async with aiohttp.ClientSession(timeout=timeout, connector=connector) as session:
        clients = [Poller(hall) for _ in range(pollers)]
        tasks = [asyncio.ensure_future(c.run(session, base)) for c in clients]
        started = time.monotonic()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(asyncio.gather(*(c.answered.wait() for c in clients)), CONNECT_SECONDS)
        connected = sum(c.answered.is_set() for c in clients)
        connect_seconds = time.monotonic() - started
        hall.boards = connected
        await asyncio.sleep(1)
        rss = rss_mib([pid])
        latencies: list[float] = []
        lost = (pollers - connected) * calls
        failed_requests = made = 0
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=30)) as officer:
            tickets = []
            for _ in range(calls):  # category D: counted, never printed (as bench/tickets.py --peer mado)
                body = {"category": "D", "buttonText": "bench"}
                async with officer.post(f"{base}/get_next_number", json=body) as r:
                    tickets.append(await r.json())
            await asyncio.sleep(1)
            server_cpu, client_cpu = cpu_seconds([pid]), time.process_time()
            calls_started = time.monotonic()
            calls_end = calls_started + CALLS_SECONDS
            for ticket in tickets:
                if time.monotonic() > calls_end:
                    break
                made += 1
                number = str(ticket["next_number"])
                hall.waiting[number] = event = asyncio.Event()
                start = time.perf_counter()
                try:
                    body = {"event_log_id": ticket["event_log_id"]}
                    async with officer.post(
                        f"{base}/start_processing", json=body, timeout=aiohttp.ClientTimeout(10)
                    ) as r:
                        if not (await r.json()).get("success"):
                            raise KeyError("success")
                except (aiohttp.ClientError, TimeoutError, KeyError, ValueError):
                    failed_requests += 1
                    lost += connected
                    continue
                remaining = CALL_DEADLINE - (time.perf_counter() - start)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(event.wait(), max(remaining, 0.01))
                got = [t - start for t in hall.received.get(number, []) if t - start <= CALL_DEADLINE]
                lost += connected - len(got)
                latencies += got
                await asyncio.sleep(gap)
            lost += (calls - made) * connected
            server_cpu = cpu_seconds([pid]) - server_cpu
            calls_seconds = time.monotonic() - calls_started
            client_cpu = time.process_time() - client_cpu
        errors = sum(c.errors for c in clients)
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    return {
        "connected": connected,
        "connect_s": connect_seconds,
        "latencies": latencies,
        "lost": lost,
        "failed_requests": failed_requests,
        "rss": rss,
        "rss_worker": rss,
        "rss_idle": rss_idle,
        "rss_idle_worker": rss_idle,
        "server_cpu": server_cpu,
        "client_cpu": client_cpu,
        "syncs": 0,
        "made": made,
        "calls_s": calls_seconds,
        "poll_errors": errors,
    }


def run_mado(pollers: int, calls: int, gap: float, folder_: str, python_: str, connections: int) -> dict:
    with mado_server(Path(folder_), Path(python_), "mode mado") as (proc, port):
        base = f"http://127.0.0.1:{port}"
        return asyncio.run(measure_mado(base, pollers, calls, gap, proc.pid, connections))


def baseline_tree(folder: Path, revision: str) -> Path:
    """A copy of the source tree at `revision`, to serve the old code beside the new."""
    tree = folder / "baseline"
    tree.mkdir()
    archive = subprocess.run(["git", "archive", revision], cwd=ROOT, check=True, capture_output=True).stdout
    archive_path = folder / "baseline.tar"
    archive_path.write_bytes(archive)
    with tarfile.open(archive_path) as tar:
        tar.extractall(tree, filter="data")
    return tree


def run(mode: str, boards: int, calls: int, gap: float, args: argparse.Namespace) -> dict:
    if mode == "mado":
        return run_mado(boards, calls, gap, args.mado_dir, args.mado_python, args.mado_connections)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # The tickets come from this script, not a paired kiosk: let it take as many as it calls.
        env = {"LOKET_PRINTER": f"file:{folder}/t", "LOKET_UNPAIRED_TICKET_RATE": "100000 per minute"}
        procs = []
        try:
            if mode == "old":
                root = baseline_tree(folder, args.baseline)
                procs.append(start_server(folder, env, threads=boards + 64, demo=True, root=root))
            elif mode == "before":
                root = baseline_tree(folder, args.before)
                procs.append(start_server(folder, env, demo=True, worker="gevent", root=root))
            elif mode == "new":
                procs.append(start_server(folder, env, demo=True, worker="gevent"))
            else:
                env |= {"SOCKETIO_MESSAGE_QUEUE": REDIS_URL, "LOKET_SOCKETIO_CHANNEL": f"bench-{uuid.uuid4().hex[:8]}"}
                procs.append(start_server(folder, env, demo=True, worker="gevent"))
                procs.append(start_server(folder, env, worker="gevent", init=False))
            bases = [f"http://127.0.0.1:{port}" for _, port, _ in procs]
            pids = [pid for proc, _, _ in procs for pid in worker_pids(proc)]
            masters = {proc.pid for proc, _, _ in procs}
            result = asyncio.run(measure(bases, boards, calls, gap, mode == "old", pids, masters))
        finally:
            for proc, _, _ in procs:
                proc.terminate()
            for proc, _, _ in procs:
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            if mode == "redis":
                import redis

                channel = env["LOKET_SOCKETIO_CHANNEL"]
                redis.Redis.from_url(REDIS_URL).delete(f"{channel}:board:v")
    return result


LABELS = {
    "old": "old (gthread, full state after each event)",
    "new": "new (gevent, deltas), 1 process",
    "redis": "new, 2 processes + Redis",
    "before": "before (--before), 1 process",
    "mado": "MADO-queue, 3 s polling (waitress)",
}


def row(mode: str, boards: int, calls: int, r: dict) -> str:
    lat = sorted(r["latencies"])
    if len(lat) >= 2:
        q = statistics.quantiles(lat, n=100)
        p50, p99, top = f"{q[49] * 1000:.0f} ms", f"{q[98] * 1000:.0f} ms", f"{lat[-1] * 1000:.0f} ms"
    else:
        p50 = p99 = top = "–"
    total = boards * calls
    notes = []
    if r["connected"] < boards:
        notes.append(f"{boards - r['connected']} boards could not connect in {CONNECT_SECONDS:.0f} s")
    if r["made"] < calls:
        notes.append(f"only {r['made']} of {calls} calls made (the server could not answer the officer in time)")
    if r["failed_requests"]:
        notes.append(f"{r['failed_requests']} call requests failed")
    if r["syncs"]:
        notes.append(f"{r['syncs']} gaps healed")
    if r.get("calls_s"):  # CPU over the calls' wall time: a polled server works whether a call comes or not
        share = 100 * r["server_cpu"] / r["calls_s"]
        notes.append(f"server {share:.0f} % of a core over the calls' {r['calls_s']:.0f} s")
    if "load" in r:
        notes.append(f"load {r['load']:.1f}")
    if r.get("poll_errors"):
        notes.append(f"{r['poll_errors']} polls failed")
    per_call = 1000 / max(r["made"], 1)
    per_board = (r["rss"] - r["rss_idle"]) * 1024 / max(r["connected"], 1)
    return (
        f"| {boards} | {LABELS[mode]} | {r['connected']}/{boards} in {r['connect_s']:.1f} s | {p50} | {p99} | {top} "
        f"| {r['lost']} of {total} | {r['rss']:.0f} MiB ({r['rss_worker']:.0f}) "
        f"| {r['rss_idle']:.0f} MiB ({r['rss_idle_worker']:.0f}) | {per_board:.0f} KiB "
        f"| {r['server_cpu'] * per_call:.0f} ms | {r['client_cpu'] * per_call:.0f} ms | {'; '.join(notes)} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--boards", type=int, nargs="+", default=[100, 500, 1000])
    parser.add_argument("--calls", type=int, default=20)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between calls")
    parser.add_argument("--modes", nargs="+", default=["old", "new"], choices=list(LABELS))
    parser.add_argument("--redis", action="store_true", help="also two gevent processes through Redis")
    parser.add_argument("--baseline", default=BASELINE, help="git revision of the old code")
    parser.add_argument("--before", default=BEFORE, help="git revision served by mode before")
    parser.add_argument("--mado-dir", default="/tmp/mado", help="MADO-queue's checkout (outside the repository)")
    parser.add_argument("--mado-python", default="/tmp/mado-venv/bin/python", help="its venv's python")
    parser.add_argument("--mado-connections", type=int, default=100, help="pollers share at most this many connections")
    args = parser.parse_args()
    modes = args.modes + (["redis"] if args.redis and "redis" not in args.modes else [])
    print(f"{args.calls} calls per run, one every {args.gap} s; lost = not at a board {CALL_DEADLINE:.0f} s after")
    print("the request (or the board never connected). CPU columns: per call, during the calls.")
    print()
    print("server RSS: gunicorn's master and workers (in brackets: the largest worker), once the boards are connected;")
    print("idle: the same before any board connected; per board: (RSS - idle) / boards connected.")
    print()
    print(
        "| boards | server | connected | p50 | p99 | max | lost | server RSS | idle RSS | per board "
        "| server CPU/call | client CPU/call | |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    results: dict[tuple[str, int], dict] = {}
    for boards in args.boards:
        for mode in modes:
            load = os.getloadavg()[0]  # the machine's 1-minute load average as the run starts (2 cores)
            results[mode, boards] = r = run(mode, boards, args.calls, args.gap, args)
            r["load"] = load
            print(row(mode, boards, args.calls, r), flush=True)
    print()
    for boards in args.boards:
        old, new = results.get(("old", boards)), results.get(("new", boards))
        if old and new and len(old["latencies"]) > 1 and len(new["latencies"]) > 1:
            p99 = [statistics.quantiles(r["latencies"], n=100)[98] for r in (old, new)]
            print(
                f"{boards} boards: p99 old/new {p99[0] / p99[1]:.0f}x; server CPU per call old/new "
                f"{old['server_cpu'] / max(new['server_cpu'], 1e-9):.1f}x; RSS old/new {old['rss'] / new['rss']:.1f}x"
            )


if __name__ == "__main__":
    main()
