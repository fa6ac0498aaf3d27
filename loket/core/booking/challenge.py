"""The optional proof-of-work before a booking, in the open ALTCHA protocol (https://altcha.org), offline.

Written here rather than taken from the `altcha` package: it is on PyPI (2.3.0) but not in the project's
locked environment, and the part we need is a salted SHA-256 and an HMAC (about 40 lines). The challenge
and the solution have ALTCHA's shape (algorithm, challenge, maxnumber, salt, signature; the solution
base64 JSON with `number`), so the package or its widget can replace either side later.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime
from typing import Any

from loket.core.errors import LoketError
from loket.core.messages import _

ALGORITHM = "SHA-256"
#: A challenge is good for this long: a solved one cannot be stored up for the opening minute.
LIFETIME_SECONDS = 300


class ChallengeFailed(LoketError):
    status = 400
    code = "challenge_failed"


def _key(secret: str) -> bytes:
    return hashlib.sha256(b"loket.booking.challenge:" + secret.encode()).digest()


def create_challenge(secret: str, now: datetime, max_number: int) -> dict[str, Any]:
    """A new challenge: the browser finds `number` in 0..maxnumber with sha256(salt + number) == challenge."""
    expires = int(now.timestamp()) + LIFETIME_SECONDS
    salt = f"{secrets.token_hex(12)}?expires={expires}"
    number = secrets.randbelow(max_number + 1)
    challenge = hashlib.sha256(f"{salt}{number}".encode()).hexdigest()
    signature = hmac.new(_key(secret), challenge.encode(), hashlib.sha256).hexdigest()
    return {
        "algorithm": ALGORITHM,
        "challenge": challenge,
        "maxnumber": max_number,
        "salt": salt,
        "signature": signature,
    }


def verify_solution(secret: str, payload: str | None, now: datetime) -> None:
    """Check a solution (base64 JSON, ALTCHA's format); raise ChallengeFailed with a plain sentence."""
    refused = ChallengeFailed(_("Verifikasi anti-robot gagal atau kedaluwarsa. Silakan coba lagi."))
    if not payload:
        raise refused
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
        salt, number = str(data["salt"]), int(data["number"])
        challenge, signature = str(data["challenge"]), str(data["signature"])
        expires = int(salt.rsplit("?expires=", 1)[1])
    except (ValueError, KeyError, IndexError, TypeError):
        raise refused from None
    if data.get("algorithm") != ALGORITHM or expires < now.timestamp() or number < 0:
        raise refused
    expected = hmac.new(_key(secret), challenge.encode(), hashlib.sha256).hexdigest()
    solved = hashlib.sha256(f"{salt}{number}".encode()).hexdigest()
    if not (hmac.compare_digest(expected, signature) and hmac.compare_digest(solved, challenge)):
        raise refused
