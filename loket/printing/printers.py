"""The printer registry: the default printer, one per kiosk and per counter, and the ones the admin set."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import current_app

from loket.hardware.printer import Printer, make_printer


@dataclass(frozen=True)
class PrintResult:
    ok: bool
    printer: str
    reason: str | None = None
    message: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "printer": self.printer, "reason": self.reason, "message": self.message}


def parse_printers(text: str | None) -> dict[str, str]:
    """ "lobby1=network:10.0.0.21:9100;lobby2=usb:0x0416:0x5011" -> {name: spec}."""
    out: dict[str, str] = {}
    for part in (text or "").split(";"):
        if part.strip():
            kiosk, _, spec = part.partition("=")
            out[kiosk.strip()] = spec.strip()
    return out


class Ask:
    """`for_kiosk`'s default: read the printer the admin set for the kiosk."""


ASK = Ask()


class Printers:
    """The default printer and one per kiosk, built from configuration once."""

    def __init__(self, config: dict[str, Any]):
        self.paper = int(config.get("PRINTER_PAPER", 80))
        options = {
            "paper": self.paper,
            "profile": config.get("PRINTER_PROFILE") or None,
            "timeout": float(config.get("PRINTER_TIMEOUT", 5)),
            "check_status": bool(config.get("PRINTER_CHECK_STATUS", True)),
        }
        self.default: Printer = make_printer(config["PRINTER"], **options)
        self.kiosks: dict[str, Printer] = {
            name: make_printer(spec, **options) for name, spec in parse_printers(config.get("KIOSK_PRINTERS")).items()
        }
        self.counters: dict[str, Printer] = {
            name: make_printer(spec, **options) for name, spec in parse_printers(config.get("COUNTER_PRINTERS")).items()
        }
        self._lock = threading.Lock()
        self.options = options
        #: kiosk name -> printer spec the admin set for that kiosk, or None (see loket.printing.init_app).
        self.device_printer: Callable[[str], str | None] | None = None
        self._from_devices: dict[str, tuple[str, Printer]] = {}

    def for_kiosk(self, kiosk: str | None, *, spec: str | Ask | None = ASK) -> Printer:
        """The kiosk's printer: the one the admin set for it, else LOKET_KIOSK_PRINTERS, else the default.

        `spec`: the printer the admin set for this kiosk when the caller has just read it (None: none set).
        """
        if kiosk and self.device_printer is not None:
            if isinstance(spec, Ask):
                spec = self.device_printer(kiosk)
            if spec:
                with self._lock:
                    cached = self._from_devices.get(kiosk)
                    if cached is None or cached[0] != spec:
                        cached = (spec, make_printer(spec, **self.options))
                        self._from_devices[kiosk] = cached
                    return cached[1]
        return self.kiosks.get(kiosk or "", self.default)

    def for_counter(self, counter_name: str | None) -> Printer:
        return self.counters.get(counter_name or "", self.default)

    def replace(self, kiosk: str | None, printer: Printer) -> None:
        """Swap a printer (tests, and later the admin screen)."""
        with self._lock:
            if kiosk:
                self.kiosks[kiosk] = printer
            else:
                self.default = printer


def printers() -> Printers:
    """The current app's printers."""
    return current_app.extensions["printers"]
