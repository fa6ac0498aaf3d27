"""The signed QR payload that travels with a berkas."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import date

from itsdangerous import Signer

from loket.core.messages import _

from .errors import InvalidCode

SCHEME = "LKT1"


@dataclass(frozen=True)
class TicketCode:
    office: str
    ticket_id: int
    day: date
    number: str


class CodeSigner:
    """Signs and checks ticket codes; the secret and office id come from config."""

    def __init__(self, secret: str, office: str):
        if not secret:
            raise ValueError("a secret key is required to sign ticket codes")
        self.office = office
        self._secret = secret
        self._signer = Signer(secret, salt="loket.ticket", sep=".", digest_method=hashlib.sha256)

    def sign(self, ticket_id: int, day: date, number: str) -> str:
        body = f"{SCHEME}:{self.office}:{day:%Y%m%d}:{ticket_id}:{number}"
        return self._signer.sign(body).decode()

    def secrets(self) -> tuple[str, str]:
        """(secret, office) for another kind of code signed with its own salt (core/booking/codes.py)."""
        return self._secret, self.office

    def verify(self, payload: str) -> TicketCode:
        """Return the code's contents, or raise InvalidCode with a clear message.

        Strict: the payload must be exactly the code this signer makes for its contents (same
        fields, same spelling, same signature characters), compared in constant time. A
        signature check alone is not enough: base64 decoding skips characters outside its
        alphabet and ignores a last character's unused bits, so a code with characters inserted
        or changed would otherwise still pass. Only the white space a scanner adds around a code
        is dropped."""
        payload = payload.strip()
        if not payload.isascii() or not payload.startswith(SCHEME + ":"):
            raise InvalidCode(_("Kode bukan tiket Loket."))
        parts = payload.split(":", 2)
        if len(parts) == 3 and parts[1] != self.office:
            raise InvalidCode(_("Tiket ini dari kantor lain."))
        code = _contents(payload)
        expected = self.sign(code.ticket_id, code.day, code.number) if code is not None else ""
        if code is None or not hmac.compare_digest(expected.encode(), payload.encode()):
            raise InvalidCode(_("Kode tiket tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))
        return code


_CANONICAL = re.compile(r"LKT1:([^:]+):(\d{8}):([1-9]\d{0,18}):([^:.]+)\.[A-Za-z0-9_-]+")


def _contents(payload: str) -> TicketCode | None:
    """What a payload claims (unchecked), or None when it is not in the canonical form at all."""
    match = _CANONICAL.fullmatch(payload)
    if match is None:
        return None
    office, day, ticket_id, number = match.groups()
    try:
        return TicketCode(office, int(ticket_id), date(int(day[:4]), int(day[4:6]), int(day[6:])), number)
    except ValueError:
        return None


def looks_like_code(text: str) -> bool:
    return text.strip().upper().startswith(SCHEME + ":")
