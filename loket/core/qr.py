"""The signed QR payload that travels with a berkas."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from itsdangerous import Signer

from loket.core.messages import _

from .errors import InvalidCode

SCHEME = "LKT1"
#: The compact ticket code printed inside the status URL (`<public base>/s/T1.<id>.<mac>`): the ticket's id and
#: a 96-bit MAC of the office, day, id and number. Day and number are read from the ticket's row, so the code
#: stays short enough for a small QR on 58 mm paper; without the row's day and number nothing verifies.
SHORT_SCHEME = "T1"
SHORT_MAC_CHARS = 16
#: The path of the resident's status page; a scanned URL ending in /s/<code> carries the code.
STATUS_PATH = "/s/"


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
        self._short = Signer(secret, salt="loket.ticket.short", sep=".", digest_method=hashlib.sha256)

    def sign(self, ticket_id: int, day: date, number: str) -> str:
        body = f"{SCHEME}:{self.office}:{day:%Y%m%d}:{ticket_id}:{number}"
        return self._signer.sign(body).decode()

    def secrets(self) -> tuple[str, str]:
        """(secret, office) for another kind of code signed with its own salt (core/booking/codes.py)."""
        return self._secret, self.office

    def short(self, ticket_id: int, day: date, number: str) -> str:
        """The compact code of a ticket ("T1.<id>.<mac>"), printed in its status URL."""
        body = f"{SHORT_SCHEME}:{self.office}:{day:%Y%m%d}:{ticket_id}:{number}"
        mac = self._short.get_signature(body).decode()[:SHORT_MAC_CHARS]
        return f"{SHORT_SCHEME}.{ticket_id}.{mac}"

    def verify_short(self, payload: str, lookup: Callable[[int], tuple[date, str] | None]) -> TicketCode:
        """Check a compact code against the ticket it names; `lookup(id)` gives that ticket's (day, number).

        As strict as `verify`: the payload must be exactly the code `short` makes for the ticket's row,
        compared in constant time. An unknown id and a wrong MAC get the same refusal (nothing tells
        which ids exist)."""
        payload = payload.strip()
        match = _SHORT.fullmatch(payload) if payload.isascii() else None
        if match is None:
            raise InvalidCode(_("Kode tiket tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))
        ticket_id = int(match.group(1))
        known = lookup(ticket_id)
        expected = self.short(ticket_id, *(known or (date(2000, 1, 1), "-")))
        if not hmac.compare_digest(expected.encode(), payload.encode()) or known is None:
            raise InvalidCode(_("Kode tiket tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))
        return TicketCode(self.office, ticket_id, known[0], known[1])

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


_SHORT = re.compile(rf"T1\.([1-9]\d{{0,18}})\.[A-Za-z0-9_-]{{{SHORT_MAC_CHARS}}}")
#: A scanned status URL: any http(s) address whose path ends in /s/<code> (the host is not trusted: the
#: code's signature is what counts, so a server that moved or a changed LOKET_PUBLIC_URL still scans).
_URL = re.compile(r"https?://[^\s/?#]+(?:/[^\s?#]*)?/s/([^\s/?#]+)/?", re.IGNORECASE)
_SCHEME_OF = re.compile(r"([A-Za-z][A-Za-z0-9]{0,7})[:.]")


def code_in(text: str) -> str:
    """The code a scan carries: the <code> of a status URL (".../s/<code>"), else the text itself (trimmed).

    No percent-decoding: Loket prints its codes literally, and a code spelled another way is refused."""
    text = text.strip()
    match = _URL.fullmatch(text)
    return match.group(1) if match else text


def scheme_of(code: str) -> str | None:
    """The scheme a code starts with ("LKT1" of "LKT1:...", "T1" of "T1.17...."), or None."""
    match = _SCHEME_OF.match(code)
    return match.group(1) if match else None


def is_short(code: str) -> bool:
    return code.startswith(SHORT_SCHEME + ".")


def looks_like_code(text: str) -> bool:
    """Whether a scan or a typed text means a code (a plain code, a compact one, any URL) rather than a number."""
    text = text.strip()
    if text.lower().startswith(("http://", "https://")):
        return True
    code = code_in(text)
    return code.upper().startswith(SCHEME + ":") or is_short(code)
