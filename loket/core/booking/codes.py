"""A booking's two codes: the short one a resident types, and the signed one the QR carries."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date

from itsdangerous import Signer

from loket.core.errors import InvalidCode
from loket.core.messages import _
from loket.core.qr import code_in

SCHEME = "LKB1"
#: The compact signed code in the booking QR's status URL (`<public base>/s/B1.<short code>.<mac>`): URL-safe as
#: it stands, short enough for a small QR; a 96-bit MAC of the office and the short code. The older LKB1 payload
#: (`SCHEME`, printed or saved before) still verifies everywhere a booking code is read.
SHORT_SCHEME = "B1"
SHORT_MAC_CHARS = 16
#: No 0/O, 1/I/L: nothing a resident can read two ways off a phone screen.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
LENGTH = 8


def new_short_code() -> str:
    """A random short code (31^8, about 8.5e11: not guessable at the API's rate limits)."""
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normal_short_code(typed: str) -> str | None:
    """A typed code as stored (capitals, no spaces or dashes), or None when it cannot be one."""
    code = re.sub(r"[\s-]", "", typed).upper()
    if len(code) != LENGTH or any(c not in ALPHABET for c in code):
        return None
    return code


@dataclass(frozen=True)
class BookingCode:
    office: str
    day: date
    code: str


_CANONICAL = re.compile(r"LKB1:([^:]+):(\d{8}):([" + ALPHABET + r"]{8})\.[A-Za-z0-9_-]+")
_SHORT = re.compile(rf"B1\.([{ALPHABET}]{{{LENGTH}}})\.[A-Za-z0-9_-]{{{SHORT_MAC_CHARS}}}")


class BookingSigner:
    """Signs and strictly checks booking QR payloads ``LKB1:<office>:<yyyymmdd>:<code>.<signature>``."""

    def __init__(self, secret: str, office: str):
        if not secret:
            raise ValueError("a secret key is required to sign booking codes")
        self.office = office
        self._signer = Signer(secret, salt="loket.booking", sep=".", digest_method=hashlib.sha256)
        self._short = Signer(secret, salt="loket.booking.short", sep=".", digest_method=hashlib.sha256)

    def sign(self, day: date, code: str) -> str:
        return self._signer.sign(f"{SCHEME}:{self.office}:{day:%Y%m%d}:{code}").decode()

    def short(self, code: str) -> str:
        """The compact signed code of a booking ("B1.<short code>.<mac>"), carried by its status URL."""
        mac = self._short.get_signature(f"{SHORT_SCHEME}:{self.office}:{code}").decode()[:SHORT_MAC_CHARS]
        return f"{SHORT_SCHEME}.{code}.{mac}"

    def code_of(self, payload: str) -> str:
        """The short code a signed booking code carries, compact (B1.) or older (LKB1:), checked strictly;
        InvalidCode otherwise. Only the white space a scanner adds around a code is dropped."""
        payload = payload.strip()
        if not payload.startswith(SHORT_SCHEME + "."):
            return self.verify(payload).code
        match = _SHORT.fullmatch(payload) if payload.isascii() else None
        expected = self.short(match.group(1)) if match is not None else ""
        if match is None or not hmac.compare_digest(expected.encode(), payload.encode()):
            raise InvalidCode(_("Kode booking tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))
        return match.group(1)

    def verify(self, payload: str) -> BookingCode:
        """The code's contents, or InvalidCode. Strict as `CodeSigner.verify`: the payload must be exactly
        what this signer makes (constant-time compare), only surrounding white space dropped."""
        payload = payload.strip()
        if not payload.isascii() or not payload.startswith(SCHEME + ":"):
            raise InvalidCode(_("Kode bukan kode booking Loket."))
        parts = payload.split(":", 2)
        if len(parts) == 3 and parts[1] != self.office:
            raise InvalidCode(_("Booking ini dari kantor lain."))
        match = _CANONICAL.fullmatch(payload)
        contents = None
        if match is not None:
            office, day, code = match.groups()
            try:
                contents = BookingCode(office, date(int(day[:4]), int(day[4:6]), int(day[6:])), code)
            except ValueError:
                contents = None
        expected = self.sign(contents.day, contents.code) if contents is not None else ""
        if contents is None or not hmac.compare_digest(expected.encode(), payload.encode()):
            raise InvalidCode(_("Kode booking tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))
        return contents


def looks_like_booking(text: str) -> bool:
    """A signed booking code (LKB1:... or B1....), or the booking QR's status URL carrying one, rather than a
    typed short code or a ticket's code: what a kiosk's scanner reads decides check-in or ticket."""
    code = code_in(text)
    return code.upper().startswith(SCHEME + ":") or code.startswith(SHORT_SCHEME + ".")
