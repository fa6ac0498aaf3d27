"""The ticket printer: layout, rendering and devices (python-escpos)."""

from .devices import EscposPrinter, FakePrinter, FilePrinter, Printer, PrinterError, PrintJob, make_printer
from .layout import TicketContent, pickup_slip_blocks, return_slip_blocks, ticket_blocks
from .render import escpos_bytes, preview_image

__all__ = [
    "EscposPrinter",
    "FakePrinter",
    "FilePrinter",
    "PrintJob",
    "Printer",
    "PrinterError",
    "TicketContent",
    "escpos_bytes",
    "make_printer",
    "pickup_slip_blocks",
    "preview_image",
    "return_slip_blocks",
    "ticket_blocks",
]
