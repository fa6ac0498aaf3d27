"""Another system's webhook endpoint on 127.0.0.1 for the tests: a real HTTP server that checks every delivery's
signature with the Standard Webhooks library (`Webhook.verify`) and records what it took.

It answers 503 while `down` is set (nothing taken), 400 to a delivery whose signature does not verify, and
takes each webhook-id once (a repeat is answered 200 and noted as a duplicate).
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from standardwebhooks import Webhook


@dataclass
class Receiver:
    server: ThreadingHTTPServer
    secret: str = ""
    down: bool = False
    #: every request: (webhook-id, status answered)
    tries: list[tuple[str, int]] = field(default_factory=list)
    #: webhook-id -> the verified payload, in the order first taken
    taken: dict[str, dict[str, Any]] = field(default_factory=dict)
    duplicates: list[str] = field(default_factory=list)
    bad_signatures: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def start_receiver(secret: str = "") -> Receiver:
    receiver: Receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            wid = self.headers.get("webhook-id") or ""
            with receiver.lock:
                if receiver.down:
                    answer = 503
                else:
                    try:
                        payload = Webhook(receiver.secret).verify(raw, dict(self.headers.items()))
                    except Exception:
                        receiver.bad_signatures += 1
                        answer = 400
                    else:
                        answer = 200
                        if wid in receiver.taken:
                            receiver.duplicates.append(wid)
                        else:
                            receiver.taken[wid] = payload
                receiver.tries.append((wid, answer))
            out = json.dumps({"ok": answer == 200}).encode()
            self.send_response(answer)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    receiver = Receiver(server, secret)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return receiver
