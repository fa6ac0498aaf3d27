"""A network ESC/POS printer played by a real TCP listener on loopback.

It answers the real-time status requests (DLE EOT 1/2/4) like a printer does,
and can be told to misbehave: refuse, run out of paper, open its cover, stay
silent, or hang up in the middle of a ticket. Tests and benchmarks use it;
`python -m loket.hardware.printer.emulator --port 9100` runs one for a dry run.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

MODES = ("ok", "paper_out", "cover_open", "silent", "hangup")


@dataclass
class NetworkPrinterEmulator:
    mode: str = "ok"
    hangup_after: int = 64  # bytes of ticket data accepted before "hangup" closes the connection
    host: str = "127.0.0.1"
    port: int = 0
    jobs: list[bytes] = field(default_factory=list)  # one entry per connection, ticket data only
    last_byte_at: float = 0.0  # time.perf_counter() when the last ticket byte arrived

    def __post_init__(self) -> None:
        self._server = socket.create_server((self.host, self.port))
        self.port = self._server.getsockname()[1]
        self._stop = threading.Event()
        self._sessions: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    def close(self) -> None:
        """Stop listening and wait for the connections in progress: every job is in `jobs` after this."""
        self._stop.set()
        self._server.close()
        self._thread.join(timeout=2)
        for session in self._sessions:
            session.join(timeout=6)

    def __enter__(self) -> NetworkPrinterEmulator:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _serve(self) -> None:
        self._server.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except (TimeoutError, OSError):
                continue
            session = threading.Thread(target=self._session, args=(conn,), daemon=True)
            self._sessions.append(session)
            session.start()

    def _status(self, n: int) -> bytes:
        # Fixed bits 0x12 are always set in these answers (ESC/POS spec).
        printer, cause, paper = 0x12, 0x12, 0x12
        if self.mode == "cover_open":
            printer |= 0x08
            cause |= 0x04
        if self.mode == "paper_out":
            printer |= 0x08
            cause |= 0x20
            paper |= 0x60
        return bytes([{1: printer, 2: cause, 4: paper}.get(n, 0x12)])

    def _session(self, conn: socket.socket) -> None:
        received = bytearray()
        buffer = b""
        with conn:
            conn.settimeout(5)
            while True:
                try:
                    chunk = conn.recv(65536)
                except OSError:
                    break
                if not chunk:
                    break
                buffer += chunk
                before = len(received)
                buffer = self._consume(conn, buffer, received)
                if len(received) > before:
                    self.last_byte_at = time.perf_counter()
                if self.mode == "hangup" and len(received) >= self.hangup_after:
                    break  # closes the socket with the ticket half-printed
        if received:
            self.jobs.append(bytes(received))

    def _consume(self, conn: socket.socket, buffer: bytes, received: bytearray) -> bytes:
        """Take ticket bytes and answer status requests; keep an incomplete command for later."""
        i = 0
        while i < len(buffer):
            if buffer.startswith(b"\x1dv0", i):  # raster image: skip its data whole
                if i + 8 > len(buffer):
                    break
                size = (buffer[i + 4] + 256 * buffer[i + 5]) * (buffer[i + 6] + 256 * buffer[i + 7])
                if i + 8 + size > len(buffer):
                    break
                received += buffer[i : i + 8 + size]
                i += 8 + size
            elif buffer.startswith(b"\x10\x04", i):
                if i + 3 > len(buffer):
                    break
                if self.mode != "silent":
                    conn.sendall(self._status(buffer[i + 2]))
                i += 3
            else:
                received.append(buffer[i])
                i += 1
        return buffer[i:]


if __name__ == "__main__":  # pragma: no cover - manual tool
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=9100)
    parser.add_argument("--mode", choices=MODES, default="ok")
    args = parser.parse_args()
    emu = NetworkPrinterEmulator(mode=args.mode, port=args.port)
    print(f"ESC/POS printer emulator on {emu.address} ({args.mode}); Ctrl-C to stop")
    seen = 0
    try:
        while True:
            time.sleep(0.5)
            for job in emu.jobs[seen:]:
                print(f"job of {len(job)} bytes")
            seen = len(emu.jobs)
    except KeyboardInterrupt:
        emu.close()
