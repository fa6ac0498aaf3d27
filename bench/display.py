"""Benchmark: latency from a counter's call request to every connected display receiving the call.

Connects N real Socket.IO display clients (python-socketio, WebSocket transport) to Loket under
gunicorn, then a counter calls tickets one after another over HTTP. For each call and display it
records the time from the start of the call request to the display's receipt, and prints
p50/p99/max, whether every call reached every display, and the server's memory.

    .venv/bin/python bench/display.py [--displays 10 100 500] [--calls 30]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
import socketio

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import rss_mib, start_server, worker_pids


def run(displays: int, calls: int, gap: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        # one thread per open WebSocket in gunicorn's gthread worker, plus room for HTTP
        # The tickets come from this script, not a paired kiosk: let it take as many as it calls.
        env = {"LOKET_PRINTER": f"file:{tmp}/t", "LOKET_UNPAIRED_TICKET_RATE": "100000 per minute"}
        proc, port, _ = start_server(Path(tmp), env, threads=displays + 64, demo=True)
        base = f"http://127.0.0.1:{port}"
        received: dict[str, list[float]] = {}
        lock = threading.Lock()
        clients = []
        try:
            rss_before = rss_mib(worker_pids(proc))
            for _ in range(displays):
                client = socketio.Client(reconnection=False)

                def on_call(payload, _lock=lock):
                    now = time.perf_counter()
                    with _lock:
                        received.setdefault(payload["number"], []).append(now)

                client.on("ticket.called", on_call)
                client.connect(base, transports=["websocket"], auth={"channel": "display"}, wait_timeout=30)
                clients.append(client)
            rss_connected = rss_mib(worker_pids(proc))

            officer = requests.Session()
            token = officer.get(f"{base}/api/csrf").json()["csrf_token"]
            officer.post(f"{base}/api/login", json={"username": "pelayanan", "password": "loket123"},
                         headers={"X-CSRFToken": token}).raise_for_status()  # fmt: skip
            headers = {"X-CSRFToken": officer.get(f"{base}/api/csrf").json()["csrf_token"]}
            counter = next(
                c["id"] for c in officer.get(f"{base}/api/counters").json()["counters"] if c["name"] == "Loket 1"
            )
            officer.post(f"{base}/api/session", json={"role": "pelayanan", "counter_id": counter}, headers=headers)
            for _ in range(calls):
                requests.post(f"{base}/api/tickets", json={"service": "pencetakan-ktp-el"})

            latencies: list[float] = []
            missing = 0
            for _ in range(calls):
                start = time.perf_counter()
                number = officer.post(f"{base}/api/counter/call-next", json={}, headers=headers).json()["ticket"][
                    "number"
                ]
                deadline = time.monotonic() + 10
                while time.monotonic() < deadline:
                    with lock:
                        if len(received.get(number, [])) >= displays:
                            break
                    time.sleep(0.001)
                with lock:
                    got = list(received.get(number, []))
                missing += displays - len(got)
                latencies += [t - start for t in got]
                time.sleep(gap)  # calls in a hall come seconds apart; the default measures a busy hall
            q = statistics.quantiles(latencies, n=100)
            print(
                f"{displays:4d} displays, {calls} calls: p50 {q[49] * 1000:6.1f} ms  p99 {q[98] * 1000:6.1f} ms  "
                f"max {max(latencies) * 1000:6.1f} ms  delivered {len(latencies)}/{displays * calls}"
                f"{f'  MISSING {missing}' if missing else ''}"
                f"  server RSS {rss_before:.0f} -> {rss_connected:.0f} MiB"
            )
        finally:
            for client in clients:
                client.disconnect()
            proc.terminate()
            proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--displays", type=int, nargs="+", default=[10, 100, 500])
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--gap", type=float, default=0.5, help="seconds between calls (each call also pushes a state)")
    args = parser.parse_args()
    print(
        f"gunicorn gthread, 1 worker (threads = displays + 64); python-socketio clients over WebSocket on loopback; "
        f"a call every {args.gap} s"
    )
    for n in args.displays:
        run(n, args.calls, args.gap)


if __name__ == "__main__":
    main()
