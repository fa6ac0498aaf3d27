"""The booking's proof-of-work (ALTCHA, by the `altcha` package), on SQLite and PostgreSQL: a good solution books
once, a reused one is refused (even two at once), an expired or tampered one is refused, spent ones are purged."""

from __future__ import annotations

import base64
import hashlib
import json
from datetime import time as clock_time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from loket.core.booking import operations as booking
from loket.core.booking.challenge import ChallengeFailed, create_challenge, verify_solution
from loket.core.store import Booking, UsedChallenge
from tests.core.test_booking import SERVICE, TUESDAY, _race, configure, nik

SECRET = "office-secret"
PLAIN = "Verifikasi anti-robot gagal atau kedaluwarsa. Silakan coba lagi."


def _encode(solution: dict) -> str:
    return base64.b64encode(json.dumps(solution).encode()).decode()


def solve(challenge: dict) -> str:
    """As the booking page does (booking.js): the number whose sha256(salt + number) is the challenge."""
    for number in range(challenge["maxnumber"] + 1):
        if hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest() == challenge["challenge"]:
            solution = {k: challenge[k] for k in ("algorithm", "challenge", "salt", "signature")}
            return _encode({**solution, "number": number})
    raise AssertionError("unsolvable")


def solved_payload(loket, secret: str = SECRET) -> str:
    return solve(create_challenge(secret, loket.clock.now(), 1000))


def refused(loket, payload: str | None) -> None:
    with pytest.raises(ChallengeFailed) as caught:
        verify_solution(SECRET, payload, loket.clock.now())
    assert caught.value.message == PLAIN


def bookings(loket) -> int:
    with loket.store.read() as s:
        return s.scalar(select(func.count()).select_from(Booking))


def test_a_good_solution_books_once_and_a_reused_one_is_refused(loket):
    configure(loket)
    payload = solved_payload(loket)
    first = booking.book(
        loket, SERVICE, TUESDAY, clock_time(9, 0), nik(1), challenge=verify_solution(SECRET, payload, loket.clock.now())
    )
    assert first.code
    again = verify_solution(SECRET, payload, loket.clock.now())  # still well made and not expired: the store refuses it
    with pytest.raises(ChallengeFailed) as caught:
        booking.book(loket, SERVICE, TUESDAY, clock_time(10, 0), nik(2), challenge=again)
    assert caught.value.message == PLAIN and caught.value.code == "challenge_failed"
    assert bookings(loket) == 1


def test_a_booking_refused_for_another_reason_leaves_its_solution_good(loket):
    configure(loket, seats_per_slot=2, walk_in_percent=50, priority_percent=0)  # one seat online
    booking.book(loket, SERVICE, TUESDAY, clock_time(9, 0), nik(1))
    solved = verify_solution(SECRET, solved_payload(loket), loket.clock.now())
    with pytest.raises(booking.BookingFull):
        booking.book(loket, SERVICE, TUESDAY, clock_time(9, 0), nik(2), challenge=solved)
    assert booking.book(loket, SERVICE, TUESDAY, clock_time(10, 0), nik(2), challenge=solved).code
    assert bookings(loket) == 2


def test_two_requests_with_one_solution_at_once_make_exactly_one_booking(loket):
    configure(loket, seats_per_slot=10)
    payload = solved_payload(loket)

    def attempt(i: int) -> booking.Made:
        solved = verify_solution(SECRET, payload, loket.clock.now())
        start = clock_time(8 + i // 4, i % 4 * 15)  # each its own slot and NIK: only the challenge is shared
        return booking.book(loket, SERVICE, TUESDAY, start, nik(i + 1), challenge=solved)

    for _round in range(3):  # a fresh solution each round: each makes one booking, whoever wins
        payload = solved_payload(loket)
        before = bookings(loket)
        results = _race(4, lambda i, r=_round: attempt(i + 4 * r))
        made = [r for r in results if isinstance(r, booking.Made)]
        failed = [r for r in results if isinstance(r, ChallengeFailed)]
        assert len(made) == 1 and len(failed) == 3, results
        assert bookings(loket) == before + 1


def test_an_expired_solution_is_refused(loket, clock):
    payload = solved_payload(loket)
    clock.advance(seconds=299)
    assert verify_solution(SECRET, payload, loket.clock.now()).challenge
    clock.advance(seconds=2)
    refused(loket, payload)


def test_a_tampered_or_foreign_solution_is_refused(loket):
    challenge = create_challenge(SECRET, loket.clock.now(), 1000)
    good = json.loads(base64.b64decode(solve(challenge)))
    assert verify_solution(SECRET, _encode(good), loket.clock.now()).challenge == challenge["challenge"]
    later = int(good["salt"].split("expires=")[1].rstrip("&")) + 3600
    longer = good["salt"].split("?")[0] + f"?expires={later}&"
    tampered = [
        dict(good, number=good["number"] + 1),
        dict(good, number=str(good["number"])),
        dict(good, signature="0" * 64),
        dict(good, salt=longer, challenge=hashlib.sha256(f"{longer}{good['number']}".encode()).hexdigest()),
        dict(good, algorithm="SHA-1"),
        dict(good, salt=12345),
        {k: v for k, v in good.items() if k != "signature"},
    ]
    for solution in tampered:
        refused(loket, _encode(solution))
    refused(loket, solved_payload(loket, secret="another office"))
    for garbage in (None, "", "not base64!", base64.b64encode(b"[1, 2]").decode(), base64.b64encode(b"7").decode()):
        refused(loket, garbage)


def test_spent_challenges_are_forgotten_once_expired_a_few_at_a_time(loket, clock):
    configure(loket, seats_per_slot=10)
    old = clock.now() - timedelta(minutes=1)
    with loket.store.transaction() as s:
        s.add_all(UsedChallenge(challenge=f"{i:064x}", expires_at=old) for i in range(25))
    solved = verify_solution(SECRET, solved_payload(loket), clock.now())
    booking.book(loket, SERVICE, TUESDAY, clock_time(9, 0), nik(1), challenge=solved)
    with loket.store.read() as s:
        left = s.scalars(select(UsedChallenge.challenge)).all()
    assert len(left) == 25 - 20 + 1 and solved.challenge in left  # the new one stays until it expires
