"""The rate limits' in-process storage (memory://, the default): the same counts, no thread per count."""

from __future__ import annotations

import time

import limits.storage.memory
from limits import parse
from limits.strategies import FixedWindowRateLimiter, MovingWindowRateLimiter

from loket.extensions import SweptMemoryStorage, limiter
from tests.fixtures.web import make_app


class CountedTimers:
    """Stands for threading.Timer in limits' memory storage: counts the timers it would have started."""

    started = 0

    def __init__(self, *args, **kwargs):
        pass

    def start(self):
        CountedTimers.started += 1

    def is_alive(self):
        return False


def test_the_app_counts_in_the_swept_storage(tmp_path, demo_database):
    app = make_app(tmp_path, demo_database)
    try:
        assert isinstance(limiter.storage, SweptMemoryStorage)
    finally:
        app.extensions["loket"].store.dispose()


def test_counting_starts_no_thread(monkeypatch):
    storage = SweptMemoryStorage("loket-memory://")
    monkeypatch.setattr(limits.storage.memory.threading, "Timer", CountedTimers)
    CountedTimers.started = 0
    fixed, moving = FixedWindowRateLimiter(storage), MovingWindowRateLimiter(storage)
    for _ in range(50):
        fixed.hit(parse("1000 per minute"), "kiosk", "a")
        moving.hit(parse("1000 per minute"), "kiosk", "b")
    assert CountedTimers.started == 0


def test_the_same_counts_and_the_expired_ones_swept():
    storage = SweptMemoryStorage("loket-memory://")
    fixed, moving = FixedWindowRateLimiter(storage), MovingWindowRateLimiter(storage)
    two = parse("2 per second")
    assert [fixed.hit(two, "x") for _ in range(3)] == [True, True, False]
    assert [moving.hit(two, "y") for _ in range(3)] == [True, True, False]
    fixed.hit(two, "once")  # never read again: only a sweep frees it
    moving.hit(two, "once-moving")
    time.sleep(1.1)  # every window over, and more than SWEEP_EVERY since the storage was made
    assert fixed.hit(two, "x") and moving.hit(two, "y")  # counted again from 1 (the sweep runs in this hit)
    assert not any("once" in key for key in storage.storage)
    assert not any(entries for key, entries in storage.events.items() if "once" in key)
