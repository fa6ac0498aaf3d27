"""Siap digunakan? What an office must do before going live, each item's state read from the real data.

`checklist(loket, setup)` answers one `Check` per item, in the order an office works through them.
Nothing here is hard-coded as done: the office hours and the SOPs come from the database, the demo
passwords are verified against the stored hashes (the password itself is never logged or returned),
a printer counts as tested once a kiosk's test print was recorded (`record_test_print`), and the rest
comes from the environment the web side reads (`Setup`): the kiosk PIN, the secret key, the public
address and the backup folder.

Backups: Loket does not run them itself (README, "Backups": a cron job with `sqlite3 .backup` or
`pg_dump`). The check is the documented convention: `LOKET_BACKUP_DIR` names the folder those backups
land in, and its newest file must be at most `BACKUP_MAX_AGE` old.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select

from .context import Context
from .demo import _opens_with_demo_password
from .events import Event
from .messages import Message, _
from .store import EventRecord, User


class State(StrEnum):
    DONE = "done"
    TODO = "todo"
    WARNING = "warning"


#: The audit log's record of a kiosk's test print (the kiosk's settings panel, "Tes printer").
PRINTER_TESTED = "printer.tested"

#: A backup older than this is not a working backup any more.
BACKUP_MAX_AGE = timedelta(days=2)

#: PINs anyone would try first.
WEAK_PINS = frozenset({"0000", "1111", "1234", "12345", "123456", "4321", "000000", "111111", "654321"})

#: Values a secret key must never have (copied from examples, or too short to sign anything).
WEAK_SECRETS = frozenset({"dev", "secret", "changeme", "change-me", "loket", "loket123", "development"})
MIN_SECRET_LENGTH = 32


@dataclass(frozen=True)
class Setup:
    """What the environment says (read by the web side from its configuration)."""

    kiosk_pin: str = ""
    secret_key: str = ""
    #: True when SECRET_KEY came from the environment, False when generated into instance/secret_key.
    secret_from_environment: bool = False
    public_url: str = ""
    backup_dir: str = ""


@dataclass(frozen=True)
class Check:
    key: str
    state: State
    title: Message
    detail: Message
    #: Where to fix it: a page of Loket ("/admin/") or None when it is the server's configuration.
    link: str | None = None
    #: The environment variable to set, when the fix is in the server's configuration.
    setting: str | None = None
    facts: dict[str, Any] = field(default_factory=dict)


def checklist(loket: Context, setup: Setup) -> list[Check]:
    return [
        hours_check(loket),
        kiosk_pin_check(setup),
        demo_password_check(loket),
        draft_sop_check(loket),
        printer_check(loket),
        backup_check(loket, setup),
        secret_key_check(setup),
        public_url_check(setup),
    ]


def summary(checks: list[Check]) -> dict[str, int]:
    return {state.value: sum(1 for c in checks if c.state is state) for state in State}


def hours_check(loket: Context) -> Check:
    hours = loket.effective_settings.hours
    title = _("Jam layanan diatur")
    if hours is None:
        return Check(
            "hours",
            State.TODO,
            title,
            _("Jam layanan belum diatur: kiosk mengeluarkan nomor antrean kapan saja."),
            link="/admin/",
        )
    open_days = [day for day, h in hours.items() if h is not None]
    if not open_days:
        return Check(
            "hours", State.WARNING, title, _("Semua hari tertutup: kiosk tidak mengeluarkan nomor."), link="/admin/"
        )
    return Check(
        "hours",
        State.DONE,
        title,
        _("Jam layanan diatur untuk %(days)s hari.", days=len(open_days)),
        link="/admin/",
        facts={"days": open_days},
    )


def kiosk_pin_check(setup: Setup) -> Check:
    pin = setup.kiosk_pin.strip()
    title = _("PIN kiosk diatur")
    if not pin:
        return Check(
            "kiosk_pin",
            State.TODO,
            title,
            _("LOKET_KIOSK_PIN kosong: panel petugas kiosk (printer, tes cetak) tidak bisa dibuka."),
            setting="LOKET_KIOSK_PIN",
        )
    if pin in WEAK_PINS or len(set(pin)) == 1 or len(pin) < 4:
        return Check(
            "kiosk_pin",
            State.WARNING,
            title,
            _("PIN kiosk mudah ditebak: pilih minimal 4 angka yang tidak berurutan."),
            setting="LOKET_KIOSK_PIN",
        )
    return Check("kiosk_pin", State.DONE, title, _("PIN kiosk sudah diatur."), setting="LOKET_KIOSK_PIN")


def demo_password_users(loket: Context) -> list[str]:
    """Every active account (not only the demo ones: an officer made with the demo password counts too) that
    opens with the demo password, verified against its hash (cached per hash); the password is never logged."""
    with loket.store.read() as s:
        rows = s.execute(select(User.username, User.password_hash).where(User.active.is_(True))).all()
    return sorted(username for username, password_hash in rows if _opens_with_demo_password(password_hash))


def demo_password_check(loket: Context) -> Check:
    accounts = demo_password_users(loket)
    title = _("Kata sandi demo diganti")
    if accounts:
        return Check(
            "demo_passwords",
            State.TODO,
            title,
            _(
                "%(count)s akun masih memakai kata sandi demo: %(accounts)s.",
                count=len(accounts),
                accounts=", ".join(accounts),
            ),
            link="/admin/users",
            facts={"accounts": accounts},
        )
    return Check(
        "demo_passwords", State.DONE, title, _("Tidak ada akun aktif dengan kata sandi demo."), link="/admin/users"
    )


def draft_sop_check(loket: Context) -> Check:
    drafts = [sop for sop in loket.catalog if sop.draft]
    title = _("SOP draf dikonfirmasi")
    if drafts:
        return Check(
            "draft_sops",
            State.TODO,
            title,
            _(
                "%(count)s layanan masih berupa draf: periksa langkah, petugas dan target, lalu konfirmasi.",
                count=len(drafts),
            ),
            link="/admin/sops",
            facts={"codes": [sop.code for sop in drafts]},
        )
    return Check("draft_sops", State.DONE, title, _("Semua SOP sudah dikonfirmasi."), link="/admin/sops")


def record_test_print(
    loket: Context, ok: bool, printer: str, kiosk: str | None, reason: str | None = None
) -> list[Event]:
    """Note a kiosk's test print (and whether paper came out) for the checklist."""
    payload = {"ok": ok, "printer": printer, "kiosk": kiosk, "reason": reason}
    with loket.store.transaction() as s:
        s.add(EventRecord(at=loket.clock.now(), kind=PRINTER_TESTED, payload=payload))
    return [Event(PRINTER_TESTED, payload)]


