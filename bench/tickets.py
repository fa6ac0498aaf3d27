"""Benchmark: tickets issued per second and POST /api/tickets latency, and time to the printer's last byte.

Starts Loket the way `make run` does (gunicorn, SQLite, file printer) in a temporary folder,
then N concurrent clients issue tickets for a fixed time. A second run sends every ticket to a
network printer played by a TCP listener on loopback and measures request start -> last byte
received by the printer.

    .venv/bin/python bench/tickets.py [--clients 16] [--seconds 10]
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import start_server  # noqa: E402
from loket.hardware.printer.emulator import NetworkPrinterEmulator  # noqa: E402


def load(port: int, clients: int, seconds: float, body: dict) -> list[float]:
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    payload = json.dumps(body)

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        while time.perf_counter() < deadline:
            t0 = time.perf_counter()
            conn.request("POST", "/api/tickets", payload, {"Content-Type": "application/json"})
            resp = conn.getresponse()
            resp.read()
            if resp.status != 201:
                raise SystemExit(f"unexpected status {resp.status}")
            mine.append(time.perf_counter() - t0)
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return latencies


def report(name: str, latencies: list[float], seconds: float) -> None:
    q = statistics.quantiles(latencies, n=100)
    print(
        f"{name}: {len(latencies)} tickets in {seconds:.0f} s = {len(latencies) / seconds:.0f} tickets/s; "
        f"latency p50 {q[49] * 1000:.1f} ms, p99 {q[98] * 1000:.1f} ms, max {max(latencies) * 1000:.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=10)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores; {args.clients} concurrent clients; gunicorn gthread, 1 worker")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        proc, port, _ = start_server(folder, {"LOKET_PRINTER": f"file:{folder / 'tickets'}"})
        try:
            latencies = load(port, args.clients, args.seconds, {"service": "pencetakan-ktp-el"})
            report("file printer (embedded default)", latencies, args.seconds)
        finally:
            proc.terminate()
            proc.wait()

    with tempfile.TemporaryDirectory() as tmp, NetworkPrinterEmulator() as printer:
        folder = Path(tmp)
        proc, port, _ = start_server(
            folder,
            {"LOKET_PRINTER": f"file:{folder / 'tickets'}", "LOKET_KIOSK_PRINTERS": f"bench=network:{printer.address}"},
        )
        try:
            # request start -> the printer's last byte: one client, so each job is timed alone
            to_last_byte = []
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            for _ in range(200):
                seen = len(printer.jobs)
                t0 = time.perf_counter()
                conn.request(
                    "POST",
                    "/api/tickets",
                    json.dumps({"service": "pencetakan-ktp-el", "kiosk": "bench"}),
                    {"Content-Type": "application/json"},
                )
                conn.getresponse().read()
                while len(printer.jobs) == seen:  # the emulator records a job when the connection closes
                    time.sleep(0.0002)
                to_last_byte.append(printer.last_byte_at - t0)
            q = statistics.quantiles(to_last_byte, n=100)
            print(
                f"network printer on loopback: request -> last byte at the printer: p50 {q[49] * 1000:.1f} ms, "
                f"p99 {q[98] * 1000:.1f} ms ({len(to_last_byte)} tickets, status checked before and after)"
            )
            latencies = load(port, args.clients, args.seconds, {"service": "pencetakan-ktp-el", "kiosk": "bench"})
            report("network printer, concurrent", latencies, args.seconds)
        finally:
            proc.terminate()
            proc.wait()


if __name__ == "__main__":
    main()
