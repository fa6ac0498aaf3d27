"""Printing: the printer registry, what a ticket or slip says, sending it, and the staff's reprints."""

from flask import Flask

from loket.core.admin import device_printer
from loket.services import loket

from .printers import ASK, Printers, PrintResult, parse_printers, printers
from .queue import PrintQueues, print_queues
from .routes import bp
from .tickets import (
    print_for_staff,
    print_ticket,
    queue_ticket,
    record_queued,
    render,
    send,
    test_job,
    ticket_content,
)

__all__ = [
    "ASK",
    "PrintQueues",
    "PrintResult",
    "Printers",
    "init_app",
    "parse_printers",
    "print_for_staff",
    "print_queues",
    "print_ticket",
    "printers",
    "queue_ticket",
    "record_queued",
    "render",
    "send",
    "test_job",
    "ticket_content",
]


def init_app(app: Flask) -> None:
    """Build the printers from the configuration; a kiosk's printer set by the admin wins."""
    registry = app.extensions["printers"] = Printers(app.config)
    registry.device_printer = _kiosk_printer
    app.extensions["print_queues"] = PrintQueues(app, later=record_queued)
    app.register_blueprint(bp)


def _kiosk_printer(name: str) -> str | None:
    """The printer the admin set for the kiosk called `name` (asked when a ticket is printed)."""
    return device_printer(loket(), name, "kiosk")
