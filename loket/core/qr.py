"""The signed QR payload that travels with a berkas.

Two families of codes (docs/security.md, docs/sites.md "Codes that travel"):

- an office's own codes, HMAC-signed with its SECRET_KEY (LKT1: plain, T1.: compact, in the status URL): a single
  office on the embedded default signs with these, and a site still reads the ones it printed before it became one;
- a site's codes, signed with its Ed25519 key (LKT2: plain, T2.: compact), naming the site and carrying everything
  signed (site, day, ticket id, number), so any site that knows the site's public key (the sites' register) verifies
  them without the ticket's row and none can make them.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from itsdangerous import Signer

from loket.core.messages import _

from .errors import InvalidCode
from .sites.keys import SIGNATURE_CHARS, SiteKeys

SCHEME = "LKT1"
#: The compact ticket code printed inside the status URL (`<public base>/s/T1.<id>.<mac>`): the ticket's id and
#: a 96-bit MAC of the office, day, id and number. Day and number are read from the ticket's row, so the code
#: stays short enough for a small QR on 58 mm paper; without the row's day and number nothing verifies.
SHORT_SCHEME = "T1"
SHORT_MAC_CHARS = 16
#: A site's codes (issue 16): `LKT2:<site>:<yyyymmdd>:<id>:<number>.<signature>` and, in the status URL,
#: `T2.<site>.<yyyymmdd>.<id>.<number>.<signature>`; one Ed25519 signature (86 characters) over the same message
#: serves both. About 125 characters: a version 8 QR (49 modules) with a LAN address in front, 58 mm paper fits 11.
SITE_SCHEME = "LKT2"
SITE_SHORT_SCHEME = "T2"
#: The path of the resident's status page; a scanned URL ending in /s/<code> carries the code.
STATUS_PATH = "/s/"


@dataclass(frozen=True)
class TicketCode:
    office: str
    ticket_id: int
    day: date
    number: str
    #: The site that signed the code (LKT2/T2); '' for an office's own HMAC code.
    site: str = ""


class OtherSiteCode(InvalidCode):
    """A genuine code of another site whose ticket or booking is not in this database (only the hub holds every
    site's rows): what the code itself says, for "Tiket dari <site name>" rather than a refusal without a reason.

    An InvalidCode, so every place that reads codes refuses it plainly (survey, check-in, status page); the
    counter shows its message, and the status page its own page (loket/status)."""

    code = "other_site"

    def __init__(self, message: str, *, kind: str, site: str, site_name: str, day: date, number: str):
        super().__init__(message)
        self.kind, self.site, self.site_name, self.day, self.number = kind, site, site_name, day, number
        self.details: dict[str, Any] = {
            "other_site": {"kind": kind, "site": site, "site_name": site_name, "day": day.isoformat(), "number": number}
        }


def unknown_site(site: str) -> InvalidCode:
    """A code naming a site whose public key this server has not (yet): it cannot be checked here."""
    return InvalidCode(
        _(
            "Kode dari situs %(site)s belum dapat diperiksa di sini: kunci situs itu belum diterima dari hub.",
            site=site,
        ),
        code="unknown_site",
    )


def _site_message(site: str, day: date, ticket_id: int, number: str) -> bytes:
    """What a site signs for a ticket: one message behind both of its codes (LKT2 and T2)."""
    return f"{SITE_SCHEME}\0{site}\0{day:%Y%m%d}\0{ticket_id}\0{number}".encode()


class CodeSigner:
    """Signs and checks ticket codes; the secret and office id come from config."""

    def __init__(self, secret: str, office: str, keys: SiteKeys | None = None):
        if not secret:
            raise ValueError("a secret key is required to sign ticket codes")
        self.office = office
        self._secret = secret
        self._signer = Signer(secret, salt="loket.ticket", sep=".", digest_method=hashlib.sha256)
        self._short = Signer(secret, salt="loket.ticket.short", sep=".", digest_method=hashlib.sha256)
        #: This server's site key and the other sites' public keys (None: a single office, HMAC codes only).
        self.keys = keys
        #: The site this server signs as ('' : it signs HMAC codes, LKT1/T1).
        self.site = keys.site if keys is not None and keys.can_sign else ""
        # Ed25519 signing costs ~80 us and is deterministic: a ticket's signature is made once (a work list's
        # views each carry their codes).
        self._site_signature = lru_cache(maxsize=4096)(self._sign_site)

    def _sign_site(self, ticket_id: int, day: date, number: str) -> str:
        assert self.keys is not None
        return self.keys.sign(_site_message(self.site, day, ticket_id, number))

    def sign(self, ticket_id: int, day: date, number: str) -> str:
        """The ticket's plain code: LKT2 at a site, else LKT1."""
        if self.site:
            signature = self._site_signature(ticket_id, day, number)
            return f"{SITE_SCHEME}:{self.site}:{day:%Y%m%d}:{ticket_id}:{number}.{signature}"
        return self._sign_hmac(ticket_id, day, number)

    def _sign_hmac(self, ticket_id: int, day: date, number: str) -> str:
        body = f"{SCHEME}:{self.office}:{day:%Y%m%d}:{ticket_id}:{number}"
        return self._signer.sign(body).decode()

    def secrets(self) -> tuple[str, str]:
        """(secret, office) for another kind of code signed with its own salt (core/booking/codes.py)."""
        return self._secret, self.office

    def short(self, ticket_id: int, day: date, number: str) -> str:
        """The compact code of a ticket, printed in its status URL: "T2.<site>.<day>.<id>.<number>.<signature>" at
        a site, else "T1.<id>.<mac>"."""
        if self.site:
            signature = self._site_signature(ticket_id, day, number)
            return f"{SITE_SHORT_SCHEME}.{self.site}.{day:%Y%m%d}.{ticket_id}.{number}.{signature}"
        return self._short_hmac(ticket_id, day, number)

    def local_short(self, ticket_id: int, day: date, number: str) -> str:
        """The compact code for a link sent to the resident (WhatsApp, SMS, e-mail): always this server's HMAC code
        (T1, ~49 characters with the address, one SMS) rather than a site's (T2, ~140: two SMS). The link opens this
        server's own status page, where it verifies; nothing else scans a message's link."""
        return self._short_hmac(ticket_id, day, number)

    def _short_hmac(self, ticket_id: int, day: date, number: str) -> str:
        body = f"{SHORT_SCHEME}:{self.office}:{day:%Y%m%d}:{ticket_id}:{number}"
        mac = self._short.get_signature(body).decode()[:SHORT_MAC_CHARS]
        return f"{SHORT_SCHEME}.{ticket_id}.{mac}"

    def verify_short(self, payload: str, lookup: Callable[[int], tuple[date, str] | None]) -> TicketCode:
        """Check a compact code against the ticket it names; `lookup(id)` gives that ticket's (day, number).

        As strict as `verify`: the payload must be exactly the code `short` makes for the ticket's row,
        compared in constant time. An unknown id and a wrong MAC get the same refusal (nothing tells
        which ids exist). A site's compact code (T2) carries what is signed and needs no lookup."""
        payload = payload.strip()
        if payload.startswith(SITE_SHORT_SCHEME + "."):
            return self.verify_site(payload)
        match = _SHORT.fullmatch(payload) if payload.isascii() else None
        if match is None:
            raise InvalidCode(_("Kode tiket tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))
        ticket_id = int(match.group(1))
        known = lookup(ticket_id)
        expected = self._short_hmac(ticket_id, *(known or (date(2000, 1, 1), "-")))
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
        is dropped. A site's code, plain (LKT2) or compact (T2), is checked by `verify_site`."""
        payload = payload.strip()
        if payload.isascii() and payload.startswith((SITE_SCHEME + ":", SITE_SHORT_SCHEME + ".")):
            return self.verify_site(payload)
        if not payload.isascii() or not payload.startswith(SCHEME + ":"):
            raise InvalidCode(_("Kode bukan tiket Loket."))
        parts = payload.split(":", 2)
        if len(parts) == 3 and parts[1] != self.office:
            raise InvalidCode(_("Tiket ini dari kantor lain."))
        code = _contents(payload)
        expected = self._sign_hmac(code.ticket_id, code.day, code.number) if code is not None else ""
        if code is None or not hmac.compare_digest(expected.encode(), payload.encode()):
            raise InvalidCode(_("Kode tiket tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))
        return code

    def verify_site(self, payload: str) -> TicketCode:
        """A site's code (LKT2 plain or T2 compact), of this site or any other whose public key is known here;
        InvalidCode otherwise. As strict as `verify`: the payload must be exactly the code of what it claims (one
        spelling of each field, the signature's canonical base64url), and the signature the claimed site's."""
        payload = payload.strip()
        match = (_SITE_PLAIN.fullmatch(payload) or _SITE_SHORT.fullmatch(payload)) if payload.isascii() else None
        claimed = _site_contents(match)
        if claimed is None:
            raise InvalidCode(_("Kode tiket tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))
        if self.keys is None:  # a single office: no register of sites' keys
            raise InvalidCode(_("Tiket ini dari kantor lain."))
        if self.keys.known_site(claimed.site) is None:
            raise unknown_site(claimed.site)
        assert match is not None
        message = _site_message(claimed.site, claimed.day, claimed.ticket_id, claimed.number)
        if not self.keys.verify(claimed.site, message, match.group("sig")):
            raise InvalidCode(_("Kode tiket tidak sah: tanda tangan tidak cocok (palsu atau salah ketik)."))
        return claimed

    def site_name(self, site: str) -> str:
        """A site's name from the register, for "Tiket dari <name>" (its code when the register has no name)."""
        known = self.keys.known_site(site) if self.keys is not None else None
        return known.name if known is not None else site


#: A site's code's fields, in this order, `sep` between them: site, day, ticket id, number.
_FIELDS = (
    r"(?P<site>[A-Za-z0-9_-]{1,20})%(sep)s(?P<day>\d{8})%(sep)s(?P<id>[1-9]\d{0,18})%(sep)s"
    r"(?P<number>[A-Z0-9]{1,2}-\d{1,9})"
)
_SIGNATURE = rf"\.(?P<sig>[A-Za-z0-9_-]{{{SIGNATURE_CHARS}}})"
_SITE_PLAIN = re.compile(SITE_SCHEME + ":" + _FIELDS % {"sep": ":"} + _SIGNATURE)
_SITE_SHORT = re.compile(SITE_SHORT_SCHEME + r"\." + _FIELDS % {"sep": r"\."} + _SIGNATURE)


def _site_contents(match: re.Match[str] | None) -> TicketCode | None:
    """What a site's code claims (unchecked), or None when it is not in its one canonical form."""
    if match is None:
        return None
    day_text = match.group("day")
    try:
        day = date(int(day_text[:4]), int(day_text[4:6]), int(day_text[6:]))
    except ValueError:
        return None
    if f"{day:%Y%m%d}" != day_text:
        return None
    site = match.group("site")
    return TicketCode(site, int(match.group("id")), day, match.group("number"), site)


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
    """A compact code (T1. or T2.), as a status URL carries it."""
    return code.startswith((SHORT_SCHEME + ".", SITE_SHORT_SCHEME + "."))


def looks_like_code(text: str) -> bool:
    """Whether a scan or a typed text means a code (a plain code, a compact one, any URL) rather than a number."""
    text = text.strip()
    if text.lower().startswith(("http://", "https://")):
        return True
    code = code_in(text)
    return code.upper().startswith((SCHEME + ":", SITE_SCHEME + ":")) or is_short(code)