def printer_check(loket: Context) -> Check:
    title = _("Printer dites")
    with loket.store.read() as s:
        tested = s.execute(
            select(EventRecord.at, EventRecord.payload)
            .where(EventRecord.kind == PRINTER_TESTED)
            .order_by(EventRecord.at.desc(), EventRecord.id.desc())
            .limit(1)
        ).first()
        failed = s.scalar(
            select(EventRecord.at)
            .where(EventRecord.kind == "printer.failed")
            .order_by(EventRecord.at.desc(), EventRecord.id.desc())
            .limit(1)
        )
    link = "/admin/devices"
    if tested is None:
        return Check(
            "printer",
            State.TODO,
            title,
            _("Belum ada tes cetak: buka panel petugas di kiosk (tahan nama kantor 3 detik) lalu tekan Tes printer."),
            link=link,
        )
    at, payload = tested
    if not payload.get("ok"):
        return Check(
            "printer",
            State.WARNING,
            title,
            _(
                "Tes cetak terakhir gagal (%(printer)s): periksa kertas dan kabel, lalu tes lagi.",
                printer=payload.get("printer") or "-",
            ),
            link=link,
        )
    if failed is not None and failed > at:
        return Check(
            "printer",
            State.WARNING,
            title,
            _("Printer gagal mencetak setelah tes terakhir: periksa printer, lalu tes lagi."),
            link=link,
        )
    return Check(
        "printer",
        State.DONE,
        title,
        _("Tes cetak berhasil di %(printer)s.", printer=payload.get("printer") or "-"),
        link=link,
        facts={"at": at.isoformat()},
    )


