"""How a message leaves Loket: one small interface (`Channel`), three real channels, a fake, and the routes.

- `HttpGateway`: many Indonesian offices send WhatsApp through a gateway service with a plain HTTP API (a URL,
  an auth header, a JSON body of their own shape), all three from the configuration. Every try of one message
  carries the same idempotency key (header `Idempotency-Key` and in the body), so a gateway that honours it
  sends the message once even when Loket tries again after a crash.
- `GammuFiles`: SMS through a GSM modem run by gammu-smsd with its FILES backend (gammu-smsd-files(7)), the
  SMS gateway most Indonesian offices and schools set up: Loket drops one file per message into the daemon's
  outbox folder (written aside, then renamed, so the daemon never reads half a file), its name carrying a hash
  of the idempotency key; a key already in the outbox, sent or error folder is not written again.
- `SmtpChannel`: e-mail through the office's mail server (smtplib); the Message-ID is made from the
  idempotency key, so a retry after a crash is recognisably the same message.
- `Routes`: which channel takes which kind of outbox row ("phone" -> the office's phone channel, "email" ->
  SMTP); a row of a kind no channel takes waits in the outbox.

Apprise (PyPI `apprise`) was weighed for SMTP and SMS and not used: `Apprise.notify()` answers only True or
False, so the worker could not tell a refused address (give up) from a mail server that is down (try again),
nor show staff why; it sets no Message-ID of ours and speaks neither gammu-smsd's files nor the gateways'
idempotency header. smtplib and a file write are a few lines each and need no new dependency.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import smtplib
import ssl
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from email.message import EmailMessage
from email.utils import formatdate
from pathlib import Path
from typing import Any, Protocol

import requests


@dataclass(frozen=True)
class OutgoingMessage:
    """One message as a channel sends it."""

    id: int
    key: str
    to: str
    text_id: str
    text_en: str
    moment: str
    #: The outbox row's kind: "phone" or "email" (a resident), "webhook" (another system, outbox/webhooks.py):
    #: which `Routes` entry sends it.
    kind: str = "phone"
    #: The channel name it was counted on at its claim, and that day ("" / None: claimed without routes).
    route: str = ""
    counted_on: date | None = None

    @property
    def text(self) -> str:
        """Indonesian first, then English."""
        return f"{self.text_id}\n\n{self.text_en}"


@dataclass(frozen=True)
class Delivery:
    """What a channel answered: sent, or not (`retry`: worth trying again later; else it is given up)."""

    ok: bool
    retry: bool = True
    detail: str = ""


class Channel(Protocol):
    """A way to a resident (WhatsApp/SMS gateway, e-mail, ...)."""

    def send(self, message: OutgoingMessage) -> Delivery: ...


#: The body the gateway gets when the office sets none: JSON, each "{...}" filled in (see `fill`).
DEFAULT_BODY = '{"to": "{to}", "message": "{text}", "idempotency_key": "{key}"}'
#: Answers a later try may turn into a success; any other 4xx is the request's fault and is not tried again.
#: 401/403: the office's token is wrong or expired, a fault of the channel, not of the message: the messages
#: wait (the channel shows as failing, staff are alerted) until the token is fixed, none is given up for it.
RETRY_STATUSES = frozenset({401, 403, 408, 409, 425, 429})


def fill(template: Any, values: dict[str, str]) -> Any:
    """The JSON template with "{to}", "{text}", "{text_id}", "{text_en}", "{key}", "{moment}" filled in its strings."""
    if isinstance(template, str):
        for name, value in values.items():
            template = template.replace("{" + name + "}", value)
        return template
    if isinstance(template, list):
        return [fill(v, values) for v in template]
    if isinstance(template, dict):
        return {k: fill(v, values) for k, v in template.items()}
    return template


class HttpGateway:
    """A WhatsApp/SMS gateway reached by HTTP POST with a JSON body."""

    def __init__(self, url: str, auth_header: str = "", body_template: str = "", timeout: float = 10.0):
        self.url = url
        self.headers = {"Content-Type": "application/json"}
        if auth_header:  # "Authorization: Bearer abc" or "X-Api-Key: abc"
            name, _, value = auth_header.partition(":")
            self.headers[name.strip()] = value.strip()
        self.template = json.loads(body_template or DEFAULT_BODY)  # a bad template stops start-up, not a send
        self.timeout = timeout
        self.session = requests.Session()

    def send(self, message: OutgoingMessage) -> Delivery:
        values = {
            "to": message.to,
            "text": message.text,
            "text_id": message.text_id,
            "text_en": message.text_en,
            "key": message.key,
            "moment": message.moment,
        }
        try:
            answer = self.session.post(
                self.url,
                data=json.dumps(fill(self.template, values)),
                headers={**self.headers, "Idempotency-Key": message.key},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:  # down, refused, timed out: the next try may get through
            return Delivery(False, True, f"{type(exc).__name__}: {exc}"[:500])
        if 200 <= answer.status_code < 300:
            return Delivery(True)
        detail = f"HTTP {answer.status_code}: {answer.text[:300]}"
        return Delivery(False, answer.status_code >= 500 or answer.status_code in RETRY_STATUSES, detail)


#: What a phone number may hold in a file name: digits and a leading +.
_NOT_DIAL = re.compile(r"[^0-9+]")


def key_tag(key: str) -> str:
    """A short, file-name-safe tag of an idempotency key (no "_": gammu-smsd splits its file names on it)."""
    return "lk" + hashlib.sha256(key.encode()).hexdigest()[:20]


class GammuFiles:
    """SMS through gammu-smsd's FILES backend: one UTF-16 ("Unicode") text file per message in its outbox folder.

    File name `OUT<priority><YYYYMMDD>_<HHMMSS>_<serial>_<number>_<tag>.txt` (gammu-smsd-files(7)), the serial
    being the outbox row's id: the daemon sends the folder in name order, so priority, time, then id keep one
    resident's messages in order even when several are written in one second. The daemon moves a
    sent file to its sent folder and a failed one to its error folder under the same name: a tag found in any
    of the three means this message was already handed over, and it is not written twice.
    SMS is paid per 160-character part, so only the Indonesian text is sent.
    """

    def __init__(self, outbox: str, sent: str = "", error: str = "", priority: str = "C"):
        self.outbox = Path(outbox)
        self.seen_in = [self.outbox, *(Path(p) for p in (sent, error) if p)]
        if not (len(priority) == 1 and priority.isalpha() and priority.isupper()):
            raise ValueError("gammu-smsd priority is one letter A-Z")
        self.priority = priority

    def handed_over(self, key: str) -> bool:
        tag = key_tag(key)
        return any(next(folder.glob(f"OUT*_{tag}.txt*"), None) is not None for folder in self.seen_in)

    def send(self, message: OutgoingMessage) -> Delivery:
        number = _NOT_DIAL.sub("", message.to)
        if len(number.lstrip("+")) < 6 or "+" in number[1:]:
            return Delivery(False, False, "not a phone number")
        try:
            if self.handed_over(message.key):  # a retry after a crash between the file and the database
                return Delivery(True, detail="already in gammu-smsd's folders")
            stamp = datetime.now(UTC).strftime("%Y%m%d_%H%M%S")
            # The daemon sends in name order: within one second, the serial (the message's id) keeps the order.
            name = f"OUT{self.priority}{stamp}_{message.id:010d}_{number}_{key_tag(message.key)}.txt"
            aside = self.outbox / f".loket-{key_tag(message.key)}-{os.getpid()}.tmp"  # not "OUT*": never read
            aside.write_bytes(b"\xff\xfe" + message.text_id.encode("utf-16-le"))  # BOM: gammu reads it as Unicode
            os.replace(aside, self.outbox / name)
        except OSError as exc:  # the folder missing or not writable: the daemon's host needs a look; try later
            return Delivery(False, True, f"gammu-smsd outbox: {type(exc).__name__}: {exc.strerror or exc}"[:500])
        return Delivery(True)


class SmtpChannel:
    """E-mail through the office's SMTP server; security "starttls" (port 587), "ssl" (465) or "none" (25)."""

    def __init__(
        self,
        host: str,
        port: int = 587,
        sender: str = "",
        user: str = "",
        password: str = "",
        security: str = "starttls",
        timeout: float = 10.0,
        subject: str = "Informasi layanan Disdukcapil / Service information",
    ):
        if security not in ("starttls", "ssl", "none"):
            raise ValueError("LOKET_OUTBOX_SMTP_SECURITY is starttls, ssl or none")
        if not sender:
            raise ValueError("set LOKET_OUTBOX_SMTP_FROM: the sender address")
        self.host, self.port, self.sender = host, port, sender
        self.user, self.password, self.security, self.timeout = user, password, security, timeout
        self.subject = subject

    def email(self, message: OutgoingMessage) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = message.to
        mail["Subject"] = self.subject
        mail["Date"] = formatdate(localtime=False, usegmt=True)
        domain = self.sender.rpartition("@")[2].strip("> ") or "loket.local"
        mail["Message-ID"] = f"<{key_tag(message.key)}@{domain}>"
        mail["X-Loket-Idempotency-Key"] = message.key
        mail.set_content(message.text)
        return mail

    def send(self, message: OutgoingMessage) -> Delivery:
        try:
            if self.security == "ssl":
                smtp: smtplib.SMTP = smtplib.SMTP_SSL(
                    self.host, self.port, timeout=self.timeout, context=ssl.create_default_context()
                )
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                if self.security == "starttls":
                    smtp.starttls(context=ssl.create_default_context())
                if self.user:
                    smtp.login(self.user, self.password)
                smtp.send_message(self.email(message))
        except smtplib.SMTPRecipientsRefused as exc:  # this address is refused: no later try changes that
            codes = [code for code, _ in exc.recipients.values()]
            return Delivery(False, any(400 <= c < 500 for c in codes), f"SMTP recipient refused: {codes}")
        except smtplib.SMTPDataError as exc:  # 5xx: this message is refused (too big, spam); 4xx: later
            return Delivery(False, not 500 <= exc.smtp_code < 600, f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"[:500])
        except (smtplib.SMTPException, OSError) as exc:  # down, refused, login, sender refused: a later try may pass
            return Delivery(False, True, f"SMTP: {type(exc).__name__}: {exc}"[:500])
        return Delivery(True)


@dataclass(frozen=True)
class Route:
    """One configured channel: its name ("http", "sms", "smtp": caps and health are kept per name) and sender."""

    name: str
    channel: Channel


@dataclass(frozen=True)
class Routes:
    """Which channel sends which kind of outbox row; a kind not here is not claimed (its rows wait)."""

    by_kind: dict[str, Route]

    @classmethod
    def single(cls, channel: Channel, name: str = "http", kind: str = "phone") -> Routes:
        return cls({kind: Route(name, channel)})

    @property
    def kinds(self) -> list[str]:
        return sorted(self.by_kind)

    def name_of(self, kind: str) -> str:
        return self.by_kind[kind].name


@dataclass
class RecordingChannel:
    """A fake channel: keeps what it was given; `answer` decides each outcome (default: sent)."""

    answer: Callable[[OutgoingMessage], Delivery] = lambda _m: Delivery(True)
    sent: list[OutgoingMessage] = field(default_factory=list)

    def send(self, message: OutgoingMessage) -> Delivery:
        self.sent.append(message)
        return self.answer(message)
