"""Who may take tickets at kiosk speed, how fast anything else may, and the staff alerts when a kiosk is abused.

- A kiosk the admin paired (admin > devices > "Pasangkan") sends its pairing code in the header
  X-Loket-Kiosk-Token with every ticket request; only the code's hash is stored.
- Anything else is held to LOKET_UNPAIRED_TICKET_RATE per address (a rate a resident with a phone
  can reach), or refused when it is "" or "0".
- Refused or limited tries from one address (LOKET_KIOSK_REFUSED_ALERT) and a paired kiosk issuing
  faster than residents can tap (LOKET_KIOSK_BURST_ALERT) raise a staff alert (kiosk.alert), at most
  one per address or kiosk and reason every ten minutes.
- The staff PIN: LOKET_KIOSK_PIN_LOCKOUT wrong PINs per paired kiosk (else per address) lock the panel
  there for the rest of that window, with a staff alert.

The counts live in Flask-Limiter's storage (LOKET_RATELIMIT_STORAGE_URI: redis:// for several processes).
"""

from __future__ import annotations

import hmac
import re
from functools import lru_cache

from flask import current_app, g, request
from flask_limiter import RequestLimit
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse

from loket.core import admin as ops
from loket.core.errors import LoketError, NotAllowed
from loket.core.messages import _
from loket.core.tickets import prints
from loket.extensions import limiter
from loket.http import BadRequest, body
from loket.realtime import publish
from loket.services import loket

TOKEN_HEADER = "X-Loket-Kiosk-Token"
KEY_HEADER = "Idempotency-Key"
ALERT_EVERY = "1 per 10 minutes"
NO_LIMIT = "1000000 per second"
_KEY = re.compile(r"^[A-Za-z0-9._:-]{8,80}$")


class PinLocked(LoketError):
    status = 429
    code = "pin_locked"


def _limit(name: str) -> RateLimitItem | None:
    value = str(current_app.config.get(name) or "").strip()
    return _parsed(value) if value and value != "0" else None


@lru_cache(maxsize=64)
def _parsed(value: str) -> RateLimitItem:
    """A limit's text parsed once (each ticket counts against LOKET_KIOSK_BURST_ALERT)."""
    return parse(value)


def _hit(name: str, *identifiers: str) -> bool:
    """Count one against the configured limit `name`; False once it is exceeded (always True when unset)."""
    item = _limit(name)
    return True if item is None else limiter.limiter.hit(item, name, *identifiers)


def paired_device() -> ops.PairedKiosk | None:
    """The paired kiosk sending this request, with its printer, or None (asked once per request)."""
    if "loket_kiosk" not in g:
        g.loket_kiosk = ops.paired_device(loket(), request.headers.get(TOKEN_HEADER))
    return g.loket_kiosk


def paired() -> str | None:
    """The paired kiosk sending this request (its name), or None."""
    device = paired_device()
    return device.name if device else None


def is_paired() -> bool:
    return paired() is not None


def address() -> str:
    return get_remote_address() or "?"


def issuer() -> str:
    """Whose tap this is, for the idempotency key: the paired kiosk, else the address."""
    device = paired()
    return f"kiosk:{device}" if device else f"addr:{address()}"


def idempotency_key() -> str | None:
    """The kiosk's key for this tap (header Idempotency-Key), checked; None when not sent."""
    key = request.headers.get(KEY_HEADER)
    if key is None:
        return None
    if not _KEY.match(key):
        raise BadRequest(_("Kunci permintaan (Idempotency-Key) tidak sah."), code="bad_idempotency_key")
    return key


def unpaired_rate() -> str:
    """The Flask-Limiter limit for tickets from unpaired devices (refused outright when "" or "0")."""
    value = str(current_app.config.get("UNPAIRED_TICKET_RATE") or "").strip()
    return NO_LIMIT if value in ("", "0") else value  # "" and "0": refused by refuse_unpaired() instead


def refuse_unpaired() -> None:
    """Refuse an unpaired device when the office allows only paired kiosks."""
    if _limit("UNPAIRED_TICKET_RATE") is None:
        refused()
        raise NotAllowed(
            _("Kiosk ini belum dipasangkan. Silakan ambil nomor antrean di kiosk lain atau ke meja informasi."),
            code="kiosk_not_paired",
        )


def refused() -> None:
    """Count a refused or limited ticket try from this address; a burst of them alerts staff."""
    if not _hit("KIOSK_REFUSED_ALERT", address()):
        alert("unpaired_burst", address(), address=address())


def unpaired_breach(limit: RequestLimit) -> None:
    """Flask-Limiter's on_breach for the unpaired limit: counted as a refused try (the 429 follows)."""
    refused()


def issued(device: str | None) -> None:
    """After a new ticket: a paired kiosk issuing faster than residents can tap alerts staff."""
    if device is not None and not _hit("KIOSK_BURST_ALERT", device):
        alert("kiosk_burst", device, kiosk=device)


def alert(reason: str, key: str, **payload: str) -> None:
    """Raise a staff alert, at most one per reason and key every ten minutes."""
    if limiter.limiter.hit(_parsed(ALERT_EVERY), "kiosk-alert", reason, key):
        publish(prints.record_alert(loket(), reason, payload))


# ---- the staff PIN -------------------------------------------------------------------


def check_kiosk_pin() -> None:
    """The kiosk's staff PIN, with a lockout after LOKET_KIOSK_PIN_LOCKOUT wrong tries per kiosk and address."""
    expected = current_app.config.get("KIOSK_PIN") or ""
    if not expected:
        raise NotAllowed(_("Pengaturan kiosk dinonaktifkan (LOKET_KIOSK_PIN belum diatur)."))
    data = body()
    # Counted per paired kiosk, else per address: never per the name a request claims (it could change each try).
    device = paired()
    kiosk = device or str(data.get("kiosk") or "")[:60]
    who = f"kiosk:{device}" if device else f"addr:{address()}"
    lockout = _limit("KIOSK_PIN_LOCKOUT")
    strategy = limiter.limiter
    if lockout is not None and not strategy.test(lockout, "KIOSK_PIN_LOCKOUT", who):
        raise PinLocked(_("Terlalu banyak PIN salah. Panel petugas dikunci sementara."))
    pin = data.get("pin", "")
    # bytes: compare_digest refuses non-ASCII str (a TypeError, a server error); a non-string is no PIN
    given = pin.encode("utf-8", "replace") if isinstance(pin, str) else b""
    if hmac.compare_digest(given, expected.encode("utf-8")):
        return
    if not _hit("KIOSK_PIN_LOCKOUT", who) or (
        lockout is not None and not strategy.test(lockout, "KIOSK_PIN_LOCKOUT", who)
    ):
        alert("pin_lockout", who, kiosk=kiosk, address=address())
        raise PinLocked(_("Terlalu banyak PIN salah. Panel petugas dikunci sementara."))
    raise NotAllowed(_("PIN salah."))


def help_alert(kiosk: str) -> bool:
    """A resident at `kiosk` asks for help: a staff alert, at most one per kiosk every LOKET_KIOSK_HELP_EVERY."""
    every = str(current_app.config.get("KIOSK_HELP_EVERY") or "").strip()
    if every and every != "0" and not limiter.limiter.hit(parse(every), "kiosk-help", kiosk):
        return False
    publish(prints.record_alert(loket(), "help", {"kiosk": kiosk}))
    return True
