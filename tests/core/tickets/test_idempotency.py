"""A kiosk's retry of one tap (its Idempotency-Key) returns the first try's ticket, also when both run at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from sqlalchemy import func, select

from loket.core.store import Ticket
from loket.core.tickets import issuing

KTP = "pencetakan-ktp-el"


def tickets(loket) -> int:
    with loket.store.read() as s:
        return s.scalar(select(func.count()).select_from(Ticket))


def test_a_retry_with_the_same_key_returns_the_same_ticket(loket):
    first = issuing.issue(loket, KTP, issuer="kiosk:lobby1", key="tap-0001")
    again = issuing.issue(loket, KTP, issuer="kiosk:lobby1", key="tap-0001")
    assert not first.replayed and first.events
    assert again.replayed and again.events == []
    assert again.ticket.number == first.ticket.number == "B-001"
    assert tickets(loket) == 1
    # another tap, or the same key from another kiosk, is another ticket
    assert issuing.issue(loket, KTP, issuer="kiosk:lobby1", key="tap-0002").ticket.number == "B-002"
    assert issuing.issue(loket, KTP, issuer="kiosk:lobby2", key="tap-0001").ticket.number == "B-003"
    assert issuing.issue(loket, KTP, issuer="kiosk:lobby1").ticket.number == "B-004"
    assert tickets(loket) == 4


def test_simultaneous_tries_with_one_key_make_one_ticket(loket):
    """Eight requests of one tap at the same instant (a retry racing the first try): one ticket, one number."""
    threads = 8
    start = threading.Barrier(threads)

    def tap(_):
        start.wait()
        return issuing.issue(loket, KTP, issuer="kiosk:lobby1", key="tap-race")

    with ThreadPoolExecutor(threads) as pool:
        outcomes = list(pool.map(tap, range(threads)))
    assert {o.ticket.number for o in outcomes} == {"B-001"}
    assert sum(not o.replayed for o in outcomes) == 1
    assert tickets(loket) == 1
    # the number sequence did not skip: the next tap gets B-002
    assert issuing.issue(loket, KTP, issuer="kiosk:lobby1", key="tap-next").ticket.number == "B-002"
