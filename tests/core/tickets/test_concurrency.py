"""Concurrent kiosks and counters: no duplicate numbers, no ticket called twice."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from loket.core.accounts import create_counter, create_user
from loket.core.roles import Actor, Role
from loket.core.tickets import issuing, queue

THREADS = 16
PER_THREAD = 15


def _hammer(fn, threads: int, per_thread: int) -> list:
    start = threading.Barrier(threads)

    def worker(_):
        start.wait()  # release every thread at the same instant
        return [fn() for _ in range(per_thread)]

    with ThreadPoolExecutor(threads) as pool:
        return [item for chunk in pool.map(worker, range(threads)) for item in chunk]


def test_concurrent_kiosks_never_share_a_number(loket):
    services = ["pencetakan-ktp-el", "penerbitan-kia"]
    counter = iter(range(10**6))
    lock = threading.Lock()

    def issue():
        with lock:
            code = services[next(counter) % 2]
        return issuing.issue(loket, code).ticket.number

    numbers = _hammer(issue, THREADS, PER_THREAD)
    assert len(numbers) == THREADS * PER_THREAD
    assert len(set(numbers)) == len(numbers), "duplicate ticket numbers"
    for prefix in {n[0] for n in numbers}:
        seqs = sorted(int(n[2:]) for n in numbers if n[0] == prefix)
        assert seqs == list(range(1, len(seqs) + 1)), "numbers must be gap-free from 1"


def test_concurrent_counters_never_call_the_same_ticket(loket):
    for _ in range(THREADS * 3):
        issuing.issue(loket, "pencetakan-ktp-el")
    user = create_user(loket.store, loket.clock, "desk", "Desk", "password123", [Role.PELAYANAN])
    actors = [
        Actor(user.id, Role.PELAYANAN, create_counter(loket.store, f"Loket {i}", i, [Role.PELAYANAN]).id)
        for i in range(1, 5)
    ]
    turn = iter(range(10**6))
    lock = threading.Lock()

    def call():
        with lock:
            actor = actors[next(turn) % len(actors)]
        out = queue.call_next(loket, actor)
        return out.ticket.number if out.ticket else None

    called = [n for n in _hammer(call, 8, 8) if n]
    assert len(called) == THREADS * 3
    assert len(set(called)) == len(called), "a ticket was called at two counters"