def backup_check(loket: Context, setup: Setup, now: datetime | None = None) -> Check:
    title = _("Cadangan data (backup) berjalan")
    folder = setup.backup_dir.strip()
    if not folder:
        return Check(
            "backup",
            State.TODO,
            title,
            _("LOKET_BACKUP_DIR belum diatur: jadwalkan backup harian basis data dan secret_key ke folder itu."),
            setting="LOKET_BACKUP_DIR",
        )
    path = Path(folder)
    newest: float | None = None
    if path.is_dir():
        for entry in path.iterdir():
            if entry.is_file():
                mtime = entry.stat().st_mtime
                newest = mtime if newest is None or mtime > newest else newest
    if newest is None:
        return Check(
            "backup",
            State.WARNING,
            title,
            _("Folder backup %(folder)s kosong atau tidak ada.", folder=folder),
            setting="LOKET_BACKUP_DIR",
        )
    moment = now or loket.clock.now()
    age = moment - datetime.fromtimestamp(newest, tz=moment.tzinfo)
    if age > BACKUP_MAX_AGE:
        return Check(
            "backup",
            State.WARNING,
            title,
            _("Backup terakhir sudah %(days)s hari: periksa jadwal backup.", days=age.days),
            setting="LOKET_BACKUP_DIR",
        )
    return Check(
        "backup", State.DONE, title, _("Ada backup baru di %(folder)s.", folder=folder), setting="LOKET_BACKUP_DIR"
    )


def secret_key_check(setup: Setup) -> Check:
    title = _("Kunci rahasia (SECRET_KEY) aman")
    key = setup.secret_key
    if key.strip().lower() in WEAK_SECRETS or len(key) < MIN_SECRET_LENGTH:
        return Check(
            "secret_key",
            State.TODO,
            title,
            _(
                "SECRET_KEY terlalu pendek atau contoh bawaan: QR tiket bisa dipalsukan. "
                "Pakai minimal 32 karakter acak."
            ),
            setting="SECRET_KEY",
        )
    if not setup.secret_from_environment:
        return Check(
            "secret_key",
            State.DONE,
            title,
            _("Kunci dibuat acak di instance/secret_key: ikutkan dalam backup."),
            setting="SECRET_KEY",
        )
    return Check("secret_key", State.DONE, title, _("SECRET_KEY diatur."), setting="SECRET_KEY")


def public_url_check(setup: Setup) -> Check:
    title = _("Alamat publik untuk tautan status")
    url = setup.public_url.strip()
    if not url:
        return Check(
            "public_url",
            State.WARNING,
            title,
            _(
                "LOKET_PUBLIC_URL belum diatur: QR tiket memakai alamat yang dipakai kiosk, "
                "yang mungkin tidak terjangkau ponsel warga."
            ),
            setting="LOKET_PUBLIC_URL",
        )
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0].lower()
    if host in ("localhost", "127.0.0.1", "::1", "[::1]"):
        return Check(
            "public_url",
            State.WARNING,
            title,
            _("LOKET_PUBLIC_URL menunjuk komputer ini (%(url)s): ponsel warga tidak bisa membukanya.", url=url),
            setting="LOKET_PUBLIC_URL",
        )
    return Check(
        "public_url", State.DONE, title, _("Tautan status memakai %(url)s.", url=url), setting="LOKET_PUBLIC_URL"
    )
