"""Printers: one small interface, real transports through python-escpos, a file printer, a fake."""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path

from escpos.printer import File, Network, Serial, Usb
from PIL import Image

# Real-time status requests (ESC/POS DLE EOT n); the printer answers one byte each.
DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_OFFLINE_CAUSE = b"\x10\x04\x02"
DLE_EOT_PAPER = b"\x10\x04\x04"


class PrinterError(Exception):
    """The printer could not print; `reason` says why in terms staff act on."""

    REASONS = {
        "not_connected": "Printer tidak terhubung. (Printer not connected.)",
        "offline": "Printer tidak merespons. (Printer offline.)",
        "paper_out": "Kertas printer habis. (Printer is out of paper.)",
        "cover_open": "Tutup printer terbuka. (Printer cover is open.)",
        "interrupted": "Pencetakan terputus di tengah jalan. (Printing was interrupted.)",
    }

    def __init__(self, reason: str, detail: str = ""):
        self.reason = reason if reason in self.REASONS else "offline"
        self.detail = detail
        super().__init__(f"{self.REASONS[self.reason]} {detail}".strip())


@dataclass
class PrintJob:
    """A rendered ticket: the bytes for the printer and the same layout as a picture."""

    name: str  # e.g. "ticket-B-001"
    data: bytes
    preview: Image.Image | None = None


class Printer(ABC):
    """Sends one whole job; raises PrinterError when the paper did not come out."""

    paper: int = 80
    profile: str | None = None
    #: Whether jobs for this printer should carry a PNG preview (costs ~10 ms a ticket).
    wants_preview: bool = False

    @abstractmethod
    def send(self, job: PrintJob) -> None: ...

    def describe(self) -> str:
        return type(self).__name__


class FilePrinter(Printer):
    """For offices without a printer, and for tests: writes each job's exact bytes to a folder.

    With `with_preview` (the `preview:` spec) it also saves a PNG picture of the ticket.
    """

    wants_preview = False

    def __init__(self, folder: str | Path, paper: int = 80, profile: str | None = None, with_preview: bool = False):
        self.folder = Path(folder)
        self.paper = paper
        self.profile = profile
        self.wants_preview = with_preview

    def send(self, job: PrintJob) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        stem = f"{time.strftime('%Y%m%d-%H%M%S')}-{job.name}"
        (self.folder / f"{stem}.bin").write_bytes(job.data)
        if job.preview is not None:
            job.preview.save(self.folder / f"{stem}.png")

    def describe(self) -> str:
        return f"{'preview' if self.wants_preview else 'file'}:{self.folder}"


class EscposPrinter(Printer):
    """A real printer through one of python-escpos's transports (network, USB, serial, device file)."""

    def __init__(
        self, factory, description: str, paper: int = 80, profile: str | None = None, check_status: bool = False
    ):
        self._factory = factory  # builds a fresh python-escpos printer object per job
        self._description = description
        self.paper = paper
        self.profile = profile
        self.check_status = check_status
        self._lock = threading.Lock()  # one job at a time per printer: tickets never interleave

    def send(self, job: PrintJob) -> None:
        with self._lock:
            try:
                device = self._factory()
                device.open()
            except Exception as exc:
                raise PrinterError("not_connected", str(exc)) from exc
            try:
                if self.check_status:
                    self._check(device)  # before: do not send a ticket into a printer with no paper
                try:
                    device._raw(job.data)
                except Exception as exc:
                    raise PrinterError("interrupted", str(exc)) from exc
                if self.check_status:
                    # after: a TCP send "succeeds" into the socket buffer even when the printer
                    # hung up mid-ticket; only its answer proves it is still there.
                    self._check(device, after_send=True)
            finally:
                with contextlib.suppress(Exception):
                    device.close()

    @staticmethod
    def _ask(device, request: bytes) -> int:
        device._raw(request)
        answer = device._read()
        if not answer:
            raise PrinterError("offline", "no answer to a status request")
        return answer[0]

    @classmethod
    def _check(cls, device, after_send: bool = False) -> None:
        """Ask the printer (real-time DLE EOT n) whether it is online, closed and has paper."""
        try:
            printer = cls._ask(device, DLE_EOT_PRINTER)
            cause = cls._ask(device, DLE_EOT_OFFLINE_CAUSE)
            roll = cls._ask(device, DLE_EOT_PAPER)
        except PrinterError as exc:
            if after_send:
                raise PrinterError("interrupted", exc.detail) from exc
            raise
        except Exception as exc:
            raise PrinterError("interrupted" if after_send else "offline", str(exc)) from exc
        if cause & 0x04:
            raise PrinterError("cover_open")
        if roll & 0x60 or cause & 0x20:
            raise PrinterError("paper_out")
        if printer & 0x08:
            raise PrinterError("offline", "printer reports offline")

    def describe(self) -> str:
        return self._description


@dataclass
class FakePrinter(Printer):
    """In-memory printer for tests: keeps every job; can be told to fail."""

    paper: int = 80
    profile: str | None = None
    jobs: list[PrintJob] = field(default_factory=list)
    fail_with: str | None = None

    def send(self, job: PrintJob) -> None:
        if self.fail_with:
            raise PrinterError(self.fail_with)
        self.jobs.append(job)


class ClosingNetwork(Network):
    """python-escpos 3.1 leaves the socket open when connect() fails; this one closes it."""

    def open(self, raise_not_found: bool = True) -> None:
        if self._device:
            self.close()
        self.device = socket.create_connection((self.host, self.port), timeout=self.timeout)


def make_printer(
    spec: str, *, paper: int = 80, profile: str | None = None, timeout: float = 5.0, check_status: bool = False
) -> Printer:
    """A printer from a configuration string.

    file:/path/folder        the exact bytes of each job, one .bin file each (the default)
    preview:/path/folder     the same plus a PNG picture of each ticket
    network:HOST[:PORT]      raw TCP, port 9100 by default
    usb:VENDOR:PRODUCT       e.g. usb:0x04b8:0x0e15
    serial:DEVICE[:BAUD]     e.g. serial:/dev/ttyUSB0:9600
    device:/dev/usb/lp0      a printer device file
    """
    kind, _, rest = spec.partition(":")
    kind = kind.strip().lower()
    if kind in ("file", "preview"):
        return FilePrinter(rest or "instance/tickets", paper, profile, with_preview=kind == "preview")
    if kind == "network":
        host, _, port = rest.partition(":")

        def network():
            return ClosingNetwork(host, int(port or 9100), timeout=timeout)

        return EscposPrinter(network, f"network:{host}:{port or 9100}", paper, profile, check_status)
    if kind == "usb":
        vendor, _, product = rest.partition(":")

        def usb():
            return Usb(int(vendor, 16), int(product, 16), timeout=int(timeout * 1000))

        return EscposPrinter(usb, f"usb:{vendor}:{product}", paper, profile, check_status)
    if kind == "serial":
        dev, _, baud = rest.partition(":")

        def serial():
            return Serial(dev, baudrate=int(baud or 9600), timeout=timeout)

        return EscposPrinter(serial, f"serial:{dev}", paper, profile, check_status)
    if kind == "device":

        def devfile():
            return File(rest)

        return EscposPrinter(devfile, f"device:{rest}", paper, profile, False)
    raise ValueError(f"unknown printer spec {spec!r}: use file:, network:, usb:, serial: or device:")
