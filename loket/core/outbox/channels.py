"""How a message leaves Loket: one small interface, the HTTP gateway behind it, and a fake for tests.

Many Indonesian offices send WhatsApp through a gateway service with a plain HTTP API (a URL, an auth
header, a JSON body of their own shape): `HttpGateway` takes all three from the configuration. Every try
of one message carries the same idempotency key (header `Idempotency-Key` and in the body), so a gateway
that honours it sends the message once even when Loket tries again after a crash.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
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
    #: The row's channel: "phone" (a resident), "webhook" (another system, outbox/webhooks.py).
    channel: str = "phone"

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
RETRY_STATUSES = frozenset({408, 409, 425, 429})


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


@dataclass
class RecordingChannel:
    """A fake channel: keeps what it was given; `answer` decides each outcome (default: sent)."""

    answer: Callable[[OutgoingMessage], Delivery] = lambda _m: Delivery(True)
    sent: list[OutgoingMessage] = field(default_factory=list)

    def send(self, message: OutgoingMessage) -> Delivery:
        self.sent.append(message)
        return self.answer(message)
