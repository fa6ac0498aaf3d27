"""A real SMTP server on 127.0.0.1 for the tests (aiosmtpd), playing the office's mail server.

It keeps every message it accepts, and refuses a recipient listed in `refuse` with 550 (no such mailbox).
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


@dataclass
class Mailbox:
    received: list[EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        mail = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(mail, EmailMessage)
        self.received.append(mail)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_mailserver(port: int | None = None, login: tuple[str, str] | None = None) -> tuple[Controller, Mailbox]:
    """The server; with `login` (user, password) it checks AUTH (PLAIN/LOGIN, over plain TCP here)."""
    box = Mailbox()
    extra: dict[str, Any] = {}
    if login is not None:

        def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
            ok = isinstance(data, LoginPassword) and (data.login.decode(), data.password.decode()) == login
            return AuthResult(success=ok, handled=False)  # aiosmtpd answers 235 or 535 itself

        extra = {"auth_require_tls": False, "authenticator": authenticator}
    controller = Controller(box, hostname="127.0.0.1", port=port or free_port(), **extra)
    controller.start()
    return controller, box
