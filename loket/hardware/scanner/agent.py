"""The scanner agent: frames from a camera, QR codes out of them, each new code sent to the server once."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

import requests

from .camera import Camera
from .decode import decode

Post = Callable[[str], dict]


@dataclass
class ScanResult:
    """One code sent: the server's answer, or the network error that kept it from arriving."""

    code: str
    answer: dict | None = None
    network_error: str | None = None

    def line(self) -> str:
        """One line for the operator's terminal."""
        if self.network_error is not None:
            return f"{_short(self.code)}: jaringan gagal, dicoba lagi (network error, will retry): {self.network_error}"
        answer = self.answer or {}
        ticket = answer.get("ticket")
        if isinstance(ticket, dict):
            return f"{_short(self.code)}: {ticket.get('number', '?')} {ticket.get('state', '')}".rstrip()
        refusal = f"{answer.get('error', '?')}: {answer.get('message', '')}".rstrip(": ")
        return f"{_short(self.code)}: ditolak (refused) {refusal}"


def run_agent(
    camera: Camera,
    post: Post,
    cooldown: float,
    clock: Callable[[], float] = time.monotonic,
    stop_after: int | None = None,
    report: Callable[[ScanResult], None] | None = None,
) -> list[ScanResult]:
    """Send every code the camera sees to `post`, each again only after `cooldown` seconds out of sight.

    `post(code)` returns the server's JSON answer or raises OSError (requests' errors are OSErrors);
    a code whose post failed is sent again the next time it is seen. Stops when the camera ends
    or after `stop_after` codes the server answered.
    """
    results: list[ScanResult] = []
    last_seen: dict[str, float] = {}  # codes the server has answered, and when they were last in view
    answered = 0
    for frame in camera.frames():
        now = clock()
        for code in decode(frame):
            if code in last_seen and now - last_seen[code] < cooldown:
                last_seen[code] = now  # still held in view: the same scan
                continue
            try:
                result = ScanResult(code, answer=post(code))
            except OSError as exc:
                last_seen.pop(code, None)  # send it again the next time it is seen
                result = ScanResult(code, network_error=str(exc) or type(exc).__name__)
            else:
                last_seen[code] = now
                answered += 1
            results.append(result)
            if report is not None:
                report(result)
            if stop_after is not None and answered >= stop_after:
                return results
        if len(last_seen) > 256:  # a day of tickets: forget the ones long out of view
            last_seen = {code: seen for code, seen in last_seen.items() if now - seen < cooldown}
    return results


def http_poster(server: str, counter_id: int, token: str, timeout: float = 5.0) -> Post:
    """post(code) for run_agent: POST {server}/api/scanner/scan with the agent's token."""
    session = requests.Session()
    session.headers["Authorization"] = f"Bearer {token}"
    url = server.rstrip("/") + "/api/scanner/scan"

    def post(code: str) -> dict:
        response = session.post(url, json={"code": code, "counter_id": counter_id}, timeout=timeout)
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if not isinstance(answer, dict):
            return {"error": f"http_{response.status_code}", "message": response.text[:200].strip()}
        return answer

    return post


def _short(code: str) -> str:
    return code if len(code) <= 40 else code[:39] + "…"
