"""The optional proof-of-work before a booking, in the open ALTCHA protocol (https://altcha.org), offline.

The challenge and its check are the `altcha` package's (PoW v1: the browser finds `number` in
0..maxnumber with sha256(salt + number) == challenge; the challenge signed with an HMAC of the office's
secret). The package's PoW v2 (a KDF, another wire format) would need another browser solver: the
booking page's own ~15 lines solve v1 (booking.js), where the official widget weighs 114 KB.

Two things are ours, around the package:
- the expiry is checked against the office's clock (the package's own check reads the wall clock);
- each solved challenge books once: operations.book spends it (table used_challenges) in the booking's
  transaction, so a solution reused, even by two requests at once in two processes, is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from altcha.v1 import SHA256, ChallengeOptions, Payload
from altcha.v1 import create_challenge as altcha_challenge
from altcha.v1 import verify_solution as altcha_verify

from loket.core.errors import LoketError
from loket.core.messages import _

ALGORITHM = SHA256
#: A challenge is good for this long: a solved one cannot be stored up for the opening minute.
LIFETIME_SECONDS = 300


class ChallengeFailed(LoketError):
    status = 400
    code = "challenge_failed"


@dataclass(frozen=True)
class Solved:
    """A verified solution: its challenge (a SHA-256 hex, unique per challenge made) and when it expires."""

    challenge: str
    expires_at: datetime


def refused() -> ChallengeFailed:
    """The one plain sentence for a solution missing, wrong, expired or already used."""
    return ChallengeFailed(_("Verifikasi anti-robot gagal atau kedaluwarsa. Silakan coba lagi."))


def _key(secret: str) -> bytes:
    return hashlib.sha256(b"loket.booking.challenge:" + secret.encode()).digest()


def create_challenge(secret: str, now: datetime, max_number: int) -> dict[str, Any]:
    """A new signed challenge, expiring LIFETIME_SECONDS after `now` (the expiry is in its salt)."""
    made = altcha_challenge(
        ChallengeOptions(
            algorithm=ALGORITHM,
            max_number=max_number,
            hmac_key=_key(secret),
            expires=now + timedelta(seconds=LIFETIME_SECONDS),
        )
    )
    # ALTCHA's challenge JSON spells it `maxnumber` (the package's to_dict says maxNumber).
    return {
        "algorithm": made.algorithm,
        "challenge": made.challenge,
        "maxnumber": made.max_number,
        "salt": made.salt,
        "signature": made.signature,
    }


def verify_solution(secret: str, payload: str | None, now: datetime) -> Solved:
    """Check a solution (base64 JSON, ALTCHA's format) by the package; raise ChallengeFailed with a plain sentence.

    Not yet spent: operations.book spends it with the booking.
    """
    if not payload:
        raise refused()
    try:
        solution = Payload.from_base64(payload)
    except (ValueError, KeyError, TypeError):
        raise refused() from None
    # The package trusts the JSON's types (a number for the salt would raise inside it): checked first.
    well_formed = (
        solution.algorithm == ALGORITHM
        and all(isinstance(v, str) for v in (solution.challenge, solution.salt, solution.signature))
        and type(solution.number) is int
        and solution.number >= 0
    )
    if not well_formed:
        raise refused()
    _nonce, expires, _params = solution.parse_salt()
    if expires is None or expires < now.timestamp():
        raise refused()
    verified, _error = altcha_verify(solution, _key(secret), check_expires=False)
    if not verified:
        raise refused()
    return Solved(solution.challenge, datetime.fromtimestamp(expires, UTC))
