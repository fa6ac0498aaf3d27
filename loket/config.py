"""Configuration: embedded defaults, overridden by environment variables."""

from __future__ import annotations

import os
import secrets
from pathlib import Path

from loket.core.store import owner_only

BASE_DIR = Path(__file__).resolve().parent


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


def private_folder(path: Path) -> None:
    """Create the folder (the instance folder: database, secret key) for its owner only (0700)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)


def _env_bool(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


def _secret_key(instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the instance folder.

    It signs sessions and the QR codes on printed tickets, so it must survive restarts. The file is
    created readable by its owner only (0600) from its first byte: never written, then narrowed.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    private_folder(instance)
    path = instance / "secret_key"
    if not path.exists():
        # Written whole to a private file of this process, then linked into place: another
        # process starting at the same moment reads either no key or the whole one, never half.
        draft = instance / f".secret_key.{os.getpid()}"
        draft.unlink(missing_ok=True)  # left by a crash of an earlier process with this id
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass  # the other process's key won: use it
        finally:
            draft.unlink()
    else:
        owner_only(path)  # a key made by an earlier version, readable by others
    return path.read_text().strip()


def load_config(instance_path: str | Path) -> dict:
    """Read the configuration from the environment, with embedded defaults."""
    instance = Path(instance_path)
    return {
        "SECRET_KEY": _secret_key(instance),
        "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{instance / 'loket.db'}",
        "SOP_DIR": os.environ.get("LOKET_SOP_DIR") or str(BASE_DIR / "sops"),
        # The office's images and videos shown on the display boards.
        "MEDIA_DIR": os.environ.get("LOKET_MEDIA_DIR") or str(instance / "media"),
        "OFFICE_ID": os.environ.get("LOKET_OFFICE_ID", "dukcapil"),
        # Several sites on one hub (issue 16, docs/sites.md): this server's site code ('' = a single office, the
        # embedded default), and whether it is the hub that sees every site.
        "SITE": os.environ.get("LOKET_SITE", "").strip(),
        "HUB": _env_bool("LOKET_HUB"),
        # Where residents' phones reach this server: the base of the status URL in every ticket's QR
        # (e.g. http://192.168.1.10:5000). Empty: the address the kiosk reached the server at (loket/public_url.py).
        "PUBLIC_URL": os.environ.get("LOKET_PUBLIC_URL", ""),
        "OFFICE_NAME": os.environ.get("LOKET_OFFICE_NAME", "Dinas Kependudukan dan Pencatatan Sipil"),
        "TIMEZONE": os.environ.get("LOKET_TIMEZONE", "Asia/Jakarta"),
        "PRIORITY_HEAD_START_MINUTES": _env_int("LOKET_PRIORITY_HEAD_START_MINUTES", 30),
        "CALLS_BEFORE_NO_SHOW": _env_int("LOKET_CALLS_BEFORE_NO_SHOW", 3),
        "NO_SHOW_MIN_MINUTES": _env_int("LOKET_NO_SHOW_MIN_MINUTES", 3),
        # The ticket printer: file:FOLDER | network:HOST[:PORT] | usb:VID:PID | serial:DEV[:BAUD] | device:PATH
        "PRINTER": os.environ.get("LOKET_PRINTER") or f"file:{instance / 'tickets'}",
        "PRINTER_PAPER": _env_int("LOKET_PRINTER_PAPER", 80),
        "PRINTER_PROFILE": os.environ.get("LOKET_PRINTER_PROFILE") or None,
        "PRINTER_TIMEOUT": float(os.environ.get("LOKET_PRINTER_TIMEOUT") or 5),
        "PRINTER_CHECK_STATUS": os.environ.get("LOKET_PRINTER_CHECK_STATUS", "1") not in ("0", "false", "no"),
        # Per-kiosk and per-counter printers: "lobby1=network:10.0.0.21;lobby2=usb:0x0416:0x5011"
        "KIOSK_PRINTERS": os.environ.get("LOKET_KIOSK_PRINTERS") or "",
        "COUNTER_PRINTERS": os.environ.get("LOKET_COUNTER_PRINTERS") or "",
        # Shared secret of the scanner agents (python -m loket.hardware.scanner); empty disables them.
        "SCANNER_TOKEN": os.environ.get("LOKET_SCANNER_TOKEN", ""),
        # Days after a berkas's last activity (closed, pending, returned, no-show: any state) before its
        # applicant's name and NIK are deleted (flask purge-personal-data, or the admin's settings page).
        "PERSONAL_DATA_RETENTION_DAYS": _env_int("LOKET_PERSONAL_DATA_RETENTION_DAYS", 365),
        # PIN staff type to open a kiosk's settings panel (empty: the panel is disabled).
        "KIOSK_PIN": os.environ.get("LOKET_KIOSK_PIN", ""),
        # Flask-Limiter: per client address. Use redis:// storage when running several processes.
        "RATELIMIT_STORAGE_URI": os.environ.get("LOKET_RATELIMIT_STORAGE_URI", "memory://"),
        # Explicit: Flask-Limiter keeps the last app's value as the default for the next one it serves.
        "RATELIMIT_ENABLED": True,
        # Failed log-ins only (a correct one never counts): per account and client address, and per
        # client address over all accounts.
        "LOGIN_RATE_LIMIT": os.environ.get("LOKET_LOGIN_RATE_LIMIT", "10 per minute"),
        "LOGIN_ADDRESS_RATE_LIMIT": os.environ.get("LOKET_LOGIN_ADDRESS_RATE_LIMIT", "30 per minute"),
        # Behind a reverse proxy: how many proxies in front set X-Forwarded-For/-Proto (0: none,
        # the socket's address is the client's). Set it only when every request comes through
        # them: a client could otherwise name any address it likes.
        "PROXY_FIX": _env_int("LOKET_PROXY_FIX", 0),
        "PIN_RATE_LIMIT": os.environ.get("LOKET_PIN_RATE_LIMIT", "5 per minute"),
        # Tickets one address may take; a kiosk serves many residents, so keep it generous. "" = no limit.
        "TICKET_RATE_LIMIT": os.environ.get("LOKET_TICKET_RATE_LIMIT", "120 per minute"),
        # Tickets a device the admin has not paired may take per address ("" or "0": refused); see kiosk/guard.py.
        "UNPAIRED_TICKET_RATE": os.environ.get("LOKET_UNPAIRED_TICKET_RATE", "3 per 10 minutes"),
        # Staff alerts: refused or limited ticket tries from one address, and a paired kiosk issuing faster
        # than residents tap; wrong kiosk PINs per kiosk and address before the panel locks ("" = never).
        "KIOSK_REFUSED_ALERT": os.environ.get("LOKET_KIOSK_REFUSED_ALERT", "5 per 10 minutes"),
        "KIOSK_BURST_ALERT": os.environ.get("LOKET_KIOSK_BURST_ALERT", "12 per minute"),
        "KIOSK_PIN_LOCKOUT": os.environ.get("LOKET_KIOSK_PIN_LOCKOUT", "5 per 15 minutes"),
        # The kiosk's "Bantuan" button (issue 15): presses one address may send, and how often one kiosk may
        # alert the front desk (a second press within it is answered "already on the way"). "" = no limit.
        "KIOSK_HELP_RATE_LIMIT": os.environ.get("LOKET_KIOSK_HELP_RATE_LIMIT", "10 per minute"),
        "KIOSK_HELP_EVERY": os.environ.get("LOKET_KIOSK_HELP_EVERY", "1 per minute"),
        # A chosen service read aloud on the kiosk by the board's offline voice: requests per address.
        "KIOSK_VOICE_RATE_LIMIT": os.environ.get("LOKET_KIOSK_VOICE_RATE_LIMIT", "30 per minute"),
        # Online booking (loket/booking): bookings and cancels per address (CGNAT puts many phones behind
        # one address: keep it generous), per device (the page's random id with the address), and look-ups
        # per address. "" = no limit (bench/booking_rush.py lifts the address limits this way).
        "BOOKING_RATE_LIMIT": os.environ.get("LOKET_BOOKING_RATE_LIMIT", "60 per minute"),
        "BOOKING_DEVICE_RATE_LIMIT": os.environ.get("LOKET_BOOKING_DEVICE_RATE_LIMIT", "10 per 10 minutes"),
        "BOOKING_READ_RATE_LIMIT": os.environ.get("LOKET_BOOKING_READ_RATE_LIMIT", "300 per minute"),
        # Camera frames of the kiosk's check-in screen one address may send (about 2 a second while it looks).
        "CHECKIN_FRAME_RATE_LIMIT": os.environ.get("LOKET_CHECKIN_FRAME_RATE_LIMIT", "180 per minute"),
        # Survey answers (and ticket checks) one address may send; "" = no limit.
        "SURVEY_RATE_LIMIT": os.environ.get("LOKET_SURVEY_RATE_LIMIT", "30 per minute"),
        # Status page views and refreshes one address may make (the page and its JSON); "" = no limit.
        "STATUS_RATE_LIMIT": os.environ.get("LOKET_STATUS_RATE_LIMIT", "60 per minute"),
        # How calls are read out: "cardinal" (A-012: a nol dua belas) or "digits" (a nol satu dua).
        "VOICE_READING": os.environ.get("LOKET_VOICE_READING", "cardinal"),
        # "server": chime + espeak-ng voice made here (offline); "browser": the display's own id-ID voice.
        "VOICE_ENGINE": os.environ.get("LOKET_VOICE_ENGINE", "server"),
        # Seconds a call's signed audio address stays valid; the cache of call audio (LRU) in files and MB.
        "VOICE_URL_MAX_AGE": _env_int("LOKET_VOICE_URL_MAX_AGE", 600),
        "VOICE_CACHE_FILES": _env_int("LOKET_VOICE_CACHE_FILES", 400),
        "VOICE_CACHE_MB": _env_int("LOKET_VOICE_CACHE_MB", 100),
        # Redis URL shared by several server processes so every display gets every call.
        "SOCKETIO_MESSAGE_QUEUE": os.environ.get("SOCKETIO_MESSAGE_QUEUE") or None,
        # The Redis channel; offices sharing one Redis server each need their own.
        "SOCKETIO_CHANNEL": os.environ.get("LOKET_SOCKETIO_CHANNEL", "loket"),
        # A staff log-in ends after this many minutes without a request (0: only at log-out).
        "STAFF_SESSION_IDLE_MINUTES": _env_int("LOKET_STAFF_SESSION_IDLE_MINUTES", 600),
        # Seconds between checks that each staff page's live connection still has an open log-in.
        "STAFF_SOCKET_CHECK_SECONDS": _env_int("LOKET_STAFF_SOCKET_CHECK_SECONDS", 5),
        # Bodies larger than this are refused (413) before they are read; the SOP import has its own bound.
        "MAX_CONTENT_LENGTH": _env_int("LOKET_MAX_REQUEST_BYTES", 256 * 1024),
        "SOP_IMPORT_MAX_BYTES": _env_int("LOKET_SOP_IMPORT_MAX_BYTES", 4 * 1024 * 1024),
        "SCAN_FRAME_MAX_BYTES": 8 * 1024 * 1024,  # a webcam frame the counter desk sends to be decoded
        # A camera frame of the kiosk's booking check-in (its page sends them at most 1280 px wide).
        "CHECKIN_FRAME_MAX_BYTES": 2 * 1024 * 1024,
        "SOCKETIO_MAX_MESSAGE_BYTES": 64 * 1024,  # a Socket.IO message from a page (they send only a few bytes)
        "MAX_FORM_MEMORY_SIZE": 64 * 1024,  # one non-file form field
        "MAX_FORM_PARTS": 100,
        # Behind TLS (a reverse proxy with HTTPS): cookies only over HTTPS, and HSTS. Off for a plain-HTTP LAN.
        # Messages to residents (issue 14): the WhatsApp/SMS HTTP gateway (empty URL: messages wait in the
        # outbox, none is sent), its auth header ("Authorization: Bearer ..."), its JSON body ({to}, {text},
        # {text_id}, {text_en}, {key}, {moment} filled in) and its timeout in seconds.
        "OUTBOX_GATEWAY_URL": os.environ.get("LOKET_OUTBOX_GATEWAY_URL", ""),
        "OUTBOX_GATEWAY_AUTH": os.environ.get("LOKET_OUTBOX_GATEWAY_AUTH", ""),
        "OUTBOX_GATEWAY_BODY": os.environ.get("LOKET_OUTBOX_GATEWAY_BODY", ""),
        "OUTBOX_GATEWAY_TIMEOUT": float(os.environ.get("LOKET_OUTBOX_GATEWAY_TIMEOUT") or 10),
        # Which channel takes messages for a phone number: "http" (the gateway above), "sms" (gammu-smsd, below)
        # or "none"; unset: the gateway if its URL is set, else gammu-smsd if its folder is set.
        "OUTBOX_PHONE_CHANNEL": os.environ.get("LOKET_OUTBOX_PHONE_CHANNEL", ""),
        # SMS through a GSM modem: gammu-smsd with its FILES backend (gammu-smsd-files(7)). Loket writes to its
        # OutboxPath; with its SentSMSPath and ErrorSMSPath Loket also recognises a message already handed over.
        # Priority: the file name's letter (A first).
        "OUTBOX_GAMMU_OUTBOX": os.environ.get("LOKET_OUTBOX_GAMMU_OUTBOX", ""),
        "OUTBOX_GAMMU_SENT": os.environ.get("LOKET_OUTBOX_GAMMU_SENT", ""),
        "OUTBOX_GAMMU_ERROR": os.environ.get("LOKET_OUTBOX_GAMMU_ERROR", ""),
        "OUTBOX_GAMMU_PRIORITY": os.environ.get("LOKET_OUTBOX_GAMMU_PRIORITY", "C"),
        # E-mail (messages for an e-mail address): the office's SMTP server; security starttls (587), ssl (465)
        # or none (25, a relay on the office network); the sender address is required.
        "OUTBOX_SMTP_HOST": os.environ.get("LOKET_OUTBOX_SMTP_HOST", ""),
        "OUTBOX_SMTP_PORT": _env_int("LOKET_OUTBOX_SMTP_PORT", 587),
        "OUTBOX_SMTP_SECURITY": os.environ.get("LOKET_OUTBOX_SMTP_SECURITY", "starttls"),
        "OUTBOX_SMTP_USER": os.environ.get("LOKET_OUTBOX_SMTP_USER", ""),
        "OUTBOX_SMTP_PASSWORD": os.environ.get("LOKET_OUTBOX_SMTP_PASSWORD", ""),
        "OUTBOX_SMTP_FROM": os.environ.get("LOKET_OUTBOX_SMTP_FROM", ""),
        "OUTBOX_SMTP_TIMEOUT": float(os.environ.get("LOKET_OUTBOX_SMTP_TIMEOUT") or 10),
        # "embedded": a worker inside each server process (started on its first request); "off": run
        # `flask --app loket.app outbox-worker` as its own process(es) instead. Tests leave it off.
        "OUTBOX_WORKER": os.environ.get("LOKET_OUTBOX_WORKER", "embedded"),
        "OUTBOX_POLL_SECONDS": float(os.environ.get("LOKET_OUTBOX_POLL_SECONDS") or 2),
        "OUTBOX_RETRY_BASE_SECONDS": float(os.environ.get("LOKET_OUTBOX_RETRY_BASE_SECONDS") or 5),
        "OUTBOX_RETRY_CAP_SECONDS": float(os.environ.get("LOKET_OUTBOX_RETRY_CAP_SECONDS") or 900),
        "OUTBOX_MAX_ATTEMPTS": _env_int("LOKET_OUTBOX_MAX_ATTEMPTS", 40),
        "OUTBOX_LEASE_SECONDS": float(os.environ.get("LOKET_OUTBOX_LEASE_SECONDS") or 120),
        # a webhook subscription alerts the admin after this many failed tries in a row, or a delivery this old
        "OUTBOX_WEBHOOK_ALERT_FAILURES": _env_int("LOKET_OUTBOX_WEBHOOK_ALERT_FAILURES", 5),
        "OUTBOX_WEBHOOK_ALERT_MINUTES": float(os.environ.get("LOKET_OUTBOX_WEBHOOK_ALERT_MINUTES") or 30),
        "SECURE_COOKIES": _env_bool("LOKET_SECURE_COOKIES"),
        "SESSION_COOKIE_SECURE": _env_bool("LOKET_SECURE_COOKIES"),
        "REMEMBER_COOKIE_SECURE": _env_bool("LOKET_SECURE_COOKIES"),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "WTF_CSRF_TIME_LIMIT": None,
    }
