"""A booking's two codes: the short one a resident types, and the signed one the QR carries."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from itsdangerous import Signer

from loket.core.errors import InvalidCode
from loket.core.messages import _
from loket.core.qr import code_in, unknown_site
from loket.core.sites.keys import SIGNATURE_CHARS, SiteKeys

SCHEME = "LKB1"
#: The compact signed code in the booking QR's status URL (`<public base>/s/B1.<short code>.<mac>`): URL-safe as
#: it stands, short enough for a small QR; a 96-bit MAC of the office and the short code. The older LKB1 payload
#: (`SCHEME`, printed or saved before) still verifies everywhere a booking code is read.
SHORT_SCHEME = "B1"
SHORT_MAC_CHARS = 16
#: A site's booking codes (issue 16; docs/sites.md): `LKB2:<site>:<yyyymmdd>:<short code>.<signature>` and, in
#: the status URL, `B2.<site>.<yyyymmdd>.<short code>.<signature>`: one Ed25519 signature of the site over the
#: same message serves both, and any site knowing the site's public key verifies them without the booking's row.
SITE_SCHEME = "LKB2"
SITE_SHORT_SCHEME = "B2"
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
    #: None only for an office's compact code (B1.), which does not carry the day.
    day: date | None
    code: str
    #: The site that signed the code (LKB2/B2); '' for an office's own HMAC code.
    site: str = ""


_CANONICAL = re.compile(r"LKB1:([^:]+):(\d{8}):([" + ALPHABET + r"]{8})\.[A-Za-z0-9_-]+")
_SHORT = re.compile(rf"B1\.([{ALPHABET}]{{{LENGTH}}})\.[A-Za-z0-9_-]{{{SHORT_MAC_CHARS}}}")
_SITE_FIELDS = r"(?P<site>[A-Za-z0-9_-]{1,20})%(sep)s(?P<day>\d{8})%(sep)s(?P<code>[" + ALPHABET + r"]{8})"
_SIGNATURE = rf"\.(?P<sig>[A-Za-z0-9_-]{{{SIGNATURE_CHARS}}})"
_SITE_PLAIN = re.compile(SITE_SCHEME + ":" + _SITE_FIELDS % {"sep": ":"} + _SIGNATURE)
_SITE_SHORT = re.compile(SITE_SHORT_SCHEME + r"\." + _SITE_FIELDS % {"sep": r"\."} + _SIGNATURE)


def _site_message(site: str, day: date, code: str) -> bytes:
    """What a site signs for a booking: one message behind both of its codes (LKB2 and B2)."""
    return f"{SITE_SCHEME}\0{site}\0{day:%Y%m%d}\0{code}".encode()


class BookingSigner:
    """Signs and strictly checks booking QR payloads: an office's ``LKB1:<office>:<yyyymmdd>:<code>.<signature>``
    (HMAC) and compact B1., a site's LKB2: and B2. (Ed25519, when `keys` holds this server's site key)."""

    def __init__(self, secret: str, office: str, keys: SiteKeys | None = None):
        if not secret:
            raise ValueError("a secret key is required to sign booking codes")
        self.office = office
        self._signer = Signer(secret, salt="loket.booking", sep=".", digest_method=hashlib.sha256)
        self._short = Signer(secret, salt="loket.booking.short", sep=".", digest_method=hashlib.sha256)
        self.keys = keys
        #: The site this server signs as ('': HMAC codes, LKB1/B1).
        self.site = keys.site if keys is not None and keys.can_sign else ""
        self._site_signature = lru_cache(maxsize=1024)(self._sign_site)

    def _sign_site(self, day: date, code: str) -> str:
        assert self.keys is not None
        return self.keys.sign(_site_message(self.site, day, code))

    def sign(self, day: date, code: str) -> str:
        """The booking's plain code: LKB2 at a site, else LKB1."""
        if self.site:
            return f"{SITE_SCHEME}:{self.site}:{day:%Y%m%d}:{code}.{self._site_signature(day, code)}"
        return self._sign_hmac(day, code)

    def _sign_hmac(self, day: date, code: str) -> str:
        return self._signer.sign(f"{SCHEME}:{self.office}:{day:%Y%m%d}:{code}").decode()

    def short(self, code: str, day: date | None = None) -> str:
        """The compact signed code of a booking, carried by its status URL: "B2.<site>.<day>.<short code>.<sig>" at
        a site (`day` required), else "B1.<short code>.<mac>"."""
        if self.site:
            if day is None:
                raise ValueError("a site's booking code carries the booking's day")
            return f"{SITE_SHORT_SCHEME}.{self.site}.{day:%Y%m%d}.{code}.{self._site_signature(day, code)}"
        return self._short_hmac(code)

    def local_short(self, code: str) -> str:
        """The compact code for a link sent to the resident: this server's HMAC code (B1) at a site too, short
        enough for one SMS; the link opens this server's own page (see `CodeSigner.local_short`)."""
        return self._short_hmac(code)

    def _short_hmac(self, code: str) -> str:
        mac = self._short.get_signature(f"{SHORT_SCHEME}:{self.office}:{code}").decode()[:SHORT_MAC_CHARS]
        return f"{SHORT_SCHEME}.{code}.{mac}"

    def code_of(self, payload: str) -> str:
        """The short code a signed booking code carries, compact (B1.) or older (LKB1:), checked strictly;
        InvalidCode otherwise. Only the white space a scanner adds around a code is dropped."""
        return self.claim(payload).code

    def claim(self, payload: str) -> BookingCode:
        """What a signed booking code says (a site's LKB2:/B2., an office's LKB1:/B1.), checked strictly; InvalidCode
        otherwise. `site` tells whose booking it is ('': this office's HMAC code)."""
        payload = payload.strip()
        if payload.startswith((SITE_SCHEME + ":", SITE_SHORT_SCHEME + ".")):
            return self.verify_site(payload)
        if not payload.startswith(SHORT_SCHEME + "."):
            return self.verify(payload)
        match = _SHORT.fullmatch(payload) if payload.isascii() else None
        expected = self._short_hmac(match.group(1)) if match is not None else ""
        if match is None or not hmac.compare_digest(expected.encode(), payload.encode()):
            raise InvalidCode(_("Kode booking tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))
        return BookingCode(self.office, None, match.group(1))

    def verify_site(self, payload: str) -> BookingCode:
        """A site's booking code (LKB2:, B2.) of this site or any other whose public key is known here; InvalidCode
        otherwise. Strict as `verify`: exactly the code of what it claims, signed by the site it names."""
        payload = payload.strip()
        match = (_SITE_PLAIN.fullmatch(payload) or _SITE_SHORT.fullmatch(payload)) if payload.isascii() else None
        day = None
        if match is not None:
            text = match.group("day")
            try:
                day = date(int(text[:4]), int(text[4:6]), int(text[6:]))
            except ValueError:
                day = None
            if day is not None and f"{day:%Y%m%d}" != text:
                day = None
        if match is None or day is None:
            raise InvalidCode(_("Kode booking tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))
        site, code = match.group("site"), match.group("code")
        if self.keys is None:
            raise InvalidCode(_("Booking ini dari kantor lain."))
        if self.keys.known_site(site) is None:
            raise unknown_site(site)
        if not self.keys.verify(site, _site_message(site, day, code), match.group("sig")):
            raise InvalidCode(_("Kode booking tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))
        return BookingCode(site, day, code, site)

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
        expected = ""
        if match is not None:
            office, day, code = match.groups()
            try:
                when = date(int(day[:4]), int(day[4:6]), int(day[6:]))
            except ValueError:
                pass
            else:
                contents = BookingCode(office, when, code)
                expected = self._sign_hmac(when, code)
        if contents is None or not hmac.compare_digest(expected.encode(), payload.encode()):  # LKB1
            raise InvalidCode(_("Kode booking tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))
        return contents


def looks_like_booking(text: str) -> bool:
    """A signed booking code (LKB1:/LKB2:... or B1./B2....), or the booking QR's status URL carrying one, rather than a
    typed short code or a ticket's code: what a kiosk's scanner reads decides check-in or ticket."""
    code = code_in(text)
    return code.upper().startswith((SCHEME + ":", SITE_SCHEME + ":")) or code.startswith(
        (SHORT_SCHEME + ".", SITE_SHORT_SCHEME + ".")
    )
