"""A WhatsApp/SMS gateway on 127.0.0.1 for the tests: a real HTTP server that records every request.

It accepts each idempotency key once (a repeat is answered 200 as a duplicate and noted), can answer 503
while `down` is set, and can hold the next accepted request open (`hold_next`) until `release` is set, so a
test can kill the worker that sent it after the gateway took the message but before the worker heard so.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Seen:
    key: str
    header_key: str | None
    body: dict[str, Any]
    headers: dict[str, str]
    answer: int
    duplicate: bool = False


@dataclass
class Gateway:
    server: ThreadingHTTPServer
    seen: list[Seen] = field(default_factory=list)
    #: key -> the order in which it was first accepted
    accepted: dict[str, int] = field(default_factory=dict)
    down: bool = False
    #: An answer other than 503 to give instead of taking the message (e.g. 400: a request it refuses).
    refuse_with: int | None = None
    hold_next: bool = False
    held: threading.Event = field(default_factory=threading.Event)
    held_key: str | None = None
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/send"

    def refused(self) -> int:
        with self.lock:
            return sum(1 for s in self.seen if s.answer == 503)

    def duplicates(self) -> list[str]:
        with self.lock:
            return [s.key for s in self.seen if s.duplicate]

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def start_gateway() -> Gateway:
    gateway: Gateway

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
            key = str(body.get("idempotency_key"))
            hold = False
            with gateway.lock:
                if gateway.refuse_with or gateway.down:
                    answer, duplicate = gateway.refuse_with or 503, False
                else:
                    answer, duplicate = 200, key in gateway.accepted
                    if not duplicate:
                        gateway.accepted[key] = len(gateway.accepted)
                        hold, gateway.hold_next = gateway.hold_next, False
                gateway.seen.append(
                    Seen(key, self.headers.get("Idempotency-Key"), body, dict(self.headers), answer, duplicate)
                )
            if hold:  # taken, but the worker does not hear so until the test lets it
                gateway.held_key = key
                gateway.held.set()
                gateway.release.wait(60)
            payload = json.dumps({"ok": answer == 200, "duplicate": duplicate}).encode()
            try:
                self.send_response(answer)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)
            except OSError:  # the worker was killed meanwhile
                pass

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    gateway = Gateway(server)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return gateway
