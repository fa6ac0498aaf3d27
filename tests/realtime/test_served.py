"""Loket served exactly as `make run` serves it (the Makefile's own gunicorn command): boards by the hundred.

A thread per open page ran out at 128 boards; the gevent worker holds each in a greenlet. Here 300
boards stay connected at once and every one of them gets a call made over HTTP.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import shlex
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
import socketio

from tests.fixtures.browser import free_port, kiosk_code
from tests.fixtures.database import copy_sqlite

ROOT = Path(__file__).resolve().parents[2]
BOARDS = 300


def make_run_command(port: int) -> list[str]:
    """The gunicorn command of the Makefile's `run` target, on 127.0.0.1:`port`."""
    recipe = (ROOT / "Makefile").read_text().split("\nrun:", 1)[1].split("\n\n", 1)[0]
    [line] = [line.strip() for line in recipe.splitlines() if "/bin/gunicorn" in line]
    values = {"VENV": str(Path(sys.executable).parent.parent), "HOST": "127.0.0.1", "PORT": str(port)}
    return shlex.split(re.sub(r"\$\((\w+)\)", lambda m: values[m.group(1)], line))


@pytest.fixture
def served(tmp_path, served_template):
    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=copy_sqlite(served_template, tmp_path / "loket.db"),
        SECRET_KEY="served",
        LOKET_PRINTER=f"file:{tmp_path / 'tickets'}",
        LOKET_LOGIN_RATE_LIMIT="",
    )
    env.pop("SOCKETIO_MESSAGE_QUEUE", None)
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 (closed below)
    proc = subprocess.Popen(make_run_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                requests.get(f"{base}/api/services", timeout=5)
                break
            except requests.RequestException:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"server did not start:\n{(tmp_path / 'server.log').read_text()}")
                time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def call_next(base: str) -> str:
    """An officer at Loket 1 calls the next resident; returns the number called."""
    officer = requests.Session()
    token = officer.get(f"{base}/api/csrf", timeout=10).json()["csrf_token"]
    officer.post(
        f"{base}/api/login",
        json={"username": "pelayanan", "password": "loket123"},
        headers={"X-CSRFToken": token},
        timeout=10,
    ).raise_for_status()
    headers = {"X-CSRFToken": officer.get(f"{base}/api/csrf", timeout=10).json()["csrf_token"]}
    counters = officer.get(f"{base}/api/counters", timeout=10).json()["counters"]
    loket1 = next(c["id"] for c in counters if c["name"] == "Loket 1")
    officer.post(f"{base}/api/session", json={"role": "pelayanan", "counter_id": loket1}, headers=headers)
    return officer.post(f"{base}/api/counter/call-next", json={}, headers=headers, timeout=30).json()["ticket"][
        "number"
    ]


async def boards_hear_a_call(base: str, count: int, make_call) -> tuple[int, list[str]]:
    """`count` boards connect and stay; then `make_call()` runs; returns (boards connected, numbers heard)."""
    heard: list[str] = []
    every_board_heard = asyncio.Event()
    clients = []
    for _ in range(count):
        client = socketio.AsyncClient(reconnection=False)

        @client.on("display.delta")
        async def on_delta(delta):
            if "call" in delta:
                heard.append(delta["call"]["number"])
                if len(heard) == count:
                    every_board_heard.set()

        clients.append(client)

    async def connect(client) -> bool:
        try:
            await client.connect(base, transports=["websocket"], auth={"channel": "board"}, wait_timeout=60)
            return True
        except socketio.exceptions.ConnectionError:
            return False

    try:
        tries = [asyncio.ensure_future(connect(c)) for c in clients]
        done, late = await asyncio.wait(tries, timeout=90)
        for task in late:
            task.cancel()
        connected = sum(1 for task in done if task.result())
        await asyncio.to_thread(make_call)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(every_board_heard.wait(), 60)
        return connected, heard
    finally:
        await asyncio.gather(*(c.disconnect() for c in clients), return_exceptions=True)


def test_make_run_serves_hundreds_of_boards_and_a_call_reaches_each(served, served_template):
    kiosk = {"X-Loket-Kiosk-Token": kiosk_code(served_template)}
    number = requests.post(f"{served}/api/tickets", json={"service": "pencetakan-ktp-el"}, headers=kiosk, timeout=10)
    number.raise_for_status()

    # its own thread: the browser tests' Playwright may already run an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        hall = boards_hear_a_call(served, BOARDS, lambda: call_next(served))
        connected, heard = pool.submit(asyncio.run, hall).result()

    assert connected == BOARDS, f"only {connected} of {BOARDS} boards could connect"
    assert heard == [number.json()["number"]] * BOARDS, "every board hears the call once"
