"""Shared by the benchmark scripts: start Loket under gunicorn in a temporary folder."""

from __future__ import annotations

import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    folder: Path,
    extra_env: dict[str, str],
    *,
    threads: int = 64,
    demo: bool = False,
    worker: str = "gthread",
    root: Path = ROOT,
    init: bool = True,
):
    """Init the database (and demo staff), start gunicorn; return (process, port, env).

    worker "gevent" serves as `make run` does (a greenlet per connection); "gthread" with `threads`
    threads as it did before. `root` is the source tree served (a baseline's, to compare);
    init=False shares a database another server already made (several processes).
    """
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{folder / 'loket.db'}",
        "SECRET_KEY": "bench",
        "LOKET_TICKET_RATE_LIMIT": "",
        "LOKET_LOGIN_RATE_LIMIT": "",
        **extra_env,  # may name another database
    }
    commands = (["init-db"] + (["demo-setup"] if demo else [])) if init else []
    for command in commands:
        subprocess.run(
            [BIN / "flask", "--app", "loket.app", command], cwd=root, env=env, check=True, capture_output=True
        )
    workers = (
        ["--worker-class", "gevent", "--worker-connections", "4000"]
        if worker == "gevent"
        else ["--worker-class", "gthread", "--threads", str(threads)]
    )
    proc = subprocess.Popen(
        [BIN / "gunicorn", *workers, "--workers", "1",
         "--no-control-socket", "--graceful-timeout", "2", "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", "loket.wsgi:app"],
        cwd=root, env=env,
    )  # fmt: skip
    for _ in range(150):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            conn.request("GET", "/api/services")
            conn.getresponse().read()
            return proc, port, env
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def worker_pids(proc: subprocess.Popen) -> list[int]:
    """The gunicorn master and its workers."""
    out = subprocess.run(["pgrep", "-P", str(proc.pid)], capture_output=True, text=True).stdout.split()
    return [proc.pid, *map(int, out)]


def rss_mib(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except FileNotFoundError:
            pass
    return total / 1024


@contextmanager
def mado_server(folder: Path, python: Path, what: str) -> Iterator[tuple[subprocess.Popen, int]]:
    """MADO-queue (the peer, measured only; see bench/tickets.py's docstring) served by waitress on a free port,
    on a fresh database in a temporary folder: (its process, its port); stopped when the block ends."""
    if not (folder / "app.py").exists() or not python.exists():
        raise SystemExit(f"{what}: no MADO-queue in {folder} or no {python} (see bench/tickets.py's docstring)")
    with tempfile.TemporaryDirectory() as tmp:
        env = dict(os.environ, DB_PATH=str(Path(tmp) / "numbers.db"))
        subprocess.run([python, "init_db.py"], cwd=folder, env=env, check=True, capture_output=True)
        port = free_port()
        proc = subprocess.Popen(
            [python, "-m", "waitress", "--host=127.0.0.1", f"--port={port}", "app:app"],
            cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            for _ in range(100):
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                    conn.request("GET", "/display_data")
                    conn.getresponse().read()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                raise SystemExit("MADO-queue did not start")
            yield proc, port
        finally:
            proc.terminate()
            proc.wait()
