"""Several server processes: every display gets every call through Redis (Flask-SocketIO's message queue)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
import redis
import requests
import socketio

from tests.fixtures.browser import free_port, kiosk_code
from tests.fixtures.database import copy_sqlite

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = os.environ.get("LOKET_TEST_REDIS", "redis://127.0.0.1:6379/0")


@pytest.fixture
def two_servers(tmp_path, served_template):
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        pytest.fail(f"Redis is required for the multi-process test ({REDIS_URL}): {exc}")
    env = dict(
        os.environ,
        DATABASE_URL=copy_sqlite(served_template, tmp_path / "loket.db"),
        SECRET_KEY="multi",
        LOKET_PRINTER=f"file:{tmp_path / 'tickets'}",
        SOCKETIO_MESSAGE_QUEUE=REDIS_URL,
        LOKET_SOCKETIO_CHANNEL=f"loket-test-{uuid.uuid4().hex[:8]}",
        LOKET_LOGIN_RATE_LIMIT="",
    )
    procs, bases = [], []
    for _ in range(2):
        port = free_port()
        procs.append(
            subprocess.Popen(
                [
                    BIN / "gunicorn",
                    "--worker-class",  # as in production (README): the gevent worker
                    "gevent",
                    "-w",
                    "1",
                    "--no-control-socket",
                    "--graceful-timeout",
                    "2",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "loket.wsgi:app",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        for base in bases:
            while True:
                try:
                    requests.get(f"{base}/api/services", timeout=5)
                    break
                except requests.RequestException:
                    if time.monotonic() > deadline:
                        pytest.fail("servers did not start")
                    time.sleep(0.1)
        yield bases
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def test_a_call_made_on_one_process_reaches_a_display_on_the_other(two_servers, served_template):
    display_base, counter_base = two_servers
    calls: list[dict] = []
    got_state = threading.Event()
    got_call = threading.Event()
    display = socketio.Client(reconnection=False)
    display.on("display.state", lambda state: got_state.set())
    issued: list[str] = []
    display.on("ticket.issued", lambda payload: issued.append(payload["number"]))

    @display.on("ticket.called")
    def _called(payload):
        calls.append(payload)
        got_call.set()

    display.connect(display_base, transports=["websocket"], auth={"channel": "display"}, wait_timeout=10)
    board_messages: list[tuple[str, dict]] = []
    board_heard = threading.Event()
    board = socketio.Client(reconnection=False)
    board.on("display.state", lambda state: board_messages.append(("state", state)))

    @board.on("display.delta")
    def _delta(delta):
        board_messages.append(("delta", delta))
        if "call" in delta:
            board_heard.set()

    board.connect(display_base, transports=["websocket"], auth={"channel": "board"}, wait_timeout=10)
    try:
        assert got_state.wait(10), "the display gets its state on connect"
        # the ticket on the board's process, the call on the other: both count the boards' messages
        kiosk = {"X-Loket-Kiosk-Token": kiosk_code(served_template)}  # the paired kiosk
        number = requests.post(
            f"{display_base}/api/tickets", json={"service": "pencetakan-ktp-el"}, headers=kiosk, timeout=10
        ).json()["number"]
        officer = requests.Session()
        token = officer.get(f"{counter_base}/api/csrf", timeout=10).json()["csrf_token"]
        officer.post(
            f"{counter_base}/api/login",
            json={"username": "pelayanan", "password": "loket123"},
            headers={"X-CSRFToken": token},
            timeout=10,
        ).raise_for_status()
        token = officer.get(f"{counter_base}/api/csrf", timeout=10).json()["csrf_token"]
        counters = officer.get(f"{counter_base}/api/counters", timeout=10).json()["counters"]
        loket3 = next(c["id"] for c in counters if c["name"] == "Loket 3")
        headers = {"X-CSRFToken": token}
        officer.post(f"{counter_base}/api/session", json={"role": "pelayanan", "counter_id": loket3}, headers=headers)
        called = officer.post(f"{counter_base}/api/counter/call-next", json={}, headers=headers, timeout=10).json()
        assert called["ticket"]["number"] == number
        assert got_call.wait(10), "the display on the other process never heard the call"
        assert calls[0]["number"] == number and calls[0]["counter"] == "Loket 3"
        # issued on the display's own process: heard once (its listener skips the batch it sent to Redis itself)
        assert issued == [number]
        assert board_heard.wait(10), "the board on the other process never had the call"
        kinds = [kind for kind, _ in board_messages]
        assert kinds[0] == "state" and "state" not in kinds[1:], "no gap: the state once, on connect"
        versions = [m["v"] for _, m in board_messages]
        assert versions == list(range(versions[0], versions[0] + len(versions))), "one count for both processes"
        [call] = [m["call"] for kind, m in board_messages if kind == "delta" and "call" in m]
        assert call["number"] == number and call["counter"] == "Loket 3"
    finally:
        display.disconnect()
        board.disconnect()


def _admin_session(base: str) -> tuple[requests.Session, dict]:
    admin = requests.Session()
    token = admin.get(f"{base}/api/csrf", timeout=10).json()["csrf_token"]
    admin.post(
        f"{base}/api/login", json={"username": "admin", "password": "loket123"}, headers={"X-CSRFToken": token}
    ).raise_for_status()
    headers = {"X-CSRFToken": admin.get(f"{base}/api/csrf", timeout=10).json()["csrf_token"]}
    admin.post(f"{base}/api/session", json={"role": "admin", "counter_id": None}, headers=headers).raise_for_status()
    return admin, headers


def test_an_sop_edit_on_one_process_reaches_kiosks_of_the_other(two_servers):
    kiosk_base, admin_base = two_servers
    code = "penerbitan-kia"
    heard = threading.Event()
    kiosk = socketio.Client(reconnection=False)
    kiosk.on("settings.changed", lambda payload: heard.set())
    kiosk.connect(kiosk_base, transports=["websocket"], auth={"channel": "display"}, wait_timeout=10)

    def requirement_on_kiosk() -> str:
        services = requests.get(f"{kiosk_base}/api/services", timeout=10).json()["services"]
        return next(s for s in services if s["code"] == code)["requirements"][0]["text"]["id"]

    try:
        assert requirement_on_kiosk() != "Akta kelahiran anak (asli)"
        admin, headers = _admin_session(admin_base)
        sop = admin.get(f"{admin_base}/api/admin/sops/{code}", timeout=10).json()["sop"]
        sop["requirements"][0]["text"]["id"] = "Akta kelahiran anak (asli)"
        admin.put(f"{admin_base}/api/admin/sops/{code}", json={"sop": sop}, headers=headers).raise_for_status()
        assert heard.wait(10), "the kiosk on the other process was not told"
        # what the kiosk asks for when told: the other process checks the catalog's version first
        assert requirement_on_kiosk() == "Akta kelahiran anak (asli)"
    finally:
        kiosk.disconnect()
