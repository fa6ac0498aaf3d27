"""The proof of issue 14 on PostgreSQL: 200 messages due, the gateway down for a stretch, a worker process killed
(SIGKILL) in the middle of a send, other workers finish. Every message reaches the gateway, each idempotency key
is taken once (a repeat is only the killed worker's message sent again, and the gateway drops it), in order
per resident.

Real processes (`flask --app loket.app outbox-worker`, as an office runs them) and a real HTTP gateway on
127.0.0.1. Every wait is bounded in tries and time; nothing asserts on the clock.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import IO

import pytest
from sqlalchemy import func, select

from loket.core.store import OutboxMessage, Store
from tests.fixtures.database import ROOT, _empty_every_table
from tests.outbox.gateway import start_gateway

RESIDENTS, EACH = 40, 5  # 200 messages


def wait_for(what: str, done: Callable[[], bool], seconds: float = 90) -> None:
    """Poll until `done()`, at most `seconds` (a bound, not a measurement)."""
    for _ in range(int(seconds / 0.05)):
        if done():
            return
        time.sleep(0.05)
    pytest.fail(f"gave up waiting: {what}")


def start_worker(database_url: str, gateway_url: str, log: IO[str]) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SECRET_KEY="proof",
        LOKET_SOP_DIR=str(ROOT / "loket" / "sops"),
        LOKET_OUTBOX_GATEWAY_URL=gateway_url,
        LOKET_OUTBOX_GATEWAY_TIMEOUT="60",
        LOKET_OUTBOX_POLL_SECONDS="0.05",
        LOKET_OUTBOX_RETRY_BASE_SECONDS="0.05",
        LOKET_OUTBOX_RETRY_CAP_SECONDS="0.4",
        LOKET_OUTBOX_MAX_ATTEMPTS="10000",
        LOKET_OUTBOX_LEASE_SECONDS="5",
        LOKET_PRINTER=f"file:{Path(log.name).parent / 'tickets'}",
    )
    return subprocess.Popen(
        [str(Path(sys.executable).parent / "flask"), "--app", "loket.app", "outbox-worker"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )


def add_messages(store: Store) -> list[OutboxMessage]:
    """200 messages due now: 5 each for 40 residents, their ids interleaved as events of a busy hall would be."""
    now = datetime.now(UTC)
    rows = [
        OutboxMessage(
            idempotency_key=f"proof:ev{n * RESIDENTS + r}:phone",
            ordering_key=f"ticket:{r}",
            moment="called",
            channel="phone",
            address=f"0812000{r:05d}",
            text_id=f"Pesan {n} untuk penduduk {r}",
            text_en=f"Message {n} for resident {r}",
            state="pending",
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        for n in range(EACH)
        for r in range(RESIDENTS)
    ]
    with store.transaction() as s:
        s.add_all(rows)
    return rows


def test_200_messages_survive_a_gateway_outage_and_a_killed_worker_each_taken_once_in_order(pg_store_url, tmp_path):
    store = Store(pg_store_url)
    _empty_every_table(store.engine)
    gateway = start_gateway()
    workers: list[subprocess.Popen] = []
    logs = [(tmp_path / f"worker-{n}.log").open("w") for n in (1, 2, 3)]  # what each worker said, if it fails
    try:
        rows = add_messages(store)
        order = {m.idempotency_key: (m.ordering_key, m.id) for m in rows}
        gateway.down = True
        first = start_worker(pg_store_url, gateway.url, logs[0])
        workers.append(first)
        wait_for("the worker meets the gateway down", lambda: gateway.refused() >= 60)
        gateway.down = False
        wait_for("some messages through", lambda: len(gateway.accepted) >= 70)
        gateway.hold_next = True  # the next message is taken, and its worker never hears so
        wait_for("a message held at the gateway", gateway.held.is_set)
        first.send_signal(signal.SIGKILL)
        first.wait(30)
        with store.read() as s:  # what the killed worker held: only these may reach the gateway twice
            orphaned = set(
                s.scalars(select(OutboxMessage.idempotency_key).where(OutboxMessage.state == "sending")).all()
            )
        assert orphaned and len(gateway.accepted) < len(rows)  # killed in the middle, holding messages
        gateway.down = True  # down again for a while, as the others start
        workers += [start_worker(pg_store_url, gateway.url, log) for log in logs[1:]]
        wait_for("the new workers meet the gateway down", lambda: gateway.refused() >= 120)
        gateway.down = False

        def all_sent() -> bool:
            with store.read() as s:
                return s.scalar(select(func.count()).where(OutboxMessage.state != "sent")) == 0

        wait_for("every message sent", all_sent, seconds=180)
        accepted = dict(gateway.accepted)
        assert set(accepted) == set(order)  # each of the 200, and nothing else
        assert set(gateway.duplicates()) <= orphaned  # a key came twice only if its worker was killed holding it
        assert gateway.held_key in gateway.duplicates()  # the held one was sent again by another worker, and dropped
        assert all(seen.header_key == seen.key for seen in gateway.seen)
        by_resident: dict[str, list[tuple[int, int]]] = {}
        for key, first_taken in accepted.items():
            resident, message_id = order[key]
            by_resident.setdefault(resident, []).append((first_taken, message_id))
        for taken in by_resident.values():  # in each resident's order of events, whatever the outage and the kill
            assert [m for _, m in sorted(taken)] == sorted(m for _, m in taken)
    finally:
        gateway.close()
        for worker in workers:
            if worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(30)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait(30)
        for log in logs:
            log.close()
        store.dispose()
