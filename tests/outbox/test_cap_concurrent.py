"""The daily cap is never exceeded by workers claiming at the same time (PostgreSQL, 4 worker threads)."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from loket.core.outbox import limits
from loket.core.outbox.channels import Delivery, OutgoingMessage, RecordingChannel, Routes
from loket.core.outbox.worker import OutboxPolicy, deliver_due
from loket.core.store import OutboxChannelDay, OutboxMessage

MESSAGES, WORKERS = 120, 4


def fill(loket) -> None:
    now = loket.clock.now()
    with loket.store.transaction() as s:
        for r in range(MESSAGES):  # each of a different resident: all may be claimed at once
            s.add(
                OutboxMessage(
                    idempotency_key=f"cap:ev{r}:phone",
                    ordering_key=f"ticket:{r}",
                    moment="called",
                    channel="phone",
                    address=f"0812000{r:05d}",
                    text_id=f"Pesan {r}",
                    text_en=f"Message {r}",
                    state="pending",
                    attempts=0,
                    next_attempt_at=now,
                    created_at=now,
                    updated_at=now,
                )
            )


def run_workers(loket, channel: RecordingChannel) -> None:
    policy = OutboxPolicy(batch=3)  # small claims, many of them, interleaved between the workers
    start = threading.Barrier(WORKERS)
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            start.wait()
            idle = 0
            while idle < 3:  # a few empty rounds in a row: nothing this worker may still take
                idle = idle + 1 if deliver_due(loket, Routes.single(channel, "sms"), name, policy).handled == 0 else 0
        except BaseException as exc:  # reported below, in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors


@pytest.mark.parametrize("store", ["postgresql"], indirect=True)
@pytest.mark.parametrize(
    ("cap", "allowed"),
    [(limits.ChannelCap(max_per_day=37), 37), (limits.ChannelCap(price_rupiah=350, cap_rupiah=10_000), 28)],
)
def test_concurrent_workers_never_send_more_than_the_cap(loket, cap, allowed):
    fill(loket)
    with loket.store.transaction() as s:
        limits.write_cap(s, "sms", cap, datetime.now(UTC), None)
    lock = threading.Lock()
    sent: list[OutgoingMessage] = []

    def answer(message: OutgoingMessage) -> Delivery:
        with lock:
            sent.append(message)
        return Delivery(True)

    run_workers(loket, RecordingChannel(answer=answer))
    assert len(sent) == allowed and len({m.key for m in sent}) == allowed
    with loket.store.read() as s:
        states = list(s.scalars(select(OutboxMessage.state)))
        (used,) = s.scalars(select(OutboxChannelDay.used).where(OutboxChannelDay.name == "sms"))
    assert states.count("sent") == allowed and states.count("pending") == MESSAGES - allowed  # none lost
    assert used == allowed
