"""Printing tickets and pickup slips from the web layer: which printer, what it prints, what failed."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from loket.core.service import Loket, TicketView
from loket.core.states import PRIORITY_LABELS, Priority
from loket.hardware.printer import (
    Printer,
    PrinterError,
    PrintJob,
    TicketContent,
    escpos_bytes,
    make_printer,
    pickup_slip_blocks,
    preview_image,
    ticket_blocks,
)


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
        #: name -> printer spec set by the admin for that kiosk (or None); see create_app.
        self.device_printer = None
        self._from_devices: dict[str, tuple[str, Printer]] = {}

    def for_kiosk(self, kiosk: str | None) -> Printer:
        """The kiosk's printer: the one the admin set for it, else LOKET_KIOSK_PRINTERS, else the default."""
        if kiosk and self.device_printer is not None:
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


def ticket_content(loket: Loket, view: TicketView, office_name: str, *, lang: str = "id") -> TicketContent:
    settings = loket.settings()
    sop = loket.catalog.get(view.service_code)
    requirements = []
    if sop:
        for req in sop.requirements:
            text = req.text.get(lang)
            requirements.append(f"{text} (bila ada)" if req.optional else text)
    notice = loket.blanko_notice(view.service_code)
    return TicketContent(
        office_name=settings.office_name or office_name,
        number=view.number,
        service_name=view.service_name.get(lang) or view.service_name["id"],
        issued_at=loket.clock.local(view.issued_at),
        qr_payload=view.code,
        ahead=view.ahead,
        priority_label=PRIORITY_LABELS[Priority(view.priority)]["id"] if view.priority else None,
        requirements=requirements,
        footer=settings.ticket_footer,
        note=notice["id"] if notice else None,
    )


def render(
    content: TicketContent, printer: Printer, kind: str = "ticket", with_preview: bool | None = None
) -> PrintJob:
    blocks = (pickup_slip_blocks if kind == "slip" else ticket_blocks)(content, printer.paper)
    data = escpos_bytes(blocks, paper=printer.paper, profile=printer.profile)
    if with_preview is None:
        with_preview = printer.wants_preview
    preview = preview_image(blocks, paper=printer.paper) if with_preview else None
    return PrintJob(f"{kind}-{content.number}", data, preview)


def send(printer: Printer, job: PrintJob) -> PrintResult:
    """Print; a failure is reported, never raised: the ticket exists whether or not paper came out."""
    try:
        printer.send(job)
    except PrinterError as exc:
        return PrintResult(False, printer.describe(), exc.reason, str(exc))
    return PrintResult(True, printer.describe())


def test_job(printer: Printer, office_name: str, clock) -> PrintJob:
    """A test ticket for checking paper, alignment and QR from the kiosk's settings panel."""
    content = TicketContent(
        office_name=office_name,
        number="TES-000",
        service_name="Tes printer - bukan nomor antrean",
        issued_at=clock.local(clock.now()),
        qr_payload="LKT1-TEST",
        requirements=["Contoh daftar dokumen"],
        footer="Tiket tes: tidak berlaku untuk pelayanan.",
    )
    return render(content, printer)
