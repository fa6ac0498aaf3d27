"""The signed QR payload that travels with a berkas."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

from itsdangerous import BadSignature, Signer

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
        self._signer = Signer(secret, salt="loket.ticket", sep=".", digest_method=hashlib.sha256)

    def sign(self, ticket_id: int, day: date, number: str) -> str:
        body = f"{SCHEME}:{self.office}:{day:%Y%m%d}:{ticket_id}:{number}"
        return self._signer.sign(body).decode()

    def verify(self, payload: str) -> TicketCode:
        """Return the code's contents, or raise InvalidCode with a clear message."""
        payload = payload.strip()
        if not payload.startswith(SCHEME + ":"):
            raise InvalidCode(_("Kode bukan tiket Loket."))
        parts = payload.split(":", 2)
        if len(parts) == 3 and parts[1] != self.office:
            raise InvalidCode(_("Tiket ini dari kantor lain."))
        try:
            body = self._signer.unsign(payload).decode()
        except BadSignature:
            raise InvalidCode(_("Kode tiket tidak sah: tanda tangan tidak cocok (palsu atau salah ketik).")) from None
        _scheme, office, day, ticket_id, number = body.split(":", 4)
        return TicketCode(office, int(ticket_id), date(int(day[:4]), int(day[4:6]), int(day[6:])), number)


def looks_like_code(text: str) -> bool:
    return text.strip().upper().startswith(SCHEME + ":")
