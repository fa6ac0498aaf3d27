"""Each site's own Ed25519 key pair for the codes it prints (issue 16; docs/sites.md, "Codes that travel").

A site (LOKET_SITE set) signs its tickets', slips' and bookings' codes with a private key generated once and kept in
its instance folder (`site_key`, PKCS#8 PEM, readable by its owner only). Its public key (32 bytes, base64url) is
registered at the hub in `sites.public_key` and reaches every site with the sites' register, so any site verifies
any other site's codes, even while cut off, and none can make another's.

No Flask here: the app (loket/services.py) reads the key at start-up, `flask site key ...` (loket/cli.py) shows and
sets it through these functions.
"""

from __future__ import annotations

import base64
import binascii
import logging
import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from loket.core.messages import _
from loket.core.store import Site, Store, owner_only

log = logging.getLogger(__name__)

#: The private key's file in the instance folder.
KEY_FILE = "site_key"
#: A site's code as it appears inside a code (a status URL's path): letters, digits, '-' and '_', at most 20.
SITE_CODE = re.compile(r"[A-Za-z0-9_-]{1,20}")
#: An Ed25519 signature in base64url without padding: 64 bytes, 86 characters.
SIGNATURE_CHARS = 86
#: A public key in base64url without padding: 32 bytes, 43 characters.
PUBLIC_KEY_CHARS = 43


class BadKey(ValueError):
    """A public key's text that is not 32 bytes of base64url, or a site code that cannot appear in a code."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str, size: int) -> bytes | None:
    """Exactly `size` bytes from their canonical base64url (no padding); None for anything else (strict: a text
    that decodes but is not what encoding the bytes gives, e.g. a last character's unused bits set, is refused)."""
    if not text.isascii() or len(text) != -(-size * 4 // 3):
        return None
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        return None
    return data if len(data) == size and _b64(data) == text else None


def create_private_file(path: Path, data: bytes) -> bool:
    """Write `data` to `path` once, readable by its owner only (0600) from its first byte; False when the file was
    already there (then it is left as it is, only narrowed to 0600).

    Written whole to a private file of this process, then linked into place: another process starting at the same
    moment reads either no file or the whole one, never half (as the SECRET_KEY, loket/config.py)."""
    if path.exists():
        owner_only(path)
        return False
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")  # this process's, this call's
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    try:
        os.link(draft, path)
    except FileExistsError:
        return False  # the other process's file won: use it
    finally:
        draft.unlink()
    return True


def private_key(folder: str | os.PathLike[str]) -> Ed25519PrivateKey:
    """This site's signing key: read from `folder`/site_key, generated there once if it is not there yet."""
    folder = Path(folder)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = folder / KEY_FILE
    if not path.exists():
        fresh = Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        if create_private_file(path, fresh):
            log.info("generated this site's code-signing key in %s", path)
    else:
        owner_only(path)
    key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ValueError(f"{path} is not an Ed25519 private key")
    return key


def public_text(key: Ed25519PrivateKey | Ed25519PublicKey) -> str:
    """A public key as `sites.public_key` keeps it: its 32 raw bytes in base64url, no padding (43 characters)."""
    public = key.public_key() if isinstance(key, Ed25519PrivateKey) else key
    return _b64(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def parse_public(text: str) -> Ed25519PublicKey:
    """A public key from its text (`public_text`'s form; surrounding white space and '=' padding allowed)."""
    raw = _unb64(text.strip().rstrip("="), 32)
    if raw is None:
        raise BadKey(_("kunci publik sebuah situs: 32 bita dalam base64url (43 karakter)"))
    return Ed25519PublicKey.from_public_bytes(raw)


def check_site_code(code: str) -> str:
    if SITE_CODE.fullmatch(code) is None:
        raise BadKey(_("kode situs: 1-20 huruf, angka, '-' atau '_'"))
    return code


@dataclass(frozen=True)
class KnownSite:
    """A site whose codes this server can verify: its code, its name (for "Tiket dari <name>") and public key."""

    code: str
    name: str
    key: Ed25519PublicKey


def known_sites(store: Store) -> dict[str, KnownSite]:
    """Every site in the register with a usable public key (a malformed one is logged and left out: its codes
    are refused as an unknown site's). Empty before the register's table exists."""
    try:
        with store.read() as s:
            rows = s.execute(select(Site.code, Site.name, Site.public_key).where(Site.public_key.is_not(None))).all()
    except SQLAlchemyError:
        return {}
    found = {}
    for code, name, text in rows:
        try:
            found[code] = KnownSite(code, name, parse_public(text))
        except BadKey:
            log.warning(
                "site %s: its public key in the register is not a valid Ed25519 key; its codes are refused", code
            )
    return found


def site_name(store: Store, code: str) -> str | None:
    try:
        with store.read() as s:
            return s.scalar(select(Site.name).where(Site.code == code))
    except SQLAlchemyError:
        return None


def set_public_key(
    store: Store,
    code: str,
    text: str | None,
    *,
    create: tuple[int, str] | None = None,
    now: datetime | None = None,
) -> bool:
    """Record `code`'s public key in the register (None: remove it, so its codes are refused from then on). The
    site's row must exist, unless `create` gives its (number, name) to add it; True when a row was added.

    At the hub, whose register every site receives, this is how a site's key reaches the others. At a site, an
    existing row may be updated by hand while cut off (the hub's copy replaces it when the link is back); a site
    never adds a register row: the hub's row would then clash with it (docs/sites.md)."""
    check_site_code(code)
    value = public_text(parse_public(text)) if text is not None else None
    with store.transaction() as s:
        row = s.get(Site, code)
        if row is None:
            if create is None:
                raise LookupError(code)
            number, name = create
            s.add(
                Site(
                    code=code,
                    number=number,
                    name=name,
                    kind="kecamatan",
                    public_key=value,
                    active=True,
                    created_at=now or datetime.now(UTC),
                )
            )
            return True
        row.public_key = value
        return False


class SiteKeys:
    """This server's signing key (a site's; None: it signs nothing with Ed25519) and the public keys it verifies.

    `known` gives the register's sites with a key; the domain's context (loket/core/context.py) points it at the
    register read again every few seconds, so a key the hub sets (or replication brings) applies without restart.
    This site's own codes verify with its own key whatever the register says."""

    def __init__(
        self,
        site: str,
        private: Ed25519PrivateKey | None,
        known: Callable[[], Mapping[str, KnownSite]] | None = None,
    ):
        self.site = check_site_code(site) if private is not None else site
        self._private = private
        self._own = private.public_key() if private is not None else None
        self.known: Callable[[], Mapping[str, KnownSite]] = known or dict

    @property
    def can_sign(self) -> bool:
        return self._private is not None

    @property
    def public_key(self) -> str | None:
        return public_text(self._own) if self._own is not None else None

    def sign(self, message: bytes) -> str:
        if self._private is None:
            raise ValueError("this server has no site key: it signs no site codes")
        return _b64(self._private.sign(message))

    def known_site(self, code: str) -> KnownSite | None:
        """The site `code` with the key that verifies its codes, or None when no key for it is known here."""
        known = self.known().get(code)
        if code == self.site and self._own is not None:
            return KnownSite(code, known.name if known else code, self._own)
        return known

    def verify(self, site: str, message: bytes, signature: str) -> bool:
        """Whether `signature` (base64url, canonical) is `site`'s over `message`. False for an unknown site too:
        see `known_site` to tell the two apart."""
        known = self.known_site(site)
        raw = _unb64(signature, 64)
        if known is None or raw is None:
            return False
        try:
            known.key.verify(raw, message)
        except InvalidSignature:
            return False
        return True
